/**
 * `pulumi up` of the generated fleets the property tests and benchmarks use
 * (several Docker hosts and clusters, every cluster trusting a registry CA):
 * the program runs to the end and declares no two resources with the same
 * URN, under the mocks harness and started as the Node language host starts
 * it against the in-process engine; both refuse a repeated URN as Pulumi does.
 */
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { startFakeEngine } from "../support/fake-pulumi-engine.js";
import { generatedStackValues } from "../support/generated-stack.js";
import { runAsLanguageHost } from "../support/language-host.js";
import { readProgramStart } from "../support/program-start.js";
import { repeatedIdentities } from "../support/pulumi-urn.js";
import { REPO } from "../support/run-cli.js";
import { pulumiConfig, runProgram } from "./program-harness.js";

const SIZE = { hosts: 3, runnersPerHost: 2, clusters: 2 };
const SECRET_KEYS = ["dind-runners:dockerHosts", "dind-runners:kubernetesClusters"];
const values = generatedStackValues(SIZE, (path) => `glrt-test-${path.replace(/\W+/g, "-")}`);

/** Kubernetes objects per generated cluster: two ConfigMaps (daemon config, registry CAs) among them. */
const CLUSTER_OBJECTS = 9;

describe("pulumi up of a generated fleet", () => {
  it("under the mocks harness: runs to the end, every resource under a URN of its own", async () => {
    const run = await runProgram("dev", values, SECRET_KEYS);
    assert.equal(run.error, undefined);
    assert.deepEqual(repeatedIdentities(run.resources), []);
    const configMaps = run.resources.filter((r) => r.type === "kubernetes:core/v1:ConfigMap");
    assert.equal(configMaps.length, 2 * SIZE.clusters);
    const objects = run.resources.filter((r) => r.type.startsWith("kubernetes:"));
    assert.equal(objects.length, CLUSTER_OBJECTS * SIZE.clusters);
  });

  it("started as the Node language host starts it: the in-process engine accepts every registration", async () => {
    const main = join(REPO, readProgramStart(REPO).main);
    assert.ok(existsSync(main), `${main} is missing: run \`npm run build\` (npm test does)`);
    const engine = await startFakeEngine("dind-runners", "bench");
    try {
      const run = await runAsLanguageHost({
        projectRoot: REPO,
        project: "dind-runners",
        organization: "dind-runners-test",
        stack: "bench",
        engineAddress: engine.address,
        config: pulumiConfig(values),
        secretKeys: SECRET_KEYS,
      });
      assert.equal(run.code, 0, `${run.stderr}${run.stdout}`);
      assert.deepEqual(
        engine.logs.filter((log) => log.severity === "ERROR"),
        [],
      );
      assert.deepEqual(repeatedIdentities(engine.registrations), []);
      const objects = engine.registrations.filter((r) => r.type.startsWith("kubernetes:"));
      assert.equal(objects.length, CLUSTER_OBJECTS * SIZE.clusters);
    } finally {
      await engine.close();
    }
  });
});
