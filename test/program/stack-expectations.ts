/**
 * What `pulumi up` of an example stack must declare, checked the same way for
 * dev, staging and prod (each from its own test file: one program run per process).
 */
import assert from "node:assert/strict";
import { describe, it, before } from "node:test";
import { SSH_OPTIONS } from "../../components/docker/docker-provider-spec.js";
import { STOP_MARGIN_SECONDS } from "../../components/docker/manager-container-spec.js";
import { DOCKER_NAMES, KUBERNETES_NAMES } from "../../components/model/names.js";
import { renderFleetFiles } from "../../components/render/render-fleet-files.js";
import { redactedSecretText } from "../../components/render/secret-text.js";
import { isSecretValue, withoutSecrets, type RecordedResource } from "../support/pulumi-mocks.js";
import { repeatedIdentities } from "../support/pulumi-urn.js";
import { targetConfigDigest } from "../../components/render/target-config-digest.js";
import { cacheSecrets } from "../../components/model/cache.js";
import {
  FAKE_KEY,
  fakeCacheCredential,
  fakeToken,
  runProgram,
  type ProgramRun,
} from "./program-harness.js";

const CONTAINER = "docker:index/container:Container";

function named(run: ProgramRun, name: string): RecordedResource {
  const found = run.resources.find((resource) => resource.name === name);
  assert.ok(found, `no resource ${name}; have ${run.resources.map((r) => r.name).join(", ")}`);
  return found;
}

function secretText(value: unknown): string {
  assert.ok(isSecretValue(value), "expected a secret");
  return String(value.value);
}

/** Token and cache credential lines differ between the deployed and the rendered file, nothing else may. */
function withoutTokenLines(toml: string): string {
  return toml.replace(
    /^(\s*)(token|AccessKey|SecretKey|SessionToken|PrivateKey|AccountKey) = .*$/gm,
    "$1$2 = <secret>",
  );
}

