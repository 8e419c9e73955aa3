import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { MAX_OUTPUT_CHARACTERS, oneShotFailure } from "../../components/docker/one-shot-outcome.js";

const WHAT = "docker host build-1: the config writer (dind-runners-config-writer)";
const URN =
  "urn:pulumi:prod::dind-runners::dind-runners:docker:DockerRunnerHost$docker:index/container:Container::docker-build-1-config-writer";
const AGAIN = `\nFix the cause, then run the helper again: pulumi up --replace '${URN}'`;

describe("oneShotFailure", () => {
  it("is nothing for exit code 0 or an exit code not known yet (preview)", () => {
    assert.equal(oneShotFailure(WHAT, 0, "anything", URN), undefined);
    assert.equal(oneShotFailure(WHAT, undefined, undefined, URN), undefined);
  });

  it("names the helper, the exit code, quotes what it printed and how to run it again", () => {
    assert.equal(
      oneShotFailure(WHAT, 1, "prepare-host: kernel 3.10.0 is too old\n", URN),
      "docker host build-1: the config writer (dind-runners-config-writer) exited with code 1, " +
        "so the runner manager was not deployed or updated. Its output:\n" +
        "prepare-host: kernel 3.10.0 is too old" +
        AGAIN,
    );
  });

  it("says so when the helper printed nothing", () => {
    assert.equal(
      oneShotFailure(WHAT, 137, "  \n", URN),
      "docker host build-1: the config writer (dind-runners-config-writer) exited with code 137, " +
        "so the runner manager was not deployed or updated. It printed nothing." +
        AGAIN,
    );
  });

  it("keeps the end of a long output, where the error is", () => {
    const output = "x".repeat(MAX_OUTPUT_CHARACTERS) + "the last line";
    const message = oneShotFailure(WHAT, 1, output, URN) ?? "";
    assert.ok(
      message.endsWith(`Its output:\n...${output.slice(-MAX_OUTPUT_CHARACTERS)}${AGAIN}`),
      message.slice(-200),
    );
  });
});
