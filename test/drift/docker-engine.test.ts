/**
 * Drift detection against a REAL Docker engine (Debian's docker.io, started by
 * test/support/docker-engine.sh): a container shaped like the deployed runner
 * manager (labels from names.ts, config.toml in /etc/gitlab-runner) is read
 * through the Engine API, then drifts are injected and `npm run drift` is run as
 * a child process for its report and exit code. Without an engine every test
 * here is reported as skipped, by name.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { after, before, describe, it } from "node:test";
import TOML from "@iarna/toml";
import { loadFleet } from "../../components/config/load/load-fleet.js";
import { readStackFile } from "../../components/config/read/stack-file.js";
import { MANAGER_CONFIG_TOML_PATH } from "../../components/render/manager-config-file.js";
import { dockerClientFor } from "../../components/drift/docker-client.js";
import {
  readDockerManagerConfig,
  type ManagerContainerLookup,
} from "../../components/drift/docker-manager-config.js";
import { findExecutable } from "../../components/drift/find-executable.js";
import { LiveReadError } from "../../components/drift/live-config.js";
import { PATHS } from "../../components/model/defaults.js";
import { LABELS, MANAGED_BY } from "../../components/model/names.js";
import { renderFleetFiles } from "../../components/render/render-fleet-files.js";
import {
  ENGINE_SOCKET,
  engineUnavailable,
  execIn,
  putFile,
  removeContainer,
  skipWithout,
  startContainer,
} from "../support/docker-test-engine.js";

const RUN = String(process.pid);
const ENVIRONMENT = `enginetest-${RUN}`;
const HOST = "local";
const CONTAINER = `dind-runners-drift-test-${RUN}`;
const MANAGER_LABELS = {
  [LABELS.managedBy]: MANAGED_BY,
  [LABELS.environment]: ENVIRONMENT,
  [LABELS.target]: HOST,
  [LABELS.role]: "manager",
};
/** The host's housekeeping container (test image, sleeping): drift looks only at its state. */
const HOUSEKEEPING_CONTAINER = `dind-runners-drift-housekeeping-${RUN}`;
const HOUSEKEEPING_LABELS = { ...MANAGER_LABELS, [LABELS.role]: "housekeeping" };
const UNIX_ENDPOINT = {
  kind: "unix",
  url: `unix://${ENGINE_SOCKET}`,
  socketPath: ENGINE_SOCKET,
} as const;

const LOOKUP: ManagerContainerLookup = {
  labels: MANAGER_LABELS,
  name: CONTAINER,
  configPath: MANAGER_CONFIG_TOML_PATH,
};

const SIMPLE_CONFIG = 'concurrent = 4\n\n[[runners]]\n  name = "a"\n';

const STACK_FILE = `# The engine tests' stack: one Docker host, the local engine.
config:
  dind-runners:gitlab:
    url: https://gitlab.example.com
  dind-runners:dockerHosts:
    - name: ${HOST}
      endpoint: unix://${ENGINE_SOCKET}
      runners:
        - name: engine-dind
          tags: [dind]
        - name: engine-dind-large
          tags: [dind, large]
          limit: 2
`;

let unavailable: string | undefined;
let scratch = "";

before(async () => {
  unavailable = await engineUnavailable();
  scratch = mkdtempSync(join(tmpdir(), "dind-runners-drift-"));
  writeFileSync(join(scratch, `Pulumi.${ENVIRONMENT}.yaml`), STACK_FILE);
  // Same host, but its engine socket does not exist.
  const unreachable = STACK_FILE.replace(
    `unix://${ENGINE_SOCKET}`,
    `unix://${join(scratch, "missing.sock")}`,
  );
  writeFileSync(join(scratch, `Pulumi.${ENVIRONMENT}-unreachable.yaml`), unreachable);
  // Same engine, but no manager container carries this environment's labels.
  writeFileSync(join(scratch, `Pulumi.${ENVIRONMENT}-empty.yaml`), STACK_FILE);
});

