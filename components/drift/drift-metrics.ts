/**
 * What `npm run drift --metrics-file` writes: the drift check's result as
 * Prometheus metrics, for node_exporter's textfile collector or a push to a
 * Pushgateway from the scheduled drift job (docs/observability.md). GitLab
 * Runner exports no metric of when a runner's token expires; the drift check
 * knows it from the stack's state (`tokenExpiresAt`), so the token-expiry
 * alerts read it from here. Pure: `now` is the time of the run.
 */
import { fleetTargets, type Fleet } from "../model/fleet.js";
import { TARGET_LABELS } from "../render/prometheus-target-labels.js";
import { prometheusText, type MetricFamily } from "../metrics/prometheus-text.js";
import { driftExitCode, driftResult, type DriftReport, type DriftResult } from "./drift-report.js";

/** The metric names, as the alert rules use them. */
export const DRIFT_METRICS = {
  tokenExpires: "dind_runners_runner_token_expires_timestamp_seconds",
  lastRun: "dind_runners_drift_last_run_timestamp_seconds",
  status: "dind_runners_drift_status",
} as const;

const RESULTS: readonly DriftResult[] = ["in-sync", "drift", "incomplete"];

export function driftMetricsText(fleet: Fleet, report: DriftReport, now: Date): string {
  const environment = { [TARGET_LABELS.environment]: fleet.environment };
  const result = driftResult(driftExitCode(report));
  const runners = report.gitlab?.status === "checked" ? report.gitlab.runners : [];
  const families: MetricFamily[] = [
    {
      name: DRIFT_METRICS.lastRun,
      help: "When npm run drift last ran for the environment (Unix time).",
      type: "gauge",
      samples: [{ labels: environment, value: now.getTime() / 1000 }],
    },
    {
      name: DRIFT_METRICS.status,
      help: "The last drift check's result: 1 for the result it had (in-sync, drift or incomplete), 0 for the others.",
      type: "gauge",
      samples: RESULTS.map((each) => ({
        labels: { ...environment, result: each },
        value: each === result ? 1 : 0,
      })),
    },
    {
      name: DRIFT_METRICS.tokenExpires,
      help: "When the runner's authentication token expires (Unix time), from the stack's state; absent when it never expires or the state does not say.",
      type: "gauge",
      samples: runners.flatMap((check) => {
        const expires = check.tokenExpiresAt == null ? NaN : Date.parse(check.tokenExpiresAt);
        const target = targetOf(fleet, check.name);
        if (Number.isNaN(expires) || target === undefined) return [];
        return [
          {
            labels: { ...environment, [TARGET_LABELS.target]: target, runner: check.name },
            value: expires / 1000,
          },
        ];
      }),
    },
  ];
  return prometheusText(families);
}

/** The Docker host or cluster serving the runner (runner names are unique in a stack). */
function targetOf(fleet: Fleet, runnerName: string): string | undefined {
  return fleetTargets(fleet).find((target) =>
    target.runners.some((runner) => runner.name === runnerName),
  )?.name;
}
