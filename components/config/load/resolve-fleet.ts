/**
 * Turns a valid stack config into the Fleet model: every default applied and every
 * precedence rule resolved. Precedence is fleet defaults < host or cluster < runner:
 * the most specific level that sets a field wins, and lists and maps are replaced
 * whole, never merged. Only called once every check has passed.
 */
import { DEFAULTS } from "../../model/defaults.js";
import type { RunnerRegistration } from "../../model/managed-runner.js";
import type {
  BuildBackend,
  ContainerResources,
  DindSettings,
  DockerEndpoint,
  DockerHost,
  ExtraHost,
  Fleet,
  JobPodSettings,
  KubernetesCluster,
  ManagerSettings,
  RegistryCertificate,
  Runner,
  SecretRef,
} from "../../model/fleet.js";
import { childPath } from "../messages/config-path.js";
import { parseDockerEndpoint } from "../grammars/docker-endpoint.js";
import { parseRunnerScope } from "../grammars/runner-scope.js";
import { API_TOKEN_PATH } from "../checks/secret-checks.js";
import { normalizedGitlabUrl } from "../grammars/gitlab-instance-fields.js";
import type { HousekeepingConfig } from "../schema/housekeeping-schema.js";
import type { ContainerResourcesConfig, JobPodsConfig } from "../schema/job-pod-schemas.js";
import { gitlabCaRegistries } from "../grammars/gitlab-registry.js";
import type { SecretValue } from "../grammars/secret-value.js";
import type {
  ManagerSettingsConfig,
  RunnerSettingsConfig,
  TargetDindConfig,
} from "../schema/settings-schemas.js";
import type {
  DockerHostConfig,
  FleetDefaultsConfig,
  KubernetesClusterConfig,
  RunnerConfig,
  StackConfig,
} from "../schema/stack-config-schema.js";
import { TARGET_SECTIONS } from "../schema/stack-targets.js";
import { resolveCache } from "./resolve-cache.js";

export interface ResolvedFleet {
  readonly fleet: Fleet;
  /** Plaintext of the secrets whose value is known (decrypted Pulumi config), by config path. */
  readonly secrets: ReadonlyMap<string, string>;
}

/** The settings a host or cluster can set for its manager and runners. */
type TargetConfig = ManagerSettingsConfig &
  RunnerSettingsConfig & { readonly dind?: TargetDindConfig };

/** What every level of the resolution needs. */
interface ResolveContext {
  readonly defaults: FleetDefaultsConfig;
  readonly secrets: SecretRefs;
  readonly environment: string;
  /** `gitlab.manageRunners`: each runner gets its registration. */
  readonly manageRunners: boolean;
  /** `gitlab.renewTokensAtPercent`, resolved. */
  readonly renewTokensAtPercent: number;
  /** The GitLab CA for each GitLab registry, when the stack sets `gitlab.caCertificate`. */
  readonly gitlabCa: readonly RegistryCertificate[];
}

/** Turns secret values into SecretRefs, keeping the plaintext ones aside. */
class SecretRefs {
  readonly plaintext = new Map<string, string>();

  ref(configPath: string, value: SecretValue | undefined): SecretRef {
    if (typeof value === "string") this.plaintext.set(configPath, value);
    return { kind: "secret", configPath };
  }
}

export function resolveFleet(config: StackConfig, environment: string): ResolvedFleet {
  const secrets = new SecretRefs();
  const url = normalizedGitlabUrl(config.gitlab.url);
  const { caCertificate, registryHost } = config.gitlab;
  const context: ResolveContext = {
    defaults: config.defaults ?? {},
    secrets,
    environment,
    manageRunners: config.gitlab.manageRunners === true,
    renewTokensAtPercent:
      config.gitlab.renewTokensAtPercent ?? DEFAULTS.managedRunner.renewTokensAtPercent,
    gitlabCa:
      caCertificate === undefined
        ? []
        : gitlabCaRegistries(url, registryHost).map((registry) => ({ registry, caCertificate })),
  };
  const fleet: Fleet = {
    environment,
    production: config.production ?? DEFAULTS.production,
    gitlab: {
      url,
      ...(caCertificate === undefined ? {} : { caCertificate }),
      ...(config.gitlab.manageRunners === true
        ? { runnerManagement: { apiToken: secrets.ref(API_TOKEN_PATH, config.gitlab.apiToken) } }
        : {}),
    },
    dockerHosts: (config.dockerHosts ?? []).map((host, index) =>
      resolveDockerHost(host, childPath(TARGET_SECTIONS.docker, index), context),
    ),
    kubernetesClusters: (config.kubernetesClusters ?? []).map((cluster, index) =>
      resolveCluster(cluster, childPath(TARGET_SECTIONS.kubernetes, index), context),
    ),
  };
  return { fleet, secrets: secrets.plaintext };
}

