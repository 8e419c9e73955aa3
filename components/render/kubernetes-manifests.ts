/**
 * Every Kubernetes object of one cluster, in the order they are applied: the
 * namespace, the manager's identity and permissions, its configuration, the
 * manager itself and, when enabled, the node preparation, then the metrics
 * Service and, with the Prometheus Operator, its PodMonitor and PrometheusRule
 * (kubernetes-monitoring.ts). `npm run render` writes them as manifests.yaml;
 * `pulumi up` creates one typed resource each.
 */
import type { Fleet, KubernetesCluster } from "../model/fleet.js";
import {
  daemonJsonFileName,
  GITLAB_CA_FILE_NAME,
  KUBERNETES_NAMES,
  ROLES,
} from "../model/names.js";
import { registryCertificateConfigMapKey } from "../model/registry-certificates.js";
import { daemonJson } from "./daemon-json.js";
import { managerDeployment } from "./kubernetes-manager-deployment.js";
import type {
  ConfigMapManifest,
  ConfigSecretManifest,
  KubernetesManifest,
  NamespaceManifest,
} from "./kubernetes-manifest-types.js";
import { kubernetesMonitoringManifests } from "./kubernetes-monitoring.js";
import { kubernetesLabels, namespacedMeta } from "./kubernetes-object-meta.js";
import { overlayModuleDaemonSet } from "./kubernetes-overlay-daemonset.js";
import { executorRole, executorRoleBinding, managerServiceAccount } from "./kubernetes-rbac.js";
import { CONFIG_TOML_FILE_NAME } from "./manager-config-file.js";
import { RUNNER_SYSTEM_ID_FILE_NAME, runnerSystemId } from "./runner-system-id.js";

export type { KubernetesManifest } from "./kubernetes-manifest-types.js";

/**
 * `configToml` is the config.toml text as the caller holds it: the rendered
 * (redacted) string in `npm run render`, a secret Output inside `pulumi up`.
 * It lands unchanged in the config Secret; nothing else depends on it.
 */
export function kubernetesManifests<T>(
  fleet: Fleet,
  cluster: KubernetesCluster,
  configToml: T,
): readonly KubernetesManifest<T>[] {
  return [
    namespace(fleet, cluster),
    managerServiceAccount(fleet, cluster),
    executorRole(fleet, cluster),
    executorRoleBinding(fleet, cluster),
    configSecret(fleet, cluster, configToml),
    daemonConfigMap(fleet, cluster),
    ...registryCertificatesConfigMap(fleet, cluster),
    managerDeployment(fleet, cluster),
    ...(cluster.manageOverlayModule ? [overlayModuleDaemonSet(fleet, cluster)] : []),
    // Last: the manager does not wait for how it is watched.
    ...kubernetesMonitoringManifests(fleet, cluster),
  ];
}

/**
 * Pod Security Admission labels of the namespace, set explicitly whatever the
 * cluster's defaults are:
 * - `enforce: privileged`: job pods run a privileged dind container, which the
 *   `baseline` and `restricted` levels reject. This is what lets dind run at
 *   all, and it is why this namespace must hold nothing but these runners.
 * - `audit: baseline`: the API server's audit log annotates every pod that
 *   would break `baseline` (every job pod, for its dind), so security teams can
 *   see the privileged pods; it changes nothing for the pods.
 * - `warn: privileged`: a cluster-wide `warn` default would otherwise attach a
 *   warning to every job pod the runner creates, noise nobody can act on.
 */
export const POD_SECURITY_LABELS = {
  "pod-security.kubernetes.io/enforce": "privileged",
  "pod-security.kubernetes.io/audit": "baseline",
  "pod-security.kubernetes.io/warn": "privileged",
} as const;

function namespace(fleet: Fleet, cluster: KubernetesCluster): NamespaceManifest {
  return {
    apiVersion: "v1",
    kind: "Namespace",
    metadata: {
      name: cluster.namespace,
      labels: {
        ...kubernetesLabels(fleet, cluster, ROLES.namespace),
        ...POD_SECURITY_LABELS,
      },
    },
  };
}

/**
 * A Secret, not a ConfigMap: config.toml holds the runner tokens. The GitLab
 * CA sits next to it because config.toml's `tls-ca-file` points into the same
 * mounted directory, and so does `.runner_system_id`, which GitLab Runner
 * reads from the directory of config.toml (see runner-system-id.ts).
 */
function configSecret<T>(
  fleet: Fleet,
  cluster: KubernetesCluster,
  configToml: T,
): ConfigSecretManifest<T> {
  const { caCertificate } = fleet.gitlab;
  return {
    apiVersion: "v1",
    kind: "Secret",
    metadata: namespacedMeta(fleet, cluster, KUBERNETES_NAMES.configSecret, ROLES.config),
    type: "Opaque",
    stringData: {
      [CONFIG_TOML_FILE_NAME]: configToml,
      ...(caCertificate === undefined ? {} : { [GITLAB_CA_FILE_NAME]: caCertificate }),
      [RUNNER_SYSTEM_ID_FILE_NAME]: runnerSystemId(fleet, cluster),
    },
  };
}

/**
 * One daemon.json per runner, keyed `<runner>.json`: each job pod mounts its
 * runner's key at /etc/docker/daemon.json of its dind service
 * (`[[runners.kubernetes.volumes.config_map]]`). Runners keep their stack order.
 */
function daemonConfigMap(fleet: Fleet, cluster: KubernetesCluster): ConfigMapManifest {
  return {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: namespacedMeta(fleet, cluster, KUBERNETES_NAMES.daemonConfigMap, ROLES.config),
    data: Object.fromEntries(
      cluster.runners.map((runner) => [daemonJsonFileName(runner), daemonJson(runner.dind)]),
    ),
  };
}

/**
 * Every runner's registry CAs, keyed `<runner>.<host>[_<port>].crt`; each job
 * pod mounts only its runner's keys at /etc/docker/certs.d of its dind service
 * (`items` of its `[[runners.kubernetes.volumes.config_map]]`). A ConfigMap, not
 * a Secret: CA certificates are public. Absent when no runner trusts a CA.
 */
function registryCertificatesConfigMap(
  fleet: Fleet,
  cluster: KubernetesCluster,
): ConfigMapManifest[] {
  const entries = cluster.runners.flatMap((runner) =>
    runner.dind.registryCertificates.map(
      (certificate) =>
        [registryCertificateConfigMapKey(runner, certificate), certificate.caCertificate] as const,
    ),
  );
  if (entries.length === 0) return [];
  return [
    {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: namespacedMeta(
        fleet,
        cluster,
        KUBERNETES_NAMES.registryCertificatesConfigMap,
        ROLES.config,
      ),
      data: Object.fromEntries(entries),
    },
  ];
}
