/**
 * How Prometheus reaches a cluster's manager: a ClusterIP Service on the
 * manager's `metrics` container port (present whenever `listenAddress` is
 * set), and, when the cluster runs the Prometheus Operator, a `PodMonitor`
 * scraping that port and a `PrometheusRule` with the cluster's alerts
 * (alert-rules.ts). A PodMonitor, not a ServiceMonitor: it selects the one
 * manager pod directly, with no dependency on the Service's endpoints.
 *
 * GitLab Runner serves the metrics at `/metrics` of `listen_address`
 * (gitlab-runner commands/multi.go `serveMetrics`), plain HTTP.
 */
import type { Fleet, KubernetesCluster } from "../model/fleet.js";
import { KUBERNETES_NAMES, ROLES } from "../model/names.js";
import { alertRuleGroups } from "./alert-rules.js";
import { listenPort, METRICS_PORT_NAME } from "./kubernetes-manager-deployment.js";
import type {
  PodMonitorManifest,
  PrometheusRuleManifest,
  ServiceManifest,
} from "./kubernetes-manifest-types.js";
import { kubernetesLabels, namespacedMeta } from "./kubernetes-object-meta.js";
import { POD_TARGET_LABELS } from "./prometheus-target-labels.js";

/** The path GitLab Runner serves its metrics at. */
export const METRICS_PATH = "/metrics";

/** The monitoring objects of one cluster, in the order they are applied; none without a listener. */
export function kubernetesMonitoringManifests(
  fleet: Fleet,
  cluster: KubernetesCluster,
): readonly (ServiceManifest | PodMonitorManifest | PrometheusRuleManifest)[] {
  const { listenAddress } = cluster.manager;
  if (listenAddress === undefined) return [];
  return [
    metricsService(fleet, cluster, listenPort(listenAddress)),
    ...(cluster.prometheusOperator
      ? [podMonitor(fleet, cluster), prometheusRule(fleet, cluster)]
      : []),
  ];
}

function metricsService(fleet: Fleet, cluster: KubernetesCluster, port: number): ServiceManifest {
  return {
    apiVersion: "v1",
    kind: "Service",
    metadata: namespacedMeta(fleet, cluster, KUBERNETES_NAMES.metrics, ROLES.metrics),
    spec: {
      type: "ClusterIP",
      selector: kubernetesLabels(fleet, cluster, ROLES.manager),
      ports: [{ name: METRICS_PORT_NAME, port, targetPort: METRICS_PORT_NAME, protocol: "TCP" }],
    },
  };
}

function podMonitor(fleet: Fleet, cluster: KubernetesCluster): PodMonitorManifest {
  return {
    apiVersion: "monitoring.coreos.com/v1",
    kind: "PodMonitor",
    metadata: namespacedMeta(fleet, cluster, KUBERNETES_NAMES.metrics, ROLES.metrics),
    spec: {
      selector: { matchLabels: { ...kubernetesLabels(fleet, cluster, ROLES.manager) } },
      // The environment and cluster on every series, as on Docker hosts.
      podTargetLabels: [...POD_TARGET_LABELS],
      podMetricsEndpoints: [{ port: METRICS_PORT_NAME, path: METRICS_PATH }],
    },
  };
}

function prometheusRule(fleet: Fleet, cluster: KubernetesCluster): PrometheusRuleManifest {
  return {
    apiVersion: "monitoring.coreos.com/v1",
    kind: "PrometheusRule",
    metadata: namespacedMeta(fleet, cluster, KUBERNETES_NAMES.metrics, ROLES.metrics),
    spec: {
      groups: alertRuleGroups(fleet, [cluster]).map((group) => ({
        name: group.name,
        rules: group.rules.map((rule) => ({
          alert: rule.alert,
          expr: rule.expr,
          for: rule.for,
          labels: { ...rule.labels },
          annotations: { ...rule.annotations },
        })),
      })),
    },
  };
}
