/**
 * `pulumi up` does not run the provider from this repository: the SDK
 * serializes the provider object into text (stored in the state as the
 * `__provider` input) and Pulumi's dynamic-provider host evaluates that text in
 * another process. This test does the same: serialize with the SDK's own
 * serializer, load the text in a plain `node` (no tsx, no repository modules)
 * and drive a runner's whole life against the local GitLab stand-in.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { promisify } from "node:util";
import * as pulumi from "@pulumi/pulumi";
import { gitlabRunnerProvider } from "../../components/gitlab/gitlab-runner-provider.js";
import { FAKE_API_TOKEN, FakeGitLab } from "../support/fake-gitlab.js";

/** Runs in the child: create, update (rotate), read, delete; prints what it saw, never a token. */
const DRIVER = `
const provider = require(process.argv[1]).handler();
const inputs = JSON.parse(process.argv[2]);
(async () => {
  const created = await provider.create(inputs);
  const rotated = await provider.update(created.id, created.outs, { ...inputs, rotateToken: "r1" });
  const read = await provider.read(created.id, rotated.outs);
  await provider.delete(created.id, rotated.outs);
  console.log(JSON.stringify({
    id: created.id,
    runnerId: created.outs.runnerId,
    tokenChanged: rotated.outs.token !== created.outs.token,
    readId: read.id,
  }));
})().catch((error) => { console.error(error.message); process.exit(1); });
`;

describe("the serialized GitLabRunner provider", () => {
  const gitlab = new FakeGitLab();
  const dir = mkdtempSync(join(tmpdir(), `dind-runners-provider-${process.pid}-`));
  before(() => gitlab.start());
  after(async () => {
    await gitlab.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("runs on its own in a plain node process: create, rotate, read, delete", async () => {
    const provider = gitlabRunnerProvider({
      attempts: 2,
      baseDelayMs: 1,
      maxDelayMs: 5,
      timeoutSeconds: 5,
    });
    const serialized = await pulumi.runtime.serializeFunction(() => provider, {
      allowSecrets: true,
    });
    assert.equal(serialized.containsSecrets, false, "no secret is captured");
    assert.ok(!serialized.text.includes(FAKE_API_TOKEN));
    const file = join(dir, "provider.js");
    writeFileSync(file, serialized.text);
    const inputs = {
      gitlabUrl: gitlab.url,
      apiToken: FAKE_API_TOKEN,
      caCertificate: null,
      runnerName: "build-1",
      configPath: "dockerHosts[0].runners[0]",
      scope: { kind: "group", group: "platform/build" },
      settings: {
        description: "build-1",
        tags: ["dind"],
        runUntagged: false,
        locked: false,
        paused: false,
        accessLevel: "not_protected",
        maximumTimeout: null,
      },
      rotateToken: null,
    };
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ["-e", DRIVER, file, JSON.stringify(inputs)],
      { cwd: dir },
    );
    const seen = JSON.parse(stdout) as Record<string, unknown>;
    const id = seen["runnerId"];
    assert.deepEqual(seen, {
      id: String(id),
      runnerId: id,
      tokenChanged: true,
      readId: String(id),
    });
    assert.deepEqual(gitlab.calls(), [
      "GET /groups/platform%2Fbuild",
      "POST /user/runners",
      `POST /runners/${String(id)}/reset_authentication_token`,
      `GET /runners/${String(id)}`,
      `DELETE /runners/${String(id)}`,
    ]);
    assert.equal(gitlab.runners.size, 0);
  });
});