function resolveDockerHost(
  host: DockerHostConfig,
  path: string,
  context: ResolveContext,
): DockerHost {
  const { defaults, secrets } = context;
  const runners = resolveRunners(host, path, context);
  return {
    variant: "docker",
    name: host.name,
    endpoint: resolveEndpoint(host, path, secrets),
    manager: onDockerHost(resolveManager(host, defaults)),
    hostConfigDir: host.hostConfigDir ?? DEFAULTS.hostConfigDir,
    manageOverlayModule: resolveManageOverlayModule(host, defaults) && runsDind(runners),
    ...resolveHousekeeping(host.housekeeping),
    runners,
  };
}

/** Each field on its own: the host's, else the built-in one; nothing when switched off. */
function resolveHousekeeping(
  config: HousekeepingConfig | undefined,
): Pick<DockerHost, "housekeeping"> {
  const builtIn = DEFAULTS.housekeeping;
  if (!(config?.enabled ?? builtIn.enabled)) return {};
  return {
    housekeeping: {
      intervalSeconds: (config?.intervalMinutes ?? builtIn.intervalMinutes) * 60,
      cacheVolumeDays: config?.cacheVolumeDays ?? builtIn.cacheVolumeDays,
      exitedContainerHours: config?.exitedContainerHours ?? builtIn.exitedContainerHours,
      imageDays: config?.imageDays ?? builtIn.imageDays,
      minFreePercent: config?.minFreePercent ?? builtIn.minFreePercent,
      dockerDataRoot: config?.dockerDataRoot ?? builtIn.dockerDataRoot,
    },
  };
}

function resolveCluster(
  cluster: KubernetesClusterConfig,
  path: string,
  context: ResolveContext,
): KubernetesCluster {
  const { defaults } = context;
  const runners = resolveRunners(cluster, path, context);
  return {
    variant: "kubernetes",
    name: cluster.name,
    context: cluster.context,
    namespace: cluster.namespace ?? DEFAULTS.kubernetes.namespace,
    manager: resolveManager(cluster, defaults),
    manageOverlayModule: resolveManageOverlayModule(cluster, defaults) && runsDind(runners),
    managerAvoidsJobNodes:
      cluster.managerAvoidsJobNodes ?? DEFAULTS.kubernetes.managerAvoidsJobNodes,
    jobPods: resolveJobPods(cluster.jobPods, defaults.jobPods),
    prometheusOperator:
      cluster.monitoring?.prometheusOperator ?? DEFAULTS.kubernetes.prometheusOperator,
    runners,
  };
}

/** Each field on its own: the cluster's, else the fleet default's, else the built-in one. */
function resolveJobPods(
  cluster: JobPodsConfig | undefined,
  defaults: JobPodsConfig | undefined,
): JobPodSettings {
  const builtIn = DEFAULTS.kubernetes.jobPods;
  const nodeSelector = cluster?.nodeSelector ?? defaults?.nodeSelector ?? builtIn.nodeSelector;
  return {
    build: resolveResources(cluster?.build, defaults?.build, builtIn.build),
    helper: resolveResources(cluster?.helper, defaults?.helper, builtIn.helper),
    services: resolveResources(cluster?.services, defaults?.services, builtIn.services),
    dindStorageSizeLimit:
      cluster?.dindStorageSizeLimit ??
      defaults?.dindStorageSizeLimit ??
      builtIn.dindStorageSizeLimit,
    allowedServices:
      cluster?.allowedServices ?? defaults?.allowedServices ?? builtIn.allowedServices,
    nodeSelector: Object.entries(nodeSelector)
      .sort(([a], [b]) => compareText(a, b))
      .map(([key, value]) => ({ key, value })),
    tolerations: cluster?.tolerations ?? defaults?.tolerations ?? builtIn.tolerations,
  };
}

