/**
 * The subset of GitLab Runner's config.toml this product writes, as types.
 *
 * Property names ARE GitLab Runner's keys (the `toml:"..."` tags in the runner's
 * `common/config.go`, v19.x), so an object of these types serialises to a
 * config.toml without any renaming. Each interface names the Go struct it
 * mirrors; only the keys we emit are modelled. The model-field -> key mapping
 * lives in config-toml-keys.ts.
 */

/** Go `common.Config`: the top level of config.toml. */
export interface ConfigToml {
  readonly concurrent: number;
  /** Seconds between job requests. */
  readonly check_interval: number;
  /** Seconds the manager waits for running jobs on shutdown before it exits. */
  readonly shutdown_timeout: number;
  /** Prometheus metrics listener; absent means none. */
  readonly listen_address?: string;
  readonly runners: readonly RunnerToml[];
}

/** Go `common.RunnerConfig` with its embedded `RunnerCredentials` and `RunnerSettings`: one `[[runners]]`. */
export interface RunnerTomlCommon {
  readonly name: string;
  readonly url: string;
  readonly token: string;
  /** CA bundle the manager trusts for `url`; absent means the system CAs. */
  readonly "tls-ca-file"?: string;
  /** Absent (GitLab Runner's zero value) means no per-runner limit. */
  readonly limit?: number;
  readonly request_concurrency: number;
  /** `NAME=value` entries injected into every job (and so into the job's docker CLI). */
  readonly environment: readonly string[];
  /** `[runners.feature_flags]`; a flag set here wins over a job variable of the same name. */
  readonly feature_flags?: FeatureFlagsToml;
  /** `[runners.cache]`; absent: GitLab Runner's local cache. */
  readonly cache?: CacheToml;
}

/**
 * Go `cacheconfig.Config` (cache/cacheconfig/cacheconfig.go): `[runners.cache]`.
 * Its keys are PascalCase in config.toml, exactly as the `toml:"..."` tags spell them.
 */
export interface CacheToml {
  readonly Type: "s3" | "gcs" | "azure";
  readonly Path: string;
  readonly Shared: boolean;
  /** Bytes; absent (GitLab Runner's zero value): no limit. */
  readonly MaxUploadedArchiveSize?: number;
  readonly s3?: CacheS3Toml;
  readonly gcs?: CacheGcsToml;
  readonly azure?: CacheAzureToml;
}

/** Go `cacheconfig.CacheS3Config`: `[runners.cache.s3]`. */
export interface CacheS3Toml {
  readonly ServerAddress?: string;
  readonly AccessKey?: string;
  readonly SecretKey?: string;
  readonly SessionToken?: string;
  readonly BucketName: string;
  readonly BucketLocation?: string;
  readonly Insecure?: boolean;
  readonly AuthenticationType: "access-key" | "iam";
  readonly ServerSideEncryption?: string;
  readonly ServerSideEncryptionKeyID?: string;
  readonly DualStack?: boolean;
  readonly PathStyle?: boolean;
  readonly Accelerate?: boolean;
  readonly RoleARN?: string;
  readonly UploadRoleARN?: string;
}

/** Go `cacheconfig.CacheGCSConfig` with its embedded `CacheGCSCredentials`: `[runners.cache.gcs]`. */
export interface CacheGcsToml {
  readonly AccessID?: string;
  readonly PrivateKey?: string;
  readonly BucketName: string;
}

/** Go `cacheconfig.CacheAzureConfig` with its embedded `CacheAzureCredentials`: `[runners.cache.azure]`. */
export interface CacheAzureToml {
  readonly AccountName: string;
  readonly AccountKey?: string;
  readonly ContainerName: string;
  readonly StorageDomain?: string;
}

/**
 * The GitLab Runner feature flags this product sets (names from
 * helpers/featureflags/flags.go); absent flags keep GitLab Runner's default.
 */
export interface FeatureFlagsToml {
  /** Docker executor: a bridge network of its own per job, with `network_mtu` (default false). */
  readonly FF_NETWORK_PER_BUILD?: boolean;
}

/** A `[[runners]]` entry whose `executor = "docker"`. */
export interface DockerRunnerToml extends RunnerTomlCommon {
  readonly executor: "docker";
  readonly docker: DockerToml;
}

/** A `[[runners]]` entry whose `executor = "kubernetes"`. */
export interface KubernetesRunnerToml extends RunnerTomlCommon {
  readonly executor: "kubernetes";
  readonly kubernetes: KubernetesToml;
}

/** One `[[runners]]` entry; `executor` tells which executor section it carries. */
export type RunnerToml = DockerRunnerToml | KubernetesRunnerToml;