after(async () => {
  rmSync(scratch, { recursive: true, force: true });
  if (unavailable === undefined) {
    await removeContainer(CONTAINER);
    await removeContainer(HOUSEKEEPING_CONTAINER);
  }
});

describe("reading a manager's config.toml through the Docker Engine API", () => {
  it("finds the manager by its labels and reads config.toml from it", async (t) => {
    if (skipWithout(t, unavailable)) return;
    const container = await startContainer(CONTAINER, MANAGER_LABELS);
    await putFile(container, PATHS.managerConfigDir, "config.toml", SIMPLE_CONFIG);
    const docker = dockerClientFor(UNIX_ENDPOINT);
    assert.deepEqual(await readDockerManagerConfig(docker, LOOKUP, UNIX_ENDPOINT.url), {
      status: "found",
      source: `container ${CONTAINER}:/etc/gitlab-runner/config.toml`,
      text: SIMPLE_CONFIG,
    });
  });

  it("falls back to the container name when no container carries the labels", async (t) => {
    if (skipWithout(t, unavailable)) return;
    const docker = dockerClientFor(UNIX_ENDPOINT);
    const byName = { ...LOOKUP, labels: { [LABELS.environment]: `nobody-${RUN}` } };
    const read = await readDockerManagerConfig(docker, byName, UNIX_ENDPOINT.url);
    assert.equal(read.status, "found");
  });

  it("reports a manager that is not there, saying what was looked for", async (t) => {
    if (skipWithout(t, unavailable)) return;
    const docker = dockerClientFor(UNIX_ENDPOINT);
    const nowhere = {
      ...LOOKUP,
      labels: { [LABELS.environment]: `nobody-${RUN}` },
      name: `nobody-${RUN}`,
    };
    assert.deepEqual(await readDockerManagerConfig(docker, nowhere, UNIX_ENDPOINT.url), {
      status: "missing-manager",
      source: `no container labelled dind-runners.environment=nobody-${RUN} or named nobody-${RUN}`,
    });
  });

  it("reports a missing file, and refuses a directory", async (t) => {
    if (skipWithout(t, unavailable)) return;
    const docker = dockerClientFor(UNIX_ENDPOINT);
    const missing = { ...LOOKUP, configPath: "/etc/gitlab-runner/missing.toml" };
    assert.deepEqual(await readDockerManagerConfig(docker, missing, UNIX_ENDPOINT.url), {
      status: "missing-file",
      source: `container ${CONTAINER}:/etc/gitlab-runner/missing.toml`,
    });
    const directory = { ...LOOKUP, configPath: "/etc/gitlab-runner" };
    await assert.rejects(readDockerManagerConfig(docker, directory, UNIX_ENDPOINT.url), {
      name: "LiveReadError",
      message: `container ${CONTAINER}:/etc/gitlab-runner is a directory, not a regular file`,
    });
  });

  it("reaches an ssh:// host through `ssh … docker system dial-stdio`", async (t) => {
    if (skipWithout(t, unavailable)) return;
    const dockerCli = findExecutable("docker", process.env["PATH"]);
    if (dockerCli === undefined) return t.skip("no docker CLI on PATH for the stand-in ssh");
    // A stand-in for ssh that records its arguments and dials the local engine.
    const fakeSsh = join(scratch, "ssh");
    const argsLog = join(scratch, "ssh-args");
    writeFileSync(
      fakeSsh,
      `#!/bin/sh\necho "$@" > '${argsLog}'\nexec '${dockerCli}' -H 'unix://${ENGINE_SOCKET}' system dial-stdio\n`,
    );
    chmodSync(fakeSsh, 0o755);
    const endpoint = {
      kind: "ssh",
      url: "ssh://deploy@build-1.example.internal:2222",
      user: "deploy",
      host: "build-1.example.internal",
      port: 2222,
    } as const;
    const docker = dockerClientFor(endpoint, { sshCommand: fakeSsh });
    const read = await readDockerManagerConfig(docker, LOOKUP, endpoint.url);
    assert.equal(read.status === "found" && read.text, SIMPLE_CONFIG);
    assert.equal(
      readFileSync(argsLog, "utf8"),
      "-o BatchMode=yes -o ConnectTimeout=15 -p 2222 -l deploy -- build-1.example.internal docker system dial-stdio\n",
    );
  });

  it("names the endpoint when the engine cannot be reached (needs no engine)", async () => {
    const socketPath = join(scratch, "no-engine.sock");
    const endpoint = { kind: "unix", url: `unix://${socketPath}`, socketPath } as const;
    await assert.rejects(
      readDockerManagerConfig(dockerClientFor(endpoint), LOOKUP, endpoint.url),
      (error: unknown) => {
        assert.ok(error instanceof LiveReadError);
        assert.equal(
          error.message,
          `cannot reach the Docker engine at unix://${socketPath}: connect ENOENT ${socketPath}`,
        );
        return true;
      },
    );
  });
});