export function describeStack(stack: string): void {
  describe(`pulumi up of stack ${stack} (mocked engine)`, () => {
    let run: ProgramRun;
    before(async () => {
      run = await runProgram(stack);
      assert.equal(run.error, undefined);
    });

    it("declares no two resources with the same type, name and parent (Pulumi refuses a repeated URN)", () => {
      assert.deepEqual(repeatedIdentities(run.resources), []);
      assert.equal(new Set(run.resources.map((r) => r.urn)).size, run.resources.length);
    });

    it("declares per Docker host a provider, the images, the helpers and the manager, all bound to that host's provider", () => {
      for (const host of run.fleet.dockerHosts) {
        const prefix = `docker-${host.name}`;
        const provider = named(run, `${prefix}-provider`);
        assert.equal(provider.type, "pulumi:providers:docker");
        assert.equal(provider.inputs["host"], host.endpoint.url);
        const endpoint = host.endpoint;
        switch (endpoint.kind) {
          case "unix":
            assert.deepEqual(provider.inputs, { host: endpoint.url });
            break;
          case "ssh":
            assert.equal(provider.inputs["sshOpts"], JSON.stringify(SSH_OPTIONS));
            break;
          case "tcp":
            assert.equal(provider.inputs["caMaterial"], endpoint.tls.caCert);
            assert.equal(provider.inputs["certMaterial"], endpoint.tls.clientCert);
            assert.equal(secretText(provider.inputs["keyMaterial"]), FAKE_KEY);
            break;
        }
        const children = run.resources.filter(
          (r) => r.name.startsWith(`${prefix}-`) && r.name !== `${prefix}-provider`,
        );
        const expected = [
          `${prefix}-config-writer`,
          `${prefix}-manager`,
          `${prefix}-runner-image`,
          ...(host.manageOverlayModule ? [`${prefix}-overlay-module`] : []),
          ...(host.housekeeping === undefined
            ? []
            : [`${prefix}-housekeeping`, `${prefix}-housekeeping-image`]),
        ];
        for (const name of expected) named(run, name);
        for (const child of children) {
          assert.match(
            child.provider ?? "",
            new RegExp(`::${prefix}-provider::`),
            `${child.name} must use ${prefix}-provider`,
          );
        }
      }
    });

    it("runs the manager unprivileged with the config directory, the engine socket, SIGQUIT and a stop timeout above the longest job", () => {
      for (const host of run.fleet.dockerHosts) {
        const manager = named(run, `docker-${host.name}-manager`);
        assert.equal(manager.type, CONTAINER);
        assert.equal(manager.inputs["name"], DOCKER_NAMES.managerContainer);
        assert.equal(manager.inputs["image"], host.manager.runnerImage);
        assert.equal(manager.inputs["privileged"], false);
        assert.equal(manager.inputs["restart"], "unless-stopped");
        assert.equal(manager.inputs["stopSignal"], "SIGQUIT");
        assert.equal(manager.inputs["networkMode"], "host");
        assert.deepEqual(
          manager.inputs["envs"],
          host.manager.listenAddress === undefined
            ? undefined
            : [`LISTEN_ADDRESS=${host.manager.listenAddress}`],
        );
        const longestJob = Math.max(...host.runners.map((r) => r.jobTimeoutSeconds));
        assert.equal(manager.inputs["stopTimeout"], longestJob + STOP_MARGIN_SECONDS);
        assert.deepEqual(manager.inputs["mounts"], [
          {
            type: "bind",
            // The example stacks keep the default hostConfigDir.
            source: "/etc/dind-runners/gitlab-runner",
            target: "/etc/gitlab-runner",
            readOnly: false,
          },
          {
            type: "bind",
            source: "/var/run/docker.sock",
            target: "/var/run/docker.sock",
            readOnly: false,
          },
        ]);
        const overlay = run.resources.find((r) => r.name === `docker-${host.name}-overlay-module`);
        if (overlay) assert.equal(overlay.inputs["privileged"], true);
        // The example stacks keep housekeeping on: unprivileged, with the socket like the manager.
        const housekeeping = named(run, `docker-${host.name}-housekeeping`);
        assert.equal(housekeeping.inputs["name"], DOCKER_NAMES.housekeepingContainer);
        assert.equal(housekeeping.inputs["privileged"], false);
        assert.equal(housekeeping.inputs["restart"], "unless-stopped");
        assert.equal(
          named(run, `docker-${host.name}-housekeeping-image`).inputs["name"],
          housekeeping.inputs["image"],
        );
        assert.equal(named(run, `docker-${host.name}-config-writer`).inputs["privileged"], false);
      }
    });

    it("uploads, as a secret, exactly the config.toml `npm run render` writes (tokens aside)", () => {
      const rendered = new Map(
        renderFleetFiles(run.fleet, redactedSecretText).map((f) => [f.path, f.content]),
      );
      // What `npm run render` would write if it knew the tokens the program was given.
      const tokenByPath = new Map(
        [...run.fleet.dockerHosts, ...run.fleet.kubernetesClusters].flatMap((target) =>
          target.runners.flatMap((runner) => [
            [runner.token.configPath, fakeToken(runner.name)] as const,
            ...cacheSecrets(runner.cache).map(
              (ref) => [ref.configPath, fakeCacheCredential(ref.configPath)] as const,
            ),
          ]),
        ),
      );
      const withTokens = new Map(
        renderFleetFiles(run.fleet, (ref) => tokenByPath.get(ref.configPath) ?? "?").map((f) => [
          f.path,
          f.content,
        ]),
      );
      for (const host of run.fleet.dockerHosts) {
        const writer = named(run, `docker-${host.name}-config-writer`);
        // One secret element makes the whole upload list a secret in the state.
        const uploadsInput = writer.inputs["uploads"];
        assert.ok(isSecretValue(uploadsInput), "the uploads holding config.toml must be a secret");
        const uploads = uploadsInput.value as { file: string; content: unknown }[];
        const upload = uploads.find((u) => u.file.endsWith("/config.toml"));
        assert.ok(upload);
        const deployed = String(upload.content);
        assert.equal(deployed, withTokens.get(`docker-hosts/${host.name}/config.toml`));
        const file = rendered.get(`docker-hosts/${host.name}/config.toml`);
        assert.equal(withoutTokenLines(deployed), withoutTokenLines(file ?? ""));
        for (const runner of host.runners) {
          const daemon = uploads.find((u) => u.file.endsWith(`/dind/${runner.name}.json`));
          assert.equal(
            daemon?.content,
            rendered.get(`docker-hosts/${host.name}/dind/${runner.name}.json`),
          );
        }
      }
      for (const cluster of run.fleet.kubernetesClusters) {
        const secret = named(run, `k8s-${cluster.name}-secret-gitlab-runner-config`);
        const dataInput = secret.inputs["stringData"];
        const data = (isSecretValue(dataInput) ? dataInput.value : dataInput) as Record<
          string,
          unknown
        >;
        const deployed = isSecretValue(dataInput)
          ? String(data["config.toml"])
          : secretText(data["config.toml"]);
        assert.equal(deployed, withTokens.get(`kubernetes-clusters/${cluster.name}/config.toml`));
        assert.equal(
          withoutTokenLines(deployed),
          withoutTokenLines(rendered.get(`kubernetes-clusters/${cluster.name}/config.toml`) ?? ""),
        );
      }
    });

    it("keeps every runner token, cache credential and TLS client key out of plain inputs, outputs and logs", () => {
      const plain = JSON.stringify(run.resources.map((r) => withoutSecrets(r.inputs)));
      const key = JSON.stringify(FAKE_KEY).slice(1, -1);
      for (const visible of [plain, JSON.stringify(run.outputs), run.logs]) {
        assert.doesNotMatch(visible, /glrt-test-/);
        assert.doesNotMatch(visible, /fake-cache-credential-/);
        assert.ok(!visible.includes(key) && !visible.includes(FAKE_KEY), "a TLS key is visible");
      }
    });

    it("tells, naming the host, where overlay module management is switched off", () => {
      for (const host of run.fleet.dockerHosts) {
        const message =
          `docker host ${host.name}: overlay module management is switched off ` +
          `(dind.manageOverlayModule: false, or no runner with backend dind); make sure the host's kernel has overlay loaded for dind`;
        assert.equal(run.logs.includes(message), !host.manageOverlayModule, host.name);
      }
    });

    it("exports per Docker host the manager's id and the digest of its redacted files", () => {
      const expected = Object.fromEntries(
        run.fleet.dockerHosts.map((host) => [
          host.name,
          {
            containerId: `docker-${host.name}-manager-id`,
            configDigest: targetConfigDigest(run.fleet, host),
          },
        ]),
      );
      assert.deepEqual(run.outputs["dockerHosts"], expected);
    });

    it("declares per cluster a provider for its context and binds every object to it", () => {
      for (const cluster of run.fleet.kubernetesClusters) {
        const prefix = `k8s-${cluster.name}`;
        const provider = named(run, `${prefix}-provider`);
        assert.equal(provider.type, "pulumi:providers:kubernetes");
        assert.equal(provider.inputs["context"], cluster.context);
        const objects = run.resources.filter(
          (r) => r.name.startsWith(`${prefix}-`) && r.name !== `${prefix}-provider`,
        );
        assert.deepEqual(
          objects.map((r) => r.type).sort(),
          [
            "kubernetes:apps/v1:Deployment",
            "kubernetes:core/v1:ConfigMap",
            "kubernetes:core/v1:Namespace",
            "kubernetes:core/v1:Secret",
            "kubernetes:core/v1:ServiceAccount",
            "kubernetes:rbac.authorization.k8s.io/v1:Role",
            "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding",
            ...(cluster.manageOverlayModule ? ["kubernetes:apps/v1:DaemonSet"] : []),
            // The registry CA ConfigMap, when a runner trusts a registry CA.
            ...(cluster.runners.some((runner) => runner.dind.registryCertificates.length > 0)
              ? ["kubernetes:core/v1:ConfigMap"]
              : []),
            // The metrics Service with a listener; the Prometheus Operator's objects on request.
            ...(cluster.manager.listenAddress === undefined ? [] : ["kubernetes:core/v1:Service"]),
            ...(cluster.manager.listenAddress !== undefined && cluster.prometheusOperator
              ? [
                  "kubernetes:monitoring.coreos.com/v1:PodMonitor",
                  "kubernetes:monitoring.coreos.com/v1:PrometheusRule",
                ]
              : []),
          ].sort(),
        );
        for (const object of objects) {
          assert.match(object.provider ?? "", new RegExp(`::${prefix}-provider::`), object.name);
        }
      }
      const clusters = (run.outputs["kubernetesClusters"] ?? {}) as Record<string, unknown>;
      assert.deepEqual(
        Object.keys(clusters),
        run.fleet.kubernetesClusters.map((c) => c.name),
      );
      for (const cluster of run.fleet.kubernetesClusters) {
        assert.deepEqual(clusters[cluster.name], {
          namespace: cluster.namespace,
          deploymentName: KUBERNETES_NAMES.managerDeployment,
          configDigest: targetConfigDigest(run.fleet, cluster),
        });
      }
    });

    it("exports one summary line per runner with variant, target and tags", () => {
      const expected = [
        ...run.fleet.dockerHosts.flatMap((h) =>
          h.runners.map((r) => ({ name: r.name, variant: "docker", target: h.name, tags: r.tags })),
        ),
        ...run.fleet.kubernetesClusters.flatMap((c) =>
          c.runners.map((r) => ({
            name: r.name,
            variant: "kubernetes",
            target: c.name,
            tags: r.tags,
          })),
        ),
      ];
      assert.deepEqual(run.outputs["runners"], expected);
    });
  });
}
