/**
 * Every Kubernetes object this product renders is one the API server accepts:
 * the golden manifests of the example stacks and the manifests of every
 * fixture fleet, checked against the official Kubernetes schemas
 * (test/support/kubernetes-schema.ts). The checker itself is shown to refuse
 * what an API server refuses, with the message it gives.
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { parseAllDocuments } from "yaml";
import type { Fleet } from "../../components/model/fleet.js";
import { kubernetesManifests } from "../../components/render/kubernetes-manifests.js";
import { kubernetesSchemaProblems } from "../support/kubernetes-schema.js";
import { backendsFleet, smallKubernetesFleet, varietyFleet } from "./fixtures.js";

const GOLDEN = join(__dirname, "golden");

/** Every `manifests.yaml` under the golden files, by path. */
function goldenManifestFiles(): string[] {
  return readdirSync(GOLDEN, { recursive: true, encoding: "utf8" })
    .filter((path) => path.endsWith("manifests.yaml"))
    .sort();
}

function renderedObjects(input: Fleet): unknown[] {
  return input.kubernetesClusters.flatMap((cluster) => [
    ...kubernetesManifests(input, cluster, "CONFIG"),
  ]);
}

describe("Kubernetes schemas", () => {
  const goldenFiles = goldenManifestFiles();

  it("there are golden manifests to check (the prod stack has a cluster)", () => {
    assert.ok(
      goldenFiles.includes(join("prod", "kubernetes-clusters", "k8s-prod", "manifests.yaml")),
    );
  });

  for (const path of goldenFiles) {
    it(`golden ${path}: every object validates, no unknown field`, async () => {
      const objects: unknown[] = parseAllDocuments(readFileSync(join(GOLDEN, path), "utf8")).map(
        (document): unknown => document.toJS() as unknown,
      );
      assert.equal(objects.length >= 7, true, "namespace, RBAC, config, Deployment at least");
      assert.deepEqual(await kubernetesSchemaProblems(objects), []);
    });
  }

  const fleets: [string, Fleet][] = [
    ["variety fleet", varietyFleet()],
    ["small cluster", smallKubernetesFleet()],
    ["small cluster without overlay module", smallKubernetesFleetWithoutOverlay()],
    ["every backend (a buildkit cluster)", backendsFleet()],
  ];
  for (const [what, input] of fleets) {
    it(`${what}: every rendered object validates, no unknown field`, async () => {
      assert.deepEqual(await kubernetesSchemaProblems(renderedObjects(input)), []);
    });
  }
});

function smallKubernetesFleetWithoutOverlay(): Fleet {
  const input = smallKubernetesFleet();
  return {
    ...input,
    kubernetesClusters: input.kubernetesClusters.map((cluster) => ({
      ...cluster,
      manageOverlayModule: false,
    })),
  };
}

describe("the Kubernetes schema check refuses what an API server refuses", () => {
  const deployment = (container: Record<string, unknown>, volume: Record<string, unknown>) => ({
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "manager" },
    spec: {
      selector: { matchLabels: { app: "x" } },
      template: {
        metadata: { labels: { app: "x" } },
        spec: { containers: [container], volumes: [volume] },
      },
    },
  });

  it("an unknown field, at its path", async () => {
    assert.deepEqual(
      await kubernetesSchemaProblems([
        deployment({ name: "c", image: "busybox", privilegd: true }, { name: "v", emptyDir: {} }),
      ]),
      [
        "Deployment manager: .spec.template.spec.containers[0].privilegd: unknown field (not in IContainer)",
      ],
    );
  });

  it("a value outside an enum, a malformed quantity and a missing required field", async () => {
    assert.deepEqual(
      await kubernetesSchemaProblems([
        deployment(
          { image: "busybox", imagePullPolicy: "Sometimes" },
          { name: "v", emptyDir: { sizeLimit: "20GB" } },
        ),
      ]),
      [
        'Deployment manager: .spec.template.spec.containers[0]: must have required property name {"missingProperty":"name"}',
        'Deployment manager: .spec.template.spec.containers[0].imagePullPolicy: must be equal to one of the allowed values {"allowedValues":["Always","IfNotPresent","Never"]}',
        'Deployment manager: .spec.template.spec.volumes[0].emptyDir.sizeLimit: must be number {"type":"number"}',
        'Deployment manager: .spec.template.spec.volumes[0].emptyDir.sizeLimit: must match format "quantity" {"format":"quantity"}',
        'Deployment manager: .spec.template.spec.volumes[0].emptyDir.sizeLimit: must match exactly one schema in "oneOf" {"passingSchemas":null}',
        `Deployment manager: .spec.template.spec.containers[0].imagePullPolicy: Type '"Sometimes"' is not assignable to type '"Always" | "IfNotPresent" | "Never" | undefined'.`,
      ],
    );
  });

  it("a kind without a schema", async () => {
    assert.deepEqual(
      await kubernetesSchemaProblems([
        { apiVersion: "v1", kind: "Sekret", metadata: { name: "s" } },
      ]),
      ["Sekret s: no Kubernetes schema for v1 Sekret"],
    );
  });
});