/** Go `common.DockerConfig` (with embedded `docker.Credentials` for `tls_verify`): `[runners.docker]`. */
export interface DockerToml {
  /** Default job image. */
  readonly image: string;
  readonly tls_verify: boolean;
  /** Privileged build container (and services, unless `services_privileged` says otherwise). */
  readonly privileged: boolean;
  /** Overrides `privileged` for service containers. */
  readonly services_privileged?: boolean;
  /** Glob patterns of service images that may run privileged; empty means any. */
  readonly allowed_privileged_services?: readonly string[];
  /** `container-path` (anonymous volume) or `host-path:container-path[:mode]` binds. */
  readonly volumes: readonly string[];
  /** MTU of the per-job network (used only with the FF_NETWORK_PER_BUILD feature flag, which we then set). */
  readonly network_mtu?: number;
  /** `hostname:ip` entries added to /etc/hosts of the build and service containers. */
  readonly extra_hosts?: readonly string[];
  readonly services: readonly ServiceToml[];
}

/** Go `common.Service`: `[[runners.docker.services]]` / `[[runners.kubernetes.services]]`. */
export interface ServiceToml {
  /** Image of the service. */
  readonly name: string;
  /** Hostname jobs reach the service by; absent: derived by GitLab Runner from `name` (`docker:<v>-dind` -> `docker`). */
  readonly alias?: string;
  /** Arguments appended to the image's entrypoint. */
  readonly command?: readonly string[];
  readonly environment: readonly string[];
}

/** Go `common.KubernetesConfig`: `[runners.kubernetes]`. */
export interface KubernetesToml {
  /** Namespace of the job pods. */
  readonly namespace: string;
  /** Default job image. */
  readonly image: string;
  /** Service account of the job pods. */
  readonly service_account: string;
  /** Whether job pods get their service account's API token; false keeps it out of job code. */
  readonly automount_service_account_token: boolean;
  /** Build container requests and limits, Kubernetes quantities; absent means none. */
  readonly cpu_request?: string;
  readonly cpu_limit?: string;
  readonly memory_request?: string;
  readonly memory_limit?: string;
  readonly ephemeral_storage_request?: string;
  readonly ephemeral_storage_limit?: string;
  /** Helper container requests and limits. */
  readonly helper_cpu_request?: string;
  readonly helper_cpu_limit?: string;
  readonly helper_memory_request?: string;
  readonly helper_memory_limit?: string;
  readonly helper_ephemeral_storage_request?: string;
  readonly helper_ephemeral_storage_limit?: string;
  /** Requests and limits of every service container. */
  readonly service_cpu_request?: string;
  readonly service_cpu_limit?: string;
  readonly service_memory_request?: string;
  readonly service_memory_limit?: string;
  readonly service_ephemeral_storage_request?: string;
  readonly service_ephemeral_storage_limit?: string;
  /** Glob patterns of the service images a job pod may run (the config's own services included); empty means any. */
  readonly allowed_services: readonly string[];
  /** Node labels a job pod's node must have. */
  readonly node_selector?: Readonly<Record<string, string>>;
  /** `key=value` (or `key`) -> taint effect (empty: every effect) that job pods tolerate. */
  readonly node_tolerations?: Readonly<Record<string, string>>;
  /** Privileged for every container of a job pod; absent leaves it to the security contexts. */
  readonly privileged?: boolean;
  /** Go `common.KubernetesContainerSecurityContext` applied to service containers. */
  readonly service_container_security_context?: KubernetesContainerSecurityContextToml;
  readonly services: readonly ServiceToml[];
  readonly volumes: KubernetesVolumesToml;
  readonly host_aliases?: readonly KubernetesHostAliasToml[];
}

/** Go `common.KubernetesContainerSecurityContext` (the one key we set). */
export interface KubernetesContainerSecurityContextToml {
  readonly privileged: boolean;
}

/** Go `common.KubernetesVolumes`: `[runners.kubernetes.volumes]`, mounted into every job container. */
export interface KubernetesVolumesToml {
  readonly empty_dir?: readonly KubernetesEmptyDirToml[];
  readonly config_map: readonly KubernetesConfigMapToml[];
}

/** Go `common.KubernetesEmptyDir`. */
export interface KubernetesEmptyDirToml {
  readonly name: string;
  readonly mount_path: string;
  /** `Memory` makes the volume a tmpfs; absent means node disk. */
  readonly medium?: "Memory";
  /** Kubernetes quantity above which the kubelet evicts the pod. */
  readonly size_limit?: string;
}

/** Go `common.KubernetesConfigMap`. */
export interface KubernetesConfigMapToml {
  /** Name of the volume and of the ConfigMap. */
  readonly name: string;
  readonly mount_path: string;
  /** The ConfigMap key mounted as a single file at `mount_path`; absent: the whole volume. */
  readonly sub_path?: string;
  readonly read_only?: boolean;
  /** ConfigMap key -> path below `mount_path`; only these keys are mounted. */
  readonly items?: Readonly<Record<string, string>>;
}

/** Go `common.KubernetesHostAliases`: one IP and the hostnames that resolve to it. */
export interface KubernetesHostAliasToml {
  readonly ip: string;
  readonly hostnames: readonly string[];
}