/** The config.toml `pulumi up` would have written for the test stack, with (fake) real tokens. */
function deployedConfigToml(): string {
  const loaded = loadFleet(readStackFile(ENVIRONMENT, scratch), {
    requireSecrets: false,
    plaintextSecretsAllowed: false,
  });
  assert.ok(loaded.ok, "the test stack file is valid");
  const files = renderFleetFiles(
    loaded.fleet,
    (ref) => `glrt-t1_fake${ref.configPath.replace(/\W/g, "")}`,
  );
  const file = files.find((rendered) => rendered.path === `docker-hosts/${HOST}/config.toml`);
  assert.ok(file !== undefined, "the render has the host's config.toml");
  return file.content;
}

/** The deployed file edited as data and written back in @iarna/toml's own layout. */
function editedConfig(edit: (config: TOML.JsonMap) => void): string {
  const config = TOML.parse(deployedConfigToml());
  edit(config);
  return TOML.stringify(config);
}

function runnersOf(config: TOML.JsonMap): TOML.JsonMap[] {
  return config["runners"] as TOML.JsonMap[];
}

interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

const REPO = resolve(__dirname, "..", "..");

/** `npm run drift -- …` as a child process, with DOCKER_HOST pointing elsewhere to prove it is ignored. */
function drift(...args: string[]): Promise<CliRun> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(
      process.execPath,
      ["--import", "tsx", "components/cli/drift-command.ts", "--stacks-dir", scratch, ...args],
      { cwd: REPO, env: { ...process.env, DOCKER_HOST: "tcp://127.0.0.1:9" } },
    );
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code) => resolvePromise({ code, stdout, stderr }));
  });
}

/** The stack has no managed runners: the GitLab level says so and checks nothing. */
const GITLAB_UNMANAGED =
  "gitlab runners: skipped: gitlab.manageRunners is off: runners made by hand are not compared with GitLab, and when their tokens expire cannot be told (GitLab's runner API does not show it)";

/** The report: `lines` for the host, then the GitLab level's note, then `result` (the last line). */
function reportOf(...lines: string[]): string {
  return [
    `drift check of stack "${ENVIRONMENT}"`,
    "pulumi: skipped (--skip-pulumi)",
    ...lines.slice(0, -1),
    GITLAB_UNMANAGED,
    ...lines.slice(-1),
    "",
  ].join("\n");
}

const CHECKED = `docker host ${HOST} (unix://${ENGINE_SOCKET})`;
const SOURCE_LINE = `  live config: container ${CONTAINER}:/etc/gitlab-runner/config.toml`;

