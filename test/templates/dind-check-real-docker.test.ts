/**
 * templates/dind-check/check.sh with the REAL docker CLI against a real dockerd
 * serving TLS as dind does (test/support/second-dockerd.ts), and with this
 * machine's real /proc/net/route and /sys/class/net readings: the shapes of
 * `docker version`, `docker info` (storage driver, cgroup version, firewall
 * backend, which dockerd before 28 does not report) and `docker network inspect`
 * are the real ones, and so is the CLI's error for plain HTTP to a TLS port.
 * `docker buildx` is the plugin stub, as in docker-build-real-docker.test.ts.
 * Without root, dockerd or openssl the tests are skipped, by name; under CI=true
 * they fail instead.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { skipWithout } from "../support/docker-test-engine.js";
import {
  makeDindTlsCertificates,
  tlsDockerdUnavailable,
  type DindTlsCertificates,
} from "../support/dind-tls-certs.js";
import { startDockerd, type SecondDockerd } from "../support/second-dockerd.js";
import { type ExpandedJob, jobOf, LOCAL_COMPONENT, previewPipeline } from "./gitlab-ci-local.js";
import { expandVariables, runScript, SHELLS } from "./job-script.js";

const FIXTURE = `include:
  - component: ${LOCAL_COMPONENT("dind-check")}
    inputs:
      job-prefix: real
      cgroup-version: any
      firewall-backend: any
  - component: ${LOCAL_COMPONENT("dind-check")}
    inputs:
      job-prefix: real-socket
      backend: socket
      cgroup-version: any
      firewall-backend: any
`;

interface Check {
  readonly name: string;
  readonly status: string;
  readonly message: string;
}

describe("dind-check with the real docker CLI, a TLS dockerd and this machine's network", () => {
  let unavailable: string | undefined;
  let dir = "";
  let certificates: DindTlsCertificates;
  let daemon: SecondDockerd | undefined;
  let job: ExpandedJob;
  let socketJob: ExpandedJob;

  before(async () => {
    unavailable = tlsDockerdUnavailable();
    const pipeline = await previewPipeline(FIXTURE);
    job = jobOf(pipeline, "real-check");
    socketJob = jobOf(pipeline, "real-socket-check");
    if (unavailable !== undefined) return;
    dir = await mkdtemp(join(tmpdir(), "dind-runners-canary-tls-"));
    certificates = await makeDindTlsCertificates(dir);
    const started = await startDockerd("{}", { tlsServerDirectory: certificates.server });
    if (!started.ok) assert.fail(`dockerd refused to start with TLS:\n${started.output}`);
    daemon = started.daemon;
  });

  after(async () => {
    await daemon?.stop();
    if (dir !== "") await rm(dir, { recursive: true, force: true });
  });

  const host = (): string => `tcp://localhost:${String(daemon?.tcpPort)}`;
  /** What the real daemon reports, read with the real CLI, to compare the checks' verdicts with. */
  const info = (format: string): string =>
    execFileSync("docker", ["info", "--format", format], {
      encoding: "utf8",
      env: {
        ...process.env,
        DOCKER_HOST: host(),
        DOCKER_TLS_VERIFY: "1",
        DOCKER_CERT_PATH: certificates.client,
      },
    }).trim();

  async function run(
    shell: (typeof SHELLS)[number],
    variables: Readonly<Record<string, string>>,
    connection: Readonly<Record<string, string>>,
    checked: ExpandedJob = job,
  ): Promise<readonly Check[]> {
    const env: Record<string, string> = {
      ...expandVariables(checked.variables ?? {}, {}),
      ...variables,
      DIND_CHECK_DOCKER_HOST: connection["DOCKER_HOST"] ?? host(),
    };
    const result = await runScript(shell, checked.script ?? [], env, { realDocker: connection });
    const report = result.files[`${env["DIND_CHECK_REPORT"] ?? ""}.json`];
    assert.ok(report !== undefined, result.stderr);
    return (JSON.parse(report) as { checks: Check[] }).checks;
  }
  const verdict = (checks: readonly Check[], name: string): [string, string] => {
    const found = checks.find((entry) => entry.name === name);
    assert.ok(found, name);
    return [found.status, found.message];
  };

  for (const shell of SHELLS) {
    it(`reads the real daemon over TLS: driver, cgroup version, firewall backend, bridge MTU, route MTU (${shell.name})`, async (t) => {
      if (skipWithout(t, unavailable)) return;
      const driver = info("{{.Driver}}");
      const cgroup = info("{{.CgroupVersion}}");
      const checks = await run(
        shell,
        { DIND_CHECK_STORAGE_DRIVER: driver === "vfs" ? "overlay2" : driver },
        { DOCKER_HOST: host(), DOCKER_TLS_VERIFY: "1", DOCKER_CERT_PATH: certificates.client },
      );
      const [daemonStatus, daemonMessage] = verdict(checks, "daemon");
      assert.equal(daemonStatus, "passed", daemonMessage);
      assert.match(
        daemonMessage,
        new RegExp(
          `^Docker \\d+\\.\\d+\\.\\d+\\S* answered at ${host()} \\(TLS\\) after \\d+ s, within 60 s\\.$`,
        ),
      );
      assert.deepEqual(
        verdict(checks, "storage-driver"),
        driver === "vfs"
          ? [
              "failed",
              "the daemon uses vfs, not overlay2: dind fell back to vfs (a full copy per layer: slow, huge), because overlay2 did not work inside dind. Fix on the host: load the overlay module (the stack's manageOverlayModule: true does it) and give dind's /var/lib/docker a volume that is not overlayfs, then redeploy.",
            ]
          : ["passed", `storage driver ${driver}, as declared.`],
      );
      assert.deepEqual(verdict(checks, "cgroup-version"), [
        "passed",
        `cgroup version ${cgroup} (any accepted: cgroup-version input any).`,
      ]);
      const firewall = info("{{if .FirewallBackend}}{{.FirewallBackend.Driver}}{{end}}");
      assert.deepEqual(
        verdict(checks, "firewall-backend"),
        firewall === ""
          ? ["skipped", "the daemon does not report its firewall backend (dockerd before 28)."]
          : ["passed", `firewall backend ${firewall}.`],
      );
      // This machine's own route out, read as the check reads it.
      const route = execFileSync(
        "awk",
        ['$2 == "00000000" { print $1; exit }', "/proc/net/route"],
        {
          encoding: "utf8",
        },
      ).trim();
      const routeMtu = execFileSync("cat", [`/sys/class/net/${route}/mtu`], {
        encoding: "utf8",
      }).trim();
      const [routeStatus, routeMessage] = verdict(checks, "mtu-route");
      assert.match(
        routeMessage,
        new RegExp(`the MTU ${routeMtu} of the job's route out \\(${route}\\)`),
      );
      assert.equal(routeStatus, Number(routeMtu) >= 1500 ? "passed" : "failed");
    });

    it(`backend socket: the real engine behind a unix socket, no TLS, dind settings skipped (${shell.name})`, async (t) => {
      if (skipWithout(t, unavailable)) return;
      const socket = `unix://${daemon?.socket ?? ""}`;
      const driver = info("{{.Driver}}");
      const checks = await run(
        shell,
        {},
        { DOCKER_HOST: socket, DOCKER_TLS_VERIFY: "", DOCKER_CERT_PATH: "" },
        socketJob,
      );
      const [daemonStatus, daemonMessage] = verdict(checks, "daemon");
      assert.equal(daemonStatus, "passed", daemonMessage);
      assert.match(
        daemonMessage,
        new RegExp(
          `^Docker \\d+\\.\\d+\\.\\d+\\S* answered at ${socket} \\(the host engine's socket\\) after \\d+ s, within 60 s\\.$`,
        ),
      );
      assert.deepEqual(
        verdict(checks, "storage-driver"),
        driver === "vfs"
          ? [
              "failed",
              "the host engine uses vfs (a full copy per layer: slow, huge). Fix on the host: set storage-driver overlay2 in /etc/docker/daemon.json (with the overlay module loaded) and restart dockerd.",
            ]
          : [
              "passed",
              `storage driver ${driver} of the host engine (backend socket: the host decides; not vfs).`,
            ],
      );
      assert.deepEqual(
        checks.map((entry) => [entry.name, entry.status]),
        [
          ["daemon", "passed"],
          ["storage-driver", driver === "vfs" ? "failed" : "passed"],
          ["cgroup-version", "passed"],
          [
            "firewall-backend",
            info("{{if .FirewallBackend}}{{.FirewallBackend.Driver}}{{end}}") === ""
              ? "skipped"
              : "passed",
          ],
          ["mtu-route", "skipped"],
          ["mtu-network", "skipped"],
          ["registries", "skipped"],
          ["mirrors", "skipped"],
          ["build", "passed"],
        ],
      );
    });

    it(`a job without TLS at the daemon's TLS port reads the real CLI's error (${shell.name})`, async (t) => {
      if (skipWithout(t, unavailable)) return;
      const checks = await run(
        shell,
        { DIND_CHECK_TLS: "false", DIND_CHECK_DAEMON_TIMEOUT: "2" },
        { DOCKER_HOST: host(), DOCKER_TLS_VERIFY: "", DOCKER_CERT_PATH: "" },
      );
      assert.deepEqual(verdict(checks, "daemon"), [
        "failed",
        `the daemon at ${host()} serves TLS, but the job speaks plain HTTP: the runner's dind has TLS. Fix: set the include's tls input to the stack's dind.tls (npm run render writes it), or deploy the stack.`,
      ]);
    });
  }
});
