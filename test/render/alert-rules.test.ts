/**
 * The alert rules, proven by Prometheus' own tools: `promtool check rules` on
 * the rendered rules file and on the PrometheusRule's groups, and
 * `promtool test rules` feeding series to every alert, once so that it fires
 * (after its `for:` window, and not before) and once so that it does not.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { stringify } from "yaml";
import { alertRuleGroups, type AlertRule } from "../../components/render/alert-rules.js";
import { operationsAlertRuleGroups } from "../../components/render/operations-alert-rules.js";
import { kubernetesManifests } from "../../components/render/kubernetes-manifests.js";
import type { PrometheusRuleManifest } from "../../components/render/kubernetes-manifest-types.js";
import { prometheusRulesFile } from "../../components/render/prometheus-rules-file.js";
import { fleetTargets } from "../../components/model/fleet.js";
import { requirePromtool, runPromtool } from "../support/promtool.js";
import { dockerHost, fleet, housekeeping, kubernetesCluster, manager, runner } from "./fixtures.js";

const FLEET = fleet({
  environment: "test",
  dockerHosts: [
    dockerHost("build-1", [runner("r1", { limit: 2 })], {
      manager: manager({ listenAddress: "127.0.0.1:9252" }),
      housekeeping: housekeeping(),
    }),
  ],
  kubernetesClusters: [
    kubernetesCluster("k8s-1", [runner("k1")], {
      manager: manager({ listenAddress: ":9252" }),
      prometheusOperator: true,
    }),
  ],
});
const GROUPS = [
  ...alertRuleGroups(FLEET, fleetTargets(FLEET)),
  ...operationsAlertRuleGroups(FLEET),
];
const RULES = GROUPS.flatMap((group) => group.rules);

const dir = mkdtempSync(join(tmpdir(), "alert-rules-"));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Labels every series scraped from build-1 carries (the file-SD labels and Prometheus' own). */
const BUILD_1 = {
  dind_runners_environment: "test",
  dind_runners_target: "build-1",
  instance: "127.0.0.1:9252",
  job: "gitlab-runner",
};
const RUNNER = { runner: "t1_abcde", runner_name: "r1", system_id: "s_0123456789ab" };

type Labels = Readonly<Record<string, string>>;

const DAY = 86400;
/** This project's own series: from the drift job's file and the housekeeping's, scraped by node_exporter. */
const NODE = { instance: "build-1:9100", job: "node" };
const DRIFT_ENV = { ...NODE, dind_runners_environment: "test" };
const DRIFT_R1 = { ...DRIFT_ENV, dind_runners_target: "build-1", runner: "r1" };
const HOUSEKEEPING = { ...DRIFT_ENV, dind_runners_target: "build-1" };
const TOKEN_EXPIRES = "dind_runners_runner_token_expires_timestamp_seconds";
const LAST_RUN = "dind_runners_drift_last_run_timestamp_seconds";
const FREE_PERCENT = "dind_runners_housekeeping_data_root_free_percent";
const MIN_FREE_PERCENT = "dind_runners_housekeeping_min_free_percent";

interface Series {
  readonly name: string;
  readonly labels: Labels;
  /** promtool's expanding notation, one sample a minute: `0x10`, `0+1x40`. */
  readonly values: string;
}

/** One promtool test: series, and at each time either no alert or these alerts' labels. */
interface AlertCase {
  readonly alert: string;
  readonly title: string;
  readonly series: readonly Series[];
  readonly evals: readonly { readonly at: string; readonly alerts: readonly Labels[] }[];
}

function series(name: string, labels: Labels, values: string): Series {
  return { name, labels, values };
}

