import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { RunnerConfigCheck } from "../../components/drift/check-runner-config.js";
import { driftReportJson, type DriftReport } from "../../components/drift/drift-report.js";
import { formatDriftReport } from "../../components/drift/format-drift-report.js";

const LOCAL = {
  variant: "docker",
  name: "local",
  location: "unix:///var/run/docker.sock",
} as const;
const SOURCE = "container dind-runners-manager:/etc/gitlab-runner/config.toml";

const DRIFTED: RunnerConfigCheck = {
  ...LOCAL,
  status: "drift",
  live: "found",
  source: SOURCE,
  differences: [
    { path: "concurrent", kind: "changed", desired: "4", live: "8" },
    { path: 'runners["local-dind"].docker.shm_size', kind: "added", live: "1024" },
    { path: 'runners["local-dind"].docker.image', kind: "removed", desired: '"docker:28.5.2-cli"' },
    {
      path: 'runners["local-dind-large"]',
      kind: "removed",
      note: "runner missing from the live config",
    },
    { path: 'runners["hand-made"]', kind: "added", note: "runner not in the desired config" },
  ],
  ignored: [
    { path: 'runners["local-dind"].token', reason: "token-unverifiable" },
    { path: 'runners["local-dind"].token_obtained_at', reason: "runner-managed" },
  ],
};

const IN_SYNC: RunnerConfigCheck = {
  variant: "docker",
  name: "build-2",
  location: "ssh://deploy@build-2.example.internal",
  status: "in-sync",
  live: "found",
  source: SOURCE,
  differences: [],
  ignored: [{ path: 'runners["b"].token', reason: "token-unverifiable" }],
};

const UNREACHABLE: RunnerConfigCheck = {
  variant: "docker",
  name: "build-3",
  location: "unix:///nonexistent.sock",
  status: "error",
  differences: [],
  ignored: [],
  error:
    "cannot reach the Docker engine at unix:///nonexistent.sock: connect ENOENT /nonexistent.sock",
};

const CLUSTER_MISSING: RunnerConfigCheck = {
  variant: "kubernetes",
  name: "k8s-prod",
  location: "context prod-cluster, namespace gitlab-runner-dind",
  status: "drift",
  live: "missing-file",
  source: "secret gitlab-runner-config key config.toml in namespace gitlab-runner-dind",
  differences: [],
  ignored: [],
};

