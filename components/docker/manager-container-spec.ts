/**
 * The runner-manager container of a Docker host: one GitLab Runner process
 * serving every runner of the host.
 *
 * Nothing here depends on config.toml content GitLab Runner reloads by itself
 * (runners, limits, dind settings, `concurrent`, ...): a config-only change must
 * leave this container's inputs identical, so Pulumi neither replaces nor
 * restarts it. The config directory is bind-mounted as a directory (not the
 * file), so a file renamed into place on the host is seen inside and GitLab
 * Runner reloads it by itself. Two inputs are deliberate exceptions:
 * - the stop timeout follows the longest job timeout (graceful stop must outlast
 *   a running job);
 * - the metrics `listen_address`: GitLab Runner opens that listener only at
 *   start and never on reload, so a change must restart the manager; it travels
 *   as `LISTEN_ADDRESS` (GitLab Runner's own variable for the same setting) and
 *   a change of it replaces the container.
 */
import { PATHS } from "../model/defaults.js";
import type { DockerHost, Fleet } from "../model/fleet.js";
import { dockerHostPaths } from "../model/host-paths.js";
import { DOCKER_NAMES, ROLES } from "../model/names.js";
import { containerLabels } from "./container-labels.js";
import { bind, type ContainerSpec } from "./container-spec.js";

/** The host's engine socket: jobs and their dind services run next to the manager. */
export const DOCKER_SOCKET = "/var/run/docker.sock";

/** GitLab Runner's environment variable for `--listen-address` (same meaning as `listen_address`). */
export const LISTEN_ADDRESS_VARIABLE = "LISTEN_ADDRESS";

/**
 * Margin on top of the longest job: after a job ends (or hits its timeout),
 * GitLab Runner's Docker executor still removes the job's containers and
 * volumes, and gives that cleanup up to 5 minutes (`dockerCleanupTimeout`).
 */
export const STOP_MARGIN_SECONDS = 300;

/** Seconds Docker waits after SIGQUIT before it kills the manager. */
export function managerStopTimeoutSeconds(host: Pick<DockerHost, "runners">): number {
  const longestJob = Math.max(0, ...host.runners.map((runner) => runner.jobTimeoutSeconds));
  return longestJob + STOP_MARGIN_SECONDS;
}

export function managerContainerSpec(fleet: Fleet, host: DockerHost): ContainerSpec {
  const { listenAddress } = host.manager;
  return {
    name: DOCKER_NAMES.managerContainer,
    image: host.manager.runnerImage,
    restart: "unless-stopped",
    mustRun: true,
    attach: false,
    privileged: false,
    // The host's network: `listen_address` (e.g. `:9252`) then means what it says on
    // the host, as for a runner installed there, with no port to publish. The
    // manager gains nothing by it: with the engine socket it is root-equivalent already.
    networkMode: "host",
    // `mounts` (must exist): the config writer, which runs first, created the
    // directory; were it missing, the manager must not start on an empty one.
    mounts: [
      bind(dockerHostPaths(host).managerConfigDir, PATHS.managerConfigDir),
      bind(DOCKER_SOCKET, DOCKER_SOCKET),
    ],
    labels: containerLabels(fleet, host, ROLES.manager),
    ...(listenAddress === undefined
      ? {}
      : { envs: [`${LISTEN_ADDRESS_VARIABLE}=${listenAddress}`] }),
    // SIGQUIT is GitLab Runner's graceful stop: take no new jobs, finish running ones.
    stopSignal: "SIGQUIT",
    stopTimeout: managerStopTimeoutSeconds(host),
  };
}
