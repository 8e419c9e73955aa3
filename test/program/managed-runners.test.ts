/**
 * `pulumi up` of the prod stack with `gitlab.manageRunners: true` (mocked
 * engine): one GitLabRunner per runner, whose token (what GitLab would return)
 * is what config.toml gets, as a secret only; the API token is a secret input.
 */
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { isSecretValue, withoutSecrets, type RecordedResource } from "../support/pulumi-mocks.js";
import { configWithSecrets, runProgram, type ProgramRun } from "./program-harness.js";

const GITLAB_RUNNER = "pulumi-nodejs:dynamic/gitlab:GitLabRunner";
const API_TOKEN = "glpat-test-api-token-0123456789";
const RUNNERS = [
  "prod-1-dind",
  "prod-1-dind-large",
  "prod-2-dind",
  "prod-2-dind-mirror",
  "k8s-prod-dind",
];

/** The token the mocked GitLab issues to a runner. */
const issuedToken = (runner: string) => `glrt-issued-${runner}-secret`;

interface Editable {
  gitlab: Record<string, unknown>;
  defaults: Record<string, unknown>;
  dockerHosts: { runners: Record<string, unknown>[] }[];
  kubernetesClusters: { runners: Record<string, unknown>[] }[];
}

function managedConfig(): Record<string, unknown> {
  const values = configWithSecrets("prod") as unknown as Editable;
  values.gitlab["manageRunners"] = true;
  values.gitlab["apiToken"] = API_TOKEN;
  values.defaults["scope"] = { group: "platform/build" };
  for (const target of [...values.dockerHosts, ...values.kubernetesClusters]) {
    for (const runner of target.runners) delete runner["token"];
  }
  const large = values.dockerHosts[0]?.runners[1];
  assert.ok(large);
  Object.assign(large, {
    scope: { project: 77 },
    description: "large builds",
    paused: true,
    accessLevel: "ref_protected",
    maximumTimeout: 10800,
    rotateToken: "2026-12",
  });
  return values as unknown as Record<string, unknown>;
}

function named(run: ProgramRun, name: string): RecordedResource {
  const found = run.resources.find((resource) => resource.name === name);
  assert.ok(found, `no resource ${name}`);
  return found;
}

function secretText(value: unknown): string {
  assert.ok(isSecretValue(value), "expected a secret");
  return String(value.value);
}

describe("pulumi up of prod with gitlab.manageRunners: true (mocked engine)", () => {
  let run: ProgramRun;
  before(async () => {
    run = await runProgram(
      "prod",
      managedConfig(),
      ["dind-runners:gitlab", "dind-runners:dockerHosts", "dind-runners:kubernetesClusters"],
      (type, _name, inputs) =>
        type === GITLAB_RUNNER
          ? {
              runnerId: 1000 + RUNNERS.indexOf(String(inputs["runnerName"])),
              token: issuedToken(String(inputs["runnerName"])),
              tokenExpiresAt: null,
            }
          : {},
    );
    assert.equal(run.error, undefined, String(run.error));
  });

  it("declares one GitLabRunner per runner with the stack's scope and settings", () => {
    const declared = run.resources.filter((r) => r.type === GITLAB_RUNNER);
    assert.deepEqual(
      declared.map((r) => r.name).sort(),
      RUNNERS.map((name) => `gitlab-runner-${name}`).sort(),
    );
    const large = named(run, "gitlab-runner-prod-1-dind-large").inputs;
    assert.deepEqual(withoutSecrets({ ...large, __provider: undefined }), {
      gitlabUrl: "https://gitlab.example.com",
      apiToken: "<secret>",
      caCertificate: null,
      runnerName: "prod-1-dind-large",
      configPath: "dockerHosts[0].runners[1]",
      scope: { kind: "project", project: 77 },
      settings: {
        description: "large builds",
        tags: ["dind", "large", "prod"],
        runUntagged: false,
        locked: false,
        paused: true,
        accessLevel: "ref_protected",
        maximumTimeout: 10800,
      },
      rotateToken: "2026-12",
      tokenRenewalShare: 0.5,
      __provider: undefined,
    });
    const plain = named(run, "gitlab-runner-k8s-prod-dind").inputs;
    assert.deepEqual(plain["scope"], { kind: "group", group: "platform/build" });
    assert.deepEqual(plain["settings"], {
      description: "k8s-prod-dind (dind-runners prod)",
      tags: ["dind", "kubernetes", "prod"],
      runUntagged: false,
      locked: false,
      paused: false,
      accessLevel: "not_protected",
      maximumTimeout: null,
    });
    assert.equal(plain["rotateToken"], null);
    assert.equal(secretText(plain["apiToken"]), API_TOKEN);
  });

  it("hands the serialized provider to the engine, without the API token", () => {
    const provider = named(run, "gitlab-runner-prod-2-dind").inputs["__provider"];
    assert.equal(typeof provider, "string");
    assert.match(String(provider), /^exports\.handler = /);
    assert.ok(!String(provider).includes(API_TOKEN));
  });

  it("puts each runner's issued token into its config.toml, as a secret", () => {
    for (const [host, runners] of [
      ["build-prod-1", ["prod-1-dind", "prod-1-dind-large"]],
      ["build-prod-2", ["prod-2-dind", "prod-2-dind-mirror"]],
    ] as const) {
      const uploads = named(run, `docker-${host}-config-writer`).inputs["uploads"];
      assert.ok(isSecretValue(uploads), "the uploads holding config.toml must be a secret");
      const configToml = (uploads.value as { file: string; content: unknown }[]).find((u) =>
        u.file.endsWith("/config.toml"),
      );
      const tokens = [...String(configToml?.content).matchAll(/^\s*token = "(.*)"$/gm)].map(
        (match) => match[1],
      );
      assert.deepEqual(tokens, runners.map(issuedToken));
    }
    const data = named(run, "k8s-k8s-prod-secret-gitlab-runner-config").inputs["stringData"];
    const configToml = isSecretValue(data)
      ? String((data.value as Record<string, unknown>)["config.toml"])
      : secretText((data as Record<string, unknown>)["config.toml"]);
    assert.match(configToml, new RegExp(`token = "${issuedToken("k8s-prod-dind")}"`));
  });

  it("exports each runner's GitLab id, config path and token expiry", () => {
    assert.deepEqual(run.outputs["gitlabRunners"], {
      "prod-1-dind": {
        runnerId: 1000,
        configPath: "dockerHosts[0].runners[0]",
        tokenExpiresAt: null,
      },
      "prod-1-dind-large": {
        runnerId: 1001,
        configPath: "dockerHosts[0].runners[1]",
        tokenExpiresAt: null,
      },
      "prod-2-dind": {
        runnerId: 1002,
        configPath: "dockerHosts[1].runners[0]",
        tokenExpiresAt: null,
      },
      "prod-2-dind-mirror": {
        runnerId: 1003,
        configPath: "dockerHosts[1].runners[1]",
        tokenExpiresAt: null,
      },
      "k8s-prod-dind": {
        runnerId: 1004,
        configPath: "kubernetesClusters[0].runners[0]",
        tokenExpiresAt: null,
      },
    });
  });

  it("keeps issued tokens and the API token out of plain inputs, outputs and logs", () => {
    const plain = JSON.stringify(run.resources.map((r) => withoutSecrets(r.inputs)));
    for (const visible of [plain, JSON.stringify(run.outputs), run.logs]) {
      assert.doesNotMatch(visible, /glrt-/);
      assert.ok(!visible.includes(API_TOKEN), "the API token is visible");
    }
  });
});
