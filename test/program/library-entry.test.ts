/**
 * The package entry (`require("dind-runners")`, package.json `exports`: the
 * compiled components/index.ts) as another Pulumi program loads it: plain
 * node, no TypeScript loader. Importing it declares nothing; using
 * DockerRunnerHost from it the way the README shows declares that host.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { REPO } from "../support/run-cli.js";

// Runs in a plain node process inside the package, under Pulumi's mocks.
const CONSUMER = `
const pulumi = require("@pulumi/pulumi");
(async () => {
  const registered = [];
  await pulumi.runtime.setMocks({
    newResource: (a) => { registered.push(a.type + " " + a.name); return { id: a.name + "-id", state: a.inputs }; },
    call: (a) => a.inputs,
  }, "consumer", "dev", false);
  const lib = require("dind-runners");
  await pulumi.runtime.waitForRPCs();
  const onImport = [...registered];
  const loaded = lib.loadFleet(lib.readStackFile("dev", process.argv[1]), {
    requireSecrets: false,
    plaintextSecretsAllowed: false,
  });
  const host = loaded.fleet.dockerHosts[0];
  const tokens = Object.fromEntries(
    host.runners.map((runner) => [runner.token.configPath, pulumi.secret("glrt-consumer")]),
  );
  const component = new lib.DockerRunnerHost("build-1", { fleet: loaded.fleet, host, tokens });
  const digest = await new Promise((resolve) => component.configDigest.apply(resolve));
  await pulumi.runtime.waitForRPCs();
  console.log(JSON.stringify({
    exports: Object.keys(lib).sort(),
    onImport,
    afterUse: registered,
    digestMatches: digest === lib.targetConfigDigest(loaded.fleet, host),
  }));
})();
`;

describe("the package entry", () => {
  it("exports the components, the loader and the renderers, declares nothing on import, and deploys a host when asked", () => {
    assert.ok(
      existsSync(join(REPO, "build", "components", "index.js")),
      "build/ is missing: run `npm run build` (npm test does)",
    );
    const run = spawnSync(process.execPath, ["-e", CONSUMER, join(REPO, "stacks")], {
      cwd: REPO,
      encoding: "utf8",
    });
    assert.equal(run.status, 0, run.stderr);
    const result = JSON.parse(run.stdout.trim().split("\n").pop() ?? "{}") as {
      exports: string[];
      onImport: string[];
      afterUse: string[];
      digestMatches: boolean;
    };
    for (const name of [
      "DockerRunnerHost",
      "KubernetesRunner",
      "loadFleet",
      "readStackFile",
      "rawConfigFromPulumi",
      "renderFleetFiles",
      "renderTargetFiles",
      "managerConfigToml",
      "daemonJson",
      "kubernetesManifests",
      "ciIncludeSnippet",
    ]) {
      assert.ok(result.exports.includes(name), `no export ${name}`);
    }
    assert.deepEqual(result.onImport, []);
    assert.deepEqual(result.afterUse.slice(0, 2), [
      "dind-runners:docker:DockerRunnerHost build-1",
      "pulumi:providers:docker build-1-provider",
    ]);
    assert.ok(result.afterUse.includes("docker:index/container:Container build-1-manager"));
    assert.equal(result.digestMatches, true);
  });
});
