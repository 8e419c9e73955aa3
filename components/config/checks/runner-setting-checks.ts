/**
 * Checks of the settings each runner ends up with after precedence, reported at
 * the runner's path with the place where the value was set.
 */
import { DEFAULTS } from "../../model/defaults.js";
import { configError, configWarning, type ConfigIssue } from "../messages/config-issue.js";
import { childPath } from "../messages/config-path.js";
import { mirrorPathProblem } from "../grammars/dind-daemon-fields.js";
import { gitlabCaRegistries, registryAddressOf } from "../grammars/gitlab-registry.js";
import { effectiveSetting, originNote } from "../precedence/effective-setting.js";
import { runnerLevels, type RunnerLevels } from "../precedence/runner-levels.js";
import type { Salvaged } from "../schema/salvage.js";
import type { StackConfig } from "../schema/stack-config-schema.js";
import { allRunnersOf, type RunnerEntry } from "../schema/stack-targets.js";
import { runnerBackend } from "./build-backend-checks.js";

export function runnerSettingIssues(
  config: Salvaged<StackConfig>,
  prunedPaths: ReadonlySet<string>,
): readonly ConfigIssue[] {
  const production = config.production === true;
  return allRunnersOf(config).flatMap((entry) => {
    const levels = runnerLevels(config, entry);
    // The checks of dind's own daemon only where a runner runs one; what
    // cannot apply to other backends is reported by build-backend-checks.ts.
    const backend = runnerBackend(levels, prunedPaths);
    const dind = backend === "dind";
    const checks = [
      dind ? kubernetesDindTls(entry, levels, prunedPaths) : undefined,
      dind ? dockerDindTls(entry, levels, prunedPaths) : undefined,
      production && dind ? privilegedJobsInProduction(entry, levels, prunedPaths) : undefined,
      dind ? slowStorageDriver(entry, levels, prunedPaths) : undefined,
      ...(dind ? mirrorPathsForDockerVersion(entry, levels, prunedPaths) : []),
      // BuildKit, too, skips verification for a registry it treats as insecure.
      ...(dind || backend === "buildkit"
        ? insecureAndTrusted(entry, levels, prunedPaths, gitlabCaRegistriesOf(config))
        : []),
      limitAboveConcurrent(entry, levels, prunedPaths),
    ];
    return checks.filter((issue) => issue !== undefined);
  });
}

/** On Kubernetes, dind without TLS is an unauthenticated root-equivalent API on the pod network. */
function kubernetesDindTls(
  entry: RunnerEntry,
  levels: RunnerLevels,
  prunedPaths: ReadonlySet<string>,
): ConfigIssue | undefined {
  if (entry.owner.variant !== "kubernetes") return undefined;
  const tls = effectiveSetting(levels.dind, "tls", DEFAULTS.dind.tls, prunedPaths);
  if (tls?.value !== false) return undefined;
  const path = childPath(childPath(entry.path, "dind"), "tls");
  return configError(
    path,
    `expected true on Kubernetes, found false${originNote(tls, path)}: without TLS the dind service listens on the pod IP, reachable from the whole cluster network, and serves an unauthenticated, root-equivalent Docker API`,
  );
}

/**
 * On a Docker host, dind without TLS serves an unauthenticated, root-equivalent
 * API on 2375 (docker-library dockerd-entrypoint.sh listens on 0.0.0.0), and
 * on the engine's shared default bridge every other job on the host reaches it
 * (gitlab-runner executors/docker/internal/networks/manager.go `Create`: no
 * network of its own without FF_NETWORK_PER_BUILD). Secure by default, in
 * every stack: only an explicit `allowUnauthenticatedApi: true` accepts it,
 * and such a runner then gets a network per job (docker-job-network.ts).
 */
function dockerDindTls(
  entry: RunnerEntry,
  levels: RunnerLevels,
  prunedPaths: ReadonlySet<string>,
): ConfigIssue | undefined {
  if (entry.owner.variant !== "docker") return undefined;
  const tls = effectiveSetting(levels.dind, "tls", DEFAULTS.dind.tls, prunedPaths);
  if (tls?.value !== false) return undefined;
  const allowed = effectiveSetting(
    levels.dind,
    "allowUnauthenticatedApi",
    DEFAULTS.dind.allowUnauthenticatedApi,
    prunedPaths,
  );
  // An invalid allowUnauthenticatedApi is reported already.
  if (allowed === undefined || allowed.value) return undefined;
  const path = childPath(childPath(entry.path, "dind"), "tls");
  // The opt-out belongs next to the `tls: false` it accepts.
  const optOut = (tls.setAt ?? path).replace(/tls$/, "allowUnauthenticatedApi");
  return configError(
    path,
    `expected true on a Docker host, found false${originNote(tls, path)}: without TLS the dind service serves an unauthenticated, root-equivalent Docker API on port 2375; keep tls: true, or accept that with ${optOut}: true (each job then gets a network of its own, so other jobs on the host cannot reach it)`,
  );
}

/** Secure by default: a production stack never runs every job container privileged. */
function privilegedJobsInProduction(
  entry: RunnerEntry,
  levels: RunnerLevels,
  prunedPaths: ReadonlySet<string>,
): ConfigIssue | undefined {
  const mode = effectiveSetting(
    levels.dind,
    "privilegeMode",
    DEFAULTS.dind.privilegeMode,
    prunedPaths,
  );
  if (mode?.value !== "all") return undefined;
  const path = childPath(childPath(entry.path, "dind"), "privilegeMode");
  return configError(
    path,
    `expected "services-only" in a production stack, found "all"${originNote(mode, path)}: "all" runs every job container privileged, so any job can take over its host; only the dind service needs privileges`,
  );
}

