import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { KubernetesRunner } from "../../components/kubernetes/kubernetes-runner.js";
import type { Fleet } from "../../components/model/fleet.js";
import { configDigest } from "../../components/render/config-digest.js";
import { managerConfigToml } from "../../components/render/config-toml.js";
import { renderFleetFiles } from "../../components/render/render-fleet-files.js";
import { runnerSystemId } from "../../components/render/runner-system-id.js";
import { redactedSecretText } from "../../components/render/secret-text.js";
import {
  CA_PEM,
  dind,
  fakeTokenText,
  fleet,
  kubernetesCluster,
  runner,
} from "../render/fixtures.js";
import { kubernetesSchemaProblems } from "../support/kubernetes-schema.js";
import {
  isSecretValue,
  outputValue,
  recordPulumiResources,
  withoutSecrets,
  type MockRecorder,
  type RecordedResource,
} from "../support/pulumi-mocks.js";

/** Two clusters, so a test can tell this cluster's files and tokens from another's. */
function twoClusterFleet(): Fleet {
  return fleet({
    environment: "prod",
    gitlab: { url: "https://gitlab.example.com", caCertificate: CA_PEM },
    kubernetesClusters: [
      kubernetesCluster("other", [runner("other-dind")]),
      kubernetesCluster(
        "k8s-1",
        [
          runner("k8s-1-dind"),
          runner("k8s-1-plain", { dind: dind({ tls: false, privilegeMode: "all" }) }),
        ],
        { namespace: "ci", context: "prod-context" },
      ),
    ],
  });
}

/** Every token of the fleet, as secrets, keyed by config path like the program passes them. */
function secretTokens(input: Fleet): Record<string, pulumi.Output<string>> {
  const runners = input.kubernetesClusters.flatMap((cluster) => cluster.runners);
  return Object.fromEntries(
    runners.map((r) => [r.token.configPath, pulumi.secret(fakeTokenText(r.token))]),
  );
}

/** The inputs with each secret replaced by its value, as the provider sends them to the API server. */
function revealSecrets(value: unknown): unknown {
  if (isSecretValue(value)) return revealSecrets(value.value);
  if (Array.isArray(value)) return value.map(revealSecrets);
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(
      Object.entries(value).map(([key, entry]) => [key, revealSecrets(entry)]),
    );
  }
  return value;
}

function one(resources: readonly RecordedResource[], type: string): RecordedResource {
  const matching = resources.filter((resource) => resource.type === type);
  assert.equal(matching.length, 1, `exactly one ${type}`);
  return matching[0]!;
}

