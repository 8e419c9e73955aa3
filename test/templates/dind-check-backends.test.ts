/**
 * templates/dind-check/template.yml with the `backend` input `socket` and
 * `buildkit` (docs/build-backends.md): a fixture expanded by gitlab-ci-local
 * with GitLab's CI JSON schema on, its script run against the stub docker and
 * buildx (test/templates/stub-docker/). socket checks the host engine behind
 * the bound socket and skips what the host's own daemon.json decides; buildkit
 * proves BuildKit at $BUILDKIT_HOST through buildx's remote driver, as
 * docker-build reaches it, and skips what needs a Docker daemon.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { before, describe, it } from "node:test";
import { validateXML } from "xmllint-wasm";
import { type ExpandedJob, jobOf, LOCAL_COMPONENT, previewPipeline } from "./gitlab-ci-local.js";
import {
  type DockerStub,
  expandVariables,
  runScript,
  type ScriptResult,
  SHELLS,
} from "./job-script.js";

const JUNIT_XSD = readFileSync(join(__dirname, "junit-gitlab.xsd"), "utf8");

const FIXTURE = `include:
  - component: ${LOCAL_COMPONENT("dind-check")}
    inputs:
      job-prefix: host
      backend: socket
      extra-hosts: [registry.internal:10.0.0.5]
  - component: ${LOCAL_COMPONENT("dind-check")}
    inputs:
      job-prefix: bk
      backend: buildkit
      executor: kubernetes
      extra-hosts: [registry.internal:10.0.0.5]
host-check:
  tags: [socket]
bk-check:
  tags: [buildkit]
`;

const CI = {
  CI_REGISTRY_IMAGE: "registry.example.com/group/fleet",
  CI_PIPELINE_ID: "4242",
  CI_JOB_ID: "501",
};

const ROUTE =
  "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n" +
  "eth0\t00000000\t010011AC\t0003\t0\t0\t0\t00000000\t0\t0\t0\n";

/** The job container's files: its route out and the /etc/hosts the runner gave it. */
function jobFiles(hosts = "127.0.0.1\tlocalhost\n10.0.0.5\tregistry.internal\n") {
  return {
    "net/proc/net/route": ROUTE,
    "net/sys/class/net/eth0/mtu": "1500\n",
    "net/etc/hosts": hosts,
  };
}

/** A buildkit runner's job: BUILDKIT_HOST set by the runner, BuildKit answering there, no Docker daemon. */
const BUILDKIT_RUNNER = {
  BUILDKIT_HOST: "tcp://buildkitd:1234",
  STUB_BUILDKIT_ADDR: "tcp://buildkitd:1234",
  STUB_NO_DAEMON: "1",
};

interface Check {
  readonly name: string;
  readonly status: string;
  readonly message: string;
}
interface CheckRun {
  readonly result: ScriptResult;
  readonly checks: readonly (readonly [string, string, string])[];
  readonly junit: string;
}

async function runCheck(
  job: ExpandedJob,
  stub: DockerStub,
  env: Readonly<Record<string, string>> = {},
  files: Readonly<Record<string, string>> = jobFiles(),
): Promise<CheckRun> {
  const vars: Record<string, string> = {
    ...CI,
    ...expandVariables(job.variables ?? {}, CI),
    DIND_CHECK_ROOT: "net",
    ...env,
  };
  const shell = SHELLS[0];
  if (shell === undefined) throw new Error("a shell");
  const result = await runScript(shell, job.script ?? [], vars, stub, {
    files,
    stubs: { date: "#!/bin/sh\necho 1000\n" },
  });
  const prefix = vars["DIND_CHECK_REPORT"] ?? "";
  const json = result.files[`${prefix}.json`];
  const junit = result.files[`${prefix}.xml`];
  assert.ok(json !== undefined && junit !== undefined, result.stdout + result.stderr);
  const report = JSON.parse(json) as { checks: readonly Check[] };
  return {
    result,
    checks: report.checks.map((entry) => [entry.name, entry.status, entry.message] as const),
    junit,
  };
}

async function assertValidJunit(junit: string): Promise<void> {
  const result = await validateXML({
    xml: [{ fileName: "report.xml", contents: junit }],
    schema: [{ fileName: "junit-gitlab.xsd", contents: JUNIT_XSD }],
  });
  assert.deepEqual(result.errors, []);
}

const HOST_SETTINGS = (what: string) =>
  `not checked: backend socket uses the host engine, whose ${what} its own /etc/docker/daemon.json decides, not the stack (docs/build-backends.md).`;
const NO_DAEMON = (why = "") => `not checked: backend buildkit has no Docker daemon${why}.`;