/** Each request and limit on its own, so setting one keeps the defaults of the others. */
function resolveResources(
  cluster: ContainerResourcesConfig | undefined,
  defaults: ContainerResourcesConfig | undefined,
  builtIn: ContainerResources,
): ContainerResources {
  const fields = RESOURCE_FIELDS.flatMap((field) => {
    const value = cluster?.[field] ?? defaults?.[field] ?? builtIn[field];
    return value === undefined ? [] : [[field, value] as const];
  });
  return Object.fromEntries(fields);
}

/** Every field of {@link ContainerResources}, in rendering order. */
export const RESOURCE_FIELDS = [
  "cpuRequest",
  "cpuLimit",
  "memoryRequest",
  "memoryLimit",
  "ephemeralStorageRequest",
  "ephemeralStorageLimit",
] as const satisfies readonly (keyof ContainerResources)[];

function resolveEndpoint(
  host: DockerHostConfig,
  path: string,
  secrets: SecretRefs,
): DockerEndpoint {
  const parsed = parseDockerEndpoint(host.endpoint);
  if (!parsed.ok) throw new Error(`internal: unchecked endpoint at ${path}`);
  const endpoint = parsed.endpoint;
  if (endpoint.kind !== "tcp") return endpoint;
  if (host.tls === undefined)
    throw new Error(`internal: unchecked tcp endpoint without tls at ${path}`);
  const tlsPath = childPath(path, "tls");
  return {
    ...endpoint,
    tls: {
      caCert: host.tls.caCert,
      clientCert: host.tls.clientCert,
      clientKey: secrets.ref(childPath(tlsPath, "clientKey"), host.tls.clientKey),
    },
  };
}

function resolveManager(target: TargetConfig, defaults: FleetDefaultsConfig): ManagerSettings {
  const listenAddress = target.listenAddress ?? defaults.listenAddress;
  return {
    runnerImage: target.runnerImage ?? defaults.runnerImage ?? DEFAULTS.runnerImage,
    concurrent: target.concurrent ?? defaults.concurrent ?? DEFAULTS.concurrent,
    checkInterval: target.checkInterval ?? defaults.checkInterval ?? DEFAULTS.checkInterval,
    shutdownTimeoutSeconds:
      target.shutdownTimeoutSeconds ??
      defaults.shutdownTimeoutSeconds ??
      DEFAULTS.shutdownTimeoutSeconds,
    ...(listenAddress === undefined ? {} : { listenAddress }),
  };
}

/**
 * The manager of a Docker host shares the host's network, so a `:port`
 * listener would serve /metrics, /debug/jobs/list and pprof on every host
 * interface (gitlab-runner commands/multi.go). There a port alone listens on
 * {@link DEFAULTS.dockerHostMetricsHost}; every interface takes an explicit
 * `0.0.0.0:port` or `[::]:port`. A cluster's manager keeps `:port`: its pod
 * network is not the node's, and Prometheus scrapes the pod IP.
 */
export function dockerHostListenAddress(listenAddress: string): string {
  return listenAddress.startsWith(":")
    ? `${DEFAULTS.dockerHostMetricsHost}${listenAddress}`
    : listenAddress;
}

function onDockerHost(manager: ManagerSettings): ManagerSettings {
  const { listenAddress } = manager;
  return listenAddress === undefined
    ? manager
    : { ...manager, listenAddress: dockerHostListenAddress(listenAddress) };
}

/**
 * Only dind's overlay2 needs the module loaded by us: rootless BuildKit picks
 * a snapshotter the kernel supports itself (moby/buildkit docs/rootless.md),
 * and socket jobs use the host's engine. Without a dind runner no privileged
 * helper container or DaemonSet is deployed.
 */
function runsDind(runners: readonly Runner[]): boolean {
  return runners.some((runner) => runner.backend.kind === "dind");
}

function resolveManageOverlayModule(target: TargetConfig, defaults: FleetDefaultsConfig): boolean {
  return (
    target.dind?.manageOverlayModule ??
    defaults.dind?.manageOverlayModule ??
    DEFAULTS.dind.manageOverlayModule
  );
}