const CASES: readonly AlertCase[] = [
  {
    alert: "DindRunnersManagerDown",
    title: "fires after 5 minutes of failed scrapes",
    series: [series("up", BUILD_1, "0x10")],
    evals: [
      { at: "4m", alerts: [] },
      { at: "6m", alerts: [{ ...BUILD_1, severity: "critical" }] },
    ],
  },
  {
    alert: "DindRunnersManagerDown",
    title: "stays quiet while scrapes succeed",
    series: [series("up", BUILD_1, "1x10")],
    evals: [{ at: "10m", alerts: [] }],
  },
  {
    alert: "DindRunnersManagerNotScraped",
    title: "fires for the cluster Prometheus has no target for, after 10 minutes",
    series: [series("up", BUILD_1, "1x15")],
    evals: [
      { at: "9m", alerts: [] },
      {
        at: "11m",
        alerts: [
          { dind_runners_environment: "test", dind_runners_target: "k8s-1", severity: "critical" },
        ],
      },
    ],
  },
  {
    alert: "DindRunnersManagerNotScraped",
    title: "stays quiet while every manager is scraped (down or not)",
    series: [
      series("up", BUILD_1, "0x15"),
      series(
        "up",
        { ...BUILD_1, dind_runners_target: "k8s-1", instance: "10.1.2.3:9252", job: "k8s" },
        "1x15",
      ),
    ],
    evals: [{ at: "15m", alerts: [] }],
  },
  {
    alert: "DindRunnersAllSlotsBusy",
    title: "fires when the running jobs reach concurrent for 15 minutes",
    series: [
      series("gitlab_runner_jobs", { ...BUILD_1, ...RUNNER, state: "running" }, "4x20"),
      series("gitlab_runner_concurrent", BUILD_1, "4x20"),
    ],
    evals: [
      { at: "14m", alerts: [] },
      {
        at: "16m",
        alerts: [
          { dind_runners_environment: "test", dind_runners_target: "build-1", severity: "warning" },
        ],
      },
    ],
  },
  {
    alert: "DindRunnersAllSlotsBusy",
    title: "stays quiet with a free slot",
    series: [
      series("gitlab_runner_jobs", { ...BUILD_1, ...RUNNER, state: "running" }, "3x20"),
      series("gitlab_runner_concurrent", BUILD_1, "4x20"),
    ],
    evals: [{ at: "20m", alerts: [] }],
  },
  {
    alert: "DindRunnersRunnerLimitReached",
    title: "fires when a runner's jobs reach its limit for 15 minutes",
    series: [
      series("gitlab_runner_jobs", { ...BUILD_1, ...RUNNER, state: "running" }, "2x20"),
      series("gitlab_runner_limit", { ...BUILD_1, ...RUNNER }, "2x20"),
    ],
    evals: [
      { at: "14m", alerts: [] },
      {
        at: "16m",
        alerts: [
          {
            dind_runners_environment: "test",
            dind_runners_target: "build-1",
            runner_name: "r1",
            severity: "warning",
          },
        ],
      },
    ],
  },
  {
    alert: "DindRunnersRunnerLimitReached",
    title: "stays quiet for a runner without a limit (0)",
    series: [
      series("gitlab_runner_jobs", { ...BUILD_1, ...RUNNER, state: "running" }, "2x20"),
      series("gitlab_runner_limit", { ...BUILD_1, ...RUNNER }, "0x20"),
    ],
    evals: [{ at: "20m", alerts: [] }],
  },
  {
    alert: "DindRunnersErrorsRising",
    title: "fires after 10 minutes of more than 10 errors in 15 minutes",
    series: [series("gitlab_runner_errors_total", { ...BUILD_1, level: "error" }, "0+1x40")],
    evals: [
      { at: "15m", alerts: [] },
      { at: "30m", alerts: [{ ...BUILD_1, level: "error", severity: "warning" }] },
    ],
  },
  {
    alert: "DindRunnersErrorsRising",
    title: "stays quiet for warnings and for few errors",
    series: [
      series("gitlab_runner_errors_total", { ...BUILD_1, level: "warning" }, "0+5x40"),
      series("gitlab_runner_errors_total", { ...BUILD_1, level: "error" }, "0+0.5x40"),
    ],
    evals: [{ at: "40m", alerts: [] }],
  },
  {
    alert: "DindRunnersWorkerFeedFailures",
    title: "fires after 15 minutes of feed failures",
    series: [
      series("gitlab_runner_worker_feed_failures_total", { ...BUILD_1, ...RUNNER }, "0+1x40"),
    ],
    evals: [
      { at: "10m", alerts: [] },
      { at: "30m", alerts: [{ ...BUILD_1, ...RUNNER, severity: "warning" }] },
    ],
  },
  {
    alert: "DindRunnersWorkerFeedFailures",
    title: "stays quiet while the counter stands still",
    series: [series("gitlab_runner_worker_feed_failures_total", { ...BUILD_1, ...RUNNER }, "5x40")],
    evals: [{ at: "40m", alerts: [] }],
  },
  {
    alert: "DindRunnersSystemFailures",
    title: "fires after 5 minutes of 3 or more system failures in 30 minutes",
    series: [
      series(
        "gitlab_runner_failed_jobs_total",
        {
          ...BUILD_1,
          runner: "t1_abcde",
          runner_name: "r1",
          failure_reason: "runner_system_failure",
          mode: "run",
        },
        "0+1x40",
      ),
    ],
    evals: [
      { at: "5m", alerts: [] },
      {
        at: "20m",
        alerts: [
          {
            ...BUILD_1,
            runner: "t1_abcde",
            runner_name: "r1",
            failure_reason: "runner_system_failure",
            mode: "run",
            severity: "critical",
          },
        ],
      },
    ],
  },
  {
    alert: "DindRunnersSystemFailures",
    title: "stays quiet for jobs failing in their own scripts",
    series: [
      series(
        "gitlab_runner_failed_jobs_total",
        {
          ...BUILD_1,
          runner: "t1_abcde",
          runner_name: "r1",
          failure_reason: "script_failure",
          mode: "run",
        },
        "0+1x40",
      ),
    ],
    evals: [{ at: "40m", alerts: [] }],
  },
  {
    alert: "DindRunnersTokenRefused",
    title: "fires after 10 minutes of 403 answers to job requests",
    series: [
      series(
        "gitlab_runner_api_request_statuses_total",
        {
          ...BUILD_1,
          runner: "t1_abcde",
          system_id: "s_0123456789ab",
          endpoint: "request_job",
          status: "403",
          method: "post",
        },
        "0+1x30",
      ),
    ],
    evals: [
      { at: "5m", alerts: [] },
      {
        at: "25m",
        alerts: [
          {
            ...BUILD_1,
            runner: "t1_abcde",
            system_id: "s_0123456789ab",
            endpoint: "request_job",
            status: "403",
            method: "post",
            severity: "critical",
          },
        ],
      },
    ],
  },
  {
    alert: "DindRunnersTokenRefused",
    title: "stays quiet while GitLab answers the job requests",
    series: [
      series(
        "gitlab_runner_api_request_statuses_total",
        {
          ...BUILD_1,
          runner: "t1_abcde",
          system_id: "s_0123456789ab",
          endpoint: "request_job",
          status: "204",
          method: "post",
        },
        "0+1x30",
      ),
    ],
    evals: [{ at: "30m", alerts: [] }],
  },
  {
    alert: "DindRunnersTokenExpiring",
    title: "fires after an hour for a token expiring in 10 days",
    series: [series(TOKEN_EXPIRES, DRIFT_R1, `${10 * DAY}x120`)],
    evals: [
      { at: "50m", alerts: [] },
      { at: "70m", alerts: [{ ...DRIFT_R1, severity: "warning" }] },
    ],
  },
  {
    alert: "DindRunnersTokenExpiring",
    title: "stays quiet for a token expiring in 30 days, and for one the critical alert covers",
    series: [
      series(TOKEN_EXPIRES, DRIFT_R1, `${30 * DAY}x120`),
      series(TOKEN_EXPIRES, { ...DRIFT_R1, runner: "r2" }, `${2 * DAY}x120`),
    ],
    evals: [{ at: "120m", alerts: [] }],
  },
  {
    alert: "DindRunnersTokenExpiryImminent",
    title: "fires after 10 minutes for a token expiring in 2 days",
    series: [series(TOKEN_EXPIRES, DRIFT_R1, `${2 * DAY}x30`)],
    evals: [
      { at: "5m", alerts: [] },
      { at: "15m", alerts: [{ ...DRIFT_R1, severity: "critical" }] },
    ],
  },
  {
    alert: "DindRunnersTokenExpiryImminent",
    title: "stays quiet for a token expiring in 10 days",
    series: [series(TOKEN_EXPIRES, DRIFT_R1, `${10 * DAY}x30`)],
    evals: [{ at: "30m", alerts: [] }],
  },
  {
    // The series' last value stays the run time: Prometheus' clock moves on.
    alert: "DindRunnersDriftCheckStale",
    title: "fires 10 minutes after the last run is 2 days old",
    series: [series(LAST_RUN, DRIFT_ENV, "0x3000")],
    evals: [
      { at: "2885m", alerts: [] },
      { at: "2895m", alerts: [{ ...DRIFT_ENV, severity: "warning" }] },
    ],
  },
  {
    alert: "DindRunnersDriftCheckStale",
    title: "stays quiet while the drift job runs daily",
    // A run every day: the timestamp moves by 86400 s every 1440 one-minute samples.
    series: [series(LAST_RUN, DRIFT_ENV, `0x1439 ${DAY}x1439 ${2 * DAY}x200`)],
    evals: [{ at: "3000m", alerts: [] }],
  },
  {
    alert: "DindRunnersDiskBelowFloor",
    title: "fires after 15 minutes below the floor",
    series: [
      series(FREE_PERCENT, HOUSEKEEPING, "8x30"),
      series(MIN_FREE_PERCENT, HOUSEKEEPING, "10x30"),
    ],
    evals: [
      { at: "10m", alerts: [] },
      { at: "20m", alerts: [{ ...HOUSEKEEPING, severity: "critical" }] },
    ],
  },
  {
    alert: "DindRunnersDiskBelowFloor",
    title: "stays quiet above the floor, and with the floor off",
    series: [
      series(FREE_PERCENT, HOUSEKEEPING, "12x30"),
      series(MIN_FREE_PERCENT, HOUSEKEEPING, "10x30"),
      series(FREE_PERCENT, { ...HOUSEKEEPING, dind_runners_target: "build-2" }, "3x30"),
      series(MIN_FREE_PERCENT, { ...HOUSEKEEPING, dind_runners_target: "build-2" }, "0x30"),
    ],
    evals: [{ at: "30m", alerts: [] }],
  },
];