function slowStorageDriver(
  entry: RunnerEntry,
  levels: RunnerLevels,
  prunedPaths: ReadonlySet<string>,
): ConfigIssue | undefined {
  const driver = effectiveSetting(
    levels.dind,
    "storageDriver",
    DEFAULTS.dind.storageDriver,
    prunedPaths,
  );
  if (driver?.value !== "vfs") return undefined;
  const path = childPath(childPath(entry.path, "dind"), "storageDriver");
  return configWarning(
    path,
    `storage driver "vfs"${originNote(driver, path)} copies every image layer in full: builds are slow and use much more disk; prefer "overlay2" wherever the kernel supports overlay (Linux 4.0 or later; manageOverlayModule loads the module)`,
  );
}

/**
 * A mirror URL with a path is valid from Docker 25.0 only: whether dind starts
 * depends on the runner's Docker version, which may be set at another level.
 */
function mirrorPathsForDockerVersion(
  entry: RunnerEntry,
  levels: RunnerLevels,
  prunedPaths: ReadonlySet<string>,
): readonly ConfigIssue[] {
  const mirrors = effectiveSetting(
    levels.dind,
    "registryMirrors",
    DEFAULTS.dind.registryMirrors,
    prunedPaths,
  );
  const version = effectiveSetting(
    levels.dind,
    "dockerVersion",
    DEFAULTS.dind.dockerVersion,
    prunedPaths,
  );
  if (mirrors === undefined || version === undefined) return [];
  const path = childPath(childPath(entry.path, "dind"), "registryMirrors");
  const notes = [
    mirrors.setAt === undefined || mirrors.setAt === path ? undefined : `set at ${mirrors.setAt}`,
    version.setAt === undefined ? undefined : `dockerVersion set at ${version.setAt}`,
  ].filter((note) => note !== undefined);
  const origin = notes.length === 0 ? "" : ` (${notes.join("; ")})`;
  return mirrors.value.flatMap((mirror, index) => {
    // An invalid entry was cut out and is reported already.
    const problem =
      mirror === undefined ? undefined : mirrorPathProblem(mirror, version.value, origin);
    return problem === undefined ? [] : [configError(childPath(path, index), problem)];
  });
}

/** The registries the GitLab CA is trusted for, each with the config path that makes it so. */
function gitlabCaRegistriesOf(config: Salvaged<StackConfig>): ReadonlyMap<string, string> {
  const gitlab = config.gitlab;
  if (gitlab?.url === undefined || gitlab.caCertificate === undefined) return new Map();
  const reason = gitlab.registryHost === undefined ? "gitlab.url" : "gitlab.registryHost";
  return new Map(
    gitlabCaRegistries(gitlab.url, gitlab.registryHost).map((registry) => [
      registry,
      registry === registryAddressOf(gitlab.url ?? "") ? "gitlab.url" : reason,
    ]),
  );
}

/**
 * dockerd skips certificate verification for an insecure registry and never
 * loads its certs.d CA (moby daemon/pkg/registry/registry.go `newTLSConfig`:
 * InsecureSkipVerify, and the CA only when the registry is secure), so a
 * registry that is both would look verified while it is not.
 */
function insecureAndTrusted(
  entry: RunnerEntry,
  levels: RunnerLevels,
  prunedPaths: ReadonlySet<string>,
  gitlabCa: ReadonlyMap<string, string>,
): readonly ConfigIssue[] {
  const insecure = effectiveSetting(
    levels.dind,
    "insecureRegistries",
    DEFAULTS.dind.insecureRegistries,
    prunedPaths,
  );
  const trusted = effectiveSetting(
    levels.dind,
    "registryCertificates",
    DEFAULTS.dind.registryCertificates,
    prunedPaths,
  );
  if (insecure === undefined || trusted === undefined) return [];
  const path = childPath(childPath(entry.path, "dind"), "insecureRegistries");
  return insecure.value.flatMap((registry, index) => {
    if (registry === undefined) return [];
    const certificatePath =
      registry in trusted.value
        ? `${trusted.setAt}[${JSON.stringify(registry)}]`
        : gitlabCa.has(registry)
          ? `gitlab.caCertificate, trusted for GitLab's registry ${registry} (from ${gitlabCa.get(registry)})`
          : undefined;
    if (certificatePath === undefined) return [];
    return [
      configError(
        childPath(path, index),
        `expected a registry that is either insecure or trusted with a CA, found ${JSON.stringify(registry)}${originNote(insecure, path)} with a CA at ${certificatePath}; dockerd skips certificate checks for an insecure registry and ignores its CA: remove it from insecureRegistries to have it verified`,
      ),
    ];
  });
}

/** A limit above the manager's `concurrent` can never be reached; likely a mix-up of the two. */
function limitAboveConcurrent(
  entry: RunnerEntry,
  levels: RunnerLevels,
  prunedPaths: ReadonlySet<string>,
): ConfigIssue | undefined {
  const limit = effectiveSetting(levels.runner, "limit", DEFAULTS.limit, prunedPaths);
  const concurrent = effectiveSetting(
    levels.manager,
    "concurrent",
    DEFAULTS.concurrent,
    prunedPaths,
  );
  if (limit === undefined || concurrent === undefined || limit.value <= concurrent.value) {
    return undefined;
  }
  const path = childPath(entry.path, "limit");
  const owner = entry.owner.variant === "docker" ? "Docker host" : "cluster";
  return configWarning(
    path,
    `limit ${limit.value}${originNote(limit, path)} is above the ${owner}'s concurrent ${concurrent.value}${originNote(concurrent, path)}, which caps all its runners together; this runner never runs more than ${concurrent.value} jobs at once`,
  );
}
