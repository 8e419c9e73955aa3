/**
 * What `pulumi up` of an example stack must declare, checked the same way for
 * dev, staging and prod (each from its own test file: one program run per process).
 */
import assert from "node:assert/strict";
import { describe, it, before } from "node:test";
import { PATHS } from "../../components/model/defaults.js";
import { DOCKER_NAMES } from "../../components/model/names.js";
import { dockerHostConfigToml } from "../../components/render/docker-host-config.js";
import { kubernetesClusterConfigToml } from "../../components/render/kubernetes-cluster-config.js";
import { renderFleetFiles } from "../../components/render/render-fleet-files.js";
import { redactedSecretText } from "../../components/render/secret-text.js";
import { isSecretValue, withoutSecrets, type RecordedResource } from "../support/pulumi-mocks.js";
import { fakeToken, runProgram, type ProgramRun } from "./program-harness.js";

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

/** Token lines differ between the deployed and the rendered file, nothing else may. */
function withoutTokenLines(toml: string): string {
  return toml.replace(/^token = .*$/gm, "token = <token>");
}

export function describeStack(stack: string): void {
  describe(`pulumi up of stack ${stack} (mocked engine)`, () => {
    let run: ProgramRun;
    before(async () => {
      run = await runProgram(stack);
      assert.equal(run.error, undefined);
    });

    it("declares per Docker host a provider, the images, the helpers and the manager, all bound to that host's provider", () => {
      for (const host of run.fleet.dockerHosts) {
        const prefix = `docker-${host.name}`;
        const provider = named(run, `${prefix}-provider`);
        assert.equal(provider.type, "pulumi:providers:docker");
        assert.equal(provider.inputs["host"], host.endpoint.url);
        const children = run.resources.filter(
          (r) => r.name.startsWith(`${prefix}-`) && r.name !== `${prefix}-provider`,
        );
        const expected = [
          `${prefix}-config-writer`,
          `${prefix}-manager`,
          `${prefix}-runner-image`,
          ...(host.manageOverlayModule ? [`${prefix}-overlay-module`] : []),
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
        const longestJob = Math.max(...host.runners.map((r) => r.jobTimeoutSeconds));
        assert.ok(Number(manager.inputs["stopTimeout"]) >= longestJob);
        assert.deepEqual(manager.inputs["mounts"], [
          {
            type: "bind",
            source: PATHS.hostConfigDir,
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
        assert.equal(named(run, `docker-${host.name}-config-writer`).inputs["privileged"], false);
      }
    });

    it("uploads, as a secret, exactly the config.toml `npm run render` writes (tokens aside)", () => {
      const rendered = new Map(
        renderFleetFiles(run.fleet, redactedSecretText).map((f) => [f.path, f.content]),
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
        const tokens = new Map(
          host.runners.map((runner) => [runner.token.configPath, fakeToken(runner.name)]),
        );
        assert.equal(
          deployed,
          dockerHostConfigToml(run.fleet, host, (ref) => tokens.get(ref.configPath) ?? "?"),
        );
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
        const secret = named(run, `k8s-${cluster.name}-config`);
        const dataInput = secret.inputs["stringData"];
        const data = (isSecretValue(dataInput) ? dataInput.value : dataInput) as Record<
          string,
          unknown
        >;
        const tokens = new Map(
          cluster.runners.map((runner) => [runner.token.configPath, fakeToken(runner.name)]),
        );
        const deployed = isSecretValue(dataInput)
          ? String(data["config.toml"])
          : secretText(data["config.toml"]);
        assert.equal(
          deployed,
          kubernetesClusterConfigToml(
            run.fleet,
            cluster,
            (ref) => tokens.get(ref.configPath) ?? "?",
          ),
        );
        assert.equal(
          withoutTokenLines(deployed),
          withoutTokenLines(rendered.get(`kubernetes-clusters/${cluster.name}/config.toml`) ?? ""),
        );
      }
    });

    it("keeps every runner token out of plain inputs, outputs and logs", () => {
      const plain = JSON.stringify(run.resources.map((r) => withoutSecrets(r.inputs)));
      assert.doesNotMatch(plain, /glrt-test-/);
      assert.doesNotMatch(JSON.stringify(run.outputs), /glrt-test-/);
      assert.doesNotMatch(run.logs, /glrt-test-/);
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
