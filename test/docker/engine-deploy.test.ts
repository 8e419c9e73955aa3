/**
 * The Docker variant deployed to a REAL Docker engine: the real program
 * (index.ts) runs once per deploy in a child process under Pulumi's mocks, with
 * test/support/engine-provider.ts applying every container to the engine as
 * @pulumi/docker would. Images are local stand-ins (stand-in-images.ts) tagged
 * with the references the fleet model asks for.
 *
 * The product's container names are fixed, so the scenarios run one after the
 * other, under a lock shared by every process on this machine, each with its
 * own temporary hostConfigDir and provider state. The stack's hosts set
 * `manageOverlayModule: false`: the helper is privileged, and this engine
 * refuses privileged containers; the last test shows what a helper the engine
 * cannot run does to a deploy.
 *
 * Without an engine the tests skip, by name; under CI=true they fail instead.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import {
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  unlinkSync,
  writeSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it, type TestContext } from "node:test";
import TOML from "@iarna/toml";
import { managerStopTimeoutSeconds } from "../../components/docker/manager-container-spec.js";
import {
  managerContainerLookup,
  readDockerManagerConfig,
} from "../../components/drift/docker-manager-config.js";
import { loadFleet } from "../../components/config/load/load-fleet.js";
import { DEFAULTS } from "../../components/model/defaults.js";
import type { DockerHost, Fleet } from "../../components/model/fleet.js";
import { DOCKER_NAMES, LABELS, MANAGED_BY } from "../../components/model/names.js";
import { daemonJson } from "../../components/render/daemon-json.js";
import { cliImage, dindImage } from "../../components/render/dind-connection.js";
import {
  readHousekeepingState,
  housekeepingLookup,
} from "../../components/drift/docker-housekeeping-state.js";
import {
  HOUSEKEEPING_TEST_IMAGE,
  provideHousekeepingImage,
} from "../support/housekeeping-image.js";
import { managerConfigToml } from "../../components/render/config-toml.js";
import { fakeToken } from "../program/program-harness.js";
import { CA_PEM } from "../render/fixtures.js";
import {
  engine,
  engineUnavailable,
  ENGINE_SOCKET,
  skipWithout,
  TEST_IMAGE,
  TEST_LABEL,
} from "../support/docker-test-engine.js";
import { CONTAINER_TYPE, demuxLogs, IMAGE_TYPE } from "../support/engine-provider.js";
import {
  provideCliStandIn,
  provideStandInImages,
  removeStandInImages,
  STAND_IN_EVENTS,
} from "../support/stand-in-images.js";
import type { DeployReport, DeployRequest } from "./engine-deploy-child.js";
import { REPO } from "../support/run-cli.js";

const STACK = `enginedeploy-${process.pid}`;
const HOST = "engine-host";
const COMPONENT = `docker-${HOST}`;
const LOCK = join(tmpdir(), "dind-runners-engine-deploy.lock");

/** The scenario's settings; each test changes one thing. */
interface Scenario {
  readonly hostConfigDir: string;
  readonly runners?: readonly string[];
  readonly insecureRegistries?: readonly string[];
  readonly limit?: number;
  readonly runnerImage?: string;
  readonly manageOverlayModule?: boolean;
  /** The host left out of the stack (a cluster keeps the stack valid). */
  readonly hostRemoved?: boolean;
  /** Deploy the housekeeping container too (off in the other scenarios). */
  readonly housekeeping?: boolean;
  /** An S3 cache with access keys of this generation (`AKIAENGINE<generation>`). */
  readonly cacheKeyGeneration?: string;
}

/** The fake S3 access key and secret key of a cache key generation. */
function cacheKeys(generation: string): { accessKey: string; secretKey: string } {
  return { accessKey: `AKIAENGINE${generation}`, secretKey: `engine-cache-secret-${generation}` };
}

