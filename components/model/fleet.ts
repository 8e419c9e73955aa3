/**
 * The resolved fleet model: what one environment (one Pulumi stack) deploys.
 *
 * Everything here is plain data with every default applied and every precedence
 * rule (fleet defaults < host or cluster < runner) already resolved, so renderers
 * never look anything up twice. Secret values are never part of the model: a
 * secret field holds a {@link SecretRef} and the caller decides what text to put
 * in its place (the plaintext inside `pulumi up`, a redaction marker in `render`).
 */
import type { RunnerCache } from "./cache.js";
import type { RunnerRegistration } from "./managed-runner.js";

/** A value that must stay a Pulumi secret; pure code only knows where it came from. */
export interface SecretRef {
  readonly kind: "secret";
  /** Config path of the value inside the stack config, e.g. `dockerHosts[0].runners[1].token`. */
  readonly configPath: string;
}

/** Who may run privileged containers: only the dind service, or every job container. */
export type PrivilegeMode = "services-only" | "all";

/**
 * Storage drivers the dind daemon may use; `overlay2` is the only fast one. No
 * `fuse-overlayfs`: the `docker:<version>-dind` image has no binary for it.
 */
export type StorageDriver = "overlay2" | "vfs";

/** One `hostname -> IP` entry the dind daemon and the job containers must resolve. */
export interface ExtraHost {
  readonly hostname: string;
  readonly ip: string;
}

/** A registry dind trusts through a CA: `/etc/docker/certs.d/<registry>/ca.crt` in the dind service. */
export interface RegistryCertificate {
  /** `host[:port]` exactly as image references name the registry. */
  readonly registry: string;
  /** PEM of the CA (public). */
  readonly caCertificate: string;
}

/**
 * How a runner's jobs build images: its own dind service (`dind`), the host
 * engine's socket bound into the job (`socket`, Docker hosts only), or a
 * rootless BuildKit service (`buildkit`). The registry settings of
 * {@link DindSettings} apply to `dind` (daemon.json) and `buildkit`
 * (buildkitd.toml); `socket` takes them from the host's own daemon.
 */
export type BuildBackend =
  | { readonly kind: "dind" }
  | { readonly kind: "socket" }
  | {
      readonly kind: "buildkit";
      /** Pinned rootless BuildKit image, `moby/buildkit:v<x.y.z>-rootless`. */
      readonly image: string;
      /** Most disk BuildKit's cache may use before its garbage collector frees it (buildkitd.toml `maxUsedSpace`). */
      readonly cacheMaxUsedSpace: string;
    };

/** The backend names, as the stack config spells them. */
export type BuildBackendKind = BuildBackend["kind"];

/** Resolved Docker-in-Docker settings of one runner. */
export interface DindSettings {
  /** Pinned Docker version: the service is `docker:<v>-dind`, the default job image `docker:<v>-cli`. */
  readonly dockerVersion: string;
  /** Whether dind serves its API with TLS on 2376 (true) or plain on 2375 (false). */
  readonly tls: boolean;
  readonly storageDriver: StorageDriver;
  /** `host[:port]` entries, no scheme, sorted. */
  readonly insecureRegistries: readonly string[];
  /** Mirror URLs (http or https), in the order given. */
  readonly registryMirrors: readonly string[];
  /** MTU of dind's default bridge and of the networks it creates; absent: dockerd's 1500. */
  readonly mtu?: number;
  /** DNS server addresses of the containers dind starts, in order; empty: dind's resolv.conf. */
  readonly dns: readonly string[];
  /** DNS search domains of the containers dind starts, in order. */
  readonly dnsSearch: readonly string[];
  /** CAs dind trusts per registry, the GitLab CA for GitLab's registries included; sorted by registry. */
  readonly registryCertificates: readonly RegistryCertificate[];
  /** Sorted by hostname. */
  readonly extraHosts: readonly ExtraHost[];
  readonly privilegeMode: PrivilegeMode;
}

/** Settings of one runner manager process (one config.toml): a Docker host or a cluster. */
export interface ManagerSettings {
  /** Pinned runner manager image, e.g. `gitlab/gitlab-runner:v19.3.0`. */
  readonly runnerImage: string;
  /** config.toml `concurrent`. */
  readonly concurrent: number;
  /** config.toml `check_interval`, seconds. */
  readonly checkInterval: number;
  /** config.toml `shutdown_timeout`, seconds. */
  readonly shutdownTimeoutSeconds: number;
  /** config.toml `listen_address` for Prometheus metrics; absent means no metrics listener. */
  readonly listenAddress?: string;
}

