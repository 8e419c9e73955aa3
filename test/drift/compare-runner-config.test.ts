import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  compareRunnerConfig,
  type RunnerConfigComparison,
} from "../../components/drift/compare-runner-config.js";
import { differenceText } from "../../components/drift/format-drift-report.js";
import { managerConfigToml } from "../../components/render/config-toml.js";
import { redactedSecretText } from "../../components/render/secret-text.js";
import { smallDockerFleet } from "../render/fixtures.js";

/** A desired config.toml shaped like the renderer's (contract), secrets redacted. */
const DESIRED = `concurrent = 4
check_interval = 3
shutdown_timeout = 30

[[runners]]
  name = "local-dind"
  url = "https://gitlab.example.com"
  token = "[redacted: Pulumi secret dind-runners:dockerHosts[0].runners[0].token]"
  executor = "docker"
  request_concurrency = 1
  environment = ["DOCKER_HOST=tcp://docker:2376", "DOCKER_TLS_CERTDIR=/certs", "DOCKER_TLS_VERIFY=1", "DOCKER_CERT_PATH=/certs/client", "DOCKER_DRIVER=overlay2"]
  [runners.docker]
    image = "docker:28.5.2-cli"
    tls_verify = false
    privileged = false
    services_privileged = true
    allowed_privileged_services = ["docker:28.5.2-dind"]
    volumes = ["/certs/client", "/cache", "/etc/dind-runners/dind/local-dind.json:/etc/docker/daemon.json:ro"]
    [[runners.docker.services]]
      name = "docker:28.5.2-dind"
      alias = "docker"
      environment = ["DOCKER_TLS_CERTDIR=/certs"]

[[runners]]
  name = "local-dind-large"
  url = "https://gitlab.example.com"
  token = "[redacted: Pulumi secret dind-runners:dockerHosts[0].runners[1].token]"
  executor = "docker"
  limit = 2
  request_concurrency = 1
  [runners.docker]
    image = "docker:28.5.2-cli"
    tls_verify = false
    privileged = false
`;

const TOKEN_1 = "glrt-t1_deployedTokenNumberOne";
const TOKEN_2 = "glrt-t1_deployedTokenNumberTwo";

/** The deployed file: the desired one with the real tokens in place of the redaction markers. */
const LIVE = DESIRED.replace(
  '"[redacted: Pulumi secret dind-runners:dockerHosts[0].runners[0].token]"',
  JSON.stringify(TOKEN_1),
).replace(
  '"[redacted: Pulumi secret dind-runners:dockerHosts[0].runners[1].token]"',
  JSON.stringify(TOKEN_2),
);

function edit(text: string, from: string, to: string): string {
  assert.ok(text.includes(from), `fixture does not contain ${JSON.stringify(from)}`);
  return text.replace(from, to);
}

function compared(live: string): Extract<RunnerConfigComparison, { parsed: true }> {
  const result = compareRunnerConfig(DESIRED, live);
  assert.ok(result.parsed, "live fixture should parse");
  return result;
}

function report(live: string): string[] {
  return compared(live).differences.map(differenceText);
}

const TOKENS_UNVERIFIABLE = [
  { path: 'runners["local-dind"].token', reason: "token-unverifiable" },
  { path: 'runners["local-dind-large"].token', reason: "token-unverifiable" },
];

