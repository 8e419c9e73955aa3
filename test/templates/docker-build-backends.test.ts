/**
 * The docker-build component on each build backend (docs/build-backends.md):
 * every backend x executor x tls combination expanded by gitlab-ci-local with
 * GitLab's CI schema on, then the socket and buildkit jobs' scripts run against
 * the stub docker and buildx (which refuse what docker/cli and docker/buildx
 * refuse), and the job-level checks that name a mismatch with the runner.
 */
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import {
  type ExpandedJob,
  jobNames,
  jobOf,
  LOCAL_COMPONENT,
  previewPipeline,
} from "./gitlab-ci-local.js";
import { expandVariables, runScript, SHELLS, STUB_DIGEST } from "./job-script.js";

const BACKENDS = ["dind", "socket", "buildkit"] as const;
const EXECUTORS = ["docker", "kubernetes"] as const;

/** One include per backend x executor x tls, each on the runner's builder. */
function everyBackendPipeline(): string {
  const entries = BACKENDS.flatMap((backend) =>
    EXECUTORS.flatMap((executor) =>
      [true, false].map((tls) =>
        [
          `  - component: ${LOCAL_COMPONENT("docker-build")}`,
          "    inputs:",
          `      job-prefix: ${backend}-${executor}-${String(tls)}`,
          `      backend: ${backend}`,
          `      executor: ${executor}`,
          `      tls: ${String(tls)}`,
          "      dind-service: runner",
          "      dind-flags: []",
          "",
        ].join("\n"),
      ),
    ),
  );
  return `include:\n${entries.join("")}`;
}

const SOCKET_CONNECTION = {
  DOCKER_HOST: "unix:///var/run/docker.sock",
  DOCKER_TLS_CERTDIR: "",
  DOCKER_TLS_VERIFY: "",
  DOCKER_CERT_PATH: "",
};
const NO_DAEMON = {
  DOCKER_HOST: "",
  DOCKER_TLS_CERTDIR: "",
  DOCKER_TLS_VERIFY: "",
  DOCKER_CERT_PATH: "",
};
const CONNECTION_NAMES = Object.keys(SOCKET_CONNECTION);
const connection = (job: ExpandedJob) =>
  Object.fromEntries(
    Object.entries(job.variables ?? {}).filter(([name]) => CONNECTION_NAMES.includes(name)),
  );
const REMOVE_BUILDER = 'docker buildx rm --force "dind-build-${CI_JOB_ID:-local}" || true';

describe("docker-build on every backend, expanded by gitlab-ci-local (schema validation on)", () => {
  let pipeline: Readonly<Record<string, unknown>>;
  before(async () => {
    pipeline = await previewPipeline(everyBackendPipeline());
  });

  it("every backend x executor x tls combination passes the schema, with the connection its backend implies", () => {
    const names = BACKENDS.flatMap((backend) =>
      EXECUTORS.flatMap((executor) =>
        [true, false].map((tls) => `${backend}-${executor}-${String(tls)}-build`),
      ),
    );
    assert.deepEqual(jobNames(pipeline), names);
    for (const backend of BACKENDS) {
      for (const executor of EXECUTORS) {
        for (const tls of [true, false]) {
          const job = jobOf(pipeline, `${backend}-${executor}-${String(tls)}-build`);
          const what = `${backend} ${executor} tls ${String(tls)}`;
          assert.deepEqual(job.services, [], what);
          assert.equal(job.variables?.["DIND_BUILD_BACKEND"], backend, what);
          switch (backend) {
            case "dind":
              assert.equal(
                job.variables?.["DOCKER_HOST"],
                tls ? "tcp://docker:2376" : "tcp://docker:2375",
                what,
              );
              assert.equal(job.after_script, undefined, what);
              break;
            case "socket":
              assert.deepEqual(connection(job), SOCKET_CONNECTION, what);
              assert.deepEqual(job.after_script, [REMOVE_BUILDER], what);
              break;
            case "buildkit":
              assert.deepEqual(connection(job), NO_DAEMON, what);
              assert.equal(job.after_script, undefined, what);
              break;
          }
        }
      }
    }
  });
});

