/**
 * templates/dind-check/template.yml as consumers see it: a fixture is expanded by
 * gitlab-ci-local with GitLab's CI JSON schema fully on, then the jobs' script
 * (templates/dind-check/check.sh, embedded) runs against the stub docker
 * (test/templates/stub-docker/docker), which answers as a healthy runner would
 * unless a test says otherwise. Each check has a passing and a failing case with
 * the message a user reads; the JUnit report validates against the schema GitLab
 * reads (test/templates/junit-gitlab.xsd) and the JSON artifact parses.
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
  type ScriptSetup,
  SHELLS,
} from "./job-script.js";

const JUNIT_XSD = readFileSync(join(__dirname, "junit-gitlab.xsd"), "utf8");

const FIXTURE = `include:
  - component: ${LOCAL_COMPONENT("dind-check")}
    inputs:
      job-prefix: canary
      mtu: 1450
      extra-hosts: [registry.internal:10.0.0.5]
      insecure-registries: [registry.internal:5000]
      ca-registries: [registry.example.com]
      registry-mirrors: [http://mirror.internal:5001]
      cache: true
  - component: ${LOCAL_COMPONENT("dind-check")}
    inputs:
      job-prefix: plain
      tls: false
      executor: kubernetes
${["docker", "kubernetes"]
  .map(
    (executor) => `  - component: ${LOCAL_COMPONENT("dind-check")}
    inputs:
      job-prefix: parity-${executor}
      executor: ${executor}
      mtu: 1450
      extra-hosts: [registry.internal:10.0.0.5]
      insecure-registries: [registry.internal:5000]
      ca-registries: [registry.example.com]
      registry-mirrors: [http://mirror.internal:5001]
`,
  )
  .join("")}canary-check:
  tags: [build]
canary-cache-read:
  tags: [build]
`;

const CI = {
  CI_REGISTRY_IMAGE: "registry.example.com/group/fleet",
  CI_PIPELINE_ID: "4242",
  CI_JOB_ID: "501",
};

/** A runner that has everything the fixture's `canary` include declares. */
const HEALTHY: DockerStub = {
  mtu: "1450",
  firewall: "iptables",
  mirrors: "http://mirror.internal:5001/",
  hosts: { "registry.internal": "10.0.0.5" },
  pulls: {
    "registry.internal:5000/":
      "manifest for registry.internal:5000/dind-check/absent:probe not found: manifest unknown: manifest unknown",
    "registry.example.com/":
      "manifest for registry.example.com/dind-check/absent:probe not found: manifest unknown: manifest unknown",
  },
};

/** The job's Docker connection variables: the same on both executors (the runner's dind at alias docker). */
function connection(job: ExpandedJob): Record<string, string> {
  return Object.fromEntries(
    Object.entries(job.variables ?? {}).filter(([name]) => name.startsWith("DOCKER_")),
  );
}

/** The job container's network: eth0 carries the default route, with this MTU. */
function network(mtu: string, defaultRoute = true): Record<string, string> {
  const header =
    "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n";
  const route = defaultRoute
    ? "eth0\t00000000\t010011AC\t0003\t0\t0\t0\t00000000\t0\t0\t0\n"
    : "eth0\t000011AC\t00000000\t0001\t0\t0\t0\t0000FFFF\t0\t0\t0\n";
  return { "net/proc/net/route": header + route, "net/sys/class/net/eth0/mtu": `${mtu}\n` };
}

/** `date +%s` stands still, so every reported time is 0 s. */
const FIXED_DATE = "#!/bin/sh\necho 1000\n";

interface Check {
  readonly name: string;
  readonly status: "passed" | "failed" | "skipped";
  readonly seconds: number;
  readonly message: string;
}
interface Report {
  readonly suite: string;
  readonly tests: number;
  readonly failures: number;
  readonly skipped: number;
  readonly checks: readonly Check[];
}
interface CheckRun {
  readonly result: ScriptResult;
  readonly report: Report;
  readonly junit: string;
}