describe("formatDriftReport", () => {
  it("prints every level, each difference with its path, and the verdict", () => {
    const report: DriftReport = {
      stack: "dev",
      pulumi: {
        status: "drift",
        changeSummary: { refresh: { same: 4, update: 1 }, preview: { same: 4, update: 1 } },
        resources: [
          {
            phase: "refresh",
            type: "docker:index/container:Container",
            name: "local-manager",
            urn: "urn:pulumi:dev::dind-runners::docker:index/container:Container::local-manager",
            op: "update",
            properties: ["labels", "restart"],
          },
          {
            phase: "preview",
            type: "docker:index/container:Container",
            name: "local-manager",
            urn: "urn:pulumi:dev::dind-runners::docker:index/container:Container::local-manager",
            op: "replace",
            properties: [],
          },
        ],
      },
      runners: [DRIFTED, IN_SYNC, CLUSTER_MISSING],
    };
    assert.equal(
      formatDriftReport(report),
      [
        'drift check of stack "dev"',
        "pulumi: drift in 1 resource",
        '  changed outside Pulumi: update docker:index/container:Container "local-manager" (labels, restart)',
        '  pulumi up would change: replace docker:index/container:Container "local-manager"',
        "docker host local (unix:///var/run/docker.sock): drift",
        "  live config: container dind-runners-manager:/etc/gitlab-runner/config.toml",
        "  ~ concurrent: desired 4, live 8",
        '  + runners["local-dind"].docker.shm_size = 1024 (only in the live config)',
        '  - runners["local-dind"].docker.image = "docker:28.5.2-cli" (missing from the live config)',
        '  - runners["local-dind-large"]: runner missing from the live config',
        '  + runners["hand-made"]: runner not in the desired config',
        "  ignored 2 differences GitLab Runner makes itself",
        "docker host build-2 (ssh://deploy@build-2.example.internal): in sync (ignored 1 difference GitLab Runner makes itself)",
        "kubernetes cluster k8s-prod (context prod-cluster, namespace gitlab-runner-dind): drift: config.toml is missing (secret gitlab-runner-config key config.toml in namespace gitlab-runner-dind)",
        "gitlab runners: skipped (--skip-gitlab)",
        "result: drift found (exit 2)",
        "",
      ].join("\n"),
    );
  });

  it("says what was skipped and what could not be checked; an error wins over drift", () => {
    const report: DriftReport = {
      stack: "prod",
      pulumi: { status: "skipped" },
      runners: [
        UNREACHABLE,
        {
          ...LOCAL,
          status: "drift",
          live: "missing-manager",
          source: "no container labelled a=b or named dind-runners-manager",
          differences: [],
          ignored: [],
        },
        {
          ...LOCAL,
          status: "drift",
          live: "unparseable",
          source: SOURCE,
          syntaxErrorAt: { line: 8, column: 42 },
          differences: [],
          ignored: [],
        },
      ],
    };
    assert.equal(
      formatDriftReport(report),
      [
        'drift check of stack "prod"',
        "pulumi: skipped (--skip-pulumi)",
        "docker host build-3 (unix:///nonexistent.sock): could not check: cannot reach the Docker engine at unix:///nonexistent.sock: connect ENOENT /nonexistent.sock",
        "docker host local (unix:///var/run/docker.sock): drift: runner manager not found (no container labelled a=b or named dind-runners-manager)",
        "docker host local (unix:///var/run/docker.sock): drift: live config.toml is not valid TOML at line 8, column 42 (container dind-runners-manager:/etc/gitlab-runner/config.toml)",
        "gitlab runners: skipped (--skip-gitlab)",
        "result: could not check everything (exit 1)",
        "",
      ].join("\n"),
    );
  });

  it("reports a clean stack, and a Pulumi failure", () => {
    const clean: DriftReport = {
      stack: "dev",
      pulumi: {
        status: "in-sync",
        changeSummary: { refresh: { same: 6 }, preview: { same: 6 } },
        resources: [],
      },
    };
    assert.equal(
      formatDriftReport(clean),
      'drift check of stack "dev"\npulumi: in sync (6 same)\nrunner configs: skipped (--skip-runners)\ngitlab runners: skipped (--skip-gitlab)\nresult: no drift (exit 0)\n',
    );
    const failed: DriftReport = {
      stack: "dev",
      pulumi: { status: "error", error: `pulumi stack "dev": no stack named 'dev' found` },
      runners: [],
    };
    assert.equal(
      formatDriftReport(failed),
      [
        'drift check of stack "dev"',
        `pulumi: could not check: pulumi stack "dev": no stack named 'dev' found`,
        "runner configs: the stack has no Docker hosts or Kubernetes clusters",
        "gitlab runners: skipped (--skip-gitlab)",
        "result: could not check everything (exit 1)",
        "",
      ].join("\n"),
    );
  });
});

describe("driftReportJson", () => {
  it("writes the stable schema: version, verdict, exit code, skipped levels, no timestamps", () => {
    const report: DriftReport = { stack: "dev", pulumi: { status: "skipped" }, runners: [IN_SYNC] };
    const json = driftReportJson(report);
    assert.equal(json, driftReportJson(report));
    assert.deepEqual(JSON.parse(json), {
      schemaVersion: 2,
      stack: "dev",
      result: "in-sync",
      exitCode: 0,
      skipped: ["pulumi", "gitlab"],
      pulumi: { status: "skipped" },
      runners: [
        {
          variant: "docker",
          name: "build-2",
          location: "ssh://deploy@build-2.example.internal",
          status: "in-sync",
          live: "found",
          source: SOURCE,
          differences: [],
          ignored: [{ path: 'runners["b"].token', reason: "token-unverifiable" }],
        },
      ],
      gitlab: { status: "skipped", reason: "--skip-gitlab" },
    });
    assert.ok(json.endsWith("}\n"));
  });

  it("lists skipped runner configs and the drift verdict", () => {
    const report: DriftReport = {
      stack: "dev",
      pulumi: {
        status: "drift",
        changeSummary: { refresh: {}, preview: { update: 1 } },
        resources: [],
      },
    };
    const parsed = JSON.parse(driftReportJson(report)) as Record<string, unknown>;
    assert.deepEqual(
      {
        result: parsed["result"],
        exitCode: parsed["exitCode"],
        skipped: parsed["skipped"],
        runners: parsed["runners"],
      },
      { result: "drift", exitCode: 2, skipped: ["runners", "gitlab"], runners: [] },
    );
  });
});
