/**
 * The config.toml keys GitLab Runner 19.x reads: every key path of every
 * config.toml we render must be one of them; a misspelt or misplaced key would be
 * ignored silently (or stop the manager from loading its config). Shared by the
 * config.toml model test and the property-based test of whole stacks.
 *
 * The allowlist is written by hand from the `toml:"..."` tags in GitLab
 * Runner's common/config.go (v19.4 source, checked with
 * `git show HEAD:common/config.go` in the mirrored repository) and
 * helpers/docker/credentials.go. It covers the structs we emit:
 *   Config; RunnerConfig with its embedded RunnerCredentials and
 *   RunnerSettings; DockerConfig with its embedded docker.Credentials;
 *   Service (Docker and Kubernetes services); KubernetesConfig;
 *   KubernetesContainerSecurityContext (service_container_security_context);
 *   KubernetesVolumes' config_map (KubernetesConfigMap) and empty_dir
 *   (KubernetesEmptyDir); KubernetesHostAliases; and RunnerSettings'
 *   `Cache *cacheconfig.Config toml:"cache"` with cache/cacheconfig/cacheconfig.go's
 *   Config, CacheS3Config, CacheGCSConfig (+ embedded CacheGCSCredentials) and
 *   CacheAzureConfig (+ embedded CacheAzureCredentials), checked in the same
 *   mirrored source (commit d79f3e7).
 * Only leaf keys (scalars and lists of scalars) are listed. Map- and
 * struct-typed fields we never emit (labels, tmpfs,
 * node_selector, pod_labels, affinity, pod_security_context, the other
 * container security contexts, the other volume kinds, other executors...) are
 * left out, so emitting one of them fails the tests until it is added here
 * after checking config.go. node_selector and node_tolerations are the two
 * maps we emit (checked in v19.3.0's config.go, KubernetesConfig), and
 * `feature_flags` (RunnerSettings `FeatureFlags map[string]bool`), whose keys
 * are flag names: GitLab Runner acts only on the names in
 * helpers/featureflags/flags.go (`GetAll`; common/build_settings.go reads each
 * of them from the runner's map), so only names defined there are listed.
 */
import { parseToml } from "../render/parse-config-toml.js";

/** common.Service */
const SERVICE_KEYS = ["name", "alias", "command", "entrypoint", "environment", "suspend_data_path"];