function stackValues(scenario: Scenario): Record<string, unknown> {
  const runners = scenario.runners ?? ["engine-a", "engine-b"];
  if (scenario.hostRemoved === true) {
    return {
      gitlab: { url: "https://gitlab.example.com", caCertificate: CA_PEM },
      kubernetesClusters: [
        {
          name: "engine-cluster",
          context: "engine-cluster",
          runners: [{ name: "engine-k8s", tags: ["dind"], token: fakeToken("engine-k8s") }],
        },
      ],
    };
  }
  return {
    gitlab: { url: "https://gitlab.example.com", caCertificate: CA_PEM },
    dockerHosts: [
      {
        name: HOST,
        endpoint: `unix://${ENGINE_SOCKET}`,
        hostConfigDir: scenario.hostConfigDir,
        ...(scenario.runnerImage === undefined ? {} : { runnerImage: scenario.runnerImage }),
        // Off but in its own scenario: its passes have their own engine test
        // (housekeeping-engine.test.ts).
        housekeeping: { enabled: scenario.housekeeping === true },
        ...(scenario.cacheKeyGeneration === undefined
          ? {}
          : {
              cache: {
                type: "s3",
                shared: true,
                s3: {
                  serverAddress: "minio.example.internal:9000",
                  bucketName: "engine-cache",
                  pathStyle: true,
                  ...cacheKeys(scenario.cacheKeyGeneration),
                },
              },
            }),
        dind: {
          manageOverlayModule: scenario.manageOverlayModule ?? false,
          insecureRegistries: scenario.insecureRegistries ?? ["registry.example.internal:5000"],
        },
        runners: runners.map((name, index) => ({
          name,
          tags: ["dind"],
          token: fakeToken(name),
          ...(index === 0 && scenario.limit !== undefined ? { limit: scenario.limit } : {}),
        })),
      },
    ],
  };
}

function fleetOf(scenario: Scenario): { fleet: Fleet; host: DockerHost } {
  const loaded = loadFleet(
    { environment: STACK, values: stackValues(scenario) },
    { requireSecrets: true, plaintextSecretsAllowed: true },
  );
  assert.ok(loaded.ok, JSON.stringify(loaded));
  const host = loaded.fleet.dockerHosts[0];
  assert.ok(host);
  return { fleet: loaded.fleet, host };
}

/** config.toml as the manager must find it: the real tokens (and cache keys) in place. */
function expectedConfigToml(scenario: Scenario): string {
  const { fleet, host } = fleetOf(scenario);
  const secrets = new Map(host.runners.map((r) => [r.token.configPath, fakeToken(r.name)]));
  if (scenario.cacheKeyGeneration !== undefined) {
    const keys = cacheKeys(scenario.cacheKeyGeneration);
    secrets.set("dockerHosts[0].cache.s3.accessKey", keys.accessKey);
    secrets.set("dockerHosts[0].cache.s3.secretKey", keys.secretKey);
  }
  return managerConfigToml(fleet, host, (ref) => secrets.get(ref.configPath) ?? "?");
}

/** A runner image other than the default, as an upgrade would pin it. */
function upgradedRunnerImage(): string {
  const match = /^(.*:v\d+\.\d+\.)(\d+)$/.exec(DEFAULTS.runnerImage);
  assert.ok(match, `default runner image ${DEFAULTS.runnerImage} is not :v<x.y.z>`);
  return `${match[1]}${Number(match[2]) + 1}`;
}

