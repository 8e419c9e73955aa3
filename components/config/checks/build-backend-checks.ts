/**
 * Checks of each runner's build backend (`dind.backend`, docs/build-backends.md):
 * where it can run, what a production stack must accept, and the settings of a
 * daemon of ours that cannot apply to it. A setting that cannot apply is an
 * error where it is set on the runner itself, and a warning when the runner
 * inherits it from its host, cluster or `defaults` (where it still applies to
 * the other runners).
 */
import { DEFAULTS } from "../../model/defaults.js";
import type { BuildBackendKind } from "../../model/fleet.js";
import { runnerImageOlderThan } from "../grammars/image-pinning.js";
import { configError, configWarning, type ConfigIssue } from "../messages/config-issue.js";
import { childPath } from "../messages/config-path.js";
import { effectiveSetting, originNote } from "../precedence/effective-setting.js";
import { runnerLevels, type RunnerLevels } from "../precedence/runner-levels.js";
import type { Salvaged } from "../schema/salvage.js";
import type { RunnerDindConfig } from "../schema/settings-schemas.js";
import type { StackConfig } from "../schema/stack-config-schema.js";
import { allRunnersOf, type RunnerEntry } from "../schema/stack-targets.js";

/** The runner's backend, or undefined when the level that decides it was invalid (reported already). */
export function runnerBackend(
  levels: RunnerLevels,
  prunedPaths: ReadonlySet<string>,
): BuildBackendKind | undefined {
  return effectiveSetting(levels.dind, "backend", DEFAULTS.dind.backend, prunedPaths)?.value;
}

/**
 * GitLab Runner applies `seccomp_profile` and `app_armor_profile` of a
 * container security context from 18.11.0 on (gitlab-runner commit babc199b3,
 * "Add seccomp and AppArmor profile support to Kubernetes executor security
 * context"); older managers ignore the keys, and rootless BuildKit then fails
 * under the default profiles.
 */
const BUILDKIT_KUBERNETES_RUNNER_VERSION = [18, 11, 0] as const;

/** Settings of a daemon of ours, each with why it cannot apply, per backend that cannot use it. */
type DaemonSetting = Exclude<
  keyof RunnerDindConfig,
  "backend" | "allowSocketInProduction" | "buildkitVersion" | "buildkitCacheMaxUsedSpace"
>;

const HOST_DAEMON = "the host's own Docker daemon serves socket jobs with its own settings";

const NOT_FOR_SOCKET: Partial<Record<DaemonSetting, string>> = {
  tls: `${HOST_DAEMON}; jobs reach it through its unix socket, without TLS`,
  storageDriver: HOST_DAEMON,
  insecureRegistries: `${HOST_DAEMON} (its daemon.json insecure-registries)`,
  registryMirrors: `${HOST_DAEMON} (its daemon.json registry-mirrors)`,
  mtu: `${HOST_DAEMON} (its daemon.json mtu)`,
  dns: `${HOST_DAEMON} (its daemon.json dns)`,
  dnsSearch: `${HOST_DAEMON} (its daemon.json dns-search)`,
  registryCertificates: `${HOST_DAEMON} (its /etc/docker/certs.d)`,
  privilegeMode:
    "socket runs nothing privileged; the socket already makes every job root on the host",
};

const NOT_FOR_BUILDKIT: Partial<Record<DaemonSetting, string>> = {
  tls: "the BuildKit service is reachable only from its own job (its network on a Docker host, its pod's loopback on Kubernetes), without TLS",
  storageDriver:
    "BuildKit has no Docker storage driver (rootless BuildKit picks its own snapshotter)",
  dns: "BuildKit's RUN steps use the service's own network and resolv.conf",
  dnsSearch: "BuildKit's RUN steps use the service's own network and resolv.conf",
  privilegeMode: "the buildkit backend runs nothing privileged",
};

/** Whether a value is what the stack would have without setting it. */
function isBuiltIn(key: DaemonSetting, value: unknown): boolean {
  return JSON.stringify(value) === JSON.stringify(DEFAULTS.dind[key]);
}

