/**
 * The drift check's metrics file: exact series for a checked report, and
 * valid text format by Prometheus' own `promtool check metrics` (the linter
 * node_exporter's textfile collector users run).
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { describe, it } from "node:test";
import { driftMetricsText } from "../../components/drift/drift-metrics.js";
import type { DriftReport } from "../../components/drift/drift-report.js";
import type { GitLabRunnerCheck } from "../../components/drift/gitlab-runner-drift.js";
import { requirePromtool } from "../support/promtool.js";
import { dockerHost, fleet, kubernetesCluster, runner } from "../render/fixtures.js";

const FLEET = fleet({
  environment: "prod",
  dockerHosts: [dockerHost("build-1", [runner("r1"), runner("r2")])],
  kubernetesClusters: [kubernetesCluster("k8s-1", [runner("k1")])],
});
const NOW = new Date("2026-12-06T12:00:00Z");

function check(name: string, extra: Partial<GitLabRunnerCheck>): GitLabRunnerCheck {
  return { name, configPath: `x.${name}`, status: "in-sync", differences: [], ...extra };
}

const REPORT: DriftReport = {
  stack: "prod",
  pulumi: { status: "skipped" },
  gitlab: {
    status: "checked",
    runners: [
      check("r1", {
        tokenExpiresAt: "2026-12-16T12:00:00Z",
        status: "drift",
        tokenExpiresInDays: 10,
      }),
      check("r2", { tokenExpiresAt: null }),
      check("k1", { tokenExpiresAt: "2027-06-01T00:00:00.000Z" }),
    ],
  },
};

const EXPECTED = [
  "# HELP dind_runners_drift_last_run_timestamp_seconds When npm run drift last ran for the environment (Unix time).",
  "# TYPE dind_runners_drift_last_run_timestamp_seconds gauge",
  'dind_runners_drift_last_run_timestamp_seconds{dind_runners_environment="prod"} 1796558400',
  "# HELP dind_runners_drift_status The last drift check's result: 1 for the result it had (in-sync, drift or incomplete), 0 for the others.",
  "# TYPE dind_runners_drift_status gauge",
  'dind_runners_drift_status{dind_runners_environment="prod",result="in-sync"} 0',
  'dind_runners_drift_status{dind_runners_environment="prod",result="drift"} 1',
  'dind_runners_drift_status{dind_runners_environment="prod",result="incomplete"} 0',
  "# HELP dind_runners_runner_token_expires_timestamp_seconds When the runner's authentication token expires (Unix time), from the stack's state; absent when it never expires or the state does not say.",
  "# TYPE dind_runners_runner_token_expires_timestamp_seconds gauge",
  'dind_runners_runner_token_expires_timestamp_seconds{dind_runners_environment="prod",dind_runners_target="build-1",runner="r1"} 1797422400',
  'dind_runners_runner_token_expires_timestamp_seconds{dind_runners_environment="prod",dind_runners_target="k8s-1",runner="k1"} 1811808000',
  "",
].join("\n");

function checkMetrics(promtool: string, text: string): { status: number | null; output: string } {
  const result = spawnSync(promtool, ["check", "metrics"], { input: text, encoding: "utf8" });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe("drift metrics", () => {
  it("have the run time, the result and each known token expiry, by host or cluster", () => {
    assert.equal(driftMetricsText(FLEET, REPORT, NOW), EXPECTED);
  });

  it("have no token series when GitLab was not checked", () => {
    const text = driftMetricsText(FLEET, { stack: "prod", pulumi: { status: "skipped" } }, NOW);
    assert.doesNotMatch(text, /token/);
    assert.match(text, /result="in-sync"} 1\n/);
  });

  it("pass promtool check metrics", (t) => {
    const promtool = requirePromtool(t);
    if (promtool === undefined) return;
    const result = checkMetrics(promtool, driftMetricsText(FLEET, REPORT, NOW));
    assert.deepEqual(result, { status: 0, output: "" });
  });

  it("would fail promtool check metrics with a broken line (the check can fail)", (t) => {
    const promtool = requirePromtool(t);
    if (promtool === undefined) return;
    const broken = driftMetricsText(FLEET, REPORT, NOW).replace('runner="r1"}', 'runner="r1"');
    const result = checkMetrics(promtool, broken);
    assert.equal(result.status, 1, result.output);
  });
});
