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
canary-check:
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
  mirrors: "http://mirror.internal:5001/",
  hosts: { "registry.internal": "10.0.0.5" },
  pulls: {
    "registry.internal:5000/":
      "manifest for registry.internal:5000/dind-check/absent:probe not found: manifest unknown: manifest unknown",
    "registry.example.com/":
      "manifest for registry.example.com/dind-check/absent:probe not found: manifest unknown: manifest unknown",
  },
};

/** The job container's network: eth0 carries the default route, with this MTU. */
function network(mtu: string, defaultRoute = true): Record<string, string> {
  const header = "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n";
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

  before(async () => {
    const pipeline = await previewPipeline(FIXTURE);
    canary = jobOf(pipeline, "canary-check");
    cacheRead = jobOf(pipeline, "canary-cache-read");
    plain = jobOf(pipeline, "plain-check");
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
    const env = {
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
    assert.equal(plain.variables?.["DOCKER_HOST"], "tcp://docker:2375");
    assert.equal(plain.variables?.["DOCKER_TLS_VERIFY"], "");
    assert.equal(plain.variables?.["DIND_CHECK_EXECUTOR"], "kubernetes");
  });

  for (const shell of SHELLS) {
    it(`passes every check on a runner that has what the stack declares (${shell.name})`, async () => {
      const run = await runCheck(canary, HEALTHY, { shell });
      assert.equal(run.result.code, 0, run.result.stderr);
      assert.deepEqual(
        run.report.checks.map((entry) => [entry.name, entry.status, entry.message]),
        [],
      );
    });
  }
});
