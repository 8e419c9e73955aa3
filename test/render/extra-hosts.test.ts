import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { dockerExtraHosts, kubernetesHostAliases } from "../../components/render/extra-hosts.js";
import { dind } from "./fixtures.js";

const HOSTS = dind({
  extraHosts: [
    { hostname: "registry.example.internal", ip: "10.0.0.9" },
    { hostname: "mirror.example.internal", ip: "10.0.0.8" },
    { hostname: "cache.example.internal", ip: "10.0.0.9" },
  ],
});

describe("dockerExtraHosts", () => {
  it("writes hostname:ip entries sorted by hostname, whatever the input order", () => {
    assert.deepEqual(dockerExtraHosts(HOSTS), [
      "cache.example.internal:10.0.0.9",
      "mirror.example.internal:10.0.0.8",
      "registry.example.internal:10.0.0.9",
    ]);
  });

  it("is empty without extra hosts", () => {
    assert.deepEqual(dockerExtraHosts(dind()), []);
  });
});

describe("kubernetesHostAliases", () => {
  it("groups hostnames by IP, ordered by their first hostname", () => {
    assert.deepEqual(kubernetesHostAliases(HOSTS), [
      { ip: "10.0.0.9", hostnames: ["cache.example.internal", "registry.example.internal"] },
      { ip: "10.0.0.8", hostnames: ["mirror.example.internal"] },
    ]);
  });
});
