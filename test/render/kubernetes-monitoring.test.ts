import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { kubernetesMonitoringManifests } from "../../components/render/kubernetes-monitoring.js";
import { kubernetesManifests } from "../../components/render/kubernetes-manifests.js";
import {
  prometheusLabelName,
  TARGET_LABELS,
} from "../../components/render/prometheus-target-labels.js";
import { LABELS } from "../../components/model/names.js";
import { kubernetesSchemaProblems } from "../support/kubernetes-schema.js";
import { fleet, kubernetesCluster, manager, runner } from "./fixtures.js";

function clusterFleet(listenAddress: string | undefined, prometheusOperator: boolean) {
  return fleet({
    environment: "prod",
    kubernetesClusters: [
      kubernetesCluster("k8s-1", [runner("k1")], {
        namespace: "runners",
        manager: manager(listenAddress === undefined ? {} : { listenAddress }),
        prometheusOperator,
      }),
    ],
  });
}

const LABELS_OF = (role: string) => ({
  "app.kubernetes.io/managed-by": "dind-runners",
  "dind-runners.environment": "prod",
  "dind-runners.target": "k8s-1",
  "dind-runners.role": role,
});

describe("kubernetes monitoring objects", () => {
  it("are none without a metrics listener", () => {
    const f = clusterFleet(undefined, true);
    assert.deepEqual(kubernetesMonitoringManifests(f, f.kubernetesClusters[0]!), []);
  });

  it("are a Service on the metrics port without the Prometheus Operator", () => {
    const f = clusterFleet(":9300", false);
    assert.deepEqual(kubernetesMonitoringManifests(f, f.kubernetesClusters[0]!), [
      {
        apiVersion: "v1",
        kind: "Service",
        metadata: {
          name: "gitlab-runner-metrics",
          namespace: "runners",
          labels: LABELS_OF("metrics"),
        },
        spec: {
          type: "ClusterIP",
          selector: LABELS_OF("manager"),
          ports: [{ name: "metrics", port: 9300, targetPort: "metrics", protocol: "TCP" }],
        },
      },
    ]);
  });

  it("add a PodMonitor of the manager pod and a PrometheusRule with the cluster's alerts", () => {
    const f = clusterFleet(":9252", true);
    const [, podMonitor, prometheusRule] = kubernetesMonitoringManifests(
      f,
      f.kubernetesClusters[0]!,
    );
    assert.deepEqual(podMonitor, {
      apiVersion: "monitoring.coreos.com/v1",
      kind: "PodMonitor",
      metadata: {
        name: "gitlab-runner-metrics",
        namespace: "runners",
        labels: LABELS_OF("metrics"),
      },
      spec: {
        selector: { matchLabels: LABELS_OF("manager") },
        podTargetLabels: ["dind-runners.environment", "dind-runners.target"],
        podMetricsEndpoints: [{ port: "metrics", path: "/metrics" }],
      },
    });
    assert.equal(prometheusRule?.kind, "PrometheusRule");
    const rules = prometheusRule?.kind === "PrometheusRule" ? prometheusRule.spec.groups : [];
    assert.deepEqual(
      rules
        ?.flatMap((group) => (group.rules ?? []).map((rule) => rule.expr))
        .filter((expr) => String(expr).startsWith("absent(")),
      ['absent(up{dind_runners_environment="prod",dind_runners_target="k8s-1"})'],
    );
  });

  it("copy pod labels onto targets under the names the alerts and the dashboard select by", () => {
    assert.equal(prometheusLabelName(LABELS.environment), TARGET_LABELS.environment);
    assert.equal(prometheusLabelName(LABELS.target), TARGET_LABELS.target);
  });

  it("come last in the cluster's objects and validate against the CRD and Kubernetes schemas", async () => {
    const f = clusterFleet(":9252", true);
    const manifests = kubernetesManifests(f, f.kubernetesClusters[0]!, "config");
    assert.deepEqual(
      manifests.slice(-3).map((manifest) => manifest.kind),
      ["Service", "PodMonitor", "PrometheusRule"],
    );
    assert.deepEqual(await kubernetesSchemaProblems(manifests), []);
  });

  it("would fail the schema check with a field the PodMonitor CRD does not have (the check can fail)", async () => {
    const f = clusterFleet(":9252", true);
    const podMonitor = kubernetesMonitoringManifests(f, f.kubernetesClusters[0]!)[1]!;
    const wrong = { ...podMonitor, spec: { ...podMonitor.spec, podMetricsEndpoint: [] } };
    const problems = await kubernetesSchemaProblems([wrong]);
    assert.equal(problems.length, 1);
    assert.match(
      problems[0] ?? "",
      /^PodMonitor gitlab-runner-metrics: \.spec\.podMetricsEndpoint: unknown field/,
    );
  });
});
