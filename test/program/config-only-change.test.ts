/**
 * `pulumi up` after a config-only change to the prod stack (one more insecure
 * registry for every runner, another limit for one runner): the config writers
 * get new files, the manager containers keep identical inputs, so Pulumi
 * neither replaces nor restarts them and running jobs are not disturbed.
 */
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { resourceInputs, runInChild } from "./child-runs.js";
import type { ChildRun } from "./program-child.js";
import { configWithSecrets } from "./program-harness.js";

interface Editable {
  defaults: { dind: { insecureRegistries: string[] } };
  dockerHosts: { runners: { limit?: number }[] }[];
}

describe("pulumi up of prod after a config-only change", () => {
  let previous: ChildRun;
  let next: ChildRun;

  before(async () => {
    const values = configWithSecrets("prod");
    const changed = structuredClone(values) as unknown as Editable;
    changed.defaults.dind.insecureRegistries = ["10.20.0.17:5000"];
    const firstRunner = changed.dockerHosts[0]?.runners[0];
    assert.ok(firstRunner);
    firstRunner.limit = 3;
    [previous, next] = await Promise.all([
      runInChild("prod", values),
      runInChild("prod", changed as unknown as Record<string, unknown>),
    ]);
    assert.equal(previous.error, undefined);
    assert.equal(next.error, undefined);
  });

  for (const host of ["build-prod-1", "build-prod-2"]) {
    it(`${host}: leaves the manager container's inputs identical`, () => {
      assert.deepEqual(
        resourceInputs(next, `docker-${host}-manager`),
        resourceInputs(previous, `docker-${host}-manager`),
      );
    });

    it(`${host}: gives the config writer new files`, () => {
      assert.notDeepEqual(
        resourceInputs(next, `docker-${host}-config-writer`)["uploads"],
        resourceInputs(previous, `docker-${host}-config-writer`)["uploads"],
      );
    });
  }

  it("leaves the cluster's manager pod template identical", () => {
    const template = (run: ChildRun) =>
      (
        resourceInputs(run, "k8s-k8s-prod-deployment-gitlab-runner-manager")["spec"] as Record<
          string,
          unknown
        >
      )["template"];
    assert.deepEqual(template(next), template(previous));
  });
});
