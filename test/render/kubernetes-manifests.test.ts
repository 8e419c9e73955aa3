import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Fleet, KubernetesCluster } from "../../components/model/fleet.js";
import { daemonJson } from "../../components/render/daemon-json.js";
import { prepareHostScript } from "../../components/render/host-preparation.js";
import { JOB_SERVICE_ACCOUNT } from "../../components/render/kubernetes-executor-section.js";
import { configToml } from "../../components/render/config-toml.js";
import type {
  KubernetesKind,
  KubernetesManifest,
} from "../../components/render/kubernetes-manifest-types.js";
import { kubernetesManifests } from "../../components/render/kubernetes-manifests.js";
import { kubernetesManifestsYaml } from "../../components/render/kubernetes-manifests-yaml.js";
import { runnerSystemId } from "../../components/render/runner-system-id.js";
import { redactedSecretText } from "../../components/render/secret-text.js";
import {
  CA_PEM,
  dind,
  fleet,
  jobPods,
  kubernetesCluster,
  manager,
  runner,
  smallKubernetesFleet,
} from "./fixtures.js";

type Manifest = KubernetesManifest<string>;

function only<K extends KubernetesKind>(
  manifests: readonly Manifest[],
  kind: K,
): Extract<Manifest, { kind: K }> {
  const matching = manifests.filter(
    (manifest): manifest is Extract<Manifest, { kind: K }> => manifest.kind === kind,
  );
  assert.equal(matching.length, 1, `exactly one ${kind}`);
  return matching[0]!;
}

function manifestsOf(input: Fleet, configToml = "CONFIG"): readonly Manifest[] {
  return kubernetesManifests(input, input.kubernetesClusters[0]!, configToml);
}

/** One cluster with two runners of different job timeouts, in namespace `ci`. */
function twoRunnerFleet(
  clusterOverrides: Partial<Omit<KubernetesCluster, "name" | "runners">> = {},
): Fleet {
  return fleet({
    environment: "prod",
    kubernetesClusters: [
      kubernetesCluster(
        "k8s-1",
        [
          runner("short", { jobTimeoutSeconds: 1800, dind: dind({ dockerVersion: "27.5.1" }) }),
          runner("long", { jobTimeoutSeconds: 7200 }),
        ],
        { namespace: "ci", ...clusterOverrides },
      ),
    ],
  });
}

