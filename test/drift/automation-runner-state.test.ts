/**
 * Runner ids and the API token from a Pulumi stack, through a fake of the
 * Automation API's Stack (the real one needs the Pulumi CLI).
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  AutomationRunnerState,
  runnerIdsOf,
  tokenExpiriesOf,
  type StateStack,
} from "../../components/drift/automation-runner-state.js";

function stackWith(outputs: Record<string, { value: unknown }>, gitlab?: unknown): StateStack {
  const config: Record<string, { value: string }> = {};
  if (gitlab !== undefined) config["dind-runners:gitlab"] = { value: JSON.stringify(gitlab) };
  return { outputs: () => Promise.resolve(outputs), getAllConfig: () => Promise.resolve(config) };
}

describe("AutomationRunnerState", () => {
  it("reads the ids from the gitlabRunners output and the API token from the decrypted config", async () => {
    const selected: string[] = [];
    const source = new AutomationRunnerState((name) => {
      selected.push(name);
      return Promise.resolve(
        stackWith(
          {
            gitlabRunners: {
              value: {
                "prod-1-dind": {
                  runnerId: 1000,
                  configPath: "dockerHosts[0].runners[0]",
                  tokenExpiresAt: "2026-12-31T10:00:00.000Z",
                },
                "k8s-prod-dind": {
                  runnerId: 1004,
                  configPath: "kubernetesClusters[0].runners[0]",
                  tokenExpiresAt: null,
                },
              },
            },
            runners: { value: [] },
          },
          { url: "https://gitlab.example.com", manageRunners: true, apiToken: "glpat-from-config" },
        ),
      );
    });
    const state = await source.read("acme/dind-runners/prod");
    assert.deepEqual(selected, ["acme/dind-runners/prod"]);
    assert.deepEqual(state, {
      runnerIds: new Map([
        ["prod-1-dind", 1000],
        ["k8s-prod-dind", 1004],
      ]),
      tokenExpiresAt: new Map([
        ["prod-1-dind", "2026-12-31T10:00:00.000Z"],
        ["k8s-prod-dind", null],
      ]),
      apiToken: "glpat-from-config",
    });
  });

  it("gives no ids and no token for a stack without them", async () => {
    const source = new AutomationRunnerState(() => Promise.resolve(stackWith({})));
    assert.deepEqual(await source.read("dev"), {
      runnerIds: new Map(),
      tokenExpiresAt: new Map(),
    });
    assert.deepEqual(
      tokenExpiriesOf({ a: { tokenExpiresAt: "soon" }, b: {}, c: { tokenExpiresAt: null } }),
      new Map([["c", null]]),
    );
    assert.deepEqual(
      runnerIdsOf({ a: { runnerId: "1" }, b: null, c: { runnerId: 3 } }),
      new Map([["c", 3]]),
    );
  });

  it("turns a CLI failure into one line naming the stack", async () => {
    const source = new AutomationRunnerState(() =>
      Promise.reject(
        new Error("code: 255\n stdout: \n stderr: error: no stack named 'prod' found\n"),
      ),
    );
    await assert.rejects(source.read("prod"), {
      message: "pulumi stack \"prod\": no stack named 'prod' found",
    });
  });
});
