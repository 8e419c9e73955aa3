import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  kubectlSecretArguments,
  readKubernetesConfigSecret,
  type CommandOutput,
  type CommandRunner,
} from "../../components/drift/kubernetes-config-secret.js";
import { DEFAULTS } from "../../components/model/defaults.js";
import type { KubernetesCluster } from "../../components/model/fleet.js";
import { jobPods } from "../render/fixtures.js";

const CLUSTER: KubernetesCluster = {
  variant: "kubernetes",
  name: "k8s-prod",
  context: "prod-cluster",
  namespace: "gitlab-runner-dind",
  manager: {
    runnerImage: DEFAULTS.runnerImage,
    concurrent: 10,
    checkInterval: DEFAULTS.checkInterval,
    shutdownTimeoutSeconds: DEFAULTS.shutdownTimeoutSeconds,
  },
  manageOverlayModule: true,
  managerAvoidsJobNodes: true,
  prometheusOperator: false,
  jobPods: jobPods(),
  runners: [],
};
const SOURCE = "secret gitlab-runner-config key config.toml in namespace gitlab-runner-dind";
const CONFIG = 'concurrent = 10\n[[runners]]\n  name = "k8s-prod-dind"\n  token = "glrt-secret"\n';

/** Answers like kubectl would, and records the call. */
function kubectl(output: CommandOutput, calls: string[][] = []): CommandRunner {
  return (command, args) => {
    calls.push([command, ...args]);
    return Promise.resolve(output);
  };
}

function secretJson(data: Record<string, string>): string {
  return JSON.stringify({
    apiVersion: "v1",
    kind: "Secret",
    metadata: { name: "gitlab-runner-config" },
    type: "Opaque",
    data,
  });
}

describe("readKubernetesConfigSecret", () => {
  it("reads config.toml from the Secret with the cluster's context and namespace", async () => {
    const calls: string[][] = [];
    const stdout = secretJson({
      "config.toml": Buffer.from(CONFIG).toString("base64"),
      "gitlab-ca.crt": "Y2E=",
    });
    const read = await readKubernetesConfigSecret(
      CLUSTER,
      kubectl({ code: 0, stdout, stderr: "" }, calls),
    );
    assert.deepEqual(read, { status: "found", source: SOURCE, text: CONFIG });
    assert.deepEqual(calls, [["kubectl", ...kubectlSecretArguments(CLUSTER)]]);
    assert.deepEqual(kubectlSecretArguments(CLUSTER), [
      "--context",
      "prod-cluster",
      "--namespace",
      "gitlab-runner-dind",
      "--request-timeout=30s",
      "get",
      "secret",
      "gitlab-runner-config",
      "--ignore-not-found",
      "--output",
      "json",
    ]);
  });

  it("reports a missing Secret or key as a missing file", async () => {
    assert.deepEqual(
      await readKubernetesConfigSecret(CLUSTER, kubectl({ code: 0, stdout: "", stderr: "" })),
      {
        status: "missing-file",
        source: SOURCE,
      },
    );
    const withoutKey = secretJson({ "gitlab-ca.crt": "Y2E=" });
    assert.deepEqual(
      await readKubernetesConfigSecret(
        CLUSTER,
        kubectl({ code: 0, stdout: withoutKey, stderr: "" }),
      ),
      {
        status: "missing-file",
        source: SOURCE,
      },
    );
  });

  it("cannot check when kubectl fails or is not installed", async () => {
    const failing = kubectl({
      code: 1,
      stdout: "",
      stderr: 'error: context "prod-cluster" does not exist\n',
    });
    await assert.rejects(readKubernetesConfigSecret(CLUSTER, failing), {
      name: "LiveReadError",
      message:
        'kubectl --context prod-cluster failed: error: context "prod-cluster" does not exist',
    });
    const missing: CommandRunner = () =>
      Promise.reject(Object.assign(new Error("spawn kubectl ENOENT"), { code: "ENOENT" }));
    await assert.rejects(readKubernetesConfigSecret(CLUSTER, missing), {
      message:
        "kubectl is not on PATH; the drift check reads clusters with kubectl (https://kubernetes.io/docs/tasks/tools/) — install it or pass --skip-runners",
    });
  });

  it("runs the real kubectl binary through the default runner (absent here: the not-installed message)", async () => {
    await assert.rejects(readKubernetesConfigSecret(CLUSTER, undefined, "/nonexistent/kubectl"), {
      message:
        "/nonexistent/kubectl is not on PATH; the drift check reads clusters with kubectl (https://kubernetes.io/docs/tasks/tools/) — install it or pass --skip-runners",
    });
  });
});