describe("npm run drift against a manager container on a real engine", () => {
  let manager: Awaited<ReturnType<typeof startContainer>> | undefined;
  let housekeeping: Awaited<ReturnType<typeof startContainer>> | undefined;

  async function deploy(text: string): Promise<void> {
    manager ??= await startContainer(CONTAINER, MANAGER_LABELS);
    housekeeping ??= await startContainer(HOUSEKEEPING_CONTAINER, HOUSEKEEPING_LABELS);
    await putFile(manager, PATHS.managerConfigDir, "config.toml", text);
  }

  it("finds no drift in the deployed config (exit 0)", async (t) => {
    if (skipWithout(t, unavailable)) return;
    await deploy(deployedConfigToml());
    const run = await drift("--stack", ENVIRONMENT, "--skip-pulumi");
    // stderr holds only the time reading the host took.
    assert.match(run.stderr, /^drift: read docker host local in \d+\.\d\d s\n$/);
    assert.equal(
      run.stdout,
      reportOf(
        `${CHECKED}: in sync (ignored 2 differences GitLab Runner makes itself)`,
        "result: no drift (exit 0)",
      ),
    );
    assert.equal(run.code, 0);
  });

  it("reports an edited value with its path (exit 2)", async (t) => {
    if (skipWithout(t, unavailable)) return;
    await deploy(editedConfig((config) => (config["concurrent"] = 12)));
    const run = await drift("--stack", ENVIRONMENT, "--skip-pulumi");
    assert.equal(
      run.stdout,
      reportOf(
        `${CHECKED}: drift`,
        SOURCE_LINE,
        "  ~ concurrent: desired 4, live 12",
        "  ignored 2 differences GitLab Runner makes itself",
        "result: drift found (exit 2)",
      ),
    );
    assert.equal(run.code, 2);
  });

  it("reports an added key with its path (exit 2)", async (t) => {
    if (skipWithout(t, unavailable)) return;
    await deploy(
      editedConfig((config) => {
        const docker = runnersOf(config)[0]?.["docker"] as TOML.JsonMap;
        docker["shm_size"] = 1024;
      }),
    );
    const run = await drift("--stack", ENVIRONMENT, "--skip-pulumi");
    assert.match(
      run.stdout,
      /^ {2}\+ runners\["engine-dind"\]\.docker\.shm_size = 1024 \(only in the live config\)$/m,
    );
    assert.equal(run.code, 2);
  });

  it("reports a removed runner (exit 2)", async (t) => {
    if (skipWithout(t, unavailable)) return;
    await deploy(editedConfig((config) => (config["runners"] = runnersOf(config).slice(0, 1))));
    const run = await drift("--stack", ENVIRONMENT, "--skip-pulumi");
    assert.equal(
      run.stdout,
      reportOf(
        `${CHECKED}: drift`,
        SOURCE_LINE,
        '  - runners["engine-dind-large"]: runner missing from the live config',
        "  ignored 1 difference GitLab Runner makes itself",
        "result: drift found (exit 2)",
      ),
    );
    assert.equal(run.code, 2);
  });

  it("reports a deleted config.toml (exit 2)", async (t) => {
    if (skipWithout(t, unavailable)) return;
    await deploy(deployedConfigToml());
    await execIn(manager!, ["rm", "/etc/gitlab-runner/config.toml"]);
    const run = await drift("--stack", ENVIRONMENT, "--skip-pulumi");
    assert.equal(
      run.stdout,
      reportOf(
        `${CHECKED}: drift: config.toml is missing (container ${CONTAINER}:/etc/gitlab-runner/config.toml)`,
        "result: drift found (exit 2)",
      ),
    );
    assert.equal(run.code, 2);
  });

  it("ignores what GitLab Runner writes itself: id, token timestamps, a rotated token (exit 0)", async (t) => {
    if (skipWithout(t, unavailable)) return;
    await deploy(
      editedConfig((config) => {
        const runner = runnersOf(config)[0] as TOML.JsonMap;
        runner["id"] = 4711;
        runner["token"] = "glrt-t1_rotatedByTheRunner";
        runner["token_obtained_at"] = new Date("2026-11-01T10:00:00Z");
        runner["token_expires_at"] = new Date("2026-12-01T10:00:00Z");
      }),
    );
    const run = await drift(
      "--stack",
      ENVIRONMENT,
      "--skip-pulumi",
      "--json",
      join(scratch, "report.json"),
    );
    assert.equal(
      run.stdout,
      reportOf(
        `${CHECKED}: in sync (ignored 5 differences GitLab Runner makes itself)`,
        "result: no drift (exit 0)",
      ),
    );
    assert.equal(run.code, 0);
    const json = JSON.parse(readFileSync(join(scratch, "report.json"), "utf8")) as {
      result: string;
      exitCode: number;
      runners: { ignored: unknown[] }[];
    };
    assert.deepEqual([json.result, json.exitCode], ["in-sync", 0]);
    assert.deepEqual(json.runners[0]?.ignored, [
      { path: 'runners["engine-dind"].id', reason: "runner-managed" },
      { path: 'runners["engine-dind"].token', reason: "token-unverifiable" },
      { path: 'runners["engine-dind"].token_expires_at', reason: "runner-managed" },
      { path: 'runners["engine-dind"].token_obtained_at', reason: "runner-managed" },
      { path: 'runners["engine-dind-large"].token', reason: "token-unverifiable" },
    ]);
    assert.ok(
      !readFileSync(join(scratch, "report.json"), "utf8").includes("glrt-"),
      "no token in the report",
    );
  });

  it("reports a housekeeping container that is not running, then one that is gone (exit 2)", async (t) => {
    if (skipWithout(t, unavailable)) return;
    await deploy(deployedConfigToml());
    await housekeeping!.stop({ t: 0 });
    const stopped = await drift("--stack", ENVIRONMENT, "--skip-pulumi");
    assert.equal(
      stopped.stdout,
      reportOf(
        `${CHECKED}: drift`,
        "  config.toml: in sync (ignored 2 differences GitLab Runner makes itself)",
        `  housekeeping container is not running (container ${HOUSEKEEPING_CONTAINER}, exited): GitLab Runner's volumes and images are not cleaned up`,
        "result: drift found (exit 2)",
      ),
    );
    assert.equal(stopped.code, 2);
    await removeContainer(HOUSEKEEPING_CONTAINER);
    housekeeping = undefined;
    const gone = await drift("--stack", ENVIRONMENT, "--skip-pulumi");
    assert.equal(
      gone.stdout,
      reportOf(
        `${CHECKED}: drift`,
        "  config.toml: in sync (ignored 2 differences GitLab Runner makes itself)",
        `  housekeeping container not found (no container labelled app.kubernetes.io/managed-by=dind-runners,dind-runners.environment=${ENVIRONMENT},dind-runners.target=${HOST},dind-runners.role=housekeeping or named dind-runners-housekeeping): GitLab Runner's volumes and images are not cleaned up`,
        "result: drift found (exit 2)",
      ),
    );
    assert.equal(gone.code, 2);
  });

  it("reports a manager that is not on the host (exit 2)", async (t) => {
    if (skipWithout(t, unavailable)) return;
    const run = await drift("--stack", `${ENVIRONMENT}-empty`, "--skip-pulumi");
    assert.match(
      run.stdout,
      new RegExp(
        `^${escape(CHECKED)}: drift: runner manager not found \\(no container labelled .*dind-runners\\.environment=${ENVIRONMENT}-empty.* or named dind-runners-manager\\)$`,
        "m",
      ),
    );
    assert.equal(run.code, 2);
  });
});

describe("npm run drift when the host cannot be reached", () => {
  it("names the host and its endpoint (exit 1)", async () => {
    const socket = join(scratch, "missing.sock");
    const run = await drift("--stack", `${ENVIRONMENT}-unreachable`, "--skip-pulumi");
    assert.equal(
      run.stdout,
      [
        `drift check of stack "${ENVIRONMENT}-unreachable"`,
        "pulumi: skipped (--skip-pulumi)",
        `docker host ${HOST} (unix://${socket}): could not check: cannot reach the Docker engine at unix://${socket}: connect ENOENT ${socket}`,
        GITLAB_UNMANAGED,
        "result: could not check everything (exit 1)",
        "",
      ].join("\n"),
    );
    assert.equal(run.code, 1);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
