/**
 * A config-only change (a new insecure registry, another limit) must update the
 * files in place and leave the runner manager untouched: identical inputs for
 * the manager container and for the Deployment's pod template mean Pulumi
 * neither replaces nor restarts them.
 */
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { DockerRunnerHost } from "../../components/docker/docker-runner-host.js";
import { KubernetesRunner } from "../../components/kubernetes/kubernetes-runner.js";
import type { Fleet } from "../../components/model/fleet.js";
import { dind, dockerHost, fleet, kubernetesCluster, runner } from "../render/fixtures.js";
import {
  outputValue,
  recordPulumiResources,
  type MockRecorder,
  type RecordedResource,
} from "../support/pulumi-mocks.js";

function fleetWith(registries: string[], limit: number): Fleet {
  const runners = [
    runner("r-a", { limit, dind: dind({ insecureRegistries: registries }) }),
    runner("r-b", { dind: dind({ insecureRegistries: registries }) }),
  ];
  return fleet({
    dockerHosts: [dockerHost("build-1", runners)],
    kubernetesClusters: [kubernetesCluster("k8s-1", runners)],
  });
}

const before_ = fleetWith(["registry.example.internal:5000"], 2);
const after_ = fleetWith(["registry.example.internal:5000", "10.0.0.9:5000"], 5);

function tokens(
  f: Fleet,
  kind: "dockerHosts" | "kubernetesClusters",
): Record<string, pulumi.Output<string>> {
  const runners =
    kind === "dockerHosts" ? f.dockerHosts[0]?.runners : f.kubernetesClusters[0]?.runners;
  return Object.fromEntries(
    (runners ?? []).map((r) => [r.token.configPath, pulumi.secret(`glrt-test-${r.name}`)]),
  );
}

describe("a config-only change", () => {
  let recorder: MockRecorder;
  const find = (name: string): RecordedResource => {
    const found = recorder.resources.find((r) => r.name === name);
    assert.ok(found, `no resource ${name}`);
    return found;
  };

  before(async () => {
    recorder = await recordPulumiResources();
    const outputs: pulumi.Output<string>[] = [];
    for (const [name, f] of [
      ["old", before_],
      ["new", after_],
    ] as const) {
      const host = f.dockerHosts[0];
      const cluster = f.kubernetesClusters[0];
      assert.ok(host && cluster);
      outputs.push(
        new DockerRunnerHost(name, { fleet: f, host, tokens: tokens(f, "dockerHosts") })
          .containerId,
      );
      outputs.push(
        new KubernetesRunner(`${name}-k8s`, {
          fleet: f,
          cluster,
          tokens: tokens(f, "kubernetesClusters"),
        }).deploymentName,
      );
    }
    await Promise.all(outputs.map(outputValue));
    await new Promise((resolve) => setTimeout(resolve, 50));
  });

  it("leaves the manager container's inputs identical", () => {
    assert.deepEqual(find("new-manager").inputs, find("old-manager").inputs);
  });

  it("changes the config writer, which rewrites the files in place", () => {
    assert.notDeepEqual(find("new-config-writer").inputs, find("old-config-writer").inputs);
  });

  it("leaves the Deployment's pod template identical while the Secret and ConfigMap change", () => {
    const template = (r: RecordedResource) =>
      (r.inputs["spec"] as Record<string, unknown>)["template"];
    assert.deepEqual(template(find("new-k8s-manager")), template(find("old-k8s-manager")));
    assert.notDeepEqual(find("new-k8s-config").inputs, find("old-k8s-config").inputs);
    assert.notDeepEqual(find("new-k8s-daemon-config").inputs, find("old-k8s-daemon-config").inputs);
  });
});
