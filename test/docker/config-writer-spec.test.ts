import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import {
  configWriterScript,
  configWriterSpec,
  WRITER_STAGING,
  WRITER_TARGET,
} from "../../components/docker/config-writer-spec.js";
import { CA_PEM, dockerHost, fleet, runner } from "../render/fixtures.js";

describe("configWriterSpec", () => {
  const host = dockerHost("build-1", [runner("build-1-a"), runner("build-1-b")]);
  const daemonJson = new Map([
    ["build-1-a", '{"a":1}\n'],
    ["build-1-b", '{"b":2}\n'],
  ]);

  it("uploads config.toml, the CA and one daemon.json per runner into the staging directory", () => {
    const spec = configWriterSpec(
      fleet({ dockerHosts: [host], gitlab: { url: "https://g.example", caCertificate: CA_PEM } }),
      host,
      {
        configToml: "CONFIG",
        gitlabCa: CA_PEM,
        daemonJson,
      },
    );
    assert.deepEqual(spec.uploads, [
      { file: "/staging/config.toml", content: "CONFIG", permissions: "0600" },
      { file: "/staging/gitlab-ca.crt", content: CA_PEM },
      { file: "/staging/dind/build-1-a.json", content: '{"a":1}\n' },
      { file: "/staging/dind/build-1-b.json", content: '{"b":2}\n' },
    ]);
    // A -v style bind: Docker creates /etc/dind-runners on a fresh host.
    assert.deepEqual(spec.mounts, []);
    assert.deepEqual(spec.volumes, [
      { hostPath: "/etc/dind-runners", containerPath: "/target", readOnly: false },
    ]);
    assert.equal(spec.image, "gitlab/gitlab-runner:v19.3.0");
    assert.equal(spec.name, "dind-runners-config-writer");
    assert.deepEqual(spec.entrypoints, ["/bin/sh", "-c"]);
    assert.deepEqual(spec.command, [configWriterScript(["build-1-a", "build-1-b"], true)]);
    assert.deepEqual(spec.labels, [
      { label: "app.kubernetes.io/managed-by", value: "dind-runners" },
      { label: "dind-runners.environment", value: "test" },
      { label: "dind-runners.target", value: "build-1" },
      { label: "dind-runners.role", value: "config-writer" },
    ]);
    assert.equal(spec.privileged, false);
    assert.equal(spec.mustRun, false);
    assert.equal(spec.restart, "no");
    assert.equal(spec.attach, true);
  });

  it("refuses a runner without daemon.json rather than deploying a half config", () => {
    assert.throws(
      () =>
        configWriterSpec(fleet({ dockerHosts: [host] }), host, {
          configToml: "CONFIG",
          daemonJson: new Map([["build-1-a", "{}"]]),
        }),
      { message: "no daemon.json for runner build-1-b" },
    );
  });
});

describe("configWriterScript, run for real with sh", () => {
  const root = mkdtempSync(join(tmpdir(), "config-writer-"));
  after(() => rmSync(root, { recursive: true, force: true }));

  function runScript(runners: string[], withCa: boolean, files: Record<string, string>): void {
    const staging = join(root, "staging");
    rmSync(staging, { recursive: true, force: true });
    mkdirSync(join(staging, "dind"), { recursive: true });
    for (const [path, content] of Object.entries(files))
      writeFileSync(join(staging, path), content);
    const script = configWriterScript(runners, withCa)
      .replaceAll(WRITER_STAGING, staging)
      .replaceAll(WRITER_TARGET, join(root, "target"));
    execFileSync("sh", ["-c", script]);
  }

  it("puts config.toml (mode 0600), the CA and each daemon.json in place, removes stale ones and the staged copies", () => {
    runScript(["a", "b"], true, {
      "config.toml": "one",
      "gitlab-ca.crt": "ca",
      "dind/a.json": "A",
      "dind/b.json": "B",
    });
    const target = join(root, "target");
    assert.equal(readFileSync(join(target, "gitlab-runner", "config.toml"), "utf8"), "one");
    assert.equal(statSync(join(target, "gitlab-runner", "config.toml")).mode & 0o777, 0o600);
    assert.deepEqual(readdirSync(join(target, "dind")).sort(), ["a.json", "b.json"]);
    assert.equal(existsSync(join(root, "staging")), false, "no staged copy of the tokens stays");

    runScript(["a"], false, { "config.toml": "two", "dind/a.json": "A2" });
    assert.equal(readFileSync(join(target, "gitlab-runner", "config.toml"), "utf8"), "two");
    assert.deepEqual(readdirSync(join(target, "dind")), ["a.json"]);
    assert.equal(readFileSync(join(target, "dind", "a.json"), "utf8"), "A2");
    assert.deepEqual(readdirSync(join(target, "gitlab-runner")), ["config.toml"]);
  });
});
