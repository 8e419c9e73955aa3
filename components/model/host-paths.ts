/**
 * Where the product's files live on a Docker host. Everything sits under the
 * host's `hostConfigDir` (default: `DEFAULTS.hostConfigDir` in defaults.ts), so one
 * setting moves it all, e.g. to a path Docker Desktop shares with its VM.
 */
import type { DockerHost, Runner } from "./fleet.js";
import { daemonJsonFileName } from "./names.js";

/** Subdirectories of `hostConfigDir`, each bound into a container as a whole. */
export const HOST_SUBDIRECTORIES = {
  /** config.toml and the GitLab CA; bound as the manager's config directory. */
  managerConfig: "gitlab-runner",
  /** One `<runner>.json` dind daemon config per runner; each bound into that runner's dind. */
  daemonJson: "dind",
} as const;

export interface DockerHostPaths {
  /** The host's `hostConfigDir`. */
  readonly root: string;
  /** Host directory bind-mounted as the manager's config directory. */
  readonly managerConfigDir: string;
  /** Host directory holding one `<runner>.json` dind daemon config per runner. */
  readonly daemonJsonDir: string;
}

export function dockerHostPaths(host: Pick<DockerHost, "hostConfigDir">): DockerHostPaths {
  const root = host.hostConfigDir;
  return {
    root,
    managerConfigDir: `${root}/${HOST_SUBDIRECTORIES.managerConfig}`,
    daemonJsonDir: `${root}/${HOST_SUBDIRECTORIES.daemonJson}`,
  };
}

/** Host path of a runner's daemon.json (written by deployment), bound read-only into its dind. */
export function daemonJsonHostPath(
  host: Pick<DockerHost, "hostConfigDir">,
  runner: Pick<Runner, "name">,
): string {
  return `${dockerHostPaths(host).daemonJsonDir}/${daemonJsonFileName(runner)}`;
}
