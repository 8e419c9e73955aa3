/**
 * Names and labels of what the product creates on hosts and clusters. Deployment,
 * drift detection and rendering all use these, so they live in one place.
 */
import type { Runner } from "./fleet.js";

/** Label keys put on every container, pod and Kubernetes object this product creates. */
export const LABELS = {
  /** Always `dind-runners`: marks objects this product manages. */
  managedBy: "app.kubernetes.io/managed-by",
  /** The environment (stack) name. */
  environment: "dind-runners.environment",
  /** The Docker host or cluster name. */
  target: "dind-runners.target",
  /** What the object does: `manager`, `config-writer`, `overlay-module`, `housekeeping`. */
  role: "dind-runners.role",
} as const;

export const MANAGED_BY = "dind-runners";

/** Values of the {@link LABELS.role} label. */
export const ROLES = {
  manager: "manager",
  configWriter: "config-writer",
  overlayModule: "overlay-module",
  housekeeping: "housekeeping",
  rbac: "rbac",
  config: "config",
  namespace: "namespace",
  metrics: "metrics",
} as const;

/** Names on a Docker host. */
export const DOCKER_NAMES = {
  /** The one runner-manager container per host. */
  managerContainer: "dind-runners-manager",
  /** One-shot container that writes config.toml and daemon.json files onto the host. */
  configWriterContainer: "dind-runners-config-writer",
  /** One-shot privileged container that loads and persists the overlay module. */
  overlayModuleContainer: "dind-runners-overlay-module",
  /** Long-running container that removes GitLab Runner's unused objects from the host. */
  housekeepingContainer: "dind-runners-housekeeping",
} as const;

/** Names inside a cluster's namespace. */
export const KUBERNETES_NAMES = {
  serviceAccount: "gitlab-runner",
  role: "gitlab-runner-executor",
  roleBinding: "gitlab-runner-executor",
  /** Secret holding config.toml (and the GitLab CA certificate, when set). */
  configSecret: "gitlab-runner-config",
  /** ConfigMap holding one `<runner>.json` dind daemon config per runner. */
  daemonConfigMap: "dind-daemon-config",
  /** ConfigMap holding the registry CAs of every runner, `<runner>.<host>[_<port>].crt`. */
  registryCertificatesConfigMap: "dind-registry-certificates",
  managerDeployment: "gitlab-runner-manager",
  /** Service, PodMonitor and PrometheusRule of the manager's metrics. */
  metrics: "gitlab-runner-metrics",
  overlayDaemonSet: "dind-overlay-module",
} as const;

/** File name of a runner's dind daemon.json on a host or as a ConfigMap key. */
export function daemonJsonFileName(runner: Pick<Runner, "name">): string {
  return `${runner.name}.json`;
}

/** File name of a `buildkit` runner's buildkitd.toml on a host or as a ConfigMap key. */
export function buildkitdTomlFileName(runner: Pick<Runner, "name">): string {
  return `${runner.name}.buildkitd.toml`;
}

/** File name of the GitLab CA certificate next to config.toml. */
export const GITLAB_CA_FILE_NAME = "gitlab-ca.crt";
