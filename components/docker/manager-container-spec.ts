/**
 * The runner-manager container of a Docker host: one GitLab Runner process
 * serving every runner of the host.
 *
 * Nothing here depends on config.toml or on runner settings other than the job
 * timeout: a config-only change must leave this container's inputs identical, so
 * Pulumi neither replaces nor restarts it. The config directory is bind-mounted
 * as a directory (not the file), so a file replaced on the host is seen inside
 * and GitLab Runner reloads it by itself.
 */
import { PATHS } from "../model/defaults.js";
import type { DockerHost, Fleet } from "../model/fleet.js";
import { DOCKER_NAMES, ROLES } from "../model/names.js";
import { containerLabels } from "./container-labels.js";
import { bind, type ContainerSpec } from "./container-spec.js";

/** The host's engine socket: jobs and their dind services run next to the manager. */
export const DOCKER_SOCKET = "/var/run/docker.sock";

/**
 * Margin on top of the longest job: after the last job ends, GitLab Runner still
 * cleans up its containers and volumes (its default cleanup timeout is 5 minutes).
 */
export const STOP_MARGIN_SECONDS = 300;

/** Seconds Docker waits after SIGQUIT before it kills the manager. */
export function managerStopTimeoutSeconds(host: Pick<DockerHost, "runners">): number {
  const longestJob = Math.max(0, ...host.runners.map((runner) => runner.jobTimeoutSeconds));
  return longestJob + STOP_MARGIN_SECONDS;
}

export function managerContainerSpec(fleet: Fleet, host: DockerHost): ContainerSpec {
  return {
    name: DOCKER_NAMES.managerContainer,
    image: host.manager.runnerImage,
    restart: "unless-stopped",
    mustRun: true,
    attach: false,
    privileged: false,
    mounts: [bind(PATHS.hostConfigDir, PATHS.managerConfigDir), bind(DOCKER_SOCKET, DOCKER_SOCKET)],
    labels: containerLabels(fleet, host, ROLES.manager),
    // SIGQUIT is GitLab Runner's graceful stop: take no new jobs, finish running ones.
    stopSignal: "SIGQUIT",
    stopTimeout: managerStopTimeoutSeconds(host),
  };
}