describe("docker-build scripts on the socket and buildkit backends, run against the stub docker", () => {
  const CI = {
    CI_REGISTRY: "registry.gitlab.example.com",
    CI_REGISTRY_USER: "gitlab-ci-token",
    CI_REGISTRY_PASSWORD: "job-token",
    CI_REGISTRY_IMAGE: "registry.gitlab.example.com/group/app",
    CI_COMMIT_SHORT_SHA: "0123abcd",
    CI_JOB_ID: "4242",
  };
  let pipeline: Readonly<Record<string, unknown>>;
  let dir = "";
  let socketPath = "";
  let server: Server | undefined;

  before(async () => {
    pipeline = await previewPipeline(everyBackendPipeline());
    dir = await mkdtemp(join(tmpdir(), "dind-runners-socket-"));
    socketPath = join(dir, "docker.sock");
    const listening = createServer();
    await new Promise<void>((resolve) => listening.listen(socketPath, resolve));
    server = listening;
  });
  after(async () => {
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    if (dir !== "") await rm(dir, { recursive: true, force: true });
  });

  /** The job as a runner of `runner` gives it: a bound socket, or BUILDKIT_HOST, or neither. */
  const runOn = (
    shell: (typeof SHELLS)[number],
    jobName: string,
    runner: "dind" | "socket" | "buildkit",
    overrides: Readonly<Record<string, string>> = {},
    withAfterScript = false,
  ) => {
    const job = jobOf(pipeline, jobName);
    const runnerEnvironment = {
      DIND_BUILD_SOCKET: runner === "socket" ? socketPath : join(dir, "absent.sock"),
      ...(runner === "buildkit"
        ? { BUILDKIT_HOST: "tcp://buildkitd:1234", STUB_BUILDKIT_ADDR: "tcp://buildkitd:1234" }
        : {}),
      ...(runner === "buildkit" ? { STUB_NO_DAEMON: "1" } : {}),
    };
    const ci = { ...CI, ...runnerEnvironment, ...overrides };
    const variables = expandVariables({ ...(job.variables ?? {}), ...overrides }, ci);
    // A job variable set to "" leaves the runner's value out (the job's own wins in GitLab).
    return runScript(
      shell,
      [
        ...(job.before_script ?? []),
        ...(job.script ?? []),
        ...(withAfterScript ? (job.after_script ?? []) : []),
      ],
      { ...ci, ...variables },
      {},
    );
  };
  const buildx = (calls: readonly (readonly string[])[]) =>
    calls.map((call) => call.slice(call.indexOf("buildx") + 1));

  for (const shell of SHELLS) {
    describe(shell.name, () => {
      it("socket: the host engine, a docker-container builder of this job, build --push, digest; after_script removes the builder", async () => {
        const result = await runOn(shell, "socket-docker-true-build", "socket", {}, true);
        assert.equal(result.code, 0, result.stderr);
        assert.deepEqual(
          result.dockerCalls.filter((call) => call[0] !== "buildx").map((call) => call[0]),
          ["info", "info", "login"],
        );
        assert.deepEqual(buildx(result.buildxCalls), [
          [
            "create",
            "--name",
            "dind-build-4242",
            "--driver",
            "docker-container",
            "--driver-opt",
            "image=moby/buildkit:v0.25.0",
            "--bootstrap",
            "--use",
          ],
          [
            "build",
            "--file",
            "Dockerfile",
            "--tag",
            "registry.gitlab.example.com/group/app:0123abcd",
            "--metadata-file",
            buildx(result.buildxCalls)[1]?.[6] ?? "",
            "--label",
            "org.opencontainers.image.version=0123abcd",
            "--cache-from",
            "type=registry,ref=registry.gitlab.example.com/group/app:buildcache",
            "--cache-to",
            "type=registry,ref=registry.gitlab.example.com/group/app:buildcache,mode=max",
            "--push",
            ".",
          ],
          ["rm", "--force", "dind-build-4242"],
        ]);
        assert.match(result.stderr, /dind-build-4242 removed/);
        assert.equal(
          result.files["socket-docker-true-build.env"],
          `SOCKET_DOCKER_TRUE_IMAGE=registry.gitlab.example.com/group/app@${STUB_DIGEST}\nSOCKET_DOCKER_TRUE_IMAGE_DIGEST=${STUB_DIGEST}\n`,
        );
      });

      it("buildkit: no Docker daemon, buildx's remote driver to BUILDKIT_HOST, build --push, digest", async () => {
        const result = await runOn(shell, "buildkit-kubernetes-true-build", "buildkit");
        assert.equal(result.code, 0, result.stderr);
        assert.deepEqual(
          result.dockerCalls.filter((call) => call[0] !== "buildx").map((call) => call[0]),
          ["login"],
        );
        assert.deepEqual(buildx(result.buildxCalls)[0], [
          "create",
          "tcp://buildkitd:1234",
          "--name",
          "dind-build-4242",
          "--driver",
          "remote",
          "--bootstrap",
          "--use",
        ]);
        assert.equal(buildx(result.buildxCalls)[1]?.at(-2), "--push");
        assert.equal(result.loginPasswords.length, 1);
        assert.match(
          result.files["buildkit-kubernetes-true-build.env"] ?? "",
          /^BUILDKIT_KUBERNETES_TRUE_IMAGE_DIGEST=sha256:/m,
        );
      });

      it("buildkit with push false: the result stays in BuildKit's cache (no daemon to load into)", async () => {
        const job = jobOf(pipeline, "buildkit-docker-false-build");
        const script = (job.script ?? []).map((step) =>
          step.replaceAll('[ "true" = true ]', '[ "false" = true ]'),
        );
        const result = await runScript(
          shell,
          [...(job.before_script ?? []), ...script],
          {
            ...CI,
            BUILDKIT_HOST: "tcp://buildkitd:1234",
            STUB_BUILDKIT_ADDR: "tcp://buildkitd:1234",
            STUB_NO_DAEMON: "1",
            DIND_BUILD_SOCKET: join(dir, "absent.sock"),
            ...expandVariables(job.variables ?? {}, CI),
          },
          {},
        );
        assert.equal(result.code, 0, result.stderr);
        const build = buildx(result.buildxCalls)[1] ?? [];
        assert.deepEqual(build.slice(-3), ["--output", "type=cacheonly", "."]);
        assert.match(result.stdout, /built into BuildKit's cache only/);
      });

      it("names a mismatch between the job's backend and the runner's, before anything runs", async () => {
        const cases: [string, "dind" | "socket" | "buildkit", string][] = [
          [
            "buildkit-docker-true-build",
            "dind",
            "error: backend: the job's backend is buildkit, but this runner's backend is dind; set the backend input to dind (the include that npm run render writes has it), or run the job on a buildkit runner.",
          ],
          [
            "dind-docker-true-build",
            "buildkit",
            "error: backend: the job's backend is dind, but this runner's backend is buildkit; set the backend input to buildkit (the include that npm run render writes has it), or run the job on a dind runner.",
          ],
          [
            "socket-docker-true-build",
            "dind",
            "error: backend: the job's backend is socket, but this runner's backend is dind; set the backend input to dind (the include that npm run render writes has it), or run the job on a socket runner.",
          ],
          [
            "socket-kubernetes-true-build",
            "socket",
            "error: backend: socket runs on Docker hosts only (executor docker); on Kubernetes use dind or buildkit.",
          ],
        ];
        for (const [jobName, runner, message] of cases) {
          const result = await runOn(shell, jobName, runner);
          assert.equal(result.code, 1, jobName);
          assert.equal(result.stderr.trim(), message, jobName);
          assert.deepEqual(result.dockerCalls, [], jobName);
        }
      });

      it("the stub buildx refuses what buildx refuses for the remote driver", async () => {
        const attempts: [string, string][] = [
          ["docker buildx create --name b --driver remote", "ERROR: no remote endpoint provided"],
          [
            "docker buildx create http://buildkitd:1234 --name b --driver remote",
            "ERROR: unrecognized url scheme http",
          ],
          [
            "docker buildx create tcp://buildkitd:1234 --name b --driver remote --buildkitd-config /etc/hostname",
            "ERROR: setting config file is not supported for remote driver",
          ],
          [
            "docker buildx create tcp://buildkitd:1234 --name b --driver remote --driver-opt image=moby/buildkit",
            "ERROR: invalid driver option image for remote driver",
          ],
          ["docker buildx rm --force missing", 'ERROR: no builder "missing" found'],
        ];
        for (const [line, message] of attempts) {
          const result = await runScript(shell, [line], { ...CI }, {});
          assert.equal(result.code, 1, line);
          assert.equal(result.stderr.trim(), message, line);
        }
      });
    });
  }
});