describe("kubernetesManifests", () => {
  it("lists the objects in the order they are applied, with their names and namespace", () => {
    assert.deepEqual(
      manifestsOf(twoRunnerFleet()).map((m) => [
        m.apiVersion,
        m.kind,
        m.metadata.name,
        m.metadata.namespace,
      ]),
      [
        ["v1", "Namespace", "ci", undefined],
        ["v1", "ServiceAccount", "gitlab-runner", "ci"],
        ["rbac.authorization.k8s.io/v1", "Role", "gitlab-runner-executor", "ci"],
        ["rbac.authorization.k8s.io/v1", "RoleBinding", "gitlab-runner-executor", "ci"],
        ["v1", "Secret", "gitlab-runner-config", "ci"],
        ["v1", "ConfigMap", "dind-daemon-config", "ci"],
        ["apps/v1", "Deployment", "gitlab-runner-manager", "ci"],
        ["apps/v1", "DaemonSet", "dind-overlay-module", "ci"],
      ],
    );
  });

  it("labels every object with who manages it, the environment, the cluster and its role", () => {
    const roles = manifestsOf(twoRunnerFleet()).map((m) => {
      const {
        "app.kubernetes.io/managed-by": managedBy,
        "dind-runners.environment": environment,
        "dind-runners.target": target,
        "dind-runners.role": role,
      } = m.metadata.labels;
      assert.deepEqual([managedBy, environment, target], ["dind-runners", "prod", "k8s-1"]);
      return [m.kind, role];
    });
    assert.deepEqual(roles, [
      ["Namespace", "namespace"],
      ["ServiceAccount", "rbac"],
      ["Role", "rbac"],
      ["RoleBinding", "rbac"],
      ["Secret", "config"],
      ["ConfigMap", "config"],
      ["Deployment", "manager"],
      ["DaemonSet", "overlay-module"],
    ]);
  });

  it("lets the namespace admit the privileged dind containers of job pods, audits them at baseline and does not warn on each", () => {
    assert.deepEqual(only(manifestsOf(twoRunnerFleet()), "Namespace").metadata.labels, {
      "app.kubernetes.io/managed-by": "dind-runners",
      "dind-runners.environment": "prod",
      "dind-runners.target": "k8s-1",
      "dind-runners.role": "namespace",
      "pod-security.kubernetes.io/enforce": "privileged",
      "pod-security.kubernetes.io/audit": "baseline",
      "pod-security.kubernetes.io/warn": "privileged",
    });
  });

  describe("RBAC", () => {
    const manifests = manifestsOf(twoRunnerFleet());

    it("grants the Kubernetes executor exactly what it needs, in the namespace only", () => {
      const role = only(manifests, "Role");
      assert.deepEqual(role.rules, [
        { apiGroups: [""], resources: ["events"], verbs: ["list", "watch"] },
        {
          apiGroups: [""],
          resources: ["pods"],
          verbs: ["create", "delete", "get", "list", "watch"],
        },
        {
          apiGroups: [""],
          resources: ["pods/attach"],
          verbs: ["create", "delete", "get", "patch"],
        },
        { apiGroups: [""], resources: ["pods/exec"], verbs: ["create", "delete", "get", "patch"] },
        { apiGroups: [""], resources: ["pods/log"], verbs: ["get", "list"] },
        { apiGroups: [""], resources: ["secrets"], verbs: ["create", "delete", "get", "update"] },
        { apiGroups: [""], resources: ["serviceaccounts"], verbs: ["get"] },
        { apiGroups: [""], resources: ["services"], verbs: ["create", "get"] },
      ]);
      assert.ok(
        manifests.every((m) => !m.kind.startsWith("Cluster")),
        "no cluster-wide role or binding",
      );
    });

    it("binds the Role to the manager's ServiceAccount only", () => {
      const binding = only(manifests, "RoleBinding");
      assert.deepEqual(binding.roleRef, {
        apiGroup: "rbac.authorization.k8s.io",
        kind: "Role",
        name: "gitlab-runner-executor",
      });
      assert.deepEqual(binding.subjects, [
        { kind: "ServiceAccount", name: "gitlab-runner", namespace: "ci" },
      ]);
    });

    it("runs the manager, and never a job pod, with the ServiceAccount that holds the Role", () => {
      const input = twoRunnerFleet();
      const deployment = only(manifestsOf(input), "Deployment");
      assert.equal(deployment.spec.template.spec.serviceAccountName, "gitlab-runner");
      const jobAccounts = configToml(
        input,
        input.kubernetesClusters[0]!,
        redactedSecretText,
      ).runners.map((r) => (r.executor === "kubernetes" ? r.kubernetes.service_account : ""));
      assert.deepEqual(jobAccounts, [JOB_SERVICE_ACCOUNT, JOB_SERVICE_ACCOUNT]);
      assert.notEqual(JOB_SERVICE_ACCOUNT, "gitlab-runner");
    });
  });

  describe("config Secret and daemon ConfigMap", () => {
    it("carries the given config.toml value itself, whatever its type", () => {
      const marker = { placeholder: "a Pulumi Output in pulumi up" };
      const input = twoRunnerFleet();
      const secret = kubernetesManifests(input, input.kubernetesClusters[0]!, marker).find(
        (m) => m.kind === "Secret",
      );
      assert.ok(secret?.kind === "Secret");
      assert.equal(secret.type, "Opaque");
      assert.equal(secret.stringData["config.toml"], marker);
      assert.deepEqual(Object.keys(secret.stringData), ["config.toml", ".runner_system_id"]);
    });

    it("puts the GitLab CA next to config.toml when the fleet has one", () => {
      const input = {
        ...twoRunnerFleet(),
        gitlab: { url: "https://gitlab.example.com", caCertificate: CA_PEM },
      };
      assert.deepEqual(only(manifestsOf(input, "TOML"), "Secret").stringData, {
        "config.toml": "TOML",
        "gitlab-ca.crt": CA_PEM,
        ".runner_system_id": runnerSystemId(input, input.kubernetesClusters[0]!),
      });
    });

    it("holds one daemon.json per runner, keyed <runner>.json, in runner order", () => {
      const input = twoRunnerFleet();
      const [short, long] = input.kubernetesClusters[0]!.runners;
      assert.deepEqual(only(manifestsOf(input), "ConfigMap").data, {
        "short.json": daemonJson(short!.dind),
        "long.json": daemonJson(long!.dind),
      });
    });
  });

  describe("manager Deployment", () => {
    const deployment = only(manifestsOf(twoRunnerFleet()), "Deployment");
    const pod = deployment.spec.template.spec;
    const container = pod.containers[0]!;

    it("runs exactly one manager and never two at once", () => {
      assert.equal(deployment.spec.replicas, 1);
      assert.deepEqual(deployment.spec.strategy, { type: "Recreate" });
      assert.equal(pod.containers.length, 1);
    });

    it("selects exactly the pods of its template", () => {
      assert.deepEqual(deployment.spec.selector.matchLabels, {
        "app.kubernetes.io/managed-by": "dind-runners",
        "dind-runners.environment": "prod",
        "dind-runners.target": "k8s-1",
        "dind-runners.role": "manager",
      });
      assert.deepEqual(deployment.spec.template.metadata, {
        labels: deployment.spec.selector.matchLabels,
      });
    });

    it("runs the pinned runner image with config.toml from the mounted Secret", () => {
      assert.equal(container.image, "gitlab/gitlab-runner:v19.3.0");
      assert.equal(container.command, undefined, "keeps the image's entrypoint (dumb-init)");
      assert.deepEqual(container.args, [
        "run",
        "--config",
        "/etc/gitlab-runner/config.toml",
        "--working-directory",
        "/home/gitlab-runner",
      ]);
    });

    it("mounts the config Secret as a whole directory (no subPath), read-only", () => {
      assert.deepEqual(container.volumeMounts, [
        { name: "config", mountPath: "/etc/gitlab-runner", readOnly: true },
        { name: "home", mountPath: "/home/gitlab-runner" },
        { name: "tmp", mountPath: "/tmp" },
      ]);
      assert.ok(container.volumeMounts?.every((mount) => !("subPath" in mount)));
      assert.deepEqual(pod.volumes, [
        { name: "config", secret: { secretName: "gitlab-runner-config", defaultMode: 0o440 } },
        { name: "home", emptyDir: {} },
        { name: "tmp", emptyDir: {} },
      ]);
    });

    it("runs as the image's gitlab-runner user without privileges or a writable root", () => {
      assert.deepEqual(pod.securityContext, {
        runAsNonRoot: true,
        runAsUser: 999,
        runAsGroup: 999,
        fsGroup: 999,
        seccompProfile: { type: "RuntimeDefault" },
      });
      assert.deepEqual(container.securityContext, {
        allowPrivilegeEscalation: false,
        capabilities: { drop: ["ALL"] },
        readOnlyRootFilesystem: true,
      });
      assert.equal(pod.automountServiceAccountToken, true);
    });

    it("lets running jobs finish: SIGQUIT before SIGTERM, for the longest job timeout plus cleanup", () => {
      assert.deepEqual(container.lifecycle, {
        preStop: {
          exec: {
            command: [
              "/bin/sh",
              "-c",
              "kill -QUIT 1; while kill -0 1 2>/dev/null; do sleep 1; done",
            ],
          },
        },
      });
      // The longer runner's 7200 s plus GitLab Runner's 5-minute resource cleanup.
      assert.equal(pod.terminationGracePeriodSeconds, 7200 + 300);
    });

    it("requests CPU and memory and sets no limit", () => {
      assert.deepEqual(container.resources, { requests: { cpu: "100m", memory: "128Mi" } });
    });

    it("exposes the metrics port only when a listen address is set", () => {
      assert.equal(container.ports, undefined);
      const withMetrics = (listenAddress: string) =>
        only(manifestsOf(twoRunnerFleet({ manager: manager({ listenAddress }) })), "Deployment")
          .spec.template.spec.containers[0]!.ports;
      assert.deepEqual(withMetrics(":9252"), [
        { name: "metrics", containerPort: 9252, protocol: "TCP" },
      ]);
      assert.deepEqual(withMetrics("0.0.0.0:9300"), [
        { name: "metrics", containerPort: 9300, protocol: "TCP" },
      ]);
      assert.deepEqual(withMetrics("[::]:9400"), [
        { name: "metrics", containerPort: 9400, protocol: "TCP" },
      ]);
    });

    it("has no annotation that would restart the manager when its configuration changes", () => {
      assert.equal("annotations" in deployment.spec.template.metadata, false);
      assert.equal("annotations" in deployment.metadata, false);
    });
  });

  it("keeps the manager's Deployment byte-identical when only config.toml or daemon.json settings change", () => {
    const before = twoRunnerFleet();
    const cluster = before.kubernetesClusters[0]!;
    const [short, long] = cluster.runners;
    // Everything config.toml and the daemon ConfigMap carry, but no job timeout
    // (it bounds the grace period), runner image or listen address (the process's own).
    const after: Fleet = {
      ...before,
      gitlab: { url: "https://gitlab.other.example.com", caCertificate: CA_PEM },
      kubernetesClusters: [
        {
          ...cluster,
          manager: { ...cluster.manager, concurrent: 20, checkInterval: 10 },
          runners: [
            {
              ...short!,
              limit: 3,
              tags: ["dind", "other"],
              buildImage: "registry.example.internal/ci/build:1",
            },
            {
              ...long!,
              requestConcurrency: 2,
              dind: {
                ...long!.dind,
                tls: false,
                privilegeMode: "all",
                insecureRegistries: ["registry.example.internal:5000"],
                registryMirrors: ["https://mirror.example.internal"],
                extraHosts: [{ hostname: "registry.example.internal", ip: "10.0.0.5" }],
              },
            },
          ],
        },
      ],
    };
    const oldManifests = kubernetesManifests(before, cluster, "old config.toml");
    const newManifests = kubernetesManifests(
      after,
      after.kubernetesClusters[0]!,
      "new config.toml",
    );
    assert.equal(
      kubernetesManifestsYaml([only(newManifests, "Deployment")]),
      kubernetesManifestsYaml([only(oldManifests, "Deployment")]),
    );
    assert.notDeepEqual(only(newManifests, "Secret"), only(oldManifests, "Secret"));
    assert.notDeepEqual(only(newManifests, "ConfigMap"), only(oldManifests, "ConfigMap"));
  });

  it("keeps the manager pod off every node running a GitLab Runner job pod of any namespace, and job pods off its node, by default", () => {
    const spec = only(manifestsOf(twoRunnerFleet()), "Deployment").spec.template.spec;
    assert.deepEqual(spec.affinity, {
      podAntiAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: [
          {
            labelSelector: {
              matchExpressions: [{ key: "job.runner.gitlab.com/pod", operator: "Exists" }],
            },
            namespaceSelector: {},
            topologyKey: "kubernetes.io/hostname",
          },
        ],
      },
    });
  });

  it("lets the manager share nodes with job pods only when managerAvoidsJobNodes is false (a single-node cluster)", () => {
    const spec = only(manifestsOf(twoRunnerFleet({ managerAvoidsJobNodes: false })), "Deployment")
      .spec.template.spec;
    assert.equal(spec.affinity, undefined);
  });

  it("changes the manager's pod template for what the running process cannot reload", () => {
    const base = only(manifestsOf(twoRunnerFleet()), "Deployment").spec.template.spec;
    const longerJobs = twoRunnerFleet();
    const cluster = longerJobs.kubernetesClusters[0]!;
    const withLongerJob: Fleet = {
      ...longerJobs,
      kubernetesClusters: [
        {
          ...cluster,
          runners: cluster.runners.map((r) => ({ ...r, jobTimeoutSeconds: 10800 })),
        },
      ],
    };
    const longer = only(manifestsOf(withLongerJob), "Deployment").spec.template.spec;
    assert.deepEqual(
      [base.terminationGracePeriodSeconds, longer.terminationGracePeriodSeconds],
      [7500, 11100],
    );
    const newImage = only(
      manifestsOf(
        twoRunnerFleet({ manager: manager({ runnerImage: "gitlab/gitlab-runner:v19.4.0" }) }),
      ),
      "Deployment",
    ).spec.template.spec;
    assert.equal(newImage.containers[0]!.image, "gitlab/gitlab-runner:v19.4.0");
  });

  describe("overlay module DaemonSet", () => {
    it("is absent when the cluster does not manage the overlay module", () => {
      const kinds = manifestsOf(twoRunnerFleet({ manageOverlayModule: false })).map((m) => m.kind);
      assert.deepEqual(kinds, [
        "Namespace",
        "ServiceAccount",
        "Role",
        "RoleBinding",
        "Secret",
        "ConfigMap",
        "Deployment",
      ]);
    });

    it("runs the host-preparation script once per node in a privileged init container, then idles", () => {
      const daemonSet = only(manifestsOf(twoRunnerFleet()), "DaemonSet");
      const labels = {
        "app.kubernetes.io/managed-by": "dind-runners",
        "dind-runners.environment": "prod",
        "dind-runners.target": "k8s-1",
        "dind-runners.role": "overlay-module",
      };
      const requests = { cpu: "10m", memory: "16Mi" };
      assert.deepEqual(daemonSet.spec, {
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            automountServiceAccountToken: false,
            initContainers: [
              {
                name: "prepare-host",
                // The dind image of the cluster's first runner.
                image: "docker:27.5.1-dind",
                imagePullPolicy: "IfNotPresent",
                command: ["sh", "-c", prepareHostScript()],
                env: [
                  { name: "MODULES_LOAD_DIR", value: "/host/etc/modules-load.d" },
                  { name: "HOST_ROOT", value: "/host" },
                ],
                resources: { requests },
                securityContext: { privileged: true, runAsUser: 0 },
                volumeMounts: [
                  { name: "host-root", mountPath: "/host", readOnly: true },
                  { name: "modules-load-d", mountPath: "/host/etc/modules-load.d" },
                ],
              },
            ],
            containers: [
              {
                name: "pause",
                image: "registry.k8s.io/pause:3.10",
                imagePullPolicy: "IfNotPresent",
                resources: { requests },
                securityContext: {
                  allowPrivilegeEscalation: false,
                  capabilities: { drop: ["ALL"] },
                  readOnlyRootFilesystem: true,
                  runAsNonRoot: true,
                  runAsUser: 65535,
                  runAsGroup: 65535,
                },
              },
            ],
            volumes: [
              { name: "host-root", hostPath: { path: "/", type: "Directory" } },
              {
                name: "modules-load-d",
                hostPath: { path: "/etc/modules-load.d", type: "DirectoryOrCreate" },
              },
            ],
          },
        },
      });
    });

    it("runs on the nodes job pods run on: their node selector and tolerations", () => {
      const daemonSet = only(
        manifestsOf(
          twoRunnerFleet({
            jobPods: jobPods({
              nodeSelector: [{ key: "ci.example.com/pool", value: "dind" }],
              tolerations: [
                { key: "ci.example.com/dedicated", value: "dind", effect: "NoSchedule" },
                { key: "ci.example.com/spot" },
              ],
            }),
          }),
        ),
        "DaemonSet",
      );
      const spec = daemonSet.spec.template.spec;
      assert.deepEqual(spec.nodeSelector, { "ci.example.com/pool": "dind" });
      assert.deepEqual(spec.tolerations, [
        {
          key: "ci.example.com/dedicated",
          operator: "Equal",
          value: "dind",
          effect: "NoSchedule",
        },
        { key: "ci.example.com/spot", operator: "Exists" },
      ]);
    });
  });

  it("returns equal objects for equal input", () => {
    assert.deepEqual(manifestsOf(smallKubernetesFleet()), manifestsOf(smallKubernetesFleet()));
  });
});
