import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
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
import { dirname, join } from "node:path";
import { after, describe, it } from "node:test";
import {
  configWriterScript,
  configWriterSpec,
  WRITER_STAGING,
  WRITER_TARGET,
  type RunnerRegistryCertificates,
} from "../../components/docker/config-writer-spec.js";
import { CA_PEM, dockerHost, fleet, runner } from "../render/fixtures.js";

describe("configWriterSpec", () => {
  const host = dockerHost("build-1", [runner("build-1-a"), runner("build-1-b")]);
  const serviceConfigs = new Map([
    ["build-1-a", { fileName: "build-1-a.json", content: '{"a":1}\n' }],
    ["build-1-b", { fileName: "build-1-b.json", content: '{"b":2}\n' }],
  ]);

  it("uploads config.toml, the CA and one daemon.json per runner into the staging directory", () => {
    const spec = configWriterSpec(
      fleet({ dockerHosts: [host], gitlab: { url: "https://g.example", caCertificate: CA_PEM } }),
      host,
      {
        configToml: "CONFIG",
        gitlabCa: CA_PEM,
        serviceConfigs,
      },
    );
    assert.deepEqual(spec.uploads, [
      { file: "/staging/gitlab-runner/config.toml", content: "CONFIG", permissions: "0600" },
      { file: "/staging/gitlab-runner/gitlab-ca.crt", content: CA_PEM },
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
    assert.deepEqual(spec.command, [
      configWriterScript("/etc/dind-runners", ["build-1-a.json", "build-1-b.json"], true),
    ]);
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

  it("writes under the host's hostConfigDir", () => {
    const moved = { ...host, hostConfigDir: "/Users/me/dind-runners" };
    const spec = configWriterSpec(fleet({ dockerHosts: [moved] }), moved, {
      configToml: "CONFIG",
      serviceConfigs,
    });
    assert.deepEqual(spec.volumes, [
      { hostPath: "/Users/me/dind-runners", containerPath: "/target", readOnly: false },
    ]);
    assert.deepEqual(spec.command, [
      configWriterScript("/Users/me/dind-runners", ["build-1-a.json", "build-1-b.json"], false),
    ]);
  });

  it("refuses a dind runner without its daemon.json rather than deploying a half config", () => {
    assert.throws(
      () =>
        configWriterSpec(fleet({ dockerHosts: [host] }), host, {
          configToml: "CONFIG",
          serviceConfigs: new Map([["build-1-a", { fileName: "build-1-a.json", content: "{}" }]]),
        }),
      { message: "no build-service config for runner build-1-b" },
    );
  });
});

describe("configWriterScript, run for real with sh", () => {
  const root = mkdtempSync(join(tmpdir(), "config-writer-"));
  const target = join(root, "target");
  const HOST_DIR = "/etc/dind-runners";
  after(() => rmSync(root, { recursive: true, force: true }));

  /** Runs the script with staging and target in the temporary directory; returns its output. */
  function runScript(
    runners: string[],
    withCa: boolean,
    files: Record<string, string>,
  ): { status: number; output: string } {
    const staging = join(root, "staging");
    rmSync(staging, { recursive: true, force: true });
    mkdirSync(join(staging, "gitlab-runner"), { recursive: true });
    mkdirSync(join(staging, "dind"), { recursive: true });
    for (const [path, content] of Object.entries(files))
      writeFileSync(join(staging, path), content);
    const script = configWriterScript(
      HOST_DIR,
      runners.map((name) => `${name}.json`),
      withCa,
    )
      .replaceAll(WRITER_STAGING, staging)
      .replaceAll(WRITER_TARGET, target);
    const run = spawnSync("sh", ["-c", `${script}`], { encoding: "utf8" });
    return { status: run.status ?? -1, output: run.stdout + run.stderr };
  }

  const inode = (path: string): number => statSync(join(target, path)).ino;

  it("puts every daemon.json in place before the CA and config.toml (0600), removes stale ones last and the staged copies", () => {
    const first = runScript(["a", "b"], true, {
      "gitlab-runner/config.toml": "one",
      "gitlab-runner/gitlab-ca.crt": "ca",
      "dind/a.json": "A",
      "dind/b.json": "B",
    });
    assert.equal(first.status, 0, first.output);
    assert.equal(
      first.output,
      [
        "wrote /etc/dind-runners/dind/a.json",
        "wrote /etc/dind-runners/dind/b.json",
        "wrote /etc/dind-runners/gitlab-runner/gitlab-ca.crt",
        "wrote /etc/dind-runners/gitlab-runner/config.toml",
        "",
      ].join("\n"),
    );
    assert.equal(readFileSync(join(target, "gitlab-runner", "config.toml"), "utf8"), "one");
    assert.equal(statSync(join(target, "gitlab-runner", "config.toml")).mode & 0o777, 0o600);
    assert.equal(statSync(join(target, "dind", "a.json")).mode & 0o777, 0o644);
    assert.deepEqual(readdirSync(join(target, "dind")).sort(), ["a.json", "b.json"]);
    assert.equal(existsSync(join(root, "staging")), false, "no staged copy of the tokens stays");

    const untouched = inode("dind/a.json");
    const second = runScript(["a"], false, {
      "gitlab-runner/config.toml": "two",
      "dind/a.json": "A",
    });
    assert.equal(second.status, 0, second.output);
    assert.equal(
      second.output,
      [
        "unchanged /etc/dind-runners/dind/a.json",
        "removed /etc/dind-runners/gitlab-runner/gitlab-ca.crt",
        "wrote /etc/dind-runners/gitlab-runner/config.toml",
        "removed /etc/dind-runners/dind/b.json",
        "",
      ].join("\n"),
    );
    assert.equal(readFileSync(join(target, "gitlab-runner", "config.toml"), "utf8"), "two");
    assert.deepEqual(readdirSync(join(target, "dind")), ["a.json"]);
    assert.equal(inode("dind/a.json"), untouched, "an unchanged daemon.json is not rewritten");
    assert.deepEqual(readdirSync(join(target, "gitlab-runner")), ["config.toml"]);
  });

  it("refuses a target that is a directory, before config.toml changes, and still drops the staged copies", () => {
    runScript(["a"], false, { "gitlab-runner/config.toml": "before", "dind/a.json": "A" });
    // What Docker leaves when a job binds a daemon.json that is not there yet.
    mkdirSync(join(target, "dind", "c.json"));
    const run = runScript(["a", "c"], false, {
      "gitlab-runner/config.toml": "after",
      "dind/a.json": "A",
      "dind/c.json": "C",
    });
    assert.equal(run.status, 1);
    assert.equal(
      run.output,
      "unchanged /etc/dind-runners/dind/a.json\n" +
        "dind-runners config writer: refusing to replace /etc/dind-runners/dind/c.json: it is a directory" +
        " (Docker creates one when a container binds a file that is missing);" +
        " remove it on the host, then run pulumi up again\n",
    );
    assert.equal(readFileSync(join(target, "gitlab-runner", "config.toml"), "utf8"), "before");
    assert.deepEqual(readdirSync(join(target, "dind", "c.json")), [], "nothing moved into it");
    assert.equal(existsSync(join(root, "staging")), false);
  });

  it("leaves a stale directory alone instead of deleting what it did not write", () => {
    const run = runScript(["a"], false, { "gitlab-runner/config.toml": "x", "dind/a.json": "A" });
    assert.equal(run.status, 0, run.output);
    assert.match(run.output, /^left \/etc\/dind-runners\/dind\/c\.json alone: it is a directory$/m);
    assert.equal(statSync(join(target, "dind", "c.json")).isDirectory(), true);
  });
  function runWithCertificates(
    runners: string[],
    certificates: RunnerRegistryCertificates[],
    files: Record<string, string>,
  ): { status: number; output: string } {
    const staging = join(root, "staging");
    rmSync(staging, { recursive: true, force: true });
    const staged = {
      "gitlab-runner/config.toml": "config",
      ...Object.fromEntries(runners.map((name) => [`dind/${name}.json`, "{}"])),
      ...files,
    };
    for (const [path, content] of Object.entries(staged)) {
      mkdirSync(dirname(join(staging, path)), { recursive: true });
      writeFileSync(join(staging, path), content);
    }
    const script = configWriterScript(
      HOST_DIR,
      runners.map((name) => `${name}.json`),
      false,
      certificates,
    )
      .replaceAll(WRITER_STAGING, staging)
      .replaceAll(WRITER_TARGET, target);
    const run = spawnSync("sh", ["-c", script], { encoding: "utf8" });
    return { status: run.status ?? -1, output: run.stdout + run.stderr };
  }

  it("writes each runner's registry CAs as certs.d/<runner>/<host:port>/ca.crt, then drops the registries and runners the stack no longer names", () => {
    const certs = join(target, "certs.d");
    const first = runWithCertificates(
      ["a", "b"],
      [
        {
          runner: "a",
          certificates: [
            { registry: "registry.example.com:5050" },
            { registry: "gitlab.example.com" },
          ],
        },
        { runner: "b", certificates: [{ registry: "10.0.0.9:5000" }] },
      ],
      {
        "certs.d/a/registry.example.com:5050/ca.crt": "CA-1",
        "certs.d/a/gitlab.example.com/ca.crt": "CA-2",
        "certs.d/b/10.0.0.9:5000/ca.crt": "CA-3",
      },
    );
    assert.equal(first.status, 0, first.output);
    assert.equal(
      readFileSync(join(certs, "a", "registry.example.com:5050", "ca.crt"), "utf8"),
      "CA-1",
    );
    assert.equal(readFileSync(join(certs, "a", "gitlab.example.com", "ca.crt"), "utf8"), "CA-2");
    assert.equal(readFileSync(join(certs, "b", "10.0.0.9:5000", "ca.crt"), "utf8"), "CA-3");
    assert.equal(statSync(join(certs, "b", "10.0.0.9:5000", "ca.crt")).mode & 0o777, 0o644);
    assert.match(
      first.output,
      /^wrote \/etc\/dind-runners\/certs\.d\/a\/registry\.example\.com:5050\/ca\.crt$/m,
    );

    const second = runWithCertificates(
      ["a", "b"],
      [{ runner: "a", certificates: [{ registry: "gitlab.example.com" }] }],
      { "certs.d/a/gitlab.example.com/ca.crt": "CA-2b" },
    );
    assert.equal(second.status, 0, second.output);
    assert.deepEqual(readdirSync(certs), ["a"], "runner b trusts no CA any more");
    assert.deepEqual(readdirSync(join(certs, "a")), ["gitlab.example.com"]);
    assert.equal(readFileSync(join(certs, "a", "gitlab.example.com", "ca.crt"), "utf8"), "CA-2b");
    assert.match(second.output, /^removed \/etc\/dind-runners\/certs\.d\/b$/m);
  });
});
