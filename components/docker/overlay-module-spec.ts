/**
 * The one-shot privileged helper that checks the kernel, loads the `overlay`
 * module only if the kernel lacks it (with the host's modprobe) and persists
 * it in /etc/modules-load.d, by running the rendered prepare-host.sh. It is the only privileged container this product creates
 * itself; it uses the dind image the host pulls for jobs anyway.
 */
import type { DockerHost, Fleet } from "../model/fleet.js";
import { DOCKER_NAMES, ROLES } from "../model/names.js";
import { dindImage } from "../render/dind-connection.js";
import {
  HELPER_HOST_ROOT,
  HOST_ROOT_VARIABLE,
  MODULES_LOAD_DIR_VARIABLE,
  prepareHostScript,
} from "../render/host-preparation.js";
import { containerLabels } from "./container-labels.js";
import { bind, hostDirectory, type ContainerSpec } from "./container-spec.js";

/** Where the host's /etc/modules-load.d is mounted inside the helper. */
export const HOST_MODULES_LOAD_DIR = "/host/etc/modules-load.d";
const SCRIPT = "/prepare/prepare-host.sh";

/** The helper for a host, or undefined when the host manages the module itself. */
export function overlayModuleSpec(fleet: Fleet, host: DockerHost): ContainerSpec | undefined {
  const firstRunner = host.runners[0];
  if (!host.manageOverlayModule || firstRunner === undefined) return undefined;
  return {
    name: DOCKER_NAMES.overlayModuleContainer,
    image: dindImage(firstRunner.dind),
    restart: "no",
    mustRun: false,
    attach: true,
    // Loading a kernel module needs CAP_SYS_MODULE; only this helper gets it.
    privileged: true,
    // The host's root, read-only: when overlay is missing the script loads it
    // with the host's own modprobe (chroot), which reads the host's modules in
    // whatever compression the host's kmod understands.
    mounts: [bind("/", HELPER_HOST_ROOT, true)],
    // Not every distribution ships /etc/modules-load.d; the script fills it.
    volumes: [hostDirectory("/etc/modules-load.d", HOST_MODULES_LOAD_DIR)],
    labels: containerLabels(fleet, host, ROLES.overlayModule),
    entrypoints: ["/bin/sh"],
    command: [SCRIPT],
    envs: [
      `${MODULES_LOAD_DIR_VARIABLE}=${HOST_MODULES_LOAD_DIR}`,
      `${HOST_ROOT_VARIABLE}=${HELPER_HOST_ROOT}`,
    ],
    uploads: [{ file: SCRIPT, content: prepareHostScript(), executable: true }],
  };
}