function seriesText(entry: Series): string {
  const labels = Object.entries(entry.labels)
    .map(([key, value]) => `${key}=${JSON.stringify(value)}`)
    .join(",");
  return `${entry.name}{${labels}}`;
}

/** What Prometheus makes of an annotation for an alert with `labels` (only `$labels.x` is used). */
function expanded(template: string, labels: Labels): string {
  return template.replace(
    /\{\{ \$labels\.([a-zA-Z_]+) \}\}/g,
    (_, name: string) => labels[name] ?? "",
  );
}

function ruleOf(alert: string, labels: Labels): AlertRule {
  const candidates = RULES.filter((rule) => rule.alert === alert);
  const target = labels["dind_runners_target"];
  return (
    candidates.find((rule) => rule.labels.dind_runners_target === target) ??
    candidates.find((rule) => rule.labels.dind_runners_target === undefined) ??
    assert.fail(`no rule ${alert}`)
  );
}

function promtoolTest(entry: AlertCase): unknown {
  return {
    name: `${entry.alert}: ${entry.title}`,
    interval: "1m",
    input_series: entry.series.map((s) => ({ series: seriesText(s), values: s.values })),
    alert_rule_test: entry.evals.map((evaluation) => ({
      eval_time: evaluation.at,
      alertname: entry.alert,
      exp_alerts: evaluation.alerts.map((labels) => ({
        exp_labels: labels,
        exp_annotations: Object.fromEntries(
          Object.entries(ruleOf(entry.alert, labels).annotations).map(([key, value]) => [
            key,
            expanded(value, labels),
          ]),
        ),
      })),
    })),
  };
}

