/**
 * DockerRunnerHost under Pulumi's mocks: what it declares, with which resource
 * options, what a config-only change touches, and what a failing helper does.
 */
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { DockerRunnerHost } from "../../components/docker/docker-runner-host.js";
import { KubernetesRunner } from "../../components/kubernetes/kubernetes-runner.js";
import type { Fleet } from "../../components/model/fleet.js";
import { targetConfigDigest } from "../../components/render/target-config-digest.js";
import { dind, dockerHost, fleet, kubernetesCluster, runner } from "../render/fixtures.js";
import {
  isSecretValue,
  outputValue,
  recordPulumiResources,
  withoutSecrets,
  type MockRecorder,
  type RecordedResource,
} from "../support/pulumi-mocks.js";
import { runJsonChild } from "../support/json-child.js";
import { FAILING_OUTPUT, type FailingHelperReport } from "./failing-helper-program.js";

const CONTAINER = "docker:index/container:Container";

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

/** The one-shot helpers exit 0, as the Docker provider reports after waiting for them. */
function helpersSucceed(type: string, name: string): Record<string, unknown> {
  return type === CONTAINER && !name.endsWith("-manager") ? { exitCode: 0, containerLogs: "" } : {};
}

describe("DockerRunnerHost", () => {
  let recorder: MockRecorder;
  const options = new Map<string, pulumi.CustomResourceOptions>();
  const outputs = new Map<
    string,
    { containerId: string; configDigest: string; runners: string[] }
  >();
  const find = (name: string): RecordedResource => {
    const found = recorder.resources.find((r) => r.name === name);
    assert.ok(found, `no resource ${name}`);
    return found;
  };

  before(async () => {
    recorder = await recordPulumiResources("test", helpersSucceed);
    const recordOptions: pulumi.ResourceTransformation = (args) => {
      options.set(args.name, args.opts);
      return undefined;
    };
    const declared: pulumi.Output<unknown>[] = [];
    for (const [name, f] of [
      ["old", before_],
      ["new", after_],
    ] as const) {
      const host = f.dockerHosts[0];
      const cluster = f.kubernetesClusters[0];
      assert.ok(host && cluster);
      const component = new DockerRunnerHost(
        name,
        { fleet: f, host, tokens: tokens(f, "dockerHosts") },
        { transformations: [recordOptions] },
      );
      declared.push(
        pulumi
          .all([component.containerId, component.configDigest, component.runners])
          .apply(([containerId, configDigest, runners]) => {
            outputs.set(name, { containerId, configDigest, runners });
          }),
      );
      declared.push(
        new KubernetesRunner(`${name}-k8s`, {
          fleet: f,
          cluster,
          tokens: tokens(f, "kubernetesClusters"),
        }).deploymentName,
      );
    }
    await Promise.all(declared.map(outputValue));
    await new Promise((resolve) => setTimeout(resolve, 50));
  });

  it("declares provider, images, helpers and manager, each bound to the host's provider", () => {
    const declared = recorder.resources
      .filter((r) => r.name.startsWith("old-") && !r.name.startsWith("old-k8s"))
      .map((r) => `${r.type} ${r.name}`)
      .sort();
    assert.deepEqual(declared, [
      "docker:index/container:Container old-config-writer",
      "docker:index/container:Container old-manager",
      "docker:index/container:Container old-overlay-module",
      "docker:index/remoteImage:RemoteImage old-dind-image-docker-29.7.2-dind",
      "docker:index/remoteImage:RemoteImage old-runner-image",
      "pulumi:providers:docker old-provider",
    ]);
    for (const resource of recorder.resources.filter(
      (r) => r.name.startsWith("old-") && r.type.startsWith("docker:"),
    )) {
      assert.match(resource.provider ?? "", /::old-provider::old-provider-id$/, resource.name);
    }
    assert.deepEqual(find("old-provider").inputs["host"], "unix:///var/run/docker.sock");
    assert.deepEqual(withoutSecrets(find("old-runner-image").inputs), {
      name: "gitlab/gitlab-runner:v19.3.0",
      keepLocally: true,
    });
  });

  it("replaces every container delete-first: their fixed names cannot exist twice", () => {
    for (const name of ["old-config-writer", "old-overlay-module", "old-manager"]) {
      assert.equal(options.get(name)?.deleteBeforeReplace, true, name);
    }
  });

  it("lets the provider wait for the manager's graceful stop when deleting it", () => {
    const manager = find("old-manager").inputs;
    assert.equal(manager["stopTimeout"], 3600 + 300);
    assert.equal(manager["destroyGraceSeconds"], 3600 + 300);
    assert.deepEqual(options.get("old-manager")?.customTimeouts, { delete: `${3600 + 360}s` });
    assert.equal(options.get("old-config-writer")?.customTimeouts, undefined);
  });

  it("declares the manager only after the helpers succeeded", async () => {
    const dependsOn = options.get("old-manager")?.dependsOn;
    assert.ok(Array.isArray(dependsOn));
    const names = await Promise.all(
      dependsOn.map(async (dependency: pulumi.Input<pulumi.Resource>) => {
        const resource = await outputValue(pulumi.output(dependency));
        const urn = await outputValue(resource.urn);
        return urn.slice(urn.lastIndexOf("::") + 2);
      }),
    );
    assert.deepEqual(names, ["old-runner-image", "old-overlay-module", "old-config-writer"]);
  });

  it("uploads config.toml as a secret and runs the writer unprivileged from the runner image", () => {
    const writer = find("old-config-writer").inputs;
    assert.equal(writer["image"], "gitlab/gitlab-runner:v19.3.0");
    assert.equal(writer["privileged"], false);
    assert.equal(writer["mustRun"], false);
    assert.equal(writer["restart"], "no");
    assert.deepEqual(writer["volumes"], [
      { hostPath: "/etc/dind-runners", containerPath: "/target", readOnly: false },
    ]);
    const uploads = writer["uploads"];
    assert.ok(isSecretValue(uploads));
    assert.deepEqual(
      (uploads.value as { file: string; permissions?: string }[]).map((u) => [
        u.file,
        u.permissions,
      ]),
      [
        ["/staging/gitlab-runner/config.toml", "0600"],
        ["/staging/dind/r-a.json", undefined],
        ["/staging/dind/r-b.json", undefined],
      ],
    );
    assert.doesNotMatch(JSON.stringify(withoutSecrets(writer)), /glrt-test-/);
  });

  it("outputs the manager's id, the digest of the redacted files and the runner names", () => {
    const old = outputs.get("old");
    assert.ok(old);
    assert.equal(old.containerId, "old-manager-id");
    assert.equal(
      old.configDigest,
      targetConfigDigest(
        before_,
        before_.dockerHosts.find((host) => host.name === "build-1")!,
      ),
    );
    assert.deepEqual(old.runners, ["r-a", "r-b"]);
  });

  describe("a config-only change", () => {
    it("leaves the manager container's inputs identical", () => {
      assert.deepEqual(find("new-manager").inputs, find("old-manager").inputs);
    });

    it("changes the config writer, which rewrites the files in place", () => {
      assert.notDeepEqual(find("new-config-writer").inputs, find("old-config-writer").inputs);
    });

    it("changes the config digest output", () => {
      assert.notEqual(outputs.get("new")?.configDigest, outputs.get("old")?.configDigest);
    });

    it("leaves the Deployment's pod template identical while the Secret and ConfigMap change", () => {
      const template = (r: RecordedResource) =>
        (r.inputs["spec"] as Record<string, unknown>)["template"];
      assert.deepEqual(
        template(find("new-k8s-deployment-gitlab-runner-manager")),
        template(find("old-k8s-deployment-gitlab-runner-manager")),
      );
      assert.notDeepEqual(
        find("new-k8s-secret-gitlab-runner-config").inputs,
        find("old-k8s-secret-gitlab-runner-config").inputs,
      );
      assert.notDeepEqual(
        find("new-k8s-configmap-dind-daemon-config").inputs,
        find("old-k8s-configmap-dind-daemon-config").inputs,
      );
    });
  });
});