/** One GitLab runner (one `[[runners]]` entry) with its dind settings resolved. */
export interface Runner {
  /** Unique across the fleet; config.toml `name`. */
  readonly name: string;
  /** The runner's tags in GitLab (config.toml has none): set there by `pulumi up` with `gitlab.manageRunners`, else informational. */
  readonly tags: readonly string[];
  /** The `glrt-` runner authentication token. */
  readonly token: SecretRef;
  /** config.toml `limit`; 0 means no per-runner limit. */
  readonly limit: number;
  /** config.toml `request_concurrency`. */
  readonly requestConcurrency: number;
  /** Longest job this runner runs, seconds; bounds graceful stop of the manager. */
  readonly jobTimeoutSeconds: number;
  /** Default job image (`[runners.docker] image` / `[runners.kubernetes] image`). */
  readonly buildImage: string;
  readonly dind: DindSettings;
  /** `[runners.cache]`: the distributed cache, or `none` (see cache.ts). */
  readonly cache: RunnerCache;
  /** How jobs build images; `dind` unless the stack says otherwise. */
  readonly backend: BuildBackend;
  /** What GitLab is told about the runner; present only when `pulumi up` manages it (`gitlab.manageRunners`). */
  readonly registration?: RunnerRegistration;
}

/** How Pulumi's Docker provider reaches a Docker host. */
export type DockerEndpoint =
  | { readonly kind: "unix"; readonly url: string; readonly socketPath: string }
  | {
      readonly kind: "ssh";
      readonly url: string;
      readonly user: string;
      readonly host: string;
      readonly port?: number;
    }
  | {
      readonly kind: "tcp";
      readonly url: string;
      readonly host: string;
      readonly port: number;
      readonly tls: DockerTlsMaterial;
    };

/** Client TLS material for a `tcp://` Docker endpoint. */
export interface DockerTlsMaterial {
  /** PEM of the CA that signed the daemon's certificate (public). */
  readonly caCert: string;
  /** PEM of the client certificate (public). */
  readonly clientCert: string;
  /** PEM of the client key: always a secret. */
  readonly clientKey: SecretRef;
}

/**
 * What the housekeeping container of a Docker host removes of GitLab Runner's
 * objects (cache volumes, exited containers, images its jobs used), and when.
 */
export interface HousekeepingSettings {
  /** Seconds between two passes. */
  readonly intervalSeconds: number;
  /** A runner cache volume no container used for this many days is removed. */
  readonly cacheVolumeDays: number;
  /** A runner container that exited this many hours ago is removed. */
  readonly exitedContainerHours: number;
  /** An image runner jobs used, unused by any container for this many days, is removed (pinned images never). */
  readonly imageDays: number;
  /** Below this share of free space on the engine's data root, the oldest removable objects go first, whatever their age; 0: off. */
  readonly minFreePercent: number;
  /** The engine's data root on the host (`docker info` `DockerRootDir`), mounted read-only to measure free space. */
  readonly dockerDataRoot: string;
}

/** A Docker host running one runner-manager container that serves several runners. */
export interface DockerHost {
  /** Discriminant of {@link ManagerTarget}: runners of a Docker host use the docker executor. */
  readonly variant: "docker";
  readonly name: string;
  readonly endpoint: DockerEndpoint;
  readonly manager: ManagerSettings;
  /** Absolute directory on the host holding everything the product writes there (see host-paths.ts). */
  readonly hostConfigDir: string;
  /** Load the `overlay` kernel module and persist it across reboots (only with a `dind` runner). */
  readonly manageOverlayModule: boolean;
  /** The housekeeping container's settings; absent when the stack switches housekeeping off. */
  readonly housekeeping?: HousekeepingSettings;
  readonly runners: readonly Runner[];
}

/**
 * Kubernetes resource requests and limits of one kind of job-pod container,
 * as Kubernetes quantities (`500m`, `2`, `1Gi`); absent means none.
 */