describe("dind-check component, backends socket and buildkit", () => {
  let socket: ExpandedJob;
  let buildkit: ExpandedJob;

  before(async () => {
    const pipeline = await previewPipeline(FIXTURE);
    socket = jobOf(pipeline, "host-check");
    buildkit = jobOf(pipeline, "bk-check");
  });

  describe("socket", () => {
    it("expands with the host engine's socket, no TLS, and removes its builder in after_script", () => {
      assert.equal(socket.variables?.["DOCKER_HOST"], "unix:///var/run/docker.sock");
      assert.equal(socket.variables?.["DOCKER_TLS_VERIFY"], "");
      assert.equal(socket.variables?.["DOCKER_CERT_PATH"], "");
      assert.equal(socket.variables?.["DIND_CHECK_BACKEND"], "socket");
      assert.deepEqual(socket.after_script, [
        'docker buildx rm --force "dind-check-${CI_JOB_ID:-local}" || true',
      ]);
    });

    it("checks the host engine and reports the host's own settings as skipped", async () => {
      const run = await runCheck(socket, { firewall: "iptables" });
      assert.equal(run.result.code, 0, run.result.stderr);
      assert.deepEqual(run.checks, [
        [
          "daemon",
          "passed",
          "Docker 29.7.2 answered at unix:///var/run/docker.sock (the host engine's socket) after 0 s, within 60 s.",
        ],
        [
          "storage-driver",
          "passed",
          "storage driver overlay2 of the host engine (backend socket: the host decides; not vfs).",
        ],
        ["cgroup-version", "passed", "cgroup version 2, as expected."],
        ["firewall-backend", "passed", "firewall backend iptables."],
        ["mtu-route", "skipped", HOST_SETTINGS("network MTU")],
        ["mtu-network", "skipped", HOST_SETTINGS("network MTU")],
        [
          "dns registry.internal",
          "passed",
          "registry.internal resolves to 10.0.0.5 in the job's /etc/hosts (backend socket).",
        ],
        [
          "registries",
          "skipped",
          HOST_SETTINGS("insecure registries and registry CAs (/etc/docker/certs.d)"),
        ],
        ["mirrors", "skipped", HOST_SETTINGS("registry mirrors")],
        ["build", "passed", "built registry.example.com/group/fleet/dind-check:4242 in 0 s."],
      ]);
      // The builder of docker-build's socket path: on the host engine (default context), not on
      // its network, removed at the end.
      assert.deepEqual(
        run.result.buildxCalls.map((call) => call.slice(0, 4)),
        [
          ["buildx", "create", "--name", "dind-check-501"],
          ["buildx", "build", "--tag", "registry.example.com/group/fleet/dind-check:4242"],
          ["buildx", "rm", "--force", "dind-check-501"],
        ],
      );
      assert.ok(!run.result.buildxCalls[0]?.includes("network=host"));
      await assertValidJunit(run.junit);
    });

    it("fails on vfs, a missing extra host and an unanswering host engine, saying what to fix", async () => {
      const vfs = await runCheck(socket, { driver: "vfs" }, {}, jobFiles("127.0.0.1\tlocalhost\n"));
      assert.equal(vfs.result.code, 1);
      assert.deepEqual(
        vfs.checks.filter(([, status]) => status === "failed"),
        [
          [
            "storage-driver",
            "failed",
            "the host engine uses vfs (a full copy per layer: slow, huge). Fix on the host: set storage-driver overlay2 in /etc/docker/daemon.json (with the overlay module loaded) and restart dockerd.",
          ],
          [
            "dns registry.internal",
            "failed",
            "registry.internal resolves to nothing in the job's /etc/hosts, expected 10.0.0.5 (the stack's extraHosts; backend socket). Fix: deploy the stack (the runner gives its job containers extra_hosts, on Kubernetes hostAliases, from dind.extraHosts).",
          ],
        ],
      );
      const down = await runCheck(socket, {
        versionFailures: 1000,
        versionError:
          "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?",
      });
      assert.equal(down.result.code, 1);
      assert.deepEqual(down.checks[0], [
        "daemon",
        "failed",
        "the host engine did not answer at unix:///var/run/docker.sock within 60 s (60 attempts; last: Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?). Fix: run this job on the runner's tags (the rendered include sets them); deploy the stack so the runner binds /var/run/docker.sock (backend socket), and check on the host that dockerd runs.",
      ]);
      assert.deepEqual(down.checks.at(-1), [
        "build",
        "skipped",
        "not checked: no Docker daemon answered (see the daemon check).",
      ]);
      await assertValidJunit(down.junit);
    });
  });

  describe("buildkit", () => {
    it("expands without a Docker host, keeping the runner's BUILDKIT_HOST", () => {
      assert.equal(buildkit.variables?.["DOCKER_HOST"], "");
      assert.equal(buildkit.variables?.["DIND_CHECK_BACKEND"], "buildkit");
      assert.equal(buildkit.variables?.["BUILDKIT_HOST"], undefined);
    });

    it("proves BuildKit at BUILDKIT_HOST, builds through it, and skips daemon-only checks", async () => {
      const run = await runCheck(buildkit, {}, BUILDKIT_RUNNER);
      assert.equal(run.result.code, 0, run.result.stderr);
      assert.deepEqual(run.checks, [
        [
          "daemon",
          "skipped",
          "backend buildkit: the runner gives its jobs no Docker daemon (the buildkit check proves its BuildKit service).",
        ],
        ["buildkit", "passed", "BuildKit answered at tcp://buildkitd:1234 after 0 s, within 60 s."],
        ["storage-driver", "skipped", NO_DAEMON(" (BuildKit keeps its own snapshots)")],
        ["cgroup-version", "skipped", NO_DAEMON()],
        ["firewall-backend", "skipped", NO_DAEMON()],
        ["mtu-route", "skipped", NO_DAEMON(" (BuildKit's RUN steps use its service's network)")],
        ["mtu-network", "skipped", NO_DAEMON(" (BuildKit's RUN steps use its service's network)")],
        [
          "dns registry.internal",
          "passed",
          "registry.internal resolves to 10.0.0.5 in the job's /etc/hosts (backend buildkit).",
        ],
        [
          "registries",
          "skipped",
          NO_DAEMON(
            " to pull through (the stack's registries are in the runner's buildkitd.toml, which the build check's pull uses)",
          ),
        ],
        [
          "mirrors",
          "skipped",
          NO_DAEMON(
            " to pull through (the stack's mirrors are in the runner's buildkitd.toml, which the build check's pull uses)",
          ),
        ],
        [
          "build",
          "passed",
          "built registry.example.com/group/fleet/dind-check:4242 into BuildKit's cache at tcp://buildkitd:1234 (no Docker daemon to load it into) in 0 s.",
        ],
      ]);
      // The context directory is a temporary one: everything before it is compared.
      assert.deepEqual(
        run.result.buildxCalls.map((call) => call.slice(0, 8)),
        [
          [
            "buildx",
            "create",
            "tcp://buildkitd:1234",
            "--name",
            "dind-check-501",
            "--driver",
            "remote",
            "--use",
          ],
          ["buildx", "inspect", "--bootstrap", "dind-check-501"],
          [
            "buildx",
            "build",
            "--tag",
            "registry.example.com/group/fleet/dind-check:4242",
            run.result.buildxCalls[2]?.[4] ?? "-",
          ],
        ],
      );
      // Nothing to load into: neither --load nor --push.
      assert.match(run.result.buildxCalls[2]?.[4] ?? "", /^\//);
      assert.equal(run.result.buildxCalls[2]?.length, 5);
      // No Docker daemon call at all.
      assert.deepEqual(
        run.result.dockerCalls.filter((call) => call[0] !== "buildx"),
        [],
      );
      await assertValidJunit(run.junit);
    });

    it("fails when BuildKit does not answer, and does not build", async () => {
      const run = await runCheck(buildkit, {}, { ...BUILDKIT_RUNNER, STUB_BUILDKIT_ADDR: "" });
      assert.equal(run.result.code, 1);
      assert.deepEqual(run.checks[1], [
        "buildkit",
        "failed",
        "BuildKit did not answer at tcp://buildkitd:1234 within 60 s (60 attempts; last: ERROR: failed to initialize builder dind-check-501 (dind-check-5010): BuildKit did not answer at tcp://buildkitd:1234). Fix: the runner's BuildKit service (alias buildkitd) did not start: read its log in the job; it needs seccomp and AppArmor unconfined (docs/build-backends.md), on Kubernetes GitLab Runner 18.11 or later.",
      ]);
      assert.deepEqual(run.checks.at(-1), [
        "build",
        "skipped",
        "not checked: BuildKit did not answer (see the buildkit check).",
      ]);
      await assertValidJunit(run.junit);
    });

    it("fails when BUILDKIT_HOST is no BuildKit address, with buildx's error", async () => {
      const run = await runCheck(
        buildkit,
        {},
        { ...BUILDKIT_RUNNER, BUILDKIT_HOST: "buildkitd:1234" },
      );
      assert.equal(run.result.code, 1);
      assert.deepEqual(run.checks[1], [
        "buildkit",
        "failed",
        "docker buildx create --driver remote buildkitd:1234 failed (ERROR: unrecognized url scheme). Fix: BUILDKIT_HOST must be the runner's, tcp://buildkitd:1234 (the BuildKit service's alias and port); a project, group or pipeline variable BUILDKIT_HOST overrides it, remove it.",
      ]);
    });

    it("fails on a runner that gives the job no BUILDKIT_HOST", async () => {
      const run = await runCheck(buildkit, {}, { STUB_NO_DAEMON: "1" });
      assert.equal(run.result.code, 1);
      assert.deepEqual(run.checks[1], [
        "buildkit",
        "failed",
        "BUILDKIT_HOST is not set: this runner gives its jobs no BuildKit service, so it is no buildkit runner. Fix: run this job on the runner's tags (the rendered include sets them) and deploy the stack so the runner has dind.backend buildkit, or render the include again if the backend changed.",
      ]);
      assert.deepEqual(run.result.buildxCalls, []);
    });
  });
});
