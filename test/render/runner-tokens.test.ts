import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { missingTokenPaths, tokenText } from "../../components/render/runner-tokens.js";
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
