import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { daemonJson } from "../../components/render/daemon-json.js";
import { dind } from "./fixtures.js";

describe("daemonJson", () => {
  it("writes insecure registries (sorted), mirrors (in order) and the storage driver, 2-space indented", () => {
    const text = daemonJson(
      dind({
        insecureRegistries: ["registry.example.internal:5000", "10.0.0.9:5000"],
        registryMirrors: ["https://mirror-b.example.internal", "https://mirror-a.example.internal"],
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
  "storage-driver": "overlay2"
}
`,
    );
  });

  it("keeps empty lists as [] so every setting is visible", () => {
    assert.equal(
      daemonJson(dind({ storageDriver: "fuse-overlayfs" })),
      `{
  "insecure-registries": [],
  "registry-mirrors": [],
  "storage-driver": "fuse-overlayfs"
}
`,
    );
  });

  it("never carries TLS, hosts or privilege settings, which dockerd would reject or ignore", () => {
    const parsed = JSON.parse(
      daemonJson(dind({ extraHosts: [{ hostname: "registry", ip: "10.0.0.1" }], tls: false })),
    ) as Record<string, unknown>;
    assert.deepEqual(Object.keys(parsed), [
      "insecure-registries",
      "registry-mirrors",
      "storage-driver",
    ]);
  });
});
