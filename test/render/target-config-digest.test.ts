import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { configDigest } from "../../components/render/config-digest.js";
import { renderFleetFiles } from "../../components/render/render-fleet-files.js";
import { redactedSecretText } from "../../components/render/secret-text.js";
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
  const [hostA, hostB] = make([]).dockerHosts;
  const [cluster] = make([]).kubernetesClusters;
  assert.ok(hostA && hostB && cluster);

  it("changes for the host whose files change and for no other target", () => {
    const before = make([]);
    const after = make(["registry.example.internal:5000"]);
    const host = (f: typeof before, name: string) => f.dockerHosts.find((h) => h.name === name)!;
    assert.notEqual(
      targetConfigDigest(after, host(after, "a")),
      targetConfigDigest(before, host(before, "a")),
    );
    assert.equal(
      targetConfigDigest(after, host(after, "b")),
      targetConfigDigest(before, host(before, "b")),
    );
    assert.equal(
      targetConfigDigest(after, after.kubernetesClusters[0]!),
      targetConfigDigest(before, before.kubernetesClusters[0]!),
    );
  });

  it("is the digest of exactly the target's files in the whole rendered tree", () => {
    const whole = make([]);
    const all = renderFleetFiles(whole, redactedSecretText);
    for (const [target, dir] of [
      [hostA, "docker-hosts/a/"],
      [hostB, "docker-hosts/b/"],
      [cluster, "kubernetes-clusters/a/"],
    ] as const) {
      const files = all.filter((file) => file.path.startsWith(dir));
      assert.ok(files.length > 1, dir);
      assert.equal(targetConfigDigest(whole, target), configDigest(files), dir);
    }
  });

  it("is a sha256 hex digest", () => {
    assert.match(targetConfigDigest(make([]), hostA), /^[0-9a-f]{64}$/);
  });
});