/** One `pulumi up` in a child process. */
async function deploy(scenario: Scenario, statePath: string): Promise<DeployReport> {
  const request: DeployRequest = { stack: STACK, values: stackValues(scenario), statePath };
  const child = spawn(process.execPath, ["--import", "tsx", "test/docker/engine-deploy-child.ts"], {
    cwd: REPO,
    stdio: ["pipe", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
  child.stdin.end(JSON.stringify(request));
  const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
  const last = stdout.trim().split("\n").at(-1) ?? "";
  assert.equal(code, 0, `deploy child exited with ${String(code)}:\n${stdout}\n${stderr}`);
  return JSON.parse(last) as DeployReport;
}

function assertDeployed(report: DeployReport): void {
  assert.deepEqual([report.logged, report.errors], [[], []], "the deploy failed");
}

/** What a deploy did to each container and image, by role (`manager`, `dind-image`, ...). */
function changes(report: DeployReport): Record<string, string> {
  return Object.fromEntries(
    report.operations
      .filter((op) => op.type === CONTAINER_TYPE || op.type === IMAGE_TYPE)
      .map((op) => [
        op.name.slice(COMPONENT.length + 1).replace(/^dind-image-.*$/, "dind-image"),
        op.operation,
      ]),
  );
}

const PRODUCT_LABELS = [`${LABELS.managedBy}=${MANAGED_BY}`, `${LABELS.environment}=${STACK}`];

/** Removes this run's product containers; refuses to touch same-named ones it did not create. */
async function removeProductContainers(): Promise<void> {
  const ours = await engine.listContainers({ all: true, filters: { label: PRODUCT_LABELS } });
  for (const info of ours) await engine.getContainer(info.Id).remove({ force: true });
  for (const name of Object.values(DOCKER_NAMES)) {
    const named = await engine.listContainers({ all: true, filters: { name: [name] } });
    const clash = named.find((info) => info.Names.includes(`/${name}`));
    if (clash === undefined) continue;
    if (!(clash.Labels[LABELS.environment] ?? "").startsWith("enginedeploy-")) {
      throw new Error(
        `a container named ${name} that no engine test created exists on this engine; ` +
          "the scenarios need that name: run them on an engine without it",
      );
    }
    // A leftover of an earlier run of this file that was killed.
    await engine.getContainer(clash.Id).remove({ force: true });
  }
}

async function inspectManager() {
  return engine.getContainer(DOCKER_NAMES.managerContainer).inspect();
}

async function containerExists(name: string): Promise<boolean> {
  try {
    await engine.getContainer(name).inspect();
    return true;
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode === 404) return false;
    throw error;
  }
}

/** Runs `cat <path>` in a new container of `image` with `binds`; returns what it printed. */
async function catThroughBind(image: string, binds: string[], path: string): Promise<string> {
  const container = await engine.createContainer({
    name: `engine-deploy-bind-check-${process.pid}`,
    Image: image,
    Entrypoint: ["/bin/cat"],
    Cmd: [path],
    Labels: { [TEST_LABEL]: "true" },
    HostConfig: { NetworkMode: "none", Binds: binds },
  });
  try {
    await container.start();
    const { StatusCode } = (await container.wait()) as { StatusCode: number };
    const raw = await container.logs({ stdout: true, stderr: true, follow: false });
    const text = demuxLogs(raw);
    assert.equal(StatusCode, 0, text);
    return text;
  } finally {
    await container.remove({ force: true });
  }
}

function mode(path: string): number {
  return statSync(path).mode & 0o777;
}

/** Holds the machine-wide lock on the product's container names; waits for another holder. */
async function acquireLock(): Promise<void> {
  const deadline = Date.now() + 10 * 60_000;
  for (;;) {
    try {
      const fd = openSync(LOCK, "wx");
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    const holder = Number(readFileSync(LOCK, "utf8"));
    if (!processAlive(holder)) {
      rmSync(LOCK, { force: true });
      continue;
    }
    if (Date.now() > deadline) throw new Error(`${LOCK} held by process ${holder} for 10 minutes`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

describe("DockerRunnerHost on a real Docker engine", () => {
  let unavailable: string | undefined;
  let locked = false;
  const scratch = mkdtempSync(join(tmpdir(), "engine-deploy-"));
  let scenarioCount = 0;

  /** A fresh host: a hostConfigDir that does not exist yet, and empty provider state. */
  function freshHost(): { hostConfigDir: string; statePath: string } {
    scenarioCount += 1;
    const dir = join(scratch, `scenario-${scenarioCount}`);
    mkdirSync(dir);
    return { hostConfigDir: join(dir, "dind-runners"), statePath: join(dir, "state.json") };
  }

  async function begin(t: TestContext): Promise<boolean> {
    if (skipWithout(t, unavailable)) return false;
    await removeProductContainers();
    return true;
  }

  before(async () => {
    unavailable = await engineUnavailable();
    if (unavailable !== undefined) return;
    await acquireLock();
    locked = true;
    await removeProductContainers();
    // Every image the scenarios deploy, as the fleet model names them (the directory is unused).
    const hosts = [
      fleetOf({ hostConfigDir: "/unused" }).host,
      fleetOf({ hostConfigDir: "/unused", runnerImage: upgradedRunnerImage() }).host,
    ];
    await provideStandInImages(
      hosts.map((host) => host.manager.runnerImage),
      hosts.flatMap((host) => host.runners.map((runner) => dindImage(runner.dind))),
    );
    await provideHousekeepingImage();
    for (const reference of new Set(
      hosts.flatMap((host) => host.runners.map((r) => cliImage(r.dind))),
    )) {
      await provideCliStandIn(reference, HOUSEKEEPING_TEST_IMAGE);
    }
  });

  after(async () => {
    try {
      if (unavailable === undefined) {
        await removeProductContainers();
        await removeStandInImages();
      }
    } finally {
      rmSync(scratch, { recursive: true, force: true });
      if (locked) unlinkSync(LOCK);
    }
  });

  it("fresh host: the deploy creates hostConfigDir; config.toml (600), the CA and each daemon.json (644) are where the manager and the dind binds look; the manager runs and reads its config", async (t) => {
    if (!(await begin(t))) return;
    const { hostConfigDir, statePath } = freshHost();
    const scenario = { hostConfigDir };
    assert.equal(existsSync(hostConfigDir), false);

    const report = await deploy(scenario, statePath);
    assertDeployed(report);
    assert.deepEqual(changes(report), {
      "config-writer": "create",
      "dind-image": "create",
      manager: "create",
      "runner-image": "create",
    });

    const { fleet, host } = fleetOf(scenario);
    const configToml = join(hostConfigDir, "gitlab-runner", "config.toml");
    assert.equal(readFileSync(configToml, "utf8"), expectedConfigToml(scenario));
    assert.equal(mode(configToml), 0o600);
    const ca = join(hostConfigDir, "gitlab-runner", "gitlab-ca.crt");
    assert.equal(readFileSync(ca, "utf8"), CA_PEM);
    assert.equal(mode(ca), 0o644);
    for (const runner of host.runners) {
      const file = join(hostConfigDir, "dind", `${runner.name}.json`);
      assert.equal(readFileSync(file, "utf8"), daemonJson(runner.dind));
      assert.equal(mode(file), 0o644);
    }

    // The manager runs, on the host network, stopped gracefully, and was given its config.
    const manager = await inspectManager();
    assert.equal(manager.State.Running, true);
    assert.equal(manager.Config.Image, host.manager.runnerImage);
    assert.equal(manager.HostConfig.NetworkMode, "host");
    const config = manager.Config as { StopSignal?: string; StopTimeout?: number };
    assert.deepEqual(
      [config.StopSignal, config.StopTimeout],
      ["SIGQUIT", managerStopTimeoutSeconds(host)],
    );
    const logs = demuxLogs(
      await engine.getContainer(manager.Id).logs({ stdout: true, stderr: true, follow: false }),
    );
    assert.ok(
      logs.startsWith(
        `stand-in gitlab-runner: /etc/gitlab-runner/config.toml:\n${expectedConfigToml(scenario)}`,
      ),
      logs,
    );
    // Drift detection finds the manager by its labels and reads config.toml through it;
    // the CA is where config.toml's tls-ca-file points, inside the manager.
    const live = await readDockerManagerConfig(
      engine,
      managerContainerLookup(fleet, host),
      "test engine",
    );
    assert.deepEqual(live, {
      status: "found",
      source: `container ${DOCKER_NAMES.managerContainer}:/etc/gitlab-runner/config.toml`,
      text: expectedConfigToml(scenario),
    });
    const caInManager = await readDockerManagerConfig(
      engine,
      { ...managerContainerLookup(fleet, host), configPath: "/etc/gitlab-runner/gitlab-ca.crt" },
      "test engine",
    );
    assert.equal(caInManager.status === "found" ? caInManager.text : caInManager.status, CA_PEM);

    // Each runner's dind gets its daemon.json through the very bind config.toml gives it.
    const rendered = TOML.parse(readFileSync(configToml, "utf8")) as {
      runners: { name: string; docker: { volumes: string[] } }[];
    };
    for (const runner of host.runners) {
      const entry = rendered.runners.find((r) => r.name === runner.name);
      const bind = entry?.docker.volumes.find((v) => v.endsWith(":/etc/docker/daemon.json:ro"));
      assert.ok(bind, `no daemon.json bind for ${runner.name}`);
      assert.equal(
        await catThroughBind(dindImage(runner.dind), [bind], "/etc/docker/daemon.json"),
        daemonJson(runner.dind),
      );
    }

    // The writer exited 0 and left no staged copy of the tokens in its container.
    const writer = await engine.getContainer(DOCKER_NAMES.configWriterContainer).inspect();
    assert.deepEqual([writer.State.Running, writer.State.ExitCode], [false, 0]);
    await assert.rejects(
      engine.getContainer(writer.Id).getArchive({ path: "/staging" }),
      (error: { statusCode?: number }) => error.statusCode === 404,
    );
    assert.equal(await containerExists(DOCKER_NAMES.overlayModuleContainer), false);
  });

  it("housekeeping on: its container runs unprivileged from the pinned CLI image with the socket, the data root read-only and its state directory", async (t) => {
    if (!(await begin(t))) return;
    const { hostConfigDir, statePath } = freshHost();
    const scenario = { hostConfigDir, housekeeping: true };
    const report = await deploy(scenario, statePath);
    assertDeployed(report);
    assert.deepEqual(changes(report), {
      "config-writer": "create",
      "dind-image": "create",
      housekeeping: "create",
      "housekeeping-image": "create",
      manager: "create",
      "runner-image": "create",
    });
    const { fleet, host } = fleetOf(scenario);
    const housekeeping = await engine.getContainer(DOCKER_NAMES.housekeepingContainer).inspect();
    assert.equal(housekeeping.State.Running, true);
    assert.equal(housekeeping.Config.Image, cliImage(host.runners[0]!.dind));
    assert.equal(housekeeping.HostConfig.Privileged, false);
    assert.deepEqual(housekeeping.Mounts.map((m) => [m.Source, m.Destination, m.RW]).sort(), [
      [join(hostConfigDir, "housekeeping"), "/var/lib/dind-runners-housekeeping", true],
      ["/var/lib/docker", "/host-docker-root", false],
      ["/var/run/docker.sock", "/var/run/docker.sock", true],
    ]);
    // Its first pass ran: the record of last uses is on the host.
    await until(() => existsSync(join(hostConfigDir, "housekeeping", "last-used")));
    const logs = demuxLogs(
      await engine
        .getContainer(housekeeping.Id)
        .logs({ stdout: true, stderr: true, follow: false }),
    );
    assert.equal(
      logs,
      "housekeeping: every 3600 s: cache volumes unused 14 days, exited containers after 24 h, images unused 14 days, oldest first below 10 % free\n",
    );
    assert.deepEqual(
      await readHousekeepingState(engine, housekeepingLookup(fleet, host), "test engine"),
      { status: "running", source: `container ${DOCKER_NAMES.housekeepingContainer}` },
    );
  });

  it("config-only change (a new insecure registry, another limit): only the writer runs again; the manager keeps its id and start time; readers never see a partial config.toml", async (t) => {
    if (!(await begin(t))) return;
    const { hostConfigDir, statePath } = freshHost();
    const original = { hostConfigDir };
    const changed: Scenario = {
      hostConfigDir,
      insecureRegistries: ["registry.example.internal:5000", "10.0.0.9:5000"],
      limit: 2,
    };
    assertDeployed(await deploy(original, statePath));
    const manager = await inspectManager();
    const configToml = join(hostConfigDir, "gitlab-runner", "config.toml");
    const oldText = expectedConfigToml(original);
    const newText = expectedConfigToml(changed);
    const oldInode = statSync(configToml).ino;

    // A reader on the host polls config.toml for the whole deploy.
    const seen = new Map<string, number>();
    let reading = true;
    const reader = (async () => {
      while (reading) {
        const text = readFileSync(configToml, "utf8");
        seen.set(text, (seen.get(text) ?? 0) + 1);
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    const report = await deploy(changed, statePath);
    reading = false;
    await reader;

    assertDeployed(report);
    assert.deepEqual(changes(report), {
      "config-writer": "replace",
      "dind-image": "same",
      manager: "same",
      "runner-image": "same",
    });
    const unchanged = await inspectManager();
    assert.deepEqual(
      [unchanged.Id, unchanged.State.StartedAt],
      [manager.Id, manager.State.StartedAt],
    );
    assert.equal(readFileSync(configToml, "utf8"), newText);
    assert.notEqual(statSync(configToml).ino, oldInode, "replaced by a rename, not rewritten");
    assert.deepEqual(
      [...seen.keys()].filter((text) => text !== oldText && text !== newText),
      [],
      "a reader saw a config.toml that is neither the old nor the new one",
    );
    assert.ok((seen.get(oldText) ?? 0) > 0, "the reader ran during the deploy");
    const { host } = fleetOf(changed);
    for (const runner of host.runners) {
      assert.equal(
        readFileSync(join(hostConfigDir, "dind", `${runner.name}.json`), "utf8"),
        daemonJson(runner.dind),
      );
    }
  });

  it("cache key rotation: only the writer runs again; the manager keeps its id and start time; the keys are in the mode-600 config.toml and nowhere in the manager's spec", async (t) => {
    if (!(await begin(t))) return;
    const { hostConfigDir, statePath } = freshHost();
    const original: Scenario = { hostConfigDir, cacheKeyGeneration: "1" };
    const rotated: Scenario = { hostConfigDir, cacheKeyGeneration: "2" };
    assertDeployed(await deploy(original, statePath));
    const manager = await inspectManager();

    const report = await deploy(rotated, statePath);
    assertDeployed(report);
    assert.deepEqual(changes(report), {
      "config-writer": "replace",
      "dind-image": "same",
      manager: "same",
      "runner-image": "same",
    });
    const unchanged = await inspectManager();
    assert.deepEqual(
      [unchanged.Id, unchanged.State.StartedAt],
      [manager.Id, manager.State.StartedAt],
    );
    const configToml = join(hostConfigDir, "gitlab-runner", "config.toml");
    assert.equal(readFileSync(configToml, "utf8"), expectedConfigToml(rotated));
    assert.match(readFileSync(configToml, "utf8"), /AccessKey = "AKIAENGINE2"/);
    assert.equal(mode(configToml), 0o600);
    assert.doesNotMatch(JSON.stringify(unchanged), /AKIAENGINE|engine-cache-secret/);
    assert.doesNotMatch(JSON.stringify(report), /AKIAENGINE|engine-cache-secret/);
  });

  it("runner image upgrade: the manager is replaced; the old one gets SIGQUIT and the time to finish", async (t) => {
    if (!(await begin(t))) return;
    const { hostConfigDir, statePath } = freshHost();
    assertDeployed(await deploy({ hostConfigDir }, statePath));
    const old = await inspectManager();
    const upgraded: Scenario = { hostConfigDir, runnerImage: upgradedRunnerImage() };

    const report = await deploy(upgraded, statePath);
    assertDeployed(report);
    assert.deepEqual(changes(report), {
      "config-writer": "replace",
      "dind-image": "same",
      manager: "replace",
      "runner-image": "replace",
    });
    assert.equal(await containerExists(old.Id), false);
    const manager = await inspectManager();
    assert.equal(manager.State.Running, true);
    assert.equal(manager.Config.Image, upgradedRunnerImage());
    // start, SIGQUIT, a graceful stop seconds later (a kill would leave no
    // `stop`), then the new manager's start.
    assert.deepEqual(
      readFileSync(join(hostConfigDir, "gitlab-runner", STAND_IN_EVENTS), "utf8").split("\n"),
      ["start", "sigquit", "stop", "start", ""],
    );
    assert.equal(
      readFileSync(join(hostConfigDir, "gitlab-runner", "config.toml"), "utf8"),
      expectedConfigToml(upgraded),
    );
  });

  it("runner removed: its daemon.json is gone, the other runner's file is untouched", async (t) => {
    if (!(await begin(t))) return;
    const { hostConfigDir, statePath } = freshHost();
    assertDeployed(await deploy({ hostConfigDir }, statePath));
    const kept = join(hostConfigDir, "dind", "engine-a.json");
    const keptBefore = statSync(kept);
    const manager = await inspectManager();
    const fewer: Scenario = { hostConfigDir, runners: ["engine-a"] };

    const report = await deploy(fewer, statePath);
    assertDeployed(report);
    assert.deepEqual(changes(report), {
      "config-writer": "replace",
      "dind-image": "same",
      manager: "same",
      "runner-image": "same",
    });
    assert.deepEqual(readdirSync(join(hostConfigDir, "dind")), ["engine-a.json"]);
    const afterStat = statSync(kept);
    assert.deepEqual([afterStat.ino, afterStat.mtimeMs], [keptBefore.ino, keptBefore.mtimeMs]);
    assert.equal(
      readFileSync(join(hostConfigDir, "gitlab-runner", "config.toml"), "utf8"),
      expectedConfigToml(fewer),
    );
    assert.equal((await inspectManager()).Id, manager.Id);
  });

  it("failing one-shot: a directory in the way of a daemon.json fails pulumi up with the host, the container and its log; no manager, no config.toml", async (t) => {
    if (!(await begin(t))) return;
    const { hostConfigDir, statePath } = freshHost();
    // What Docker leaves when a job binds a daemon.json that is not there yet.
    mkdirSync(join(hostConfigDir, "dind", "engine-b.json"), { recursive: true });

    const report = await deploy({ hostConfigDir }, statePath);
    const urn =
      `urn:pulumi:${STACK}::dind-runners::dind-runners:docker:DockerRunnerHost$` +
      `docker:index/container:Container::${COMPONENT}-config-writer`;
    const writerError =
      `docker host ${HOST}: the config writer (${DOCKER_NAMES.configWriterContainer}) exited with code 1, ` +
      "so the runner manager was not deployed or updated. Its output:\n" +
      `wrote ${hostConfigDir}/dind/engine-a.json\n` +
      `dind-runners config writer: refusing to replace ${hostConfigDir}/dind/engine-b.json: it is a directory` +
      " (Docker creates one when a container binds a file that is missing);" +
      " remove it on the host, then run pulumi up again\n" +
      `Fix the cause, then run the helper again: pulumi up --replace '${urn}'`;
    const stop =
      `error serializing property "outputs": docker host ${HOST}: the config writer ` +
      `(${DOCKER_NAMES.configWriterContainer}) failed, so the runner manager was not deployed ` +
      "or updated; see its error for the output";
    assert.deepEqual([report.logged, report.errors], [[writerError], [stop]]);
    assert.equal(await containerExists(DOCKER_NAMES.managerContainer), false);
    assert.equal(existsSync(join(hostConfigDir, "gitlab-runner", "config.toml")), false);
    const writer = await engine.getContainer(DOCKER_NAMES.configWriterContainer).inspect();
    assert.deepEqual([writer.State.Running, writer.State.ExitCode], [false, 1]);

    // Unchanged inputs do not run the writer again: the next `pulumi up` fails the same way.
    rmSync(join(hostConfigDir, "dind", "engine-b.json"), { recursive: true });
    const again = await deploy({ hostConfigDir }, statePath);
    assert.deepEqual([again.logged, again.errors], [[writerError], [stop]]);
  });

  it("idempotence: a second deploy with no change creates, replaces and restarts nothing", async (t) => {
    if (!(await begin(t))) return;
    const { hostConfigDir, statePath } = freshHost();
    const scenario = { hostConfigDir };
    assertDeployed(await deploy(scenario, statePath));
    const manager = await inspectManager();
    const writer = await engine.getContainer(DOCKER_NAMES.configWriterContainer).inspect();
    const files = ["gitlab-runner/config.toml", "dind/engine-a.json", "dind/engine-b.json"];
    const stats = files.map((file) => statSync(join(hostConfigDir, file)));

    const report = await deploy(scenario, statePath);
    assertDeployed(report);
    assert.deepEqual(
      report.operations.map((op) => op.operation).filter((op) => op !== "same"),
      [],
    );
    const managerAfter = await inspectManager();
    const writerAfter = await engine.getContainer(DOCKER_NAMES.configWriterContainer).inspect();
    assert.deepEqual(
      [managerAfter.Id, managerAfter.State.StartedAt, managerAfter.RestartCount],
      [manager.Id, manager.State.StartedAt, manager.RestartCount],
    );
    assert.deepEqual(
      [writerAfter.Id, writerAfter.State.StartedAt],
      [writer.Id, writer.State.StartedAt],
    );
    assert.deepEqual(
      files.map((file) => statSync(join(hostConfigDir, file))).map((s) => [s.ino, s.mtimeMs]),
      stats.map((s) => [s.ino, s.mtimeMs]),
    );
  });

  it("host removed from the stack: its containers are deleted, the manager stopped gracefully; the files it wrote stay", async (t) => {
    if (!(await begin(t))) return;
    const { hostConfigDir, statePath } = freshHost();
    assertDeployed(await deploy({ hostConfigDir }, statePath));

    const report = await deploy({ hostConfigDir, hostRemoved: true }, statePath);
    assertDeployed(report);
    assert.deepEqual(changes(report), {
      "config-writer": "delete",
      "dind-image": "delete",
      manager: "delete",
      "runner-image": "delete",
    });
    assert.equal(await containerExists(DOCKER_NAMES.managerContainer), false);
    assert.equal(await containerExists(DOCKER_NAMES.configWriterContainer), false);
    assert.deepEqual(
      readFileSync(join(hostConfigDir, "gitlab-runner", STAND_IN_EVENTS), "utf8").split("\n"),
      ["start", "sigquit", "stop", ""],
    );
    assert.equal(existsSync(join(hostConfigDir, "gitlab-runner", "config.toml")), true);
  });

  it("a helper the engine cannot run (here: the privileged overlay-module helper) fails the deploy with the engine's reason; no manager", async (t) => {
    if (!(await begin(t))) return;
    if (await privilegedContainersRun()) {
      t.skip("this engine runs privileged containers: the helper would load the host's module");
      return;
    }
    const { hostConfigDir, statePath } = freshHost();
    const report = await deploy({ hostConfigDir, manageOverlayModule: true }, statePath);
    assert.deepEqual(report.logged, []);
    assert.equal(report.errors.length, 1, report.errors.join("\n"));
    assert.match(
      report.errors[0] ?? "",
      new RegExp(
        `failed to register new resource ${COMPONENT}-overlay-module ` +
          "\\[docker:index/container:Container\\]: " +
          "Unable to (create|start) container: Error response from daemon: ",
      ),
    );
    assert.equal(await containerExists(DOCKER_NAMES.managerContainer), false);
  });
});

/** Whether this engine starts privileged containers (this sandbox's does not). */
async function privilegedContainersRun(): Promise<boolean> {
  const container = await engine.createContainer({
    name: `engine-deploy-privileged-probe-${process.pid}`,
    Image: TEST_IMAGE,
    Cmd: ["/bin/true"],
    Labels: { [TEST_LABEL]: "true" },
    HostConfig: { NetworkMode: "none", Privileged: true },
  });
  try {
    await container.start();
    return true;
  } catch {
    return false;
  } finally {
    await container.remove({ force: true });
  }
}

/** Polls `done` every 100 ms, failing after 30 s. */
async function until(done: () => boolean): Promise<void> {
  for (let waited = 0; waited < 30_000; waited += 100) {
    if (done()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  assert.fail("waited 30 s");
}
