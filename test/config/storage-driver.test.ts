import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  STORAGE_DRIVERS,
  storageDriverMessage,
} from "../../components/config/grammars/storage-driver.js";

describe("storage drivers", () => {
  it("offers only what the docker:<version>-dind image can start with", () => {
    assert.deepEqual(STORAGE_DRIVERS, ["overlay2", "vfs"]);
  });

  it("refuses fuse-overlayfs with why and what to use instead", () => {
    assert.equal(
      storageDriverMessage("fuse-overlayfs"),
      'expected one of "overlay2", "vfs", found "fuse-overlayfs"; the docker:<version>-dind image has no fuse-overlayfs binary (only the rootless variant ships one), so dockerd cannot set up the driver and dind never starts: use "overlay2" (the default; manageOverlayModule loads the kernel\'s overlay module), or "vfs" on a kernel without overlay support',
    );
  });

  it("refuses other values with the plain list", () => {
    assert.equal(storageDriverMessage("btrfs"), 'expected one of "overlay2", "vfs", found "btrfs"');
    assert.equal(storageDriverMessage(2), 'expected one of "overlay2", "vfs", found 2');
  });
});
