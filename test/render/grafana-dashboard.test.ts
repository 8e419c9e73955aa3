/**
 * The Grafana dashboard imports into Grafana's schema (the SDK's own
 * `Dashboard` type, checked by the TypeScript compiler on the rendered JSON,
 * so an unknown or mistyped field fails) and every PromQL query, of its panels
 * and variables and of the alert rules, names only series a GitLab Runner
 * manager has (test/support/gitlab-runner-metrics.ts, from GitLab Runner's
 * source).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { describe, it } from "node:test";
import ts from "typescript";
import { fleetTargets } from "../../components/model/fleet.js";
import { alertRuleGroups } from "../../components/render/alert-rules.js";
import {
  grafanaDashboard,
  grafanaDashboardJson,
} from "../../components/render/grafana-dashboard.js";
import { DRIFT_METRICS } from "../../components/drift/drift-metrics.js";
import { HOUSEKEEPING_METRICS } from "../../components/render/housekeeping-metrics.js";
import { operationsAlertRuleGroups } from "../../components/render/operations-alert-rules.js";
import { isExportedSeries } from "../support/gitlab-runner-metrics.js";
import { PROJECT_METRICS } from "../support/project-metrics.js";
import { dockerHost, fleet, housekeeping, kubernetesCluster, manager, runner } from "./fixtures.js";

const FLEET = fleet({
  environment: "staging",
  dockerHosts: [
    dockerHost("build-1", [runner("r1")], {
      manager: manager({ listenAddress: "127.0.0.1:9252" }),
      housekeeping: housekeeping(),
    }),
  ],
  kubernetesClusters: [
    kubernetesCluster("k8s-1", [runner("k1")], { manager: manager({ listenAddress: ":9252" }) }),
  ],
});

/** PromQL words that are not series names: functions, aggregations, operators, modifiers. */
const PROMQL_WORDS = new Set([
  "sum",
  "min",
  "max",
  "avg",
  "count",
  "rate",
  "increase",
  "irate",
  "histogram_quantile",
  "absent",
  "by",
  "without",
  "on",
  "ignoring",
  "group_left",
  "group_right",
  "and",
  "or",
  "unless",
  "bool",
  "offset",
  "label_values",
  "time",
]);

/**
 * The series names a PromQL expression (or a Grafana `label_values(...)`
 * variable query) selects: what is left once strings, label matchers, range
 * and grouping clauses, numbers and function names are taken out.
 */
export function seriesNames(expr: string): string[] {
  const stripped = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, " ")
    .replace(/\{[^}]*\}/g, " ")
    .replace(/\[[^\]]*\]/g, " ")
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, " ")
    // label_values(<series>, <label>): the label is not a series.
    .replace(/\blabel_values\(([^,)]*),[^)]*\)/g, " $1 ");
  return [...stripped.matchAll(/[a-zA-Z_:][a-zA-Z0-9_:]*/g)]
    .map((match) => match[0])
    .filter((word) => !PROMQL_WORDS.has(word) && !/^[0-9.e]+$/.test(word));
}

function dashboardQueries(): string[] {
  const model = JSON.parse(grafanaDashboardJson(FLEET)) as {
    panels?: { targets?: { expr?: string }[] }[];
    templating?: { list?: { type: string; query?: unknown }[] };
  };
  const panelQueries = (model.panels ?? []).flatMap((panel) =>
    (panel.targets ?? []).map((target) => target.expr ?? ""),
  );
  const variableQueries = (model.templating?.list ?? [])
    .filter((variable) => variable.type === "query")
    .map((variable) => String(variable.query));
  return [...panelQueries, ...variableQueries];
}

/**
 * The SDK's `Dashboard` type as JSON has it: string enums as their values
 * (`VariableType.Query` is `"query"` in JSON), no methods (the SDK marks query
 * variants with one), and panel targets as the SDK's Prometheus query type
 * (the SDK types them as the generic `Dataquery`, which has no `expr`).
 */
const DASHBOARD_JSON_TYPE = [
  'import type { Dashboard, Panel, RowPanel } from "@grafana/grafana-foundation-sdk/dashboard";',
  'import type { Dataquery as PrometheusQuery } from "@grafana/grafana-foundation-sdk/prometheus";',
  "type Method = (...args: never[]) => unknown;",
  "type Json<T> = T extends string ? `${T}` : T extends readonly (infer U)[] ? Json<U>[] : T extends object ? { [K in keyof T as T[K] extends Method ? never : K]: Json<T[K]> } : T;",
  'type PanelJson = Omit<Json<Panel>, "targets"> & { targets?: Json<PrometheusQuery>[] };',
  'type DashboardJson = Omit<Json<Dashboard>, "panels"> & { panels?: (PanelJson | Json<RowPanel>)[] };',
];

