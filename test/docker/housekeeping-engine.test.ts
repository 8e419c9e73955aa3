/**
 * The housekeeping script against a REAL Docker engine: a host holding GitLab
 * Runner's volumes, containers and images of various ages next to things that
 * are not GitLab Runner's (a user's volume and container, look-alike names
 * without the runner's labels, a pinned image, an image a running container
 * uses). Each pass runs the container as the spec declares it (environment,
 * socket, data root, entrypoint), from an image with this machine's docker CLI
 * (test/support/housekeeping-image.ts), with the clock injected through
 * HOUSEKEEPING_NOW instead of waiting. Run under `flock /tmp/engine.lock`: the
 * container has the product's fixed name.
 */
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, posix } from "node:path";
import { after, before, describe, it } from "node:test";
import {
  HELPER_IMAGE_REPOSITORY,
  HOUSEKEEPING_SCRIPT,
  HOUSEKEEPING_STATE_DIR,
  housekeepingContainerSpec,
} from "../../components/docker/housekeeping-container-spec.js";
import { DEFAULTS } from "../../components/model/defaults.js";
import type { HousekeepingSettings } from "../../components/model/fleet.js";
import {
  HOUSEKEEPING_VARIABLES,
  ONCE_ARGUMENT,
} from "../../components/render/housekeeping-script.js";
import {
  engineUnavailable,
  skipWithout,
  TEST_IMAGE,
  TEST_LABEL,
} from "../support/docker-test-engine.js";
import {
  HOUSEKEEPING_TEST_IMAGE,
  provideHousekeepingImage,
} from "../support/housekeeping-image.js";
import { dockerHost, fleet, runner } from "../render/fixtures.js";
import { HOUSEKEEPING_METRICS_FILE } from "../../components/render/housekeeping-metrics.js";
import { promtoolPath } from "../support/promtool.js";

const HOUR = 3600;
const DAY = 24 * HOUR;
const RUN = `hk${process.pid}`;
const RUNNER = {
  "com.gitlab.gitlab-runner.managed": "true",
  "com.gitlab.gitlab-runner.job.id": "42",
};
const CACHE = { ...RUNNER, "com.gitlab.gitlab-runner.type": "cache" };
const BUILD = { ...RUNNER, "com.gitlab.gitlab-runner.type": "build" };

const settings: HousekeepingSettings = {
  intervalSeconds: 3600,
  cacheVolumeDays: 7,
  exitedContainerHours: 24,
  imageDays: 7,
  minFreePercent: 0,
  dockerDataRoot: "/var/lib/docker",
};
const host = dockerHost("build-1", [runner("r-a")], { housekeeping: settings });
const spec = housekeepingContainerSpec(fleet({ dockerHosts: [host] }), host);
/** Pinned through the spec's helper pattern (`<repository>:*-<runner version>`). */
const PINNED_HELPER = `${HELPER_IMAGE_REPOSITORY}:x86_64-${DEFAULTS.runnerImage.split(":")[1] ?? ""}`;

function docker(...args: string[]): string {
  return execFileSync("docker", args, {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  }).trim();
}
const labelArgs = (labels: Record<string, string>): string[] =>
  Object.entries({ ...labels, [TEST_LABEL]: "true" }).flatMap(([k, v]) => ["--label", `${k}=${v}`]);
const exists = (kind: "container" | "volume" | "image", name: string): boolean => {
  try {
    docker(kind, "inspect", name);
    return true;
  } catch {
    return false;
  }
};

/** A fresh image of its own (a commit of the test image), tagged when `tag` is given; its id. */
function image(base: string, marker: string, tag?: string): string {
  const id = docker(
    "commit",
    "--change",
    `LABEL ${TEST_LABEL}.housekeeping=${marker}`,
    base,
    ...(tag === undefined ? [] : [tag]),
  );
  return id;
}