function resolveRunners(
  target: TargetConfig & { readonly runners: readonly RunnerConfig[] },
  targetPath: string,
  context: ResolveContext,
): readonly Runner[] {
  const runnersPath = childPath(targetPath, "runners");
  return target.runners.map((runner, index) => {
    const runnerPath = childPath(runnersPath, index);
    const tokenPath = childPath(runnerPath, "token");
    const resolved = resolveRunner(
      runner,
      target,
      context,
      context.secrets.ref(tokenPath, runner.token),
    );
    const cache = resolveCache(
      [
        { path: runnerPath, cache: runner.cache },
        { path: targetPath, cache: target.cache },
        { path: "defaults", cache: context.defaults.cache },
      ],
      context.environment,
      (configPath, value) => context.secrets.ref(configPath, value),
    );
    const withCache = { ...resolved, cache };
    if (!context.manageRunners) return withCache;
    return {
      ...withCache,
      registration: resolveRegistration(runner, runnerPath, target, context),
    };
  });
}

function resolveRegistration(
  runner: RunnerConfig,
  configPath: string,
  target: TargetConfig,
  context: ResolveContext,
): RunnerRegistration {
  const defaults = context.defaults;
  const pick = <Key extends "runUntagged" | "locked" | "paused" | "accessLevel">(key: Key) =>
    runner[key] ?? target[key] ?? defaults[key] ?? DEFAULTS.managedRunner[key];
  const scope = parseRunnerScope(runner.scope ?? target.scope ?? defaults.scope);
  if (scope === undefined) throw new Error(`internal: unchecked scope of runner ${runner.name}`);
  return {
    configPath,
    scope,
    settings: {
      description: runner.description ?? defaultDescription(runner.name, context.environment),
      tags: [...new Set(runner.tags)].sort(compareText),
      runUntagged: pick("runUntagged"),
      locked: pick("locked"),
      paused: pick("paused"),
      accessLevel: pick("accessLevel"),
      maximumTimeout:
        runner.maximumTimeout ?? target.maximumTimeout ?? defaults.maximumTimeout ?? null,
    },
    ...(runner.rotateToken === undefined ? {} : { rotateToken: runner.rotateToken }),
    tokenRenewalShare: context.renewTokensAtPercent / 100,
  };
}

/** The description GitLab shows for a managed runner without one: its name and the stack. */
export function defaultDescription(runnerName: string, environment: string): string {
  return `${runnerName} (dind-runners ${environment})`;
}

function resolveRunner(
  runner: RunnerConfig,
  target: TargetConfig,
  context: ResolveContext,
  token: SecretRef,
): Omit<Runner, "cache"> {
  const { defaults } = context;
  const backend = resolveBackend(runner, target, context);
  const dind = resolveDind(runner, target, context, backend.kind);
  return {
    name: runner.name,
    tags: runner.tags,
    token,
    limit: runner.limit ?? target.limit ?? defaults.limit ?? DEFAULTS.limit,
    requestConcurrency:
      runner.requestConcurrency ??
      target.requestConcurrency ??
      defaults.requestConcurrency ??
      DEFAULTS.requestConcurrency,
    jobTimeoutSeconds:
      runner.jobTimeoutSeconds ??
      target.jobTimeoutSeconds ??
      defaults.jobTimeoutSeconds ??
      DEFAULTS.jobTimeoutSeconds,
    buildImage:
      runner.buildImage ??
      target.buildImage ??
      defaults.buildImage ??
      `docker:${dind.dockerVersion}-cli`,
    dind,
    backend,
  };
}

function resolveBackend(
  runner: RunnerConfig,
  target: TargetConfig,
  context: ResolveContext,
): BuildBackend {
  const [r, t, d] = [runner.dind, target.dind, context.defaults.dind];
  const kind = r?.backend ?? t?.backend ?? d?.backend ?? DEFAULTS.dind.backend;
  switch (kind) {
    case "dind":
    case "socket":
      return { kind };
    case "buildkit": {
      const version =
        r?.buildkitVersion ??
        t?.buildkitVersion ??
        d?.buildkitVersion ??
        DEFAULTS.dind.buildkitVersion;
      return {
        kind,
        image: `moby/buildkit:v${version}-rootless`,
        cacheMaxUsedSpace:
          r?.buildkitCacheMaxUsedSpace ??
          t?.buildkitCacheMaxUsedSpace ??
          d?.buildkitCacheMaxUsedSpace ??
          DEFAULTS.dind.buildkitCacheMaxUsedSpace,
      };
    }
    default: {
      const unexpected: never = kind;
      throw new Error(`unexpected backend ${String(unexpected)}`);
    }
  }
}