describe("dind-check component", () => {
  let canary: ExpandedJob;
  let cacheRead: ExpandedJob;
  let plain: ExpandedJob;
  let pipelineOf: Readonly<Record<string, unknown>>;
  let parityDocker: ExpandedJob;
  let parityKubernetes: ExpandedJob;
  let dockerBuild: ExpandedJob;

  before(async () => {
    const [pipeline, buildPipeline] = await Promise.all([
      previewPipeline(FIXTURE),
      previewPipeline(
        readFileSync(join(__dirname, "fixtures", "kubernetes-tls-runner.gitlab-ci.yml"), "utf8"),
      ),
    ]);
    dockerBuild = jobOf(buildPipeline, "k8s-build");
    pipelineOf = pipeline;
    canary = jobOf(pipeline, "canary-check");
    cacheRead = jobOf(pipeline, "canary-cache-read");
    plain = jobOf(pipeline, "plain-check");
    parityDocker = jobOf(pipeline, "parity-docker-check");
    parityKubernetes = jobOf(pipeline, "parity-kubernetes-check");
  });

  async function runCheck(
    job: ExpandedJob,
    stub: DockerStub = HEALTHY,
    options: {
      readonly env?: Readonly<Record<string, string>>;
      readonly files?: Readonly<Record<string, string>>;
      readonly shell?: (typeof SHELLS)[number];
    } = {},
  ): Promise<CheckRun> {
    const env: Record<string, string> = {
      ...CI,
      ...expandVariables(job.variables ?? {}, CI),
      DIND_CHECK_ROOT: "net",
      ...options.env,
    };
    const setup: ScriptSetup = {
      files: { ...network("1500"), ...options.files },
      stubs: { date: FIXED_DATE },
    };
    const shell = options.shell ?? SHELLS[0];
    if (shell === undefined) throw new Error("a shell");
    const result = await runScript(shell, job.script ?? [], env, stub, setup);
    const prefix = env["DIND_CHECK_REPORT"] ?? "";
    const json = result.files[`${prefix}.json`];
    const junit = result.files[`${prefix}.xml`];
    assert.ok(
      json !== undefined && junit !== undefined,
      `reports written: ${Object.keys(result.files).join(", ")}\n${result.stdout}${result.stderr}`,
    );
    return { result, report: JSON.parse(json) as Report, junit };
  }

  const check = (run: CheckRun, name: string): Check => {
    const found = run.report.checks.find((entry) => entry.name === name);
    assert.ok(found, `check ${name} in ${run.report.checks.map((entry) => entry.name).join(", ")}`);
    return found;
  };
  const verdict = (run: CheckRun, name: string): [string, string] => {
    const found = check(run, name);
    return [found.status, found.message];
  };

  it("expands with the runner's connection, the reports and the cache jobs", () => {
    assert.deepEqual(canary.tags, ["build"]);
    assert.equal(canary.image?.name, "docker:29.7.2-cli");
    assert.deepEqual(canary.services, []);
    assert.equal(canary.variables?.["DOCKER_HOST"], "tcp://docker:2376");
    assert.equal(canary.variables?.["DOCKER_CERT_PATH"], "/dind-runners-certs/client");
    assert.deepEqual(canary.artifacts, {
      when: "always",
      expire_in: "30 days",
      paths: ["canary.json"],
      reports: { junit: "canary.xml", dotenv: "canary.env" },
    });
    assert.deepEqual(cacheRead.tags, ["build"]);
    assert.deepEqual(cacheRead.needs, [{ job: "canary-check", artifacts: true, optional: false }]);
    assert.deepEqual(cacheRead.rules, [{ when: "always" }]);
    assert.deepEqual((canary as ExpandedJob & { cache?: unknown }).cache, [
      {
        key: "canary-$CI_PIPELINE_ID",
        paths: [".dind-check-cache/"],
        policy: "push",
        when: "always",
      },
    ]);
    assert.deepEqual(jobOf(pipelineOf, "plain-cache-read").rules, [{ when: "never" }]);
    assert.equal(plain.variables?.["DOCKER_HOST"], "tcp://docker:2375");
    assert.equal(plain.variables?.["DOCKER_TLS_VERIFY"], "");
    assert.equal(plain.variables?.["DIND_CHECK_EXECUTOR"], "kubernetes");
  });

  const ALL_PASSED: readonly (readonly [string, string, string])[] = [
    [
      "daemon",
      "passed",
      "Docker 29.7.2 answered at tcp://docker:2376 (TLS) after 0 s, within 60 s.",
    ],
    ["storage-driver", "passed", "storage driver overlay2, as declared."],
    ["cgroup-version", "passed", "cgroup version 2, as expected."],
    ["firewall-backend", "passed", "firewall backend iptables."],
    [
      "mtu-route",
      "passed",
      "inner MTU 1450, not above the MTU 1500 of the job's route out (eth0).",
    ],
    [
      "mtu-network",
      "passed",
      "the daemon's bridge network has the MTU 1450, as the stack declares.",
    ],
    [
      "dns registry.internal",
      "passed",
      "registry.internal resolves to 10.0.0.5 inside the daemon.",
    ],
    [
      "registry registry.internal:5000",
      "passed",
      "registry.internal:5000 answered /v2/ as an insecure registry (dind.insecureRegistries).",
    ],
    [
      "registry registry.example.com",
      "passed",
      "registry.example.com answered /v2/ over TLS with the CA of dind.registryCertificates.",
    ],
    [
      "mirror http://mirror.internal:5001",
      "passed",
      "the daemon uses http://mirror.internal:5001, and it answers /v2/ (HTTP 200).",
    ],
    [
      "mirror pull",
      "passed",
      "the daemon pulled alpine:3.22.1 through its mirrors: Docker Hub's ratelimit-remaining went from 99 to 98, the second reading's own count, so Docker Hub charged no pull.",
    ],
    ["build", "passed", "built registry.example.com/group/fleet/dind-check:4242 in 0 s."],
  ];

  for (const shell of SHELLS) {
    it(`passes every check on a runner that has what the stack declares (${shell.name})`, async () => {
      const run = await runCheck(canary, HEALTHY, { shell });
      assert.equal(run.result.code, 0, run.result.stderr);
      assert.deepEqual(
        run.report.checks.map((entry) => [entry.name, entry.status, entry.message]),
        ALL_PASSED,
      );
      assert.equal(run.report.suite, "canary");
      assert.deepEqual([run.report.tests, run.report.failures, run.report.skipped], [12, 0, 0]);
      assert.match(
        run.result.stdout,
        /^ok: mtu-route: inner MTU 1450, not above the MTU 1500 of the job's route out \(eth0\)\.$/m,
      );
      // The first half of the cache check: the cache file and the dotenv for the second job.
      assert.equal(run.result.files[".dind-check-cache/written-by"], "501\n");
      assert.equal(run.result.files["canary.env"], "DIND_CHECK_CACHE_WRITER=501\n");
    });
  }

  it("gives the same test case names and verdicts on both executors (plain include, no lists)", async () => {
    const run = await runCheck(plain, { firewall: "iptables" }, { env: {} });
    assert.equal(run.result.code, 0, run.result.stderr);
    assert.deepEqual(
      run.report.checks.map((entry) => [entry.name, entry.status]),
      [
        ["daemon", "passed"],
        ["storage-driver", "passed"],
        ["cgroup-version", "passed"],
        ["firewall-backend", "passed"],
        ["mtu-route", "passed"],
        ["mtu-network", "passed"],
        ["build", "passed"],
      ],
    );
    assert.equal(
      check(run, "daemon").message,
      "Docker 29.7.2 answered at tcp://docker:2375 (plain TCP) after 0 s, within 60 s.",
    );
    assert.equal(run.result.files[".dind-check-cache/written-by"], undefined);
  });

  describe("executor parity", () => {
    const cases = (run: CheckRun) =>
      run.report.checks.map((entry) => [entry.name, entry.status, entry.message]);

    for (const [situation, stub] of [
      ["a healthy runner", HEALTHY],
      [
        "a runner on vfs with a lower route MTU and no mirror",
        { ...HEALTHY, driver: "vfs", mirrors: "" },
      ],
    ] as const) {
      it(`the same test cases and verdicts on both executors for the same settings: ${situation}`, async () => {
        const files = stub === HEALTHY ? {} : network("1400");
        const docker = await runCheck(parityDocker, stub, { files });
        const kubernetes = await runCheck(parityKubernetes, stub, { files });
        assert.equal(parityDocker.variables?.["DIND_CHECK_EXECUTOR"], "docker");
        assert.equal(parityKubernetes.variables?.["DIND_CHECK_EXECUTOR"], "kubernetes");
        assert.deepEqual(cases(kubernetes), cases(docker));
        assert.deepEqual(connection(parityKubernetes), connection(parityDocker));
        assert.equal(docker.result.code, stub === HEALTHY ? 0 : 1);
      });
    }
  });

  describe("daemon", () => {
    it("passes when the daemon answers after a few attempts", async () => {
      const run = await runCheck(canary, { ...HEALTHY, versionFailures: 5 });
      assert.deepEqual(verdict(run, "daemon"), [
        "passed",
        "Docker 29.7.2 answered at tcp://docker:2376 (TLS) after 0 s, within 60 s.",
      ]);
    });

    it("fails when no daemon answers within daemon-timeout, and reports the rest as not run", async () => {
      const run = await runCheck(canary, { ...HEALTHY, versionFailures: 1000 });
      assert.equal(run.result.code, 1);
      assert.deepEqual(verdict(run, "daemon"), [
        "failed",
        "no Docker daemon answered at tcp://docker:2376 within 60 s (60 attempts; last: Cannot connect to the Docker daemon at tcp://docker:2376. Is the docker daemon running?). Fix: run this job on the runner's tags (the rendered include sets them); on the host, check that the runner's dind service starts (its log) and that the stack's dind.tls matches the include's tls input.",
      ]);
      assert.deepEqual(verdict(run, "build"), [
        "skipped",
        "not checked: no Docker daemon answered (see the daemon check).",
      ]);
      assert.deepEqual([run.report.tests, run.report.failures, run.report.skipped], [12, 1, 11]);
      assert.match(
        run.result.stderr,
        /^FAILED: daemon: no Docker daemon answered at tcp:\/\/docker:2376 within 60 s/m,
      );
    });

    it("fails when the daemon has no TLS while the include says it has", async () => {
      const run = await runCheck(canary, {
        ...HEALTHY,
        versionFailures: 1000,
        versionError:
          'error during connect: Get "https://docker:2376/v1.51/version": http: server gave HTTP response to HTTPS client',
      });
      assert.deepEqual(verdict(run, "daemon"), [
        "failed",
        "the daemon at tcp://docker:2376 serves plain HTTP, but the job uses TLS: the runner's dind runs without TLS. Fix: set the include's tls input to the stack's dind.tls (npm run render writes it), or deploy the stack so dind has TLS.",
      ]);
    });

    it("fails when the daemon has TLS while the include says it has none", async () => {
      const run = await runCheck(plain, {
        versionFailures: 1000,
        versionError: "Error response from daemon: Client sent an HTTP request to an HTTPS server.",
      });
      assert.deepEqual(verdict(run, "daemon"), [
        "failed",
        "the daemon at tcp://docker:2375 serves TLS, but the job speaks plain HTTP: the runner's dind has TLS. Fix: set the include's tls input to the stack's dind.tls (npm run render writes it), or deploy the stack.",
      ]);
    });

    it("fails when a project variable points DOCKER_HOST elsewhere", async () => {
      const run = await runCheck(canary, HEALTHY, {
        env: { DOCKER_HOST: "unix:///var/run/docker.sock" },
      });
      assert.deepEqual(verdict(run, "daemon"), [
        "failed",
        "DOCKER_HOST is unix:///var/run/docker.sock, expected tcp://docker:2376 (dind.tls true, service alias docker). Fix: a project, group or pipeline variable DOCKER_HOST overrides the job's; remove it.",
      ]);
      assert.deepEqual(run.result.dockerCalls, []);
    });

    it("fails with TLS when the runner mounts no client certificates", async () => {
      const run = await runCheck(canary, HEALTHY, { env: { DOCKER_CERT_PATH: "" } });
      assert.deepEqual(verdict(run, "daemon"), [
        "failed",
        "dind.tls is true but the job has no client certificate (DOCKER_TLS_VERIFY '1', DOCKER_CERT_PATH '' without cert.pem). Fix: the runner must mount dind's client certificates (deploy the stack so config.toml has the certificate volume), or set tls: false only if the stack's dind.tls is false.",
      ]);
    });
  });

  describe("storage driver, cgroup version, firewall backend", () => {
    it("fails on vfs, naming the overlay module fix", async () => {
      const run = await runCheck(canary, { ...HEALTHY, driver: "vfs" });
      assert.deepEqual(verdict(run, "storage-driver"), [
        "failed",
        "the daemon uses vfs, not overlay2: dind fell back to vfs (a full copy per layer: slow, huge), because overlay2 did not work inside dind. Fix on the host: load the overlay module (the stack's manageOverlayModule: true does it) and give dind's /var/lib/docker a volume that is not overlayfs, then redeploy.",
      ]);
    });

    it("fails on another driver than the declared one", async () => {
      const run = await runCheck(canary, { ...HEALTHY, driver: "fuse-overlayfs" });
      assert.deepEqual(verdict(run, "storage-driver"), [
        "failed",
        "the daemon uses the storage driver fuse-overlayfs, the stack declares overlay2. Fix: set dind.storageDriver in the stack to what the host supports, or fix the host so overlay2 works, then deploy.",
      ]);
    });

    it("fails on cgroup v1 when v2 is expected", async () => {
      const run = await runCheck(canary, { ...HEALTHY, cgroup: "1" });
      assert.deepEqual(verdict(run, "cgroup-version"), [
        "failed",
        "the daemon runs on cgroup version 1, expected 2 (Docker deprecates cgroup v1; resource limits of job containers differ). Fix on the host: boot with the unified hierarchy (systemd.unified_cgroup_hierarchy=1), or set the include's cgroup-version input to 1 if this host is meant to stay so.",
      ]);
    });

    it("skips the firewall backend when the daemon does not report it", async () => {
      const run = await runCheck(canary, { ...HEALTHY, firewall: "" });
      assert.deepEqual(verdict(run, "firewall-backend"), [
        "skipped",
        "the daemon does not report its firewall backend (dockerd before 28).",
      ]);
      assert.equal(run.result.code, 0);
    });

    it("fails when the firewall backend changed", async () => {
      const run = await runCheck(canary, { ...HEALTHY, firewall: "nftables" });
      assert.deepEqual(verdict(run, "firewall-backend"), [
        "failed",
        "the daemon uses the firewall backend nftables, expected iptables: an OS or image upgrade changed it, and the host's NAT rules of the other backend no longer apply to dind's networks. Fix on the host: load the kernel modules of iptables (iptables: ip_tables, iptable_nat), or set the include's firewall-backend input to nftables once builds pass with it.",
      ]);
    });
  });

  describe("MTU", () => {
    it("fails when the inner MTU is above the job's route out", async () => {
      const run = await runCheck(canary, HEALTHY, { files: network("1400") });
      assert.deepEqual(verdict(run, "mtu-route"), [
        "failed",
        "the daemon's bridge MTU 1450 is above the MTU 1400 of the job's route out (eth0): large packets of builds are dropped and RUN steps hang without an error. Fix: set dind.mtu in the stack to 1400 (or lower) and deploy.",
      ]);
    });

    it("fails when the job has no default route", async () => {
      const run = await runCheck(canary, HEALTHY, { files: network("1500", false) });
      assert.deepEqual(verdict(run, "mtu-route"), [
        "failed",
        "could not read the MTU of the job's route out (no default route in net/proc/net/route, or no net/sys/class/net/?/mtu). Fix: run the job on a runner whose job containers have a network (not network_mode none).",
      ]);
    });

    it("fails when the bridge MTU is not the stack's", async () => {
      const run = await runCheck(canary, { ...HEALTHY, mtu: "" });
      assert.deepEqual(verdict(run, "mtu-network"), [
        "failed",
        "the daemon's bridge network has the MTU 1500, the stack declares 1450. Fix: deploy the stack (the runner's daemon.json sets the MTU), or render the include again if dind.mtu changed.",
      ]);
      assert.deepEqual(verdict(run, "mtu-route")[0], "passed");
    });
  });

  describe("DNS", () => {
    it("fails when an extraHosts name does not resolve inside the daemon", async () => {
      const run = await runCheck(canary, { ...HEALTHY, hosts: {} });
      assert.deepEqual(verdict(run, "dns registry.internal"), [
        "failed",
        "registry.internal resolves to nothing inside the daemon, expected 10.0.0.5 (the stack's extraHosts). Fix: deploy the stack (the runner gives dind extra_hosts from dind.extraHosts); on Kubernetes the job pod's hostAliases come from the same setting.",
      ]);
    });

    it("fails when it resolves to another address", async () => {
      const run = await runCheck(canary, {
        ...HEALTHY,
        hosts: { "registry.internal": "10.9.9.9" },
      });
      assert.deepEqual(
        verdict(run, "dns registry.internal")[1].slice(0, 80),
        "registry.internal resolves to 10.9.9.9 inside the daemon, expected 10.0.0.5 (the",
      );
      assert.ok(
        run.result.dockerCalls.some(
          (call) =>
            call.join(" ") ===
            "run --rm --network host alpine:3.22.1 getent hosts registry.internal",
        ),
      );
    });
  });

  describe("registries and mirrors", () => {
    const failingPull = async (registry: string, error: string): Promise<[string, string]> => {
      const run = await runCheck(canary, {
        ...HEALTHY,
        pulls: { ...HEALTHY.pulls, [`${registry}/`]: error },
      });
      return verdict(run, `registry ${registry}`);
    };

    it("fails when the daemon does not trust a registry's CA", async () => {
      assert.deepEqual(
        await failingPull(
          "registry.example.com",
          'Get "https://registry.example.com/v2/": tls: failed to verify certificate: x509: certificate signed by unknown authority',
        ),
        [
          "failed",
          'the daemon does not trust the certificate of registry.example.com (Error response from daemon: Get "https://registry.example.com/v2/": tls: failed to verify certificate: x509: certificate signed by unknown authority). Fix: add its CA to dind.registryCertificates in the stack (registry: registry.example.com), or list it in dind.insecureRegistries, then deploy.',
        ],
      );
    });

    it("fails when an insecure registry is not treated as insecure", async () => {
      assert.deepEqual(
        await failingPull(
          "registry.internal:5000",
          'Get "https://registry.internal:5000/v2/": http: server gave HTTP response to HTTPS client',
        ),
        [
          "failed",
          'registry.internal:5000 speaks plain HTTP, but the daemon uses HTTPS for it (Error response from daemon: Get "https://registry.internal:5000/v2/": http: server gave HTTP response to HTTPS client). Fix: list it in dind.insecureRegistries in the stack and deploy.',
        ],
      );
    });

    it("fails when a registry does not resolve inside the daemon", async () => {
      assert.deepEqual(
        await failingPull(
          "registry.internal:5000",
          'Get "http://registry.internal:5000/v2/": dial tcp: lookup registry.internal on 10.0.0.2:53: no such host',
        ),
        [
          "failed",
          'registry.internal:5000 does not resolve inside the daemon (Error response from daemon: Get "http://registry.internal:5000/v2/": dial tcp: lookup registry.internal on 10.0.0.2:53: no such host). Fix: add its name to dind.extraHosts or dind.dns in the stack, or fix the host\'s DNS, then deploy.',
        ],
      );
    });

    it("fails when a registry does not answer", async () => {
      assert.deepEqual(
        await failingPull(
          "registry.example.com",
          'Get "https://registry.example.com/v2/": dial tcp 10.0.0.7:443: connect: connection refused',
        ),
        [
          "failed",
          'registry.example.com did not answer /v2/ (Error response from daemon: Get "https://registry.example.com/v2/": dial tcp 10.0.0.7:443: connect: connection refused). Fix: check that the registry runs and that the runner host\'s network reaches it (firewall, proxy).',
        ],
      );
    });

    it("fails when the daemon does not use a declared mirror", async () => {
      const run = await runCheck(canary, { ...HEALTHY, mirrors: "" });
      assert.deepEqual(verdict(run, "mirror http://mirror.internal:5001"), [
        "failed",
        "the daemon does not use the mirror http://mirror.internal:5001 (its mirrors:): Docker Hub pulls go to Docker Hub and meet its rate limits. Fix: deploy the stack (dind.registryMirrors is written to daemon.json).",
      ]);
      // Docker Hub's own count shows it too: without mirrors the daemon pulls from Docker Hub.
      assert.deepEqual(verdict(run, "mirror pull"), [
        "failed",
        "Docker Hub's ratelimit-remaining went from 98 to 96 while the daemon pulled alpine:3.22.1 (the second reading counts 1): Docker Hub served the pull, not a mirror of dind.registryMirrors (http://mirror.internal:5001), so pulls meet Docker Hub's rate limits. Fix: deploy the stack: the daemon uses no mirror at all, and dind.registryMirrors is written to its daemon.json.",
      ]);
    });

    it("passes when the mirror wants a token (401)", async () => {
      const run = await runCheck(canary, {
        ...HEALTHY,
        wget: { "http://mirror.internal:5001/": "401 Unauthorized" },
      });
      assert.deepEqual(verdict(run, "mirror http://mirror.internal:5001"), [
        "passed",
        "the daemon uses http://mirror.internal:5001, and it answers /v2/ (HTTP 401).",
      ]);
      assert.ok(
        run.result.dockerCalls.some(
          (call) =>
            call.join(" ") ===
            "run --rm --network host alpine:3.22.1 wget -q -S -O /dev/null --no-check-certificate http://mirror.internal:5001/v2/",
        ),
      );
    });

    it("fails when the mirror does not answer", async () => {
      const run = await runCheck(canary, {
        ...HEALTHY,
        wget: { "http://mirror.internal:5001/": "refused" },
      });
      assert.deepEqual(verdict(run, "mirror http://mirror.internal:5001"), [
        "failed",
        "the daemon lists http://mirror.internal:5001, but it does not answer /v2/ from the daemon's network (wget: can't connect to remote host: Connection refused): the daemon silently falls back to Docker Hub and its rate limits. Fix: make the mirror reachable from the runner host, or remove it from dind.registryMirrors.",
      ]);
    });

    it("fails when the mirror answers with an error", async () => {
      const run = await runCheck(canary, {
        ...HEALTHY,
        wget: { "http://mirror.internal:5001/": "503 Service Unavailable" },
      });
      assert.deepEqual(verdict(run, "mirror http://mirror.internal:5001"), [
        "failed",
        "the daemon lists http://mirror.internal:5001, but it does not answer /v2/ from the daemon's network (HTTP 503: wget: server returned error: HTTP/1.1 503 Service Unavailable): the daemon silently falls back to Docker Hub and its rate limits. Fix: make the mirror reachable from the runner host, or remove it from dind.registryMirrors.",
      ]);
    });
  });

  describe("mirror pull (Docker Hub's count)", () => {
    const HUB_TOKEN_URL =
      "https://auth.docker.io/token?service=registry.docker.io&scope=repository:ratelimitpreview/test:pull";
    const HUB_MANIFEST_URL =
      "https://registry-1.docker.io/v2/ratelimitpreview/test/manifests/latest";

    it("reads Docker Hub's count with BusyBox wget around a pull of probe-image that fetches its manifest again", async () => {
      const run = await runCheck(canary, { ...HEALTHY, hubRemaining: 40 });
      assert.deepEqual(verdict(run, "mirror pull"), [
        "passed",
        "the daemon pulled alpine:3.22.1 through its mirrors: Docker Hub's ratelimit-remaining went from 39 to 38, the second reading's own count, so Docker Hub charged no pull.",
      ]);
      const reading = [
        ["-q", "-T", "10", "-O", "-", HUB_TOKEN_URL],
        [
          "-q",
          "-S",
          "--spider",
          "-T",
          "10",
          "--header",
          "Authorization: Bearer stub-hub-token",
          HUB_MANIFEST_URL,
        ],
      ];
      assert.deepEqual(run.result.wgetCalls, [...reading, ...reading]);
      const pullCalls = run.result.dockerCalls
        .filter((call) => call[0] === "pull" || call[0] === "image")
        .map((call) => call.join(" "))
        .filter((call) => call.includes("alpine"));
      assert.deepEqual(pullCalls, [
        "pull alpine:3.22.1",
        "image rm alpine:3.22.1",
        "pull alpine:3.22.1",
      ]);
    });

    it("fails when Docker Hub's count shows it served the pull, naming dind.registryMirrors and the fix", async () => {
      const run = await runCheck(canary, { ...HEALTHY, hubRemaining: 40, hubBypass: true });
      assert.deepEqual(verdict(run, "mirror pull"), [
        "failed",
        "Docker Hub's ratelimit-remaining went from 38 to 36 while the daemon pulled alpine:3.22.1 (the second reading counts 1): Docker Hub served the pull, not a mirror of dind.registryMirrors (http://mirror.internal:5001), so pulls meet Docker Hub's rate limits. Fix: make the mirror a pull-through cache of Docker Hub (remote URL https://registry-1.docker.io) that serves alpine:3.22.1, and read its log for the pull it failed (the daemon then falls back to Docker Hub); another pull from this address during the check counts too, so run the check again to confirm.",
      ]);
      assert.equal(run.result.code, 1);
    });

    it("passes without claiming proof when Docker Hub is unreachable from the job", async () => {
      const run = await runCheck(canary, { ...HEALTHY, hub: "unreachable", hubBypass: true });
      assert.deepEqual(verdict(run, "mirror pull"), [
        "passed",
        "the daemon pulled alpine:3.22.1; not proven that a mirror served it: Docker Hub is not reachable from the job (no token from auth.docker.io), so its ratelimit-remaining could not be compared.",
      ]);
    });

    it("passes without claiming proof when Docker Hub sends no ratelimit-remaining header", async () => {
      const run = await runCheck(canary, { ...HEALTHY, hub: "no-header", hubBypass: true });
      assert.deepEqual(verdict(run, "mirror pull"), [
        "passed",
        "the daemon pulled alpine:3.22.1; not proven that a mirror served it: Docker Hub sent no ratelimit-remaining header (no pull limit applies to this address), so its ratelimit-remaining could not be compared.",
      ]);
    });

    it("fails when the daemon cannot pull probe-image", async () => {
      const run = await runCheck(canary, {
        ...HEALTHY,
        pulls: {
          ...HEALTHY.pulls,
          "alpine:":
            'Get "https://registry-1.docker.io/v2/": dial tcp: lookup registry-1.docker.io: no such host',
        },
      });
      assert.deepEqual(verdict(run, "mirror pull"), [
        "failed",
        'the daemon could not pull alpine:3.22.1 through its mirrors (Error response from daemon: Get "https://registry-1.docker.io/v2/": dial tcp: lookup registry-1.docker.io: no such host). Fix: make a mirror of dind.registryMirrors (http://mirror.internal:5001) serve Docker Hub\'s images (a pull-through cache of registry-1.docker.io), or check that the runner host reaches it.',
      ]);
    });

    it("is skipped when probe-image is not a Docker Hub image", async () => {
      const run = await runCheck(canary, HEALTHY, {
        env: { DIND_CHECK_PROBE_IMAGE: "registry.example.com/mirror/alpine:3.22.1" },
      });
      assert.deepEqual(verdict(run, "mirror pull"), [
        "skipped",
        "not checked: probe-image registry.example.com/mirror/alpine:3.22.1 is not a Docker Hub image, so its pull says nothing about the mirrors.",
      ]);
    });

    it("the stub wget refuses what BusyBox wget refuses: a HEAD method option, and Docker Hub a manifest without a token", async () => {
      const shell = SHELLS[0] ?? { name: "sh", command: ["sh"], applets: [] };
      const head = await runScript(shell, [`wget -q -S --method=HEAD ${HUB_MANIFEST_URL}`], {});
      assert.equal(head.code, 1);
      assert.match(head.stderr, /^wget: unrecognized option: method=HEAD\n/);
      const anonymous = await runScript(shell, [`wget -q -S --spider ${HUB_MANIFEST_URL}`], {});
      assert.equal(anonymous.code, 1);
      assert.match(anonymous.stderr, /wget: server returned error: HTTP\/1\.1 401 Unauthorized\n$/);
    });
  });

  describe("build", () => {
    it("builds on a docker-container builder in its own context, like docker-build, and pushes when asked", async () => {
      const run = await runCheck(canary, HEALTHY, {
        env: {
          DIND_CHECK_PUSH: "true",
          CI_REGISTRY: "registry.example.com",
          CI_REGISTRY_USER: "gitlab-ci-token",
          CI_REGISTRY_PASSWORD: "job-token-value",
        },
      });
      assert.deepEqual(verdict(run, "build"), [
        "passed",
        "built and pushed registry.example.com/group/fleet/dind-check:4242 in 0 s.",
      ]);
      assert.deepEqual(run.result.loginPasswords, ["job-token-value"]);
      assert.ok(
        run.result.dockerCalls.some(
          (call) =>
            call.join(" ") === "login registry.example.com -u gitlab-ci-token --password-stdin",
        ),
      );
      assert.doesNotMatch(run.result.stdout + run.result.stderr + run.junit, /job-token-value/);
      const [create, build] = run.result.buildxCalls;
      assert.deepEqual(create?.slice(0, 4), ["buildx", "create", "dind-check-501-dind", "--name"]);
      assert.ok(create?.includes("network=host"));
      assert.deepEqual(build?.slice(0, 5), [
        "buildx",
        "build",
        "--tag",
        "registry.example.com/group/fleet/dind-check:4242",
        "--push",
      ]);
    });

    it("gives its builder the buildkitd.toml docker-build writes for the same registries, mirrors and CAs", async () => {
      // dind's certs.d as the job sees it: a CA for the CA-trusted registry, and a file
      // dockerd does not take as a CA.
      const certsD = {
        "certs.d/registry.example.com/ca.crt": "CA\n",
        "certs.d/registry.example.com/client.cert": "not a CA\n",
      };
      const expected =
        '[registry."registry.internal:5000"]\n  http = true\n  insecure = true\n' +
        '[registry."mirror.internal:5001"]\n  http = true\n' +
        '[registry."docker.io"]\n  mirrors = ["mirror.internal:5001"]\n' +
        '[registry."registry.example.com"]\n  ca = ["certs.d/registry.example.com/ca.crt"]\n';
      const run = await runCheck(canary, HEALTHY, {
        env: { DIND_CHECK_CERTS_D: "certs.d" },
        files: certsD,
      });
      assert.deepEqual(verdict(run, "build"), [
        "passed",
        "built registry.example.com/group/fleet/dind-check:4242 in 0 s.",
      ]);
      assert.equal(run.result.buildkitdConfig, expected);
      const [create] = run.result.buildxCalls;
      assert.deepEqual(create?.slice(2), [
        "dind-check-501-dind",
        "--name",
        "dind-check-501",
        "--driver",
        "docker-container",
        "--driver-opt",
        "image=moby/buildkit:v0.25.0",
        "--driver-opt",
        "network=host",
        "--buildkitd-config",
        create?.[12] ?? "?",
        "--bootstrap",
        "--use",
      ]);
      // docker-build on a runner of the same stack: the render gives it the same lists as
      // dind-flags (insecure registries, then mirrors), and the same certs.d.
      const ci = {
        CI_REGISTRY_IMAGE: "registry.example.com/group/app",
        CI_COMMIT_SHORT_SHA: "0123abcd",
        CI_JOB_ID: "502",
        // This machine's own engine socket is not a runner's bound socket.
        DIND_BUILD_SOCKET: "/nonexistent/docker.sock",
      };
      const overrides = {
        DIND_FLAGS:
          '["--insecure-registry=registry.internal:5000", "--registry-mirror=http://mirror.internal:5001"]\n',
        DIND_CERTS_D: "certs.d",
      };
      const built = await runScript(
        SHELLS[0] ?? { name: "sh", command: ["sh"], applets: [] },
        [...(dockerBuild.before_script ?? []), ...(dockerBuild.script ?? [])],
        { ...ci, ...expandVariables({ ...dockerBuild.variables, ...overrides }, ci) },
        { insecure: "registry.internal:5000 ", mirrors: "http://mirror.internal:5001/ " },
        { files: certsD },
      );
      assert.equal(built.code, 0, built.stderr);
      assert.equal(built.buildkitdConfig, expected);
      const [buildCreate] = built.buildxCalls;
      assert.deepEqual(
        buildCreate?.filter((arg) => arg.startsWith("--")),
        create?.filter((arg) => arg.startsWith("--")),
      );
    });

    it("fails with buildx's error", async () => {
      const run = await runCheck(canary, {
        ...HEALTHY,
        buildError:
          "failed to solve: alpine:3.22.1: failed to resolve source metadata for docker.io/library/alpine:3.22.1: unexpected status from HEAD request: 429 Too Many Requests",
      });
      assert.deepEqual(verdict(run, "build"), [
        "failed",
        "building a one-step image failed after 0 s at docker buildx build: ERROR: failed to solve: alpine:3.22.1: failed to resolve source metadata for docker.io/library/alpine:3.22.1: unexpected status from HEAD request: 429 Too Many Requests. Fix: a hang at RUN points at the MTU checks, a pull error at the registry and mirror checks, a builder error at buildkit-image (pulled through the mirrors).",
      ]);
    });
  });

  describe("distributed cache (second job)", () => {
    const reading = (files: Record<string, string>, writer = "501") =>
      runCheck(cacheRead, HEALTHY, { env: { DIND_CHECK_CACHE_WRITER: writer }, files });

    it("passes when the second job reads the first job's cache", async () => {
      const run = await reading({ ".dind-check-cache/written-by": "501\n" });
      assert.equal(run.result.code, 0);
      assert.deepEqual(
        run.report.checks.map((entry) => [entry.name, entry.status, entry.message]),
        [["cache", "passed", "read the cache written by job 501 of this pipeline."]],
      );
      assert.ok(run.result.files["canary-cache-read.xml"]);
    });

    it("is skipped when the first job wrote no entry", async () => {
      const run = await runCheck(cacheRead, HEALTHY, { env: { DIND_CHECK_CACHE_WRITER: "" } });
      assert.equal(run.result.code, 0);
      assert.deepEqual(verdict(run, "cache"), [
        "skipped",
        "not checked: the first job wrote no cache entry (it stopped before; see its report).",
      ]);
    });

    it("fails when the cache is missing", async () => {
      const run = await reading({});
      assert.equal(run.result.code, 1);
      assert.deepEqual(verdict(run, "cache"), [
        "failed",
        "no cache entry of the first job (.dind-check-cache/written-by missing): the runners of these tags do not share a distributed cache, so a job on another runner starts cold. Fix: give every runner of these tags the same distributed cache in the stack's cache settings, then deploy.",
      ]);
    });

    it("fails when the cache holds another job's entry", async () => {
      const run = await reading({ ".dind-check-cache/written-by": "333\n" });
      assert.deepEqual(verdict(run, "cache"), [
        "failed",
        "the cache holds an entry of job 333, not of job 501 of this pipeline: the cache key is shared with another pipeline, or this job read a stale local copy. Fix: the runners' distributed cache (the stack's cache settings: every runner of these tags on the same bucket and path), then deploy.",
      ]);
    });
  });

  describe("reports", () => {
    it("writes JUnit that validates against the schema GitLab reads, with every kind of case and escaped text", async () => {
      const run = await runCheck(canary, {
        ...HEALTHY,
        firewall: "",
        driver: "vfs",
        pulls: {
          ...HEALTHY.pulls,
          // Markup characters, a backslash, a tab and a terminal colour code of a tool's output.
          "registry.example.com/": 'x509: <unknown> & "odd" \\ \u001b[31mauthority\tgone',
        },
      });
      const result = await validateXML({
        xml: [{ fileName: "canary.xml", contents: run.junit }],
        schema: [{ fileName: "junit-gitlab.xsd", contents: JUNIT_XSD }],
      });
      assert.deepEqual(result.errors, []);
      assert.equal(result.valid, true);
      assert.match(
        run.junit,
        /<testcase classname="canary" name="storage-driver" time="0">\n {6}<failure message="the daemon uses vfs/,
      );
      assert.match(
        run.junit,
        /<skipped message="the daemon does not report its firewall backend \(dockerd before 28\)\."\/>/,
      );
      assert.match(run.junit, /x509: &lt;unknown&gt; &amp; &quot;odd&quot; \\ \[31mauthority gone/);
      // The JSON artifact keeps the text as the check printed it.
      assert.ok(
        check(run, "registry registry.example.com").message.startsWith(
          'the daemon does not trust the certificate of registry.example.com (Error response from daemon: x509: <unknown> & "odd" \\ [31mauthority gone). Fix:',
        ),
      );
      assert.deepEqual([run.report.tests, run.report.failures, run.report.skipped], [12, 2, 1]);
    });

    it("a schema check that refuses a case without a name (the schema is not vacuous)", async () => {
      const result = await validateXML({
        xml: [
          {
            fileName: "bad.xml",
            contents:
              '<testsuites><testsuite name="s" tests="1" failures="0" errors="0"><testcase classname="s" time="0"/></testsuite></testsuites>',
          },
        ],
        schema: [{ fileName: "junit-gitlab.xsd", contents: JUNIT_XSD }],
      });
      assert.equal(result.valid, false);
      assert.match(result.errors[0]?.message ?? "", /The attribute 'name' is required but missing/);
    });
  });
});