/** TypeScript diagnostics of `json` as a value of the SDK's `Dashboard` type, as JSON has it. */
function dashboardTypeProblems(json: string): string[] {
  const file = join(__dirname, "__grafana_dashboard_check__.ts");
  const text = [...DASHBOARD_JSON_TYPE, `export const dashboard: DashboardJson = ${json};`].join(
    "\n",
  );
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    lib: ["lib.es2022.d.ts"],
    types: [],
    skipLibCheck: true,
  };
  const host = ts.createCompilerHost(options);
  const read = host.getSourceFile.bind(host);
  host.getSourceFile = (name, version, ...rest) =>
    name === file ? ts.createSourceFile(name, text, version, true) : read(name, version, ...rest);
  const program = ts.createProgram([file], options, host);
  return ts
    .getPreEmitDiagnostics(program)
    .map((diagnostic) => ts.flattenDiagnosticMessageText(diagnostic.messageText, " "));
}

describe("Grafana dashboard", () => {
  it("is Grafana's Dashboard model, by the SDK's own type", () => {
    assert.deepEqual(dashboardTypeProblems(grafanaDashboardJson(FLEET)), []);
  });

  it("would fail the type check with a field Grafana does not have (the check can fail)", () => {
    const model = grafanaDashboard(FLEET);
    const wrongTop = JSON.stringify({ ...model, refreshEvery: "1m" });
    assert.deepEqual(dashboardTypeProblems(wrongTop), [
      `Object literal may only specify known properties, and '"refreshEvery"' does not exist in type 'DashboardJson'.`,
    ]);
    const json = grafanaDashboardJson(FLEET);
    const wrongQuery = json.replace('"legendFormat":', '"legendFormats":');
    assert.notEqual(wrongQuery, json);
    assert.equal(dashboardTypeProblems(wrongQuery).length, 1);
    assert.match(dashboardTypeProblems(wrongQuery)[0] ?? "", /'"legendFormats"' does not exist/);
  });

  it("is one dashboard per environment, filtered by host or cluster and runner", () => {
    const model = grafanaDashboard(FLEET);
    assert.equal(model.uid, "dind-runners-staging");
    assert.equal(model.title, "GitLab Runners (dind-runners staging)");
    assert.deepEqual(
      model.templating?.list?.map((variable) => variable.name),
      ["datasource", "target", "runner"],
    );
    const queries = dashboardQueries();
    assert.ok(queries.length >= 10, `${queries.length} queries`);
    for (const query of queries) {
      assert.match(query, /dind_runners_environment="staging"/, query);
    }
  });

  it("queries only series GitLab Runner exports (and Prometheus' up)", () => {
    const names = dashboardQueries().flatMap(seriesNames);
    assert.ok(names.includes("gitlab_runner_jobs"), "the scan finds series names");
    assert.deepEqual(
      names.filter((name) => !isExportedSeries(name)),
      [],
    );
  });

  it("has alert rules that query only series GitLab Runner or this project exports (and Prometheus' up)", () => {
    const exprs = [
      ...alertRuleGroups(FLEET, fleetTargets(FLEET)),
      ...operationsAlertRuleGroups(FLEET),
    ].flatMap((group) => group.rules.map((rule) => rule.expr));
    const names = exprs.flatMap(seriesNames);
    assert.ok(names.includes("gitlab_runner_failed_jobs_total"));
    assert.ok(names.includes("dind_runners_housekeeping_data_root_free_percent"));
    assert.deepEqual(
      names.filter((name) => !isExportedSeries(name) && PROJECT_METRICS[name] === undefined),
      [],
    );
    // And not the other way: a project metric name misspelt in a rule fails.
    assert.equal(isExportedSeries("dind_runners_drift_last_run_timestamp_second"), false);
    assert.equal(PROJECT_METRICS["dind_runners_drift_last_run_timestamp_second"], undefined);
  });

  it("lists exactly the metric names this project's drift and housekeeping files write", () => {
    assert.deepEqual(
      Object.keys(PROJECT_METRICS).sort(),
      [...Object.values(DRIFT_METRICS), ...Object.values(HOUSEKEEPING_METRICS)].sort(),
    );
  });

  it("reads series names out of PromQL the way the checks above rely on", () => {
    assert.deepEqual(
      seriesNames(
        'histogram_quantile(0.95, sum by (le, runner_name) (rate(gitlab_runner_job_duration_seconds_bucket{a=~"$b"}[$__rate_interval])))',
      ),
      ["gitlab_runner_job_duration_seconds_bucket"],
    );
    assert.deepEqual(seriesNames('label_values(gitlab_runner_limit{x="y"}, runner_name)'), [
      "gitlab_runner_limit",
    ]);
    assert.deepEqual(seriesNames("sum(gitlab_runner_job) >= on (a) gitlab_runner_limits"), [
      "gitlab_runner_job",
      "gitlab_runner_limits",
    ]);
    assert.equal(isExportedSeries("gitlab_runner_job"), false);
    assert.equal(isExportedSeries("gitlab_runner_job_duration_seconds"), false);
    assert.equal(isExportedSeries("gitlab_runner_job_duration_seconds_bucket"), true);
  });
});