describe("alert rules", () => {
  it("give every rule a severity, and a summary, description and runbook", () => {
    assert.ok(RULES.length > 0);
    for (const rule of RULES) {
      assert.match(rule.labels.severity, /^(critical|warning)$/, rule.alert);
      assert.ok(rule.annotations.summary.length > 0, rule.alert);
      assert.equal(rule.annotations.runbook, `docs/troubleshooting.md#${rule.alert.toLowerCase()}`);
      assert.ok(
        rule.annotations.description.endsWith(
          `Runbook: ${rule.annotations.runbook} in the dind-runners repository.`,
        ),
        rule.alert,
      );
    }
  });

  it("name the host or cluster in every summary (the environment where the check covers it whole)", () => {
    const environmentWide = new Set(["DindRunnersDriftCheckStale"]);
    for (const rule of RULES.filter((each) => environmentWide.has(each.alert))) {
      assert.ok(
        rule.annotations.summary.includes("environment {{ $labels.dind_runners_environment }}"),
        `${rule.alert}: ${rule.annotations.summary}`,
      );
    }
    for (const rule of RULES.filter((each) => !environmentWide.has(each.alert))) {
      assert.ok(
        rule.annotations.summary.includes("{{ $labels.dind_runners_target }}") ||
          rule.annotations.summary.includes(`${rule.labels.dind_runners_target ?? "?"} (test)`),
        `${rule.alert}: ${rule.annotations.summary}`,
      );
    }
  });

  it("have a runbook heading on the troubleshooting page for each alert", () => {
    const page = readFileSync(join(__dirname, "../../docs/troubleshooting.md"), "utf8");
    for (const alert of new Set(RULES.map((rule) => rule.alert))) {
      assert.ok(page.includes(`\n### \`${alert}\`\n`), `docs/troubleshooting.md: ### \`${alert}\``);
    }
  });

  it("are tested by promtool, each alert firing and not firing", () => {
    const alerts = [...new Set(RULES.map((rule) => rule.alert))].sort();
    const firing = new Set(
      CASES.filter((c) => c.evals.some((e) => e.alerts.length > 0)).map((c) => c.alert),
    );
    const quiet = new Set(
      CASES.filter((c) => c.evals.every((e) => e.alerts.length === 0)).map((c) => c.alert),
    );
    assert.deepEqual([...firing].sort(), alerts);
    assert.deepEqual([...quiet].sort(), alerts);
  });

  it("cover only managers with a metrics listener, and none when no manager has one", () => {
    const withoutListener = fleet({
      environment: "test",
      dockerHosts: [dockerHost("build-1", [runner("r1")])],
    });
    assert.deepEqual(alertRuleGroups(withoutListener, fleetTargets(withoutListener)), []);
    assert.deepEqual(
      RULES.filter((rule) => rule.alert === "DindRunnersManagerNotScraped").map(
        (rule) => rule.expr,
      ),
      [
        'absent(up{dind_runners_environment="test",dind_runners_target="build-1"})',
        'absent(up{dind_runners_environment="test",dind_runners_target="k8s-1"})',
      ],
    );
  });

  it("pass promtool check rules as a rules file and as the PrometheusRule's groups", (t) => {
    const promtool = requirePromtool(t);
    if (promtool === undefined) return;
    writeFileSync(join(dir, "rules.yml"), prometheusRulesFile(GROUPS));
    const cluster = FLEET.kubernetesClusters[0]!;
    const prometheusRule = kubernetesManifests(FLEET, cluster, "").find(
      (manifest): manifest is PrometheusRuleManifest => manifest.kind === "PrometheusRule",
    );
    assert.ok(prometheusRule !== undefined, "the cluster has a PrometheusRule");
    writeFileSync(
      join(dir, "prometheus-rule.yml"),
      stringify({ groups: prometheusRule.spec.groups }),
    );
    for (const file of ["rules.yml", "prometheus-rule.yml"]) {
      const result = runPromtool(promtool, ["check", "rules", file], dir);
      assert.equal(result.status, 0, result.output);
      assert.match(result.output, /SUCCESS: \d+ rules found/);
    }
  });

  it("fire and stay quiet as promtool test rules expects", (t) => {
    const promtool = requirePromtool(t);
    if (promtool === undefined) return;
    writeFileSync(join(dir, "rules.yml"), prometheusRulesFile(GROUPS));
    writeFileSync(
      join(dir, "rules.test.yml"),
      stringify({
        rule_files: ["rules.yml"],
        evaluation_interval: "1m",
        tests: CASES.map(promtoolTest),
      }),
    );
    const result = runPromtool(promtool, ["test", "rules", "rules.test.yml"], dir);
    assert.equal(result.status, 0, result.output);
    assert.match(result.output, /SUCCESS/);
  });

  it("fail promtool test rules when an alert is expected and does not fire (the test can fail)", (t) => {
    const promtool = requirePromtool(t);
    if (promtool === undefined) return;
    writeFileSync(join(dir, "rules.yml"), prometheusRulesFile(GROUPS));
    const quietCase = CASES.find(
      (c) => c.alert === "DindRunnersManagerDown" && c.evals.length === 1,
    )!;
    const wrong: AlertCase = {
      ...quietCase,
      evals: [{ at: "10m", alerts: [{ ...BUILD_1, severity: "critical" }] }],
    };
    writeFileSync(
      join(dir, "wrong.test.yml"),
      stringify({
        rule_files: ["rules.yml"],
        evaluation_interval: "1m",
        tests: [promtoolTest(wrong)],
      }),
    );
    const result = runPromtool(promtool, ["test", "rules", "wrong.test.yml"], dir);
    assert.equal(result.status, 1, result.output);
    assert.match(result.output, /alertname: DindRunnersManagerDown, time: 10m/);
  });
});
