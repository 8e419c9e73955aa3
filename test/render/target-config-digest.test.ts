import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { targetConfigDigest } from "../../components/render/target-config-digest.js";
import { dind, dockerHost, fleet, kubernetesCluster, runner } from "./fixtures.js";

describe("targetConfigDigest", () => {
  const make = (registries: string[]) =>
    fleet({
      dockerHosts: [
        dockerHost("a", [runner("a-1", { dind: dind({ insecureRegistries: registries }) })]),
        dockerHost("b", [runner("b-1")]),
      ],
      kubernetesClusters: [kubernetesCluster("a", [runner("k-1")])],
    });

  it("changes for the host whose files change and for no other target", () => {
    const before = make([]);
    const after = make(["registry.example.internal:5000"]);
    const host = (name: string) => ({ kind: "docker-host" as const, name });
    assert.notEqual(targetConfigDigest(after, host("a")), targetConfigDigest(before, host("a")));
    assert.equal(targetConfigDigest(after, host("b")), targetConfigDigest(before, host("b")));
    const cluster = { kind: "kubernetes-cluster" as const, name: "a" };
    assert.equal(targetConfigDigest(after, cluster), targetConfigDigest(before, cluster));
  });

  it("is a sha256 hex digest", () => {
    assert.match(
      targetConfigDigest(make([]), { kind: "docker-host", name: "a" }),
      /^[0-9a-f]{64}$/,
    );
  });
});
