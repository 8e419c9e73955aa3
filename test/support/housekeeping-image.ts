/**
 * The image the housekeeping engine test runs the script in, since no
 * `docker:<v>-cli` image can be pulled here: BusyBox (the applets the script
 * uses, as in the Alpine-based CLI image) plus this machine's own `docker` CLI
 * binary and the shared libraries `ldd` lists for it (none for a static
 * build), put together with `docker import`. Built once; kept between runs.
 */
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { engine, TEST_LABEL } from "./docker-test-engine.js";

export const HOUSEKEEPING_TEST_IMAGE = "dind-runners-test/housekeeping:local";

/** Every applet the housekeeping script (and its `docker` pipelines) runs. */
const APPLETS = [
  "sh",
  "awk",
  "cat",
  "date",
  "df",
  "echo",
  "mkdir",
  "mv",
  "rm",
  "sleep",
  "sort",
  "touch",
  "xargs",
  "[",
  "test",
  "true",
];

/** Absolute paths of the libraries `ldd` lists for `binary`; empty for a static one. */
function sharedLibraries(binary: string): string[] {
  let listing: string;
  try {
    listing = execFileSync("ldd", [binary], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    });
  } catch {
    return []; // "not a dynamic executable" exits non-zero
  }
  return [...listing.matchAll(/(\/\S+) \(0x[0-9a-f]+\)/g)].map((match) => match[1] ?? "");
}

export async function provideHousekeepingImage(): Promise<void> {
  try {
    await engine.getImage(HOUSEKEEPING_TEST_IMAGE).inspect();
    return;
  } catch {
    // built below
  }
  const docker = execFileSync("sh", ["-c", "command -v docker"], { encoding: "utf8" }).trim();
  const busybox = execFileSync("sh", ["-c", "command -v busybox"], { encoding: "utf8" }).trim();
  const rootfs = mkdtempSync(join(tmpdir(), "housekeeping-rootfs-"));
  try {
    for (const directory of ["bin", "usr/local/bin", "tmp"]) {
      mkdirSync(join(rootfs, directory), { recursive: true });
    }
    copyFileSync(busybox, join(rootfs, "bin/busybox"));
    for (const applet of APPLETS) symlinkSync("busybox", join(rootfs, "bin", applet));
    copyFileSync(docker, join(rootfs, "usr/local/bin/docker"));
    for (const library of sharedLibraries(docker)) {
      mkdirSync(join(rootfs, dirname(library)), { recursive: true });
      copyFileSync(library, join(rootfs, library));
    }
    execFileSync(
      "sh",
      [
        "-c",
        `tar -C "$0" -c . | docker import --change 'ENV PATH=/usr/local/bin:/bin' --change 'LABEL ${TEST_LABEL}=true' - "$1"`,
        rootfs,
        HOUSEKEEPING_TEST_IMAGE,
      ],
      { stdio: ["ignore", "ignore", "inherit"] },
    );
  } finally {
    rmSync(rootfs, { recursive: true, force: true });
  }
}