export function buildBackendIssues(
  config: Salvaged<StackConfig>,
  prunedPaths: ReadonlySet<string>,
): readonly ConfigIssue[] {
  const production = config.production === true;
  return allRunnersOf(config).flatMap((entry) => {
    const levels = runnerLevels(config, entry);
    const backend = effectiveSetting(levels.dind, "backend", DEFAULTS.dind.backend, prunedPaths);
    if (backend === undefined) return [];
    const path = childPath(childPath(entry.path, "dind"), "backend");
    switch (backend.value) {
      case "dind":
        return [];
      case "socket": {
        if (entry.owner.variant === "kubernetes") {
          return [
            configError(
              path,
              `expected "dind" or "buildkit" on Kubernetes, found "socket"${originNote(backend, path)}: a job pod has no Docker engine of the node to bind (nodes run containerd or CRI-O), and binding one would make every job root on the node`,
            ),
          ];
        }
        return [
          ...(production ? socketInProduction(entry, levels, prunedPaths, backend.setAt) : []),
          ...inapplicable(entry, levels, prunedPaths, "socket", NOT_FOR_SOCKET),
        ];
      }
      case "buildkit":
        return [
          ...inapplicable(entry, levels, prunedPaths, "buildkit", {
            ...NOT_FOR_BUILDKIT,
            ...(entry.owner.variant === "kubernetes"
              ? {
                  mtu: "on Kubernetes BuildKit's RUN steps use the pod's network, whose MTU the cluster's network plugin sets",
                }
              : {}),
          }),
          ...buildkitRunnerVersion(entry, config, path, backend.setAt),
        ];
      default: {
        const unexpected: never = backend.value;
        throw new Error(`unexpected backend ${String(unexpected)}`);
      }
    }
  });
}

/** Every socket job is root on the host: a production stack says so explicitly. */
function socketInProduction(
  entry: RunnerEntry,
  levels: RunnerLevels,
  prunedPaths: ReadonlySet<string>,
  setAt: string | undefined,
): ConfigIssue[] {
  const allowed = effectiveSetting(
    levels.dind,
    "allowSocketInProduction",
    DEFAULTS.dind.allowSocketInProduction,
    prunedPaths,
  );
  if (allowed === undefined || allowed.value) return [];
  const path = childPath(childPath(entry.path, "dind"), "backend");
  const optIn = (setAt ?? path).replace(/backend$/, "allowSocketInProduction");
  return [
    configError(
      path,
      `expected "dind" or "buildkit" in a production stack, found "socket"${setAt === undefined || setAt === path ? "" : ` (set at ${setAt})`}: every job of a socket runner is root on the host and sees every other job's containers; accept that with ${optIn}: true`,
    ),
  ];
}

function inapplicable(
  entry: RunnerEntry,
  levels: RunnerLevels,
  prunedPaths: ReadonlySet<string>,
  backend: BuildBackendKind,
  reasons: Partial<Record<DaemonSetting, string>>,
): ConfigIssue[] {
  const runnerDind = childPath(entry.path, "dind");
  return (Object.entries(reasons) as [DaemonSetting, string][]).flatMap(([key, reason]) => {
    const setting = effectiveSetting(levels.dind, key, DEFAULTS.dind[key] as never, prunedPaths);
    if (setting?.setAt === undefined || isBuiltIn(key, setting.value)) return [];
    const path = childPath(runnerDind, key);
    if (setting.setAt === path) {
      return [
        configError(
          path,
          `expected no ${key} on a runner with backend "${backend}", found ${JSON.stringify(setting.value)}: ${reason}; remove it`,
        ),
      ];
    }
    return [
      configWarning(
        path,
        `${key} (set at ${setting.setAt}) does not apply to this runner, whose backend is "${backend}": ${reason}; it is ignored here`,
      ),
    ];
  });
}

function buildkitRunnerVersion(
  entry: RunnerEntry,
  config: Salvaged<StackConfig>,
  path: string,
  setAt: string | undefined,
): ConfigIssue[] {
  if (entry.owner.variant !== "kubernetes") return [];
  const image = entry.owner.target.runnerImage ?? config.defaults?.runnerImage;
  if (image === undefined || !runnerImageOlderThan(image, BUILDKIT_KUBERNETES_RUNNER_VERSION)) {
    return [];
  }
  return [
    configError(
      path,
      `expected a cluster whose runnerImage is GitLab Runner ${BUILDKIT_KUBERNETES_RUNNER_VERSION.join(".")} or later for "buildkit"${setAt === undefined || setAt === path ? "" : ` (set at ${setAt})`}, found ${JSON.stringify(image)}: older runners ignore the service container's seccomp_profile and app_armor_profile, and rootless BuildKit cannot start under the default profiles`,
    ),
  ];
}