describe("compareRunnerConfig", () => {
  it("finds no drift in the deployed file; the tokens are listed as unverifiable", () => {
    const result = compared(LIVE);
    assert.deepEqual(result.differences, []);
    assert.deepEqual(result.ignored, TOKENS_UNVERIFIABLE);
  });

  it("reports an edited global value with both values", () => {
    assert.deepEqual(report(edit(LIVE, "concurrent = 4", "concurrent = 8")), [
      "~ concurrent: desired 4, live 8",
    ]);
  });

  it("reports an edited runner value by the runner's name", () => {
    const live = edit(
      LIVE,
      '"/cache", "/etc/dind-runners/dind/local-dind.json',
      '"/cache", "/srv:/srv", "/etc/dind-runners/dind/local-dind.json',
    );
    assert.deepEqual(report(live), [
      '~ runners["local-dind"].docker.volumes: desired ["/certs/client", "/cache", "/etc/dind-runners/dind/local-dind.json:/etc/docker/daemon.json:ro"], live ["/certs/client", "/cache", "/srv:/srv", "/etc/dind-runners/dind/local-dind.json:/etc/docker/daemon.json:ro"]',
    ]);
  });

  it("reports an added key", () => {
    const live = edit(
      LIVE,
      '    image = "docker:28.5.2-cli"\n    tls_verify = false\n    privileged = false\n    services_privileged',
      '    image = "docker:28.5.2-cli"\n    shm_size = 1024\n    tls_verify = false\n    privileged = false\n    services_privileged',
    );
    assert.deepEqual(report(live), [
      '+ runners["local-dind"].docker.shm_size = 1024 (only in the live config)',
    ]);
  });

  it("reports a removed key", () => {
    const live = edit(LIVE, "  limit = 2\n", "");
    assert.deepEqual(report(live), [
      '- runners["local-dind-large"].limit = 2 (missing from the live config)',
    ]);
  });

  it("reports a removed runner and an added runner", () => {
    const start = LIVE.indexOf('[[runners]]\n  name = "local-dind-large"');
    const withoutLarge = LIVE.slice(0, start);
    const live = `${withoutLarge}[[runners]]\n  name = "hand-made"\n  url = "https://gitlab.example.com"\n  token = "glrt-handMade"\n  executor = "shell"\n`;
    assert.deepEqual(report(live), [
      '- runners["local-dind-large"]: runner missing from the live config',
      '+ runners["hand-made"]: runner not in the desired config',
    ]);
  });

  it("reports a changed element of [[runners.docker.services]] by index", () => {
    const live = edit(LIVE, 'alias = "docker"', 'alias = "dind"');
    assert.deepEqual(report(live), [
      '~ runners["local-dind"].docker.services[0].alias: desired "docker", live "dind"',
    ]);
  });

  it("ignores id and token timestamps GitLab Runner writes itself", () => {
    const live = edit(
      LIVE,
      `  token = "${TOKEN_1}"\n`,
      `  id = 4711\n  token = "${TOKEN_1}"\n  token_obtained_at = 2026-11-01T10:00:00Z\n  token_expires_at = 2026-12-01T10:00:00Z\n`,
    );
    const result = compared(live);
    assert.deepEqual(result.differences, []);
    assert.deepEqual(result.ignored, [
      { path: 'runners["local-dind"].id', reason: "runner-managed" },
      { path: 'runners["local-dind"].token', reason: "token-unverifiable" },
      { path: 'runners["local-dind"].token_expires_at', reason: "runner-managed" },
      { path: 'runners["local-dind"].token_obtained_at', reason: "runner-managed" },
      { path: 'runners["local-dind-large"].token', reason: "token-unverifiable" },
    ]);
  });

  it("ignores a rotated glrt- token: without the secret it cannot be told from the deployed one", () => {
    const result = compared(edit(LIVE, TOKEN_1, "glrt-t1_rotatedByTheRunner"));
    assert.deepEqual(result.differences, []);
    assert.deepEqual(result.ignored, TOKENS_UNVERIFIABLE);
  });

  it("reports a token that is not a glrt- token, without printing it", () => {
    const live = edit(LIVE, TOKEN_1, "GR1348941legacyRegistrationToken");
    const lines = report(live);
    assert.deepEqual(lines, [
      '~ runners["local-dind"].token: live token is not a glrt- runner authentication token',
    ]);
    assert.deepEqual(compared(live).differences[0], {
      path: 'runners["local-dind"].token',
      kind: "changed",
      desired: "<masked>",
      live: "<masked>",
      note: "live token is not a glrt- runner authentication token",
    });
  });

  it("reports a missing token", () => {
    assert.deepEqual(report(edit(LIVE, `  token = "${TOKEN_2}"\n`, "")), [
      '- runners["local-dind-large"].token = <masked> (missing from the live config: the runner has no authentication token)',
    ]);
  });

  it("ignores key order, formatting, quoting and comments", () => {
    const live = `# managed by hand? no: by dind-runners
shutdown_timeout = 30
check_interval   = 3
concurrent = 0x4

[[runners]]
name = 'local-dind'
executor = "docker"   # the executor
token = "${TOKEN_1}"
url = "https://gitlab.example.com"
request_concurrency = 1
environment = [
  "DOCKER_HOST=tcp://docker:2376",
  "DOCKER_TLS_CERTDIR=/certs",
  "DOCKER_TLS_VERIFY=1",
  "DOCKER_CERT_PATH=/certs/client",
  "DOCKER_DRIVER=overlay2",
]
docker.privileged = false
docker.tls_verify = false
docker.image = "docker:28.5.2-cli"
docker.services_privileged = true
docker.allowed_privileged_services = ["docker:28.5.2-dind"]
docker.volumes = ["/certs/client", "/cache", "/etc/dind-runners/dind/local-dind.json:/etc/docker/daemon.json:ro"]
docker.services = [{ alias = "docker", environment = ["DOCKER_TLS_CERTDIR=/certs"], name = "docker:28.5.2-dind" }]

[[runners]]
name = "local-dind-large"
limit = 2
request_concurrency = 1
url = "https://gitlab.example.com"
token = "${TOKEN_2}"
executor = "docker"
[runners.docker]
privileged = false
image = "docker:28.5.2-cli"
tls_verify = false
`;
    const result = compared(live);
    assert.deepEqual(result.differences, []);
    assert.deepEqual(result.ignored, TOKENS_UNVERIFIABLE);
  });

  it("ignores zero values GitLab Runner writes for unset fields when it saves config.toml", () => {
    const live = edit(LIVE, "  limit = 2\n", '  limit = 2\n  tls-ca-file = ""\n').concat(
      "    disable_cache = false\n    shm_size = 0\n    volumes = []\n",
      "  [runners.cache]\n    MaxUploadedArchiveSize = 0\n    [runners.cache.s3]\n",
      "  [runners.custom_build_dir]\n",
    );
    const result = compared(live);
    assert.deepEqual(result.differences, []);
    assert.deepEqual(result.ignored, [
      { path: 'runners["local-dind"].token', reason: "token-unverifiable" },
      { path: 'runners["local-dind-large"].cache.MaxUploadedArchiveSize', reason: "zero-value" },
      { path: 'runners["local-dind-large"].docker.disable_cache', reason: "zero-value" },
      { path: 'runners["local-dind-large"].docker.shm_size', reason: "zero-value" },
      { path: 'runners["local-dind-large"].docker.volumes', reason: "zero-value" },
      { path: 'runners["local-dind-large"].tls-ca-file', reason: "zero-value" },
      { path: 'runners["local-dind-large"].token', reason: "token-unverifiable" },
    ]);
  });

  it("masks values under secret keys", () => {
    const live = LIVE.concat(
      '  [runners.cache.s3]\n    AccessKey = "AKIAEXAMPLE"\n    SecretKey = "s3cr3t-value"\n',
    );
    const lines = report(live);
    assert.deepEqual(lines, [
      '+ runners["local-dind-large"].cache.s3.AccessKey = <masked> (only in the live config)',
      '+ runners["local-dind-large"].cache.s3.SecretKey = <masked> (only in the live config)',
    ]);
  });

  it("reports where a live file that is not TOML breaks, never its text", () => {
    const broken = edit(LIVE, `token = "${TOKEN_1}"`, `token = "${TOKEN_1}`);
    const result = compareRunnerConfig(DESIRED, broken);
    assert.deepEqual(result, { parsed: false, line: 8, column: 42 });
    assert.ok(!JSON.stringify(result).includes("glrt-"));
  });
});

