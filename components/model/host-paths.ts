/**
 * Where the product's files live on a Docker host. Everything sits under the
 * host's `hostConfigDir` (default: `DEFAULTS.hostConfigDir` in defaults.ts), so one
 * setting moves it all, e.g. to a path Docker Desktop shares with its VM.
 */
import type { DockerHost, Runner } from "./fleet.js";
import { buildkitdTomlFileName, daemonJsonFileName } from "./names.js";

/** Subdirectories of `hostConfigDir`, each bound into a container as a whole. */
export const HOST_SUBDIRECTORIES = {
  /** config.toml and the GitLab CA; bound as the manager's config directory. */
  managerConfig: "gitlab-runner",
  /** One `<runner>.json` dind daemon config per dind runner, one `<runner>.buildkitd.toml` per buildkit runner; each bound into that runner's service. */
  daemonJson: "dind",
  /** One `<runner>/<host[:port]>/ca.crt` tree per runner that trusts registry CAs; each bound as that runner's dind certs.d. */
  registryCertificates: "certs.d",
  /** The housekeeping container's record of when runner jobs last used a volume or image. */
  housekeeping: "housekeeping",
} as const;

export interface DockerHostPaths {
  /** The host's `hostConfigDir`. */
  readonly root: string;
  /** Host directory bind-mounted as the manager's config directory. */
  readonly managerConfigDir: string;
  /** Host directory holding one `<runner>.json` dind daemon config per runner. */
  readonly daemonJsonDir: string;
  /** Host directory holding one `<runner>/<host[:port]>/ca.crt` tree per runner. */
  readonly registryCertsDir: string;
  /** Host directory where the housekeeping container keeps its record of last uses. */
  readonly housekeepingStateDir: string;
}

export function dockerHostPaths(host: Pick<DockerHost, "hostConfigDir">): DockerHostPaths {
  const root = host.hostConfigDir;
  return {
    root,
    managerConfigDir: `${root}/${HOST_SUBDIRECTORIES.managerConfig}`,
    daemonJsonDir: `${root}/${HOST_SUBDIRECTORIES.daemonJson}`,
    registryCertsDir: `${root}/${HOST_SUBDIRECTORIES.registryCertificates}`,
    housekeepingStateDir: `${root}/${HOST_SUBDIRECTORIES.housekeeping}`,
  };
}

/** Host path of a runner's daemon.json (written by deployment), bound read-only into its dind. */
export function daemonJsonHostPath(
  host: Pick<DockerHost, "hostConfigDir">,
  runner: Pick<Runner, "name">,
): string {
  return `${dockerHostPaths(host).daemonJsonDir}/${daemonJsonFileName(runner)}`;
}

/** Host path of a `buildkit` runner's buildkitd.toml (written by deployment), bound read-only into its service. */
export function buildkitdTomlHostPath(
  host: Pick<DockerHost, "hostConfigDir">,
  runner: Pick<Runner, "name">,
): string {
  return `${dockerHostPaths(host).daemonJsonDir}/${buildkitdTomlFileName(runner)}`;
}

/**
 * Host directory of a runner's registry CAs (`<host[:port]>/ca.crt` each, written
 * by deployment), bound read-only as the runner's dind /etc/docker/certs.d.
 */
export function registryCertsHostPath(
  host: Pick<DockerHost, "hostConfigDir">,
  runner: Pick<Runner, "name">,
): string {
  return `${dockerHostPaths(host).registryCertsDir}/${runner.name}`;
}