/** Table path (`[]` marks an array of tables) -> the leaf keys GitLab Runner reads there. */
const GITLAB_RUNNER_KEYS: Readonly<Record<string, readonly string[]>> = {
  /** common.Config */
  "": [
    "listen_address",
    "concurrent",
    "check_interval",
    "log_level",
    "log_format",
    "user",
    "sentry_dsn",
    "connection_max_age",
    "shutdown_timeout",
  ],
  /** common.RunnerConfig + RunnerCredentials + RunnerSettings */
  "runners[]": [
    "name",
    "limit",
    "output_limit",
    "request_concurrency",
    "strict_check_interval",
    "unhealthy_requests_limit",
    "unhealthy_interval",
    "job_status_final_update_retry_limit",
    "url",
    "id",
    "token",
    "token_obtained_at",
    "token_expires_at",
    "tls-ca-file",
    "tls-cert-file",
    "tls-key-file",
    "executor",
    "builds_dir",
    "cache_dir",
    "clone_url",
    "environment",
    "proxy_exec",
    "pre_get_sources_script",
    "post_get_sources_script",
    "pre_build_script",
    "post_build_script",
    "prepare_timeout",
    "get_sources_timeout",
    "debug_trace_disabled",
    "safe_directory_checkout",
    "clean_git_config",
    "shell",
    "use_slot_cgroups",
    "slot_cgroup_template",
    "step_runner_image",
  ],
  /** RunnerSettings.FeatureFlags: flag names from helpers/featureflags/flags.go (v19.3.0). */
  "runners[].feature_flags": ["FF_NETWORK_PER_BUILD"],
  /** cacheconfig.Config */
  "runners[].cache": ["Type", "Path", "Shared", "MaxUploadedArchiveSize"],
  /** cacheconfig.CacheS3Config */
  "runners[].cache.s3": [
    "ServerAddress",
    "AccessKey",
    "SecretKey",
    "SessionToken",
    "BucketName",
    "BucketLocation",
    "Insecure",
    "AuthenticationType",
    "ServerSideEncryption",
    "ServerSideEncryptionKeyID",
    "DualStack",
    "PathStyle",
    "Accelerate",
    "RoleARN",
    "UploadRoleARN",
    "AssumeRoleMaxConcurrency",
    "DisableAssumeRoleCredentialsCaching",
  ],
  /** cacheconfig.CacheGCSConfig + CacheGCSCredentials */
  "runners[].cache.gcs": [
    "AccessID",
    "PrivateKey",
    "CredentialsFile",
    "BucketName",
    "UniverseDomain",
  ],
  /** cacheconfig.CacheAzureConfig + CacheAzureCredentials */
  "runners[].cache.azure": ["AccountName", "AccountKey", "ContainerName", "StorageDomain"],
  /** docker.Credentials + common.DockerConfig */
  "runners[].docker": [
    "host",
    "tls_cert_path",
    "tls_verify",
    "hostname",
    "image",
    "runtime",
    "memory",
    "memory_swap",
    "memory_reservation",
    "cgroup_parent",
    "cpuset_cpus",
    "cpuset_mems",
    "cpus",
    "cpu_shares",
    "dns",
    "dns_search",
    "privileged",
    "services_privileged",
    "disable_entrypoint_overwrite",
    "user",
    "allowed_users",
    "group_add",
    "userns_mode",
    "cap_add",
    "cap_drop",
    "oom_kill_disable",
    "oom_score_adjust",
    "security_opt",
    "services_security_opt",
    "devices",
    "device_cgroup_rules",
    "gpus",
    "disable_cache",
    "volumes",
    "volume_keep",
    "volume_driver",
    "cache_dir",
    "extra_hosts",
    "volumes_from",
    "network_mode",
    "pid_mode",
    "ipcmode",
    "mac_address",
    "links",
    "services_limit",
    "service_memory",
    "service_memory_swap",
    "service_memory_reservation",
    "service_cgroup_parent",
    "service_slot_cgroup_template",
    "service_cpuset_cpus",
    "service_cpus",
    "service_cpu_shares",
    "service_gpus",
    "wait_for_services_timeout",
    "allowed_images",
    "allowed_privileged_images",
    "allowed_privileged_services",
    "allowed_pull_policies",
    "allowed_services",
    "pull_policy",
    "isolation",
    "shm_size",
    "helper_image",
    "helper_image_flavor",
    "enable_ipv6",
    "network_mtu",
  ],
  "runners[].docker.services[]": SERVICE_KEYS,
  /** common.KubernetesConfig */
  "runners[].kubernetes": [
    "host",
    "context",
    "cert_file",
    "key_file",
    "ca_file",
    "bearer_token_overwrite_allowed",
    "bearer_token",
    "image",
    "namespace",
    "namespace_overwrite_allowed",
    "namespace_per_job",
    "privileged",
    "runtime_class_name",
    "allow_privilege_escalation",
    "cpu_limit",
    "cpu_limit_overwrite_max_allowed",
    "cpu_request",
    "cpu_request_overwrite_max_allowed",
    "memory_limit",
    "memory_limit_overwrite_max_allowed",
    "memory_request",
    "memory_request_overwrite_max_allowed",
    "ephemeral_storage_limit",
    "ephemeral_storage_limit_overwrite_max_allowed",
    "ephemeral_storage_request",
    "ephemeral_storage_request_overwrite_max_allowed",
    "service_cpu_limit",
    "service_cpu_limit_overwrite_max_allowed",
    "service_cpu_request",
    "service_cpu_request_overwrite_max_allowed",
    "service_memory_limit",
    "service_memory_limit_overwrite_max_allowed",
    "service_memory_request",
    "service_memory_request_overwrite_max_allowed",
    "service_ephemeral_storage_limit",
    "service_ephemeral_storage_limit_overwrite_max_allowed",
    "service_ephemeral_storage_request",
    "service_ephemeral_storage_request_overwrite_max_allowed",
    "helper_cpu_limit",
    "helper_cpu_limit_overwrite_max_allowed",
    "helper_cpu_request",
    "helper_cpu_request_overwrite_max_allowed",
    "helper_memory_limit",
    "helper_memory_limit_overwrite_max_allowed",
    "helper_memory_request",
    "helper_memory_request_overwrite_max_allowed",
    "helper_ephemeral_storage_limit",
    "helper_ephemeral_storage_limit_overwrite_max_allowed",
    "helper_ephemeral_storage_request",
    "helper_ephemeral_storage_request_overwrite_max_allowed",
    "pod_cpu_limit",
    "pod_cpu_limit_overwrite_max_allowed",
    "pod_cpu_request",
    "pod_cpu_request_overwrite_max_allowed",
    "pod_memory_limit",
    "pod_memory_limit_overwrite_max_allowed",
    "pod_memory_request",
    "pod_memory_request_overwrite_max_allowed",
    "allowed_images",
    "allowed_pull_policies",
    "allowed_services",
    "allowed_users",
    "allowed_groups",
    "pull_policy",
    "node_selector_overwrite_allowed",
    "node_tolerations_overwrite_allowed",
    "image_pull_secrets",
    "use_service_account_image_pull_secrets",
    "helper_image",
    "helper_image_flavor",
    "helper_image_autoset_arch_and_os",
    "pod_termination_grace_period_seconds",
    "cleanup_grace_period_seconds",
    "cleanup_resources_timeout",
    "poll_interval",
    "poll_timeout",
    "resource_availability_check_max_attempts",
    "retry_limit",
    "retry_backoff_max",
    "pod_labels_overwrite_allowed",
    "scheduler_name",
    "service_account",
    "service_account_overwrite_allowed",
    "automount_service_account_token",
    "pod_annotations_overwrite_allowed",
    "cap_add",
    "cap_drop",
    "suspend_pvc_size",
    "suspend_pvc_storage_class",
    "dns_policy",
    "priority_class_name",
    "logs_base_dir",
    "scripts_base_dir",
    "print_pod_warning_events",
    "pod_disruption_budget",
  ],
  "runners[].kubernetes.services[]": SERVICE_KEYS,
  /** common.KubernetesContainerSecurityContext */
  "runners[].kubernetes.service_container_security_context": [
    "privileged",
    "run_as_user",
    "run_as_group",
    "run_as_non_root",
    "read_only_root_filesystem",
    "allow_privilege_escalation",
    "selinux_type",
    "proc_mount",
  ],
  /** common.KubernetesConfigMap */
  "runners[].kubernetes.volumes.config_map[]": ["name", "mount_path", "sub_path", "read_only"],
  /** common.KubernetesEmptyDir */
  "runners[].kubernetes.volumes.empty_dir[]": [
    "name",
    "mount_path",
    "sub_path",
    "medium",
    "size_limit",
    "mount_propagation",
  ],
  /** common.KubernetesHostAliases */
  "runners[].kubernetes.host_aliases[]": ["ip", "hostnames"],
};

