/**
 * `pulumi up` of prod after a cache credential is rotated: the credentials live
 * in config.toml (render/cache-section.ts says why), so only the config writer's
 * files and the cluster's config Secret change; each manager container keeps
 * identical inputs (Pulumi neither replaces nor restarts it) and the cluster's
 * pod template stays the same (no rollout), so running jobs are not disturbed.
 */
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { isSecretValue } from "../support/pulumi-mocks.js";
import { resourceInputs, runInChild } from "./child-runs.js";
import type { ChildRun } from "./program-child.js";
import { configWithSecrets } from "./program-harness.js";

interface S3Settings {
  authenticationType?: string;
  accessKey?: string;
  secretKey?: string;
}
interface Editable {
  dockerHosts: { cache: { s3: S3Settings } }[];
  kubernetesClusters: { cache: { s3: S3Settings } }[];
}

/** prod with the cluster on access keys too, so both variants hold a key in config.toml. */
function prodWithKeys(generation: string): Record<string, unknown> {
  const values = structuredClone(configWithSecrets("prod")) as unknown as Editable;
  for (const target of [...values.dockerHosts, ...values.kubernetesClusters]) {
    target.cache.s3.authenticationType = "access-key";
    target.cache.s3.accessKey = `AKIAROTATION${generation}`;
    target.cache.s3.secretKey = `rotation-secret-${generation}`;
  }
  return values as unknown as Record<string, unknown>;
}

describe("pulumi up of prod after a cache credential rotation", () => {
  let previous: ChildRun;
  let next: ChildRun;

  before(async () => {
    [previous, next] = await Promise.all([
      runInChild("prod", prodWithKeys("1")),
      runInChild("prod", prodWithKeys("2")),
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

    it(`${host}: writes the new key into config.toml, as a secret`, () => {
      const uploads = resourceInputs(next, `docker-${host}-config-writer`)["uploads"];
      assert.ok(isSecretValue(uploads));
      const configToml = (uploads.value as { file: string; content: string }[]).find((upload) =>
        upload.file.endsWith("/config.toml"),
      );
      assert.match(configToml?.content ?? "", /AccessKey = "AKIAROTATION2"/);
      assert.match(configToml?.content ?? "", /SecretKey = "rotation-secret-2"/);
    });
  }

  it("leaves the cluster's manager pod template identical and changes its config Secret", () => {
    const template = (run: ChildRun) =>
      (
        resourceInputs(run, "k8s-k8s-prod-deployment-gitlab-runner-manager")["spec"] as Record<
          string,
          unknown
        >
      )["template"];
    assert.deepEqual(template(next), template(previous));
    const data = resourceInputs(next, "k8s-k8s-prod-secret-gitlab-runner-config")["stringData"];
    assert.ok(isSecretValue(data));
    assert.match(
      String((data.value as Record<string, unknown>)["config.toml"]),
      /AccessKey = "AKIAROTATION2"/,
    );
  });
});