describe("compareRunnerConfig on a rendered per-job-network runner", () => {
  // dind.mtu on a Docker host renders [runners.feature_flags] and network_mtu;
  // GitLab Runner may write the file back (token rotation) with its tables in
  // another order, which is no drift. Turning the flag off is.
  const input = smallDockerFleet({ mtu: 1400 });
  const desired = managerConfigToml(input, input.dockerHosts[0]!, redactedSecretText);
  const flags = "  [runners.feature_flags]\n  FF_NETWORK_PER_BUILD = true\n\n";
  const token = '"[redacted: Pulumi secret dind-runners:dockerHosts[0].runners[0].token]"';
  const live = `${edit(edit(desired, flags, ""), token, JSON.stringify(TOKEN_1))}\n${flags}`;

  it("finds no drift when the feature flags table comes back elsewhere in the file", () => {
    const result = compareRunnerConfig(desired, live);
    assert.ok(result.parsed);
    assert.deepEqual(result.differences, []);
  });

  it("reports FF_NETWORK_PER_BUILD turned off", () => {
    const result = compareRunnerConfig(
      desired,
      edit(live, "FF_NETWORK_PER_BUILD = true", "FF_NETWORK_PER_BUILD = false"),
    );
    assert.ok(result.parsed);
    assert.deepEqual(result.differences.map(differenceText), [
      '~ runners["build-1-dind"].feature_flags.FF_NETWORK_PER_BUILD: desired true, live false',
    ]);
  });
});