/**
 * A `socket` runner has no daemon of ours: the registry and daemon settings it
 * would inherit (the checks warn about them, and refuse them on the runner)
 * and the GitLab CA come from the host's own daemon, so none is rendered or
 * written for it.
 */
function resolveDind(
  runner: RunnerConfig,
  target: TargetConfig,
  context: ResolveContext,
  backend: BuildBackend["kind"],
): DindSettings {
  const settings = resolveDindSettings(runner, target, context);
  if (backend !== "socket") return settings;
  const rest: DindSettings = { ...settings };
  delete (rest as { mtu?: number }).mtu;
  return {
    ...rest,
    insecureRegistries: [],
    registryMirrors: [],
    dns: [],
    dnsSearch: [],
    registryCertificates: [],
  };
}

function resolveDindSettings(
  runner: RunnerConfig,
  target: TargetConfig,
  context: ResolveContext,
): DindSettings {
  // Most specific first; `??` takes a whole list or map from one level.
  const [r, t, d] = [runner.dind, target.dind, context.defaults.dind];
  const certificates =
    r?.registryCertificates ??
    t?.registryCertificates ??
    d?.registryCertificates ??
    DEFAULTS.dind.registryCertificates;
  const insecureRegistries =
    r?.insecureRegistries ??
    t?.insecureRegistries ??
    d?.insecureRegistries ??
    DEFAULTS.dind.insecureRegistries;
  const extraHosts = r?.extraHosts ?? t?.extraHosts ?? d?.extraHosts ?? DEFAULTS.dind.extraHosts;
  const mtu = r?.mtu ?? t?.mtu ?? d?.mtu ?? DEFAULTS.dind.mtu;
  return {
    dockerVersion:
      r?.dockerVersion ?? t?.dockerVersion ?? d?.dockerVersion ?? DEFAULTS.dind.dockerVersion,
    tls: r?.tls ?? t?.tls ?? d?.tls ?? DEFAULTS.dind.tls,
    storageDriver:
      r?.storageDriver ?? t?.storageDriver ?? d?.storageDriver ?? DEFAULTS.dind.storageDriver,
    insecureRegistries: [...insecureRegistries].sort(compareText),
    registryMirrors:
      r?.registryMirrors ??
      t?.registryMirrors ??
      d?.registryMirrors ??
      DEFAULTS.dind.registryMirrors,
    ...(mtu === undefined ? {} : { mtu }),
    dns: r?.dns ?? t?.dns ?? d?.dns ?? DEFAULTS.dind.dns,
    dnsSearch: r?.dnsSearch ?? t?.dnsSearch ?? d?.dnsSearch ?? DEFAULTS.dind.dnsSearch,
    registryCertificates: registryCertificateList(certificates, context.gitlabCa),
    extraHosts: extraHostList(extraHosts),
    privilegeMode:
      r?.privilegeMode ?? t?.privilegeMode ?? d?.privilegeMode ?? DEFAULTS.dind.privilegeMode,
  };
}

/** The stack's CAs, plus the GitLab CA for each GitLab registry the stack gives no CA of its own. */
function registryCertificateList(
  certificates: Readonly<Record<string, string>>,
  gitlabCa: readonly RegistryCertificate[],
): readonly RegistryCertificate[] {
  const explicit = Object.entries(certificates).map(([registry, caCertificate]) => ({
    registry,
    caCertificate,
  }));
  const named = new Set(explicit.map((certificate) => certificate.registry));
  return [...explicit, ...gitlabCa.filter((certificate) => !named.has(certificate.registry))].sort(
    (a, b) => compareText(a.registry, b.registry),
  );
}

function extraHostList(hosts: Readonly<Record<string, string>>): readonly ExtraHost[] {
  return Object.entries(hosts)
    .sort(([a], [b]) => compareText(a, b))
    .map(([hostname, ip]) => ({ hostname, ip }));
}

/** Code-unit order: the same on every machine, unlike localeCompare. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