describe("KubernetesRunner", () => {
  let mocks: MockRecorder;
  const input = twoClusterFleet();
  const cluster = input.kubernetesClusters[1]!;
  const tokenValues = cluster.runners.map((r) => fakeTokenText(r.token));

  let component: KubernetesRunner;
  let recorded: readonly RecordedResource[];

  before(async () => {
    mocks = await recordPulumiResources();
    component = new KubernetesRunner("k8s-1", {
      fleet: input,
      cluster,
      tokens: secretTokens(input),
    });
    // The component, its provider and eight Kubernetes objects.
    recorded = await mocks.waitFor("k8s-1", 10);
  });

  it("creates one typed resource per object, named after its kind and the object's name", () => {
    assert.deepEqual(
      recorded.map((resource) => [resource.type, resource.name]).sort(),
      [
        ["dind-runners:kubernetes:KubernetesRunner", "k8s-1"],
        ["kubernetes:apps/v1:DaemonSet", "k8s-1-daemonset-dind-overlay-module"],
        ["kubernetes:apps/v1:Deployment", "k8s-1-deployment-gitlab-runner-manager"],
        ["kubernetes:core/v1:ConfigMap", "k8s-1-configmap-dind-daemon-config"],
        ["kubernetes:core/v1:Namespace", "k8s-1-namespace-ci"],
        ["kubernetes:core/v1:Secret", "k8s-1-secret-gitlab-runner-config"],
        ["kubernetes:core/v1:ServiceAccount", "k8s-1-service-account-gitlab-runner"],
        ["kubernetes:rbac.authorization.k8s.io/v1:Role", "k8s-1-role-gitlab-runner-executor"],
        [
          "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding",
          "k8s-1-role-binding-gitlab-runner-executor",
        ],
        ["pulumi:providers:kubernetes", "k8s-1-provider"],
      ].sort(),
    );
  });

  it("keeps each object's former name as an alias, so existing stacks rename it in place", () => {
    assert.deepEqual(
      recorded
        .filter((resource) => resource.type.startsWith("kubernetes:"))
        .map((resource) => [resource.name, resource.aliasNames])
        .sort(),
      [
        ["k8s-1-configmap-dind-daemon-config", ["k8s-1-daemon-config"]],
        ["k8s-1-daemonset-dind-overlay-module", ["k8s-1-overlay-module"]],
        ["k8s-1-deployment-gitlab-runner-manager", ["k8s-1-manager"]],
        ["k8s-1-namespace-ci", ["k8s-1-namespace"]],
        ["k8s-1-role-binding-gitlab-runner-executor", ["k8s-1-role-binding"]],
        ["k8s-1-role-gitlab-runner-executor", ["k8s-1-role"]],
        ["k8s-1-secret-gitlab-runner-config", ["k8s-1-config"]],
        ["k8s-1-service-account-gitlab-runner", ["k8s-1-service-account"]],
      ],
    );
  });

  it("declares the registry CA ConfigMap next to the daemon config one, each under a name of its own (Pulumi refuses a repeated URN)", async () => {
    const trusting = dind({
      registryCertificates: [{ registry: "registry.example.internal:5000", caCertificate: CA_PEM }],
    });
    const caFleet = fleet({
      kubernetesClusters: [kubernetesCluster("k8s-ca", [runner("k-ca", { dind: trusting })])],
    });
    new KubernetesRunner("k8s-ca", {
      fleet: caFleet,
      cluster: caFleet.kubernetesClusters[0]!,
      tokens: secretTokens(caFleet),
    });
    const configMaps = (await mocks.waitFor("k8s-ca", 11)).filter(
      (resource) => resource.type === "kubernetes:core/v1:ConfigMap",
    );
    assert.deepEqual(mocks.refused, []);
    assert.deepEqual(configMaps.map((resource) => [resource.name, resource.aliasNames]).sort(), [
      ["k8s-ca-configmap-dind-daemon-config", ["k8s-ca-daemon-config"]],
      ["k8s-ca-configmap-dind-registry-certificates", []],
    ]);
  });

  it("deploys every object through a provider bound to the cluster's kubeconfig context", () => {
    const provider = one(recorded, "pulumi:providers:kubernetes");
    assert.equal(provider.inputs["context"], "prod-context");
    assert.equal(provider.inputs["enableSecretMutable"], "true");
    assert.equal(provider.inputs["enableConfigMapMutable"], "true");
    const objects = recorded.filter((resource) => resource.type.startsWith("kubernetes:"));
    assert.equal(objects.length, 8);
    for (const object of objects) {
      assert.match(
        object.provider ?? "",
        /^urn:pulumi:test::dind-runners::.*pulumi:providers:kubernetes::k8s-1-provider::k8s-1-provider-id$/,
        `${object.name} uses the cluster's provider`,
      );
    }
  });

  it("declares only objects the Kubernetes schemas accept (no unknown field), as the engine receives them", async () => {
    const objects = recorded
      .filter((resource) => resource.type.startsWith("kubernetes:"))
      .map((resource) => revealSecrets(resource.inputs));
    assert.equal(objects.length, 8);
    assert.deepEqual(await kubernetesSchemaProblems(objects), []);
  });

  it("puts config.toml with the real tokens into the Secret, as a secret", () => {
    const secret = one(recorded, "kubernetes:core/v1:Secret");
    const stringData = secret.inputs["stringData"];
    assert.ok(isSecretValue(stringData), "stringData reaches the engine as a secret");
    assert.deepEqual(stringData.value, {
      "config.toml": managerConfigToml(input, cluster, fakeTokenText),
      "gitlab-ca.crt": CA_PEM,
      ".runner_system_id": runnerSystemId(input, cluster),
    });
    for (const token of tokenValues) {
      assert.ok(JSON.stringify(stringData.value).includes(token), `${token} is in config.toml`);
    }
  });

  it("never shows a token outside a secret, in any input or output", async () => {
    const visible = JSON.stringify(recorded.map((resource) => withoutSecrets(resource.inputs)));
    const outputs = await outputValue(
      pulumi.all([component.namespace, component.deploymentName, component.configDigest]),
    );
    for (const token of [...tokenValues, "glrt-FAKE"]) {
      assert.ok(!visible.includes(token), `${token} visible in a resource input`);
      assert.ok(!JSON.stringify(outputs).includes(token), `${token} in an output`);
    }
    for (const output of [component.namespace, component.deploymentName, component.configDigest]) {
      assert.equal(await pulumi.isSecret(output), false);
    }
  });

  it("passes the manifests unchanged as the other objects' inputs", () => {
    const deployment = one(recorded, "kubernetes:apps/v1:Deployment");
    assert.deepEqual(deployment.inputs["metadata"], {
      name: "gitlab-runner-manager",
      namespace: "ci",
      labels: {
        "app.kubernetes.io/managed-by": "dind-runners",
        "dind-runners.environment": "prod",
        "dind-runners.target": "k8s-1",
        "dind-runners.role": "manager",
      },
    });
    const configMap = one(recorded, "kubernetes:core/v1:ConfigMap");
    assert.deepEqual(Object.keys(configMap.inputs["data"] as object), [
      "k8s-1-dind.json",
      "k8s-1-plain.json",
    ]);
  });

  it("outputs the namespace, the Deployment's name and the digest of the redacted files", async () => {
    const prefix = "kubernetes-clusters/k8s-1/";
    const files = renderFleetFiles(input, redactedSecretText).filter((file) =>
      file.path.startsWith(prefix),
    );
    assert.deepEqual(
      files.map((file) => file.path),
      [
        "kubernetes-clusters/k8s-1/config.toml",
        "kubernetes-clusters/k8s-1/dind/k8s-1-dind.json",
        "kubernetes-clusters/k8s-1/dind/k8s-1-plain.json",
        "kubernetes-clusters/k8s-1/manifests.yaml",
      ],
    );
    assert.equal(await outputValue(component.namespace), "ci");
    assert.equal(await outputValue(component.deploymentName), "gitlab-runner-manager");
    assert.equal(await outputValue(component.configDigest), configDigest(files));
  });

  it("refuses to deploy a cluster whose runner has no token, naming its config path", async () => {
    const tokens = secretTokens(input);
    delete tokens["kubernetesClusters[1].runners[1].token"];
    assert.throws(() => new KubernetesRunner("missing", { fleet: input, cluster, tokens }), {
      message:
        "kubernetes cluster k8s-1: no runner token for kubernetesClusters[1].runners[1].token; " +
        "set each with: pulumi config set --secret --path '<path>' glrt-...",
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.deepEqual(
      mocks.resources
        .filter((resource) => resource.name.startsWith("missing"))
        .map((resource) => resource.type),
      ["dind-runners:kubernetes:KubernetesRunner"],
      "no provider and no Kubernetes object",
    );
  });
});
