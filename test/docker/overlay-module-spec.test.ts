import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { overlayModuleSpec } from "../../components/docker/overlay-module-spec.js";
import { prepareHostScript } from "../../components/render/host-preparation.js";
import { dockerHost, fleet, runner } from "../render/fixtures.js";

describe("overlayModuleSpec", () => {
  it("runs the rendered prepare-host.sh privileged in the dind image with the host's root (read-only) and modules-load.d", () => {
    const host = dockerHost("build-1", [runner("build-1-a")]);
    const spec = overlayModuleSpec(fleet({ dockerHosts: [host] }), host);
    assert.ok(spec);
    assert.equal(spec.image, "docker:29.7.2-dind");
    assert.equal(spec.privileged, true);
    assert.equal(spec.mustRun, false);
    assert.deepEqual(spec.mounts, [{ type: "bind", source: "/", target: "/host", readOnly: true }]);
    // A -v style bind: Docker creates /etc/modules-load.d where a distribution has none.
    assert.deepEqual(spec.volumes, [
      {
        hostPath: "/etc/modules-load.d",
        containerPath: "/host/etc/modules-load.d",
        readOnly: false,
      },
    ]);
    assert.equal(spec.name, "dind-runners-overlay-module");
    assert.equal(spec.restart, "no");
    assert.equal(spec.attach, true);
    assert.deepEqual(spec.labels.at(-1), { label: "dind-runners.role", value: "overlay-module" });
    assert.deepEqual(spec.envs, ["MODULES_LOAD_DIR=/host/etc/modules-load.d", "HOST_ROOT=/host"]);
    assert.deepEqual(spec.uploads, [
      { file: "/prepare/prepare-host.sh", content: prepareHostScript(), executable: true },
    ]);
    assert.deepEqual(
      [...(spec.entrypoints ?? []), ...(spec.command ?? [])],
      ["/bin/sh", "/prepare/prepare-host.sh"],
    );
  });

  it("is absent where the host manages the module itself", () => {
    const host = dockerHost("build-1", [runner("build-1-a")], { manageOverlayModule: false });
    assert.equal(overlayModuleSpec(fleet({ dockerHosts: [host] }), host), undefined);
  });
});
