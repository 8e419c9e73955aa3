import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { daemonJson } from "../../components/render/daemon-json.js";
import { dind } from "./fixtures.js";

describe("daemonJson", () => {
  it("writes insecure registries (sorted), mirrors (in order), the storage driver and DNS, 2-space indented", () => {
    const text = daemonJson(
      dind({
        insecureRegistries: ["registry.example.internal:5000", "10.0.0.9:5000"],
        registryMirrors: ["https://mirror-b.example.internal", "https://mirror-a.example.internal"],
        dns: ["10.0.0.53", "10.0.1.53"],
        dnsSearch: ["build.example.internal", "example.internal"],
      }),
    );
    assert.equal(
      text,
      `{
  "insecure-registries": [
    "10.0.0.9:5000",
    "registry.example.internal:5000"
  ],
  "registry-mirrors": [
    "https://mirror-b.example.internal",
    "https://mirror-a.example.internal"
  ],
  "storage-driver": "overlay2",
  "dns": [
    "10.0.0.53",
    "10.0.1.53"
  ],
  "dns-search": [
    "build.example.internal",
    "example.internal"
  ]
}
`,
    );
  });

  it("keeps empty lists as [] so every setting is visible, and has no mtu unless one is set", () => {
    assert.equal(
      daemonJson(dind({ storageDriver: "vfs" })),
      `{
  "insecure-registries": [],
  "registry-mirrors": [],
  "storage-driver": "vfs",
  "dns": [],
  "dns-search": []
}
`,
    );
  });

  it("gives the MTU to the default bridge and, as a default network option, to every network created later", () => {
    const parsed = JSON.parse(daemonJson(dind({ mtu: 1400 }))) as Record<string, unknown>;
    assert.equal(parsed["mtu"], 1400);
    assert.deepEqual(parsed["default-network-opts"], {
      bridge: { "com.docker.network.driver.mtu": "1400" },
    });
  });

  it("leaves default-network-opts out for Docker before 24.0, whose dockerd does not know it", () => {
    const old = JSON.parse(daemonJson(dind({ mtu: 1400, dockerVersion: "23.0.6" }))) as Record<
      string,
      unknown
    >;
    assert.equal(old["mtu"], 1400);
    assert.equal("default-network-opts" in old, false);
    const first = JSON.parse(daemonJson(dind({ mtu: 1400, dockerVersion: "24.0.0" }))) as Record<
      string,
      unknown
    >;
    assert.equal("default-network-opts" in first, true);
  });

  it("never carries TLS, hosts or privilege settings, which dockerd would reject or ignore", () => {
    const parsed = JSON.parse(
      daemonJson(dind({ extraHosts: [{ hostname: "registry", ip: "10.0.0.1" }], tls: false })),
    ) as Record<string, unknown>;
    assert.deepEqual(Object.keys(parsed), [
      "insecure-registries",
      "registry-mirrors",
      "storage-driver",
      "dns",
      "dns-search",
    ]);
  });
});
