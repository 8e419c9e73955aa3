/**
 * The one place where model fields meet GitLab Runner's config.toml keys.
 *
 * Every field of the model types appears here, so adding a field to the model
 * does not compile until someone decides where (or whether) it lands in
 * config.toml. `null` means the field is not a config.toml setting; the comment
 * says where it goes instead. Renderers write `[TABLE.field]: value`, never a
 * key spelled out a second time, and never a converted field name.
 */
import type {
  AzureCacheSettings,
  GcsCacheSettings,
  RunnerCache,
  S3CacheSettings,
} from "../model/cache.js";
import type {
  ContainerResources,
  GitLabInstance,
  JobPodSettings,
  ManagerSettings,
  Runner,
} from "../model/fleet.js";
import type {
  CacheAzureToml,
  CacheGcsToml,
  CacheS3Toml,
  CacheToml,
  ConfigToml,
  DockerToml,
  FeatureFlagsToml,
  KubernetesToml,
  RunnerTomlCommon,
} from "./config-toml-model.js";

/** ManagerSettings field -> top-level config.toml key. */
export const MANAGER_KEYS = {
  // The manager container / pod image; config.toml cannot choose its own binary.
  runnerImage: null,
  concurrent: "concurrent",
  checkInterval: "check_interval",
  shutdownTimeoutSeconds: "shutdown_timeout",
  listenAddress: "listen_address",
} as const satisfies { readonly [F in keyof ManagerSettings]-?: keyof ConfigToml | null };

/**
 * Runner field -> key of its `[[runners]]` entry, or of its executor section
 * (`[runners.docker]` / `[runners.kubernetes]`) for keys both executors share.
 */
export const RUNNER_KEYS = {
  name: "name",
  // config.toml has no tags: GitLab stores them with the runner when it is created.
  tags: null,
  token: "token",
  limit: "limit",
  requestConcurrency: "request_concurrency",
  // The job timeout is a GitLab project/runner setting; here it only bounds how long a manager may drain.
  jobTimeoutSeconds: null,
  // Executor section key.
  buildImage: "image",
  // Rendered as job environment, volumes, services and daemon.json, not as one key.
  dind: null,
  // `[runners.cache]`, unless its type is `none`: see CACHE_KEYS.
  cache: "cache",
  // What GitLab keeps for a managed runner (scope, tags, ...): sent through its API, not in config.toml.
  registration: null,
} as const satisfies {
  readonly [F in keyof Runner]-?:
    keyof RunnerTomlCommon | keyof (DockerToml | KubernetesToml) | null;
};

/**
 * Runner settings that follow from several model fields rather than one (see
 * docker-job-network.ts): the `[[runners]]` key and each feature flag by name.
 */
export const DERIVED_RUNNER_KEYS = {
  featureFlags: "feature_flags",
} as const satisfies { readonly [name: string]: keyof RunnerTomlCommon };

/** Feature flags this product sets -> their names in `[runners.feature_flags]`. */
export const FEATURE_FLAG_KEYS = {
  networkPerBuild: "FF_NETWORK_PER_BUILD",
} as const satisfies { readonly [name: string]: keyof FeatureFlagsToml };

/** GitLabInstance field -> key of every `[[runners]]` entry. */
export const GITLAB_KEYS = {
  url: "url",
  // The PEM is written next to config.toml; the key holds that file's path.
  caCertificate: "tls-ca-file",
  // The API token of managed runners is for pulumi up only; runners never see it.
  runnerManagement: null,
} as const satisfies { readonly [F in keyof GitLabInstance]-?: keyof RunnerTomlCommon | null };

/** JobPodSettings field -> key of `[runners.kubernetes]` (the same for each runner of a cluster). */
export const JOB_POD_KEYS = {
  // Per kind of container: see CONTAINER_RESOURCE_KEYS.
  build: null,
  helper: null,
  services: null,
  // The `size_limit` of the dind storage `[[runners.kubernetes.volumes.empty_dir]]`.
  dindStorageSizeLimit: null,
  allowedServices: "allowed_services",
  nodeSelector: "node_selector",
  tolerations: "node_tolerations",
} as const satisfies { readonly [F in keyof JobPodSettings]-?: keyof KubernetesToml | null };

