/**
 * The long-running housekeeping container of a Docker host: it removes what
 * GitLab Runner's Docker executor left behind and no longer uses (the script
 * in render/housekeeping-script.ts says what counts as GitLab Runner's).
 *
 * Unprivileged, with the host's engine socket like the manager (root-equivalent
 * through it, as the manager is). It runs the pinned `docker:<v>-cli` image of
 * the host's first runner: a docker CLI and BusyBox, nothing to build. The
 * engine's data root is mounted read-only only so `df` can measure it; the
 * record of last uses lives in a host directory so it outlives a replacement.
 */
import type { DockerHost, Fleet, HousekeepingSettings } from "../model/fleet.js";
import { dockerHostPaths } from "../model/host-paths.js";
import { DOCKER_NAMES, ROLES } from "../model/names.js";
import { cliImage, dindImage } from "../render/dind-connection.js";
import { HOUSEKEEPING_VARIABLES, housekeepingScript } from "../render/housekeeping-script.js";
import { containerLabels } from "./container-labels.js";
import { bind, hostDirectory, type ContainerSpec } from "./container-spec.js";
import { DOCKER_SOCKET, managerStopTimeoutSeconds } from "./manager-container-spec.js";

/** Where the script is uploaded in the container. */
export const HOUSEKEEPING_SCRIPT = "/housekeeping/housekeeping.sh";
/** Where the engine's data root is mounted read-only. */
export const HOUSEKEEPING_DATA_ROOT = "/host-docker-root";
/** Where the host's state directory is mounted. */
export const HOUSEKEEPING_STATE_DIR = "/var/lib/dind-runners-housekeeping";

/**
 * GitLab Runner's helper image repository
 * (helpers/container/helperimage/info.go `GitLabRegistryName`); its tag is
 * `[<flavor>-]<arch>-<revision>` (linux_info.go `Create`), the revision being
 * the runner's version tag for a release.
 */
export const HELPER_IMAGE_REPOSITORY =
  "registry.gitlab.com/gitlab-org/gitlab-runner/gitlab-runner-helper";

/**
 * Shell patterns of the image tags the stack pins on this host, never removed:
 * the runner, its helper (any flavour and architecture of the same version),
 * and each runner's dind and CLI images. Sorted, without duplicates.
 */
export function pinnedImagePatterns(host: DockerHost): readonly string[] {
  const runnerImage = host.manager.runnerImage;
  const version = runnerImage.slice(runnerImage.lastIndexOf(":") + 1);
  const patterns = new Set<string>([runnerImage, `${HELPER_IMAGE_REPOSITORY}:*-${version}`]);
  for (const runner of host.runners) {
    patterns.add(dindImage(runner.dind));
    patterns.add(cliImage(runner.dind));
    patterns.add(runner.buildImage);
  }
  return [...patterns].sort();
}

/** The container for a host, or undefined when the stack switches housekeeping off. */
export function housekeepingContainerSpec(
  fleet: Fleet,
  host: DockerHost,
): ContainerSpec | undefined {
  const settings = host.housekeeping;
  const firstRunner = host.runners[0];
  if (settings === undefined || firstRunner === undefined) return undefined;
  return {
    name: DOCKER_NAMES.housekeepingContainer,
    image: cliImage(firstRunner.dind),
    restart: "unless-stopped",
    mustRun: true,
    attach: false,
    privileged: false,
    mounts: [
      bind(DOCKER_SOCKET, DOCKER_SOCKET),
      bind(settings.dockerDataRoot, HOUSEKEEPING_DATA_ROOT, true),
    ],
    volumes: [hostDirectory(dockerHostPaths(host).housekeepingStateDir, HOUSEKEEPING_STATE_DIR)],
    labels: containerLabels(fleet, host, ROLES.housekeeping),
    entrypoints: ["/bin/sh"],
    command: [HOUSEKEEPING_SCRIPT],
    envs: housekeepingEnvironment(fleet.environment, host, settings),
    uploads: [{ file: HOUSEKEEPING_SCRIPT, content: housekeepingScript(), executable: true }],
    // The script traps SIGTERM and exits at once: a pass left half-way is simply redone.
    stopSignal: "SIGTERM",
    stopTimeout: 10,
  };
}

/** `NAME=value` of every variable the script reads (all but the test-only clock). */
export function housekeepingEnvironment(
  fleetEnvironment: string,
  host: DockerHost,
  settings: HousekeepingSettings,
): string[] {
  const v = HOUSEKEEPING_VARIABLES;
  return [
    `${v.intervalSeconds}=${settings.intervalSeconds}`,
    `${v.cacheVolumeDays}=${settings.cacheVolumeDays}`,
    `${v.exitedContainerHours}=${settings.exitedContainerHours}`,
    `${v.imageDays}=${settings.imageDays}`,
    `${v.minFreePercent}=${settings.minFreePercent}`,
    `${v.longestJobSeconds}=${managerStopTimeoutSeconds(host)}`,
    `${v.keepImages}=${pinnedImagePatterns(host).join(" ")}`,
    `${v.stateDir}=${HOUSEKEEPING_STATE_DIR}`,
    `${v.dataRoot}=${HOUSEKEEPING_DATA_ROOT}`,
    `${v.environment}=${fleetEnvironment}`,
    `${v.target}=${host.name}`,
  ];
}
