import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  missingTokenPaths,
  requireCacheSecrets,
  tokenText,
} from "../../components/render/runner-tokens.js";
import { fleet, kubernetesCluster, runner, secretRef } from "../render/fixtures.js";

describe("runner tokens", () => {
  const cluster = fleet({
    kubernetesClusters: [kubernetesCluster("k8s-1", [runner("a"), runner("b"), runner("c")])],
  }).kubernetesClusters[0]!;

  it("lists the config paths of the cluster's runners without a token, in runner order", () => {
    assert.deepEqual(
      missingTokenPaths(cluster, { "kubernetesClusters[0].runners[1].token": "glrt-b" }),
      ["kubernetesClusters[0].runners[0].token", "kubernetesClusters[0].runners[2].token"],
    );
    assert.deepEqual(
      missingTokenPaths(cluster, {
        "kubernetesClusters[0].runners[0].token": "glrt-a",
        "kubernetesClusters[0].runners[1].token": "glrt-b",
        "kubernetesClusters[0].runners[2].token": "glrt-c",
      }),
      [],
    );
  });

  it("does not take inherited object properties for tokens", () => {
    assert.deepEqual(
      missingTokenPaths(
        { ...cluster, runners: [{ ...cluster.runners[0]!, token: secretRef("toString") }] },
        {},
      ),
      ["toString"],
    );
    assert.throws(() => tokenText({}, secretRef("constructor")), {
      message: "no runner token for constructor",
    });
  });

  it("returns the token of the given path or names the path it is missing for", () => {
    const plain = { "kubernetesClusters[0].runners[0].token": "glrt-a" };
    assert.equal(tokenText(plain, secretRef("kubernetesClusters[0].runners[0].token")), "glrt-a");
    assert.throws(() => tokenText(plain, secretRef("kubernetesClusters[0].runners[1].token")), {
      message: "no runner token for kubernetesClusters[0].runners[1].token",
    });
  });
});

describe("requireCacheSecrets", () => {
  const s3Cache = (prefix: string) => ({
    type: "s3" as const,
    path: "test",
    shared: false,
    maxUploadedArchiveSize: 0,
    s3: {
      bucketName: "cache",
      insecure: false,
      authenticationType: "access-key" as const,
      accessKey: secretRef(`${prefix}.cache.s3.accessKey`),
      secretKey: secretRef(`${prefix}.cache.s3.secretKey`),
      accelerate: false,
    },
  });
  const host = {
    runners: [
      runner("a", { cache: s3Cache("dockerHosts[0]") }),
      runner("b", { cache: s3Cache("dockerHosts[0]") }),
      runner("c"),
    ],
  };

  it("names each missing credential once, before anything is declared", () => {
    assert.throws(
      () =>
        requireCacheSecrets("docker host build-1", host, {
          "dockerHosts[0].cache.s3.accessKey": "AKIA",
        }),
      {
        message:
          "docker host build-1: no cache credential for dockerHosts[0].cache.s3.secretKey; set each with: pulumi config set --secret --path '<path>' <value>",
      },
    );
  });

  it("passes when every credential has a value", () => {
    requireCacheSecrets("docker host build-1", host, {
      "dockerHosts[0].cache.s3.accessKey": "AKIA",
      "dockerHosts[0].cache.s3.secretKey": "secret",
    });
  });
});