/**
 * Keys whose value is a Go `map[string]string` (common.KubernetesConfig
 * `NodeSelector toml:"node_selector"`, `NodeTolerations toml:"node_tolerations"`):
 * their entries are data (label keys, `key=value` tolerations), not config keys.
 */
const MAP_KEYS = new Set([
  "runners[].kubernetes.node_selector",
  "runners[].kubernetes.node_tolerations",
  // ConfigMap key -> path below mount_path.
  "runners[].kubernetes.volumes.config_map[].items",
]);

const ALLOWED = new Set([
  ...Object.entries(GITLAB_RUNNER_KEYS).flatMap(([table, keys]) =>
    keys.map((key) => (table === "" ? key : `${table}.${key}`)),
  ),
  ...MAP_KEYS,
]);

/** Leaf key paths of a TOML document: tables nest with `.`, arrays of tables add `[]`. */
function leafPaths(value: unknown, prefix = ""): string[] {
  if (isTable(value) && !MAP_KEYS.has(prefix)) {
    return Object.entries(value).flatMap(([key, child]) =>
      leafPaths(child, prefix === "" ? key : `${prefix}.${key}`),
    );
  }
  if (Array.isArray(value) && value.length > 0 && value.every(isTable)) {
    return value.flatMap((item) => leafPaths(item, `${prefix}[]`));
  }
  return [prefix];
}

function isTable(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function unknownKeyPaths(configToml: string): string[] {
  return [...new Set(leafPaths(parseToml(configToml)))].filter((path) => !ALLOWED.has(path));
}