/** ContainerResources field -> `[runners.kubernetes]` key, per kind of job pod container. */
export const CONTAINER_RESOURCE_KEYS = {
  build: {
    cpuRequest: "cpu_request",
    cpuLimit: "cpu_limit",
    memoryRequest: "memory_request",
    memoryLimit: "memory_limit",
    ephemeralStorageRequest: "ephemeral_storage_request",
    ephemeralStorageLimit: "ephemeral_storage_limit",
  },
  helper: {
    cpuRequest: "helper_cpu_request",
    cpuLimit: "helper_cpu_limit",
    memoryRequest: "helper_memory_request",
    memoryLimit: "helper_memory_limit",
    ephemeralStorageRequest: "helper_ephemeral_storage_request",
    ephemeralStorageLimit: "helper_ephemeral_storage_limit",
  },
  services: {
    cpuRequest: "service_cpu_request",
    cpuLimit: "service_cpu_limit",
    memoryRequest: "service_memory_request",
    memoryLimit: "service_memory_limit",
    ephemeralStorageRequest: "service_ephemeral_storage_request",
    ephemeralStorageLimit: "service_ephemeral_storage_limit",
  },
} as const satisfies {
  readonly [C in "build" | "helper" | "services"]: {
    readonly [F in keyof ContainerResources]-?: keyof KubernetesToml;
  };
};

/** Fields every cache type shares -> `[runners.cache]` key (`type` is its `Type`). */
export const CACHE_KEYS = {
  type: "Type",
  path: "Path",
  shared: "Shared",
  maxUploadedArchiveSize: "MaxUploadedArchiveSize",
  s3: "s3",
  gcs: "gcs",
  azure: "azure",
} as const satisfies {
  readonly [F in keyof Extract<RunnerCache, { type: "s3" }> | "gcs" | "azure"]-?: keyof CacheToml;
};

/** S3CacheSettings field -> `[runners.cache.s3]` key. */
export const CACHE_S3_KEYS = {
  serverAddress: "ServerAddress",
  bucketName: "BucketName",
  bucketLocation: "BucketLocation",
  insecure: "Insecure",
  authenticationType: "AuthenticationType",
  accessKey: "AccessKey",
  secretKey: "SecretKey",
  sessionToken: "SessionToken",
  roleArn: "RoleARN",
  uploadRoleArn: "UploadRoleARN",
  serverSideEncryption: "ServerSideEncryption",
  serverSideEncryptionKeyId: "ServerSideEncryptionKeyID",
  pathStyle: "PathStyle",
  dualStack: "DualStack",
  accelerate: "Accelerate",
} as const satisfies { readonly [F in keyof S3CacheSettings]-?: keyof CacheS3Toml };

/** GcsCacheSettings field -> `[runners.cache.gcs]` key (the service account's two fields each). */
export const CACHE_GCS_KEYS = {
  bucketName: "BucketName",
  serviceAccount: null,
} as const satisfies { readonly [F in keyof GcsCacheSettings]-?: keyof CacheGcsToml | null };

/** The service account of a GCS cache -> its two `[runners.cache.gcs]` keys. */
export const CACHE_GCS_SERVICE_ACCOUNT_KEYS = {
  accessId: "AccessID",
  privateKey: "PrivateKey",
} as const satisfies {
  readonly [F in keyof NonNullable<GcsCacheSettings["serviceAccount"]>]-?: keyof CacheGcsToml;
};

/** AzureCacheSettings field -> `[runners.cache.azure]` key. */
export const CACHE_AZURE_KEYS = {
  accountName: "AccountName",
  accountKey: "AccountKey",
  containerName: "ContainerName",
  storageDomain: "StorageDomain",
} as const satisfies { readonly [F in keyof AzureCacheSettings]-?: keyof CacheAzureToml };