export interface ContainerResources {
  readonly cpuRequest?: string;
  readonly cpuLimit?: string;
  readonly memoryRequest?: string;
  readonly memoryLimit?: string;
  readonly ephemeralStorageRequest?: string;
  readonly ephemeralStorageLimit?: string;
}

/** Effects a node taint can have; a toleration without one tolerates every effect. */
export type TaintEffect = "NoSchedule" | "PreferNoSchedule" | "NoExecute";

/** A node taint job pods tolerate: `key=value:effect`, or any value of `key` when `value` is absent. */
export interface Toleration {
  readonly key: string;
  readonly value?: string;
  readonly effect?: TaintEffect;
}

/** Resources, placement and admission of a cluster's job pods (the same for each of its runners). */
export interface JobPodSettings {
  /** The job's build container. */
  readonly build: ContainerResources;
  /** GitLab Runner's helper container (git clone, artifacts, cache). */
  readonly helper: ContainerResources;
  /** Every service container: the dind service and any service a job declares. */
  readonly services: ContainerResources;
  /** Size limit of the dind service's `/var/lib/docker` volume, a quantity. */
  readonly dindStorageSizeLimit: string;
  /** Service images jobs may declare on top of the pinned dind image (glob patterns). */
  readonly allowedServices: readonly string[];
  /** Node labels a job pod's node must have, sorted by key. */
  readonly nodeSelector: readonly { readonly key: string; readonly value: string }[];
  /** Taints job pods tolerate, in the order given. */
  readonly tolerations: readonly Toleration[];
}

/** A Kubernetes cluster (one kubeconfig context) running one runner-manager Deployment. */
export interface KubernetesCluster {
  /** Discriminant of {@link ManagerTarget}: runners of a cluster use the kubernetes executor. */
  readonly variant: "kubernetes";
  readonly name: string;
  /** kubeconfig context Pulumi's Kubernetes provider uses. */
  readonly context: string;
  /** Namespace of the manager and of the job pods. */
  readonly namespace: string;
  readonly manager: ManagerSettings;
  /** Deploy the DaemonSet that loads the `overlay` module on every node (only with a `dind` runner). */
  readonly manageOverlayModule: boolean;
  /** Keep the manager pod off every node running a GitLab Runner job pod, and job pods off its node. */
  readonly managerAvoidsJobNodes: boolean;
  /** Resources, placement and admission of the job pods. */
  readonly jobPods: JobPodSettings;
  /** The cluster runs the Prometheus Operator: deploy a `PodMonitor` and a `PrometheusRule` (needs a metrics listener). */
  readonly prometheusOperator: boolean;
  readonly runners: readonly Runner[];
}

/** The GitLab instance every runner of the fleet talks to. */
export interface GitLabInstance {
  /** https URL of the instance, without trailing slash. */
  readonly url: string;
  /** PEM of the CA of a self-managed instance; rendered as a file referenced by `tls-ca-file`. */
  readonly caCertificate?: string;
  /** Present when `pulumi up` creates, updates and deletes the runners in GitLab (`gitlab.manageRunners`). */
  readonly runnerManagement?: {
    /** The access token the runners are managed with. */
    readonly apiToken: SecretRef;
  };
}

/** One environment's fleet. */
export interface Fleet {
  /** The environment (stack) name, e.g. `prod`. */
  readonly environment: string;
  /** Whether the stack is marked production (stricter checks). */
  readonly production: boolean;
  readonly gitlab: GitLabInstance;
  readonly dockerHosts: readonly DockerHost[];
  readonly kubernetesClusters: readonly KubernetesCluster[];
}

/**
 * What one runner manager (one config.toml) runs on: a Docker host or a
 * Kubernetes cluster. `variant` is the one discriminant of hosts and clusters
 * everywhere (render, deploy, drift, stack outputs); switch on it with a
 * `never` check so a new variant breaks every switch that forgot it.
 */
export type ManagerTarget = DockerHost | KubernetesCluster;

/** Which executor variant a target, and every runner in it, belongs to: `docker` or `kubernetes`. */
export type ExecutorVariant = ManagerTarget["variant"];

/** Every target of the fleet: Docker hosts first, then clusters, each in stack-config order. */
export function fleetTargets(fleet: Fleet): readonly ManagerTarget[] {
  return [...fleet.dockerHosts, ...fleet.kubernetesClusters];
}