function runFailingHelper(helper: string): Promise<FailingHelperReport> {
  return runJsonChild<FailingHelperReport>([
    "--import",
    "tsx",
    "test/docker/failing-helper-program.ts",
    helper,
  ]);
}

describe("a one-shot helper that exits non-zero", () => {
  for (const [helper, what] of [
    ["config-writer", "the config writer (dind-runners-config-writer)"],
    ["overlay-module", "the overlay-module helper (dind-runners-overlay-module)"],
  ] as const) {
    it(`${helper}: fails the deployment with its output and never declares the manager`, async () => {
      const report = await runFailingHelper(helper);
      // The full story once, as the helper's error ...
      assert.deepEqual(report.logged, [
        `docker host build-1: ${what} exited with code 2, so the runner manager was not ` +
          `deployed or updated. Its output:\n${FAILING_OUTPUT}\n` +
          "Fix the cause, then run the helper again: pulumi up --replace " +
          "'urn:pulumi:test::dind-runners::dind-runners:docker:DockerRunnerHost$" +
          `docker:index/container:Container::failing-${helper}'`,
      ]);
      // ... and the error that stops the deployment, which the SDK prefixes with the
      // output property whose serialization met it first.
      assert.deepEqual(report.errors, [
        {
          message:
            'error serializing property "outputs": ' +
            `docker host build-1: ${what} failed, so the runner manager was not deployed or updated; ` +
            "see its error for the output",
          resourceError: true,
          hideStack: true,
        },
      ]);
      assert.ok(report.resources.includes(`failing-${helper}`));
      assert.ok(!report.resources.includes("failing-manager"), report.resources.join(", "));
    });
  }
});
