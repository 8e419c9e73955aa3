/**
 * `dind.storageDriver`: the drivers the pinned `docker:<version>-dind` image can
 * start with. `fuse-overlayfs` is refused by name with the reason: moby's
 * fuse-overlayfs driver needs the `fuse-overlayfs` binary on dockerd's PATH
 * (moby `daemon/graphdriver/fuse-overlayfs/fuseoverlayfs.go` `Init`:
 * `exec.LookPath`, else `ErrNotSupported`), and docker-library/docker installs it
 * only in `dind-rootless` (`29/dind-rootless/Dockerfile`), not in `29/dind/Dockerfile`.
 */
import type { StorageDriver } from "../../model/fleet.js";
import { expectedFound } from "../messages/describe-value.js";

export const STORAGE_DRIVERS = ["overlay2", "vfs"] as const satisfies readonly StorageDriver[];

const EXPECTED = `one of ${STORAGE_DRIVERS.map((driver) => JSON.stringify(driver)).join(", ")}`;

/** Why `found` is no storage driver dind can use. */
export function storageDriverMessage(found: unknown): string {
  const message = expectedFound(EXPECTED, found);
  if (found !== "fuse-overlayfs") return message;
  return `${message}; the docker:<version>-dind image has no fuse-overlayfs binary (only the rootless variant ships one), so dockerd cannot set up the driver and dind never starts: use "overlay2" (the default; manageOverlayModule loads the kernel's overlay module), or "vfs" on a kernel without overlay support`;
}