describe("housekeeping on a real Docker engine", () => {
  let unavailable: string | undefined;
  let state: string;
  let uploads: string;
  let t0: number;
  const names = {
    exited: `runner-${RUN}-project-1-concurrent-0-build`,
    running: `runner-${RUN}-project-1-concurrent-1-build`,
    lookAlikeContainer: `runner-${RUN}-project-2-concurrent-0-build`,
    userContainer: `${RUN}-user-exited`,
    oldCache: `runner-${RUN}-project-1-concurrent-0-cache-3c3f4d6d0c1e4fd5a8c6a1f0b2f0e1a1`,
    exitedCache: `runner-${RUN}-project-1-concurrent-0-cache-9a1d3f0c7e2b4a6d8f1e3c5b7a9d0e2f`,
    recentCache: `runner-${RUN}-project-4-concurrent-0-cache-0f8e7d6c5b4a39281706f5e4d3c2b1a0`,
    inUseCache: `runner-${RUN}-project-1-concurrent-1-cache-1a2b3c4d5e6f70819a2b3c4d5e6f7081`,
    lookAlikeVolume: `runner-${RUN}-project-3-concurrent-0-cache-5e6f70819a2b3c4d5e6f70819a2b3c4d`,
    userVolume: `${RUN}-user-data`,
    started: `runner-${RUN}-project-9-concurrent-0-build`,
    startedCache: `runner-${RUN}-project-9-concurrent-0-cache-7d6c5b4a39281706f5e4d3c2b1a00f8e`,
    oldTag: `dind-runners-test/${RUN}-job:old`,
    recentTag: `dind-runners-test/${RUN}-job:recent`,
    unknownTag: `dind-runners-test/${RUN}-job:unknown`,
  };
  const ids = { old: "", dangling: "", recent: "", running: "", pinned: "", unknown: "" };

  const containers = [names.exited, names.running, names.lookAlikeContainer, names.userContainer];
  const volumes = [
    names.oldCache,
    names.exitedCache,
    names.recentCache,
    names.inUseCache,
    names.lookAlikeVolume,
    names.userVolume,
  ];
  function assertPresent(
    someContainers: readonly string[],
    someVolumes: readonly string[],
    images: readonly string[],
  ): void {
    for (const name of someContainers)
      assert.ok(exists("container", name), `container ${name} is gone`);
    for (const name of someVolumes) assert.ok(exists("volume", name), `volume ${name} is gone`);
    for (const id of images) assert.ok(exists("image", id), `image ${id} is gone`);
  }

  /** The housekeeping container as the spec declares it, created (not started), its script in place. */
  function createHousekeeping(env: readonly string[], argument: readonly string[]): void {
    assert.ok(spec);
    const args = [
      "create",
      "--name",
      spec.name,
      ...labelArgs(Object.fromEntries(spec.labels.map((l) => [l.label, l.value]))),
      ...(spec.envs ?? []).flatMap((env) => ["--env", env]),
      ...env.flatMap((variable) => ["--env", variable]),
      ...spec.mounts.flatMap((m) => [
        "--mount",
        `type=bind,source=${m.source},target=${m.target}${m.readOnly ? ",readonly" : ""}`,
      ]),
      "--volume",
      `${state}:${HOUSEKEEPING_STATE_DIR}`,
      "--entrypoint",
      spec.entrypoints?.[0] ?? "",
      HOUSEKEEPING_TEST_IMAGE,
      ...(spec.command ?? []),
      ...argument,
    ];
    docker("rm", "--force", spec.name);
    docker(...args);
    // What the Docker provider's `uploads` do: the file is in place before the start.
    const script = spec.uploads?.find((u) => u.file === HOUSEKEEPING_SCRIPT);
    assert.ok(script);
    const directory = join(uploads, posix.basename(posix.dirname(HOUSEKEEPING_SCRIPT)));
    mkdirSync(directory, { recursive: true });
    writeFileSync(join(directory, posix.basename(HOUSEKEEPING_SCRIPT)), script.content, {
      mode: 0o755,
    });
    docker("cp", directory, `${spec.name}:${posix.dirname(posix.dirname(HOUSEKEEPING_SCRIPT))}`);
  }

  /** Runs one pass at `now` and returns what it logged, one entry per line. */
  function pass(now: number, minFreePercent?: number): string[] {
    assert.ok(spec);
    createHousekeeping(
      [
        `${HOUSEKEEPING_VARIABLES.now}=${now}`,
        ...(minFreePercent === undefined
          ? []
          : [`${HOUSEKEEPING_VARIABLES.minFreePercent}=${minFreePercent}`]),
      ],
      [ONCE_ARGUMENT],
    );
    docker("start", "--attach", spec.name);
    const exit = docker("inspect", "--format", "{{.State.ExitCode}}", spec.name);
    const logs = execFileSync("docker", ["logs", spec.name], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    });
    const stderr = execFileSync("sh", ["-c", 'docker logs "$0" 2>&1 >/dev/null', spec.name], {
      encoding: "utf8",
    });
    docker("rm", "--force", spec.name);
    assert.equal(stderr, "", "the pass wrote errors");
    assert.equal(exit, "0");
    return logs.split("\n").filter((line) => line !== "");
  }

  /** The samples of the housekeeping's metrics file: `name{labels}` -> value. */
  function metricsFile(): Map<string, number> {
    const text = readFileSync(join(state, HOUSEKEEPING_METRICS_FILE), "utf8");
    return new Map(
      text
        .split("\n")
        .filter((line) => line !== "" && !line.startsWith("#"))
        .map((line) => {
          const space = line.lastIndexOf(" ");
          return [line.slice(0, space), Number(line.slice(space + 1))] as const;
        }),
    );
  }

  before(async () => {
    unavailable = await engineUnavailable();
    if (unavailable !== undefined) return;
    await provideHousekeepingImage();
    assert.ok(!exists("image", PINNED_HELPER), `${PINNED_HELPER} exists already: not a test image`);
    state = mkdtempSync(join(tmpdir(), "housekeeping-state-"));
    uploads = mkdtempSync(join(tmpdir(), "housekeeping-uploads-"));
    t0 = Math.floor(Date.now() / 1000);

    // GitLab Runner's: an exited build container holding a cache volume, a
    // running one with its cache volume, cache volumes nobody uses.
    for (const volume of [names.oldCache, names.exitedCache, names.recentCache, names.inUseCache]) {
      docker("volume", "create", ...labelArgs(CACHE), volume);
    }
    docker(
      "run",
      "--name",
      names.exited,
      ...labelArgs(BUILD),
      "--volume",
      `${names.exitedCache}:/cache`,
      TEST_IMAGE,
      "true",
    );
    // Not GitLab Runner's: look-alike names without its labels, a user's container and volume.
    docker("volume", "create", "--label", `${TEST_LABEL}=true`, names.lookAlikeVolume);
    docker("volume", "create", "--label", `${TEST_LABEL}=true`, names.userVolume);
    docker(
      "run",
      "--name",
      names.lookAlikeContainer,
      "--label",
      `${TEST_LABEL}=true`,
      TEST_IMAGE,
      "true",
    );
    docker(
      "run",
      "--name",
      names.userContainer,
      "--label",
      `${TEST_LABEL}=true`,
      "--volume",
      `${names.userVolume}:/data`,
      TEST_IMAGE,
      "true",
    );

    // Images: jobs used some (the record says when), others are pinned or unknown.
    const base = docker("create", "--label", `${TEST_LABEL}=true`, TEST_IMAGE);
    ids.old = image(base, "old", names.oldTag);
    ids.dangling = image(base, "dangling");
    ids.recent = image(base, "recent", names.recentTag);
    ids.running = image(base, "running");
    ids.pinned = image(base, "pinned", PINNED_HELPER);
    ids.unknown = image(base, "unknown", names.unknownTag);
    docker("rm", base);
    docker(
      "run",
      "--detach",
      "--name",
      names.running,
      ...labelArgs(BUILD),
      "--volume",
      `${names.inUseCache}:/cache`,
      "--network",
      "none",
      ids.running,
      "/bin/sleep",
      "3600",
    );
  });

  after(() => {
    if (unavailable !== undefined) return;
    for (const name of [
      names.exited,
      names.running,
      names.lookAlikeContainer,
      names.userContainer,
      names.started,
      spec?.name ?? "",
    ]) {
      try {
        docker("rm", "--force", name);
      } catch {
        /* gone */
      }
    }
    for (const name of [
      names.oldCache,
      names.exitedCache,
      names.recentCache,
      names.inUseCache,
      names.lookAlikeVolume,
      names.userVolume,
      names.startedCache,
    ]) {
      try {
        docker("volume", "rm", name);
      } catch {
        /* gone */
      }
    }
    for (const id of Object.values(ids)) {
      try {
        docker("image", "rm", "--force", id);
      } catch {
        /* gone */
      }
    }
    rmSync(state, { recursive: true, force: true });
    rmSync(uploads, { recursive: true, force: true });
  });

  /**
   * Now in the tests: ten days and half an hour after the objects were made
   * (t0 is taken before; the engine's times may fall in the same second), so
   * the ages logged are whole: 240 h, 10 days.
   */
  const later = (): number => t0 + 10 * DAY + HOUR / 2;

  it("passes within the limits remove nothing", (t) => {
    if (skipWithout(t, unavailable)) return;
    // What jobs used when: the record the events follower keeps.
    const now = later();
    writeFileSync(
      join(state, "last-used"),
      [
        `image ${ids.old} ${now - 8 * DAY}`,
        `image ${ids.dangling} ${now - 9 * DAY}`,
        `image ${ids.recent} ${now - 2 * DAY}`,
        `image ${ids.running} ${now - 30 * DAY}`,
        `image ${ids.pinned} ${now - 30 * DAY}`,
        `volume ${names.recentCache} ${now - 1 * DAY}`,
        "",
      ].join("\n"),
    );
    // Two hours after: the build container exited 2 h ago, the volumes are new.
    assert.deepEqual(pass(t0 + 2 * HOUR), []);
    assertPresent(containers, volumes, Object.values(ids));
  });

  it("one pass removes exactly GitLab Runner's expired objects, a second nothing", (t) => {
    if (skipWithout(t, unavailable)) return;
    const first = pass(later());
    assert.deepEqual(
      first.sort(),
      [
        `housekeeping: removed container ${names.exited}: exited 240 h ago (limit 24 h)`,
        `housekeeping: removed image ${ids.dangling}: no job used it for 9 days (limit 7)`,
        `housekeeping: removed image ${names.oldTag}: no job used it for 8 days (limit 7)`,
        `housekeeping: removed volume ${names.exitedCache}: cache not used for 10 days (limit 7)`,
        `housekeeping: removed volume ${names.oldCache}: cache not used for 10 days (limit 7)`,
      ].sort(),
    );
    assert.ok(!exists("container", names.exited));
    assert.ok(!exists("volume", names.exitedCache));
    assert.ok(!exists("volume", names.oldCache));
    assert.ok(!exists("image", ids.old));
    assert.ok(!exists("image", ids.dangling));
    // Everything else stays: the running job with its cache and image, the
    // recent cache and image, the pinned and unknown images, whatever is not GitLab Runner's.
    const removed = new Set<string>([
      names.exited,
      names.exitedCache,
      names.oldCache,
      ids.old,
      ids.dangling,
    ]);
    const left = (list: readonly string[]) => list.filter((name) => !removed.has(name));
    assertPresent(left(containers), left(volumes), left(Object.values(ids)));

    // The pass's disk view and removals, for node_exporter's textfile collector.
    const metrics = metricsFile();
    const where = 'dind_runners_environment="test",dind_runners_target="build-1"';
    assert.deepEqual(
      [
        `dind_runners_housekeeping_removed_total{${where},kind="container"}`,
        `dind_runners_housekeeping_removed_total{${where},kind="volume"}`,
        `dind_runners_housekeeping_removed_total{${where},kind="image"}`,
        `dind_runners_housekeeping_min_free_percent{${where}}`,
        `dind_runners_housekeeping_last_pass_timestamp_seconds{${where}}`,
      ].map((series) => metrics.get(series)),
      [1, 2, 2, 0, later()],
    );
    const free = metrics.get(`dind_runners_housekeeping_data_root_free_bytes{${where}}`) ?? -1;
    const size = metrics.get(`dind_runners_housekeeping_data_root_size_bytes{${where}}`) ?? -1;
    const percent = metrics.get(`dind_runners_housekeeping_data_root_free_percent{${where}}`) ?? -1;
    assert.ok(free > 0 && free < size, `free ${free} of ${size} bytes`);
    assert.ok(Math.abs(percent - (free * 100) / size) < 0.01, `${percent} %`);
    const promtool = promtoolPath();
    if (promtool !== undefined) {
      const check = spawnSync(promtool, ["check", "metrics"], {
        input: readFileSync(join(state, HOUSEKEEPING_METRICS_FILE), "utf8"),
        encoding: "utf8",
      });
      assert.equal(check.status, 0, `${check.stdout}${check.stderr}`);
    }

    assert.deepEqual(pass(later()), []);
    // Nothing removed: the counters stay; the temporary file never stays behind.
    assert.equal(
      metricsFile().get(`dind_runners_housekeeping_removed_total{${where},kind="volume"}`),
      2,
    );
    assert.deepEqual(readdirSync(state).sort(), [
      "last-used",
      HOUSEKEEPING_METRICS_FILE,
      "removed",
    ]);
  });

  it("below the free-space floor removes GitLab Runner's unused objects oldest first, nothing else", (t) => {
    if (skipWithout(t, unavailable)) return;
    // No disk is 100 % free: everything removable goes, oldest first.
    const lines = pass(later(), 100);
    const free = /free space (\d+) % below 100 %/;
    assert.deepEqual(
      lines.map((line) => line.replace(free, "free space N % below 100 %")),
      [
        `housekeeping: removed image ${names.recentTag}: free space N % below 100 %, oldest first (last used 48 h ago)`,
        `housekeeping: removed volume ${names.recentCache}: free space N % below 100 %, oldest first (last used 24 h ago)`,
        "housekeeping: free space N % below 100 %: nothing of GitLab Runner's left to remove",
      ],
    );
    assert.ok(!exists("volume", names.recentCache));
    assert.ok(!exists("image", ids.recent));
    assertPresent(
      [names.running, names.lookAlikeContainer, names.userContainer],
      [names.inUseCache, names.lookAlikeVolume, names.userVolume],
      [ids.running, ids.pinned, ids.unknown],
    );
  });

  it("keeps running and records the image and volumes of each runner container that starts", async (t) => {
    if (skipWithout(t, unavailable)) return;
    assert.ok(spec);
    createHousekeeping([], []);
    docker("start", spec.name);
    // The follower is subscribed once `docker events` runs in the container.
    await until("docker events runs", () => docker("top", spec.name).includes("docker events"));
    docker("volume", "create", ...labelArgs(CACHE), names.startedCache);
    docker(
      "run",
      "--name",
      names.started,
      ...labelArgs(BUILD),
      "--volume",
      `${names.startedCache}:/cache`,
      ids.unknown,
      "true",
    );
    const ledger = (): string => readFileSync(join(state, "last-used"), "utf8");
    await until(
      "the start is recorded",
      () =>
        ledger().includes(`image ${ids.unknown} `) &&
        ledger().includes(`volume ${names.startedCache} `),
    );
    // Not recorded: anything of a container without GitLab Runner's labels.
    assert.ok(!ledger().includes(names.userVolume));
    docker("stop", "--time", "10", spec.name);
    assert.equal(docker("inspect", "--format", "{{.State.ExitCode}}", spec.name), "0");
    docker("rm", spec.name);
  });
});

/** Polls `done` every 100 ms, failing after 30 s. */
async function until(what: string, done: () => boolean): Promise<void> {
  for (let waited = 0; waited < 30_000; waited += 100) {
    if (done()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  assert.fail(`waited 30 s for: ${what}`);
}
