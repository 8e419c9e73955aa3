/**
 * The fleet's Prometheus alerting rules, as plain data: one group per
 * environment, rendered as a Prometheus rules file (prometheus-rules-file.ts)
 * and, on clusters with the Prometheus Operator, as a `PrometheusRule`
 * (kubernetes-monitoring.ts). Only managers with a metrics listener are
 * covered: without `listenAddress` nothing can be scraped.
 *
 * Metric and label names are GitLab Runner's (19.x source):
 * - `gitlab_runner_jobs` {runner, runner_name, system_id, state, stage,
 *   executor_stage}: commands/builds_helper.go `numBuildsDesc`;
 * - `gitlab_runner_concurrent` (no labels) and `gitlab_runner_limit` {runner,
 *   runner_name, system_id}: commands/multi.go `concurrentDesc`, `limitDesc`;
 * - `gitlab_runner_worker_feed_failures_total` {runner, runner_name,
 *   system_id}: commands/multi.go `setupInternalMetrics`, counted by
 *   `feedRunner` when a runner has no token or is unhealthy (its requests to
 *   GitLab keep failing, commands/health_helper.go);
 * - `gitlab_runner_errors_total` {level}: helpers/prometheus/log_hook.go, one
 *   series per logrus level (`panic`, `fatal`, `error`, `warning`);
 * - `gitlab_runner_failed_jobs_total` {runner, runner_name, failure_reason,
 *   mode}: helpers/prometheus/failures_collector.go; `runner_system_failure`
 *   is common/network.go `RunnerSystemFailure` (e.g. no Docker daemon);
 * - `gitlab_runner_api_request_statuses_total` {runner, system_id, endpoint,
 *   status, method}: network/api_requests_collector.go; `request_job` is
 *   `apiEndpointRequestJob`. GitLab answers 403 to a job request with an
 *   unknown, revoked or expired runner token.
 *
 * GitLab Runner exports no metric of when a token expires (config.toml's
 * `token_expires_at` is not exported) and nothing about the Docker host's
 * disk: those rules read this project's own metrics (operations-alert-rules.ts).
 */
import type { Fleet, ManagerTarget } from "../model/fleet.js";
import { TARGET_LABELS } from "./prometheus-target-labels.js";

export type AlertSeverity = "critical" | "warning";

/** One alerting rule, with the keys of Prometheus' rule format. */
export interface AlertRule {
  readonly alert: string;
  readonly expr: string;
  /** How long the condition must hold before the alert fires. */
  readonly for: string;
  /** `severity`, and the host or cluster where the expression cannot carry it (`absent`). */
  readonly labels: {
    readonly severity: AlertSeverity;
    readonly [TARGET_LABELS.target]?: string;
  };
  readonly annotations: {
    /** One line naming the environment and the host or cluster. */
    readonly summary: string;
    /** What it means and what to do. */
    readonly description: string;
    /** Where the runbook is: a heading of docs/troubleshooting.md in this repository. */
    readonly runbook: string;
  };
}

export interface AlertRuleGroup {
  readonly name: string;
  readonly rules: readonly AlertRule[];
}

/** The troubleshooting page holding one `### \`<alert>\`` runbook per alert. */
export const RUNBOOK_PAGE = "docs/troubleshooting.md";

const ENV = TARGET_LABELS.environment;
const TARGET = TARGET_LABELS.target;
/** How the summaries name where an alert comes from. */
export const WHERE = `{{ $labels.${TARGET} }} ({{ $labels.${ENV} }})`;

/** Whether a target's manager serves metrics at all. */
export function hasMetricsListener(target: ManagerTarget): boolean {
  return target.manager.listenAddress !== undefined;
}

/**
 * The rules for `targets` (all of the fleet's for the rules file, one
 * cluster's for its PrometheusRule); no group when none serves metrics.
 */
export function alertRuleGroups(
  fleet: Fleet,
  targets: readonly ManagerTarget[],
): readonly AlertRuleGroup[] {
  const scraped = targets.filter(hasMetricsListener);
  if (scraped.length === 0) return [];
  const env = `${ENV}=${JSON.stringify(fleet.environment)}`;
  return [
    {
      name: `dind-runners-${fleet.environment}`,
      rules: [
        rule("DindRunnersManagerDown", "critical", "5m", `up{${env}} == 0`, {
          summary: `GitLab Runner manager on ${WHERE} is down`,
          description: `Prometheus has not been able to scrape {{ $labels.instance }} for 5 minutes: the manager process or its host is down and its runners take no jobs. Check the manager container (Docker host) or pod (cluster) and its logs.`,
        }),
        ...scraped.map((target) =>
          rule(
            "DindRunnersManagerNotScraped",
            "critical",
            "10m",
            `absent(up{${env},${TARGET}=${JSON.stringify(target.name)}})`,
            {
              target: target.name,
              summary: `GitLab Runner manager on ${target.name} (${fleet.environment}) is not scraped`,
              description: `Prometheus has no scrape target for the manager of ${target.variant === "docker" ? "Docker host" : "cluster"} ${target.name}: nobody would notice it going down. Check the file-SD target list or the PodMonitor.`,
            },
          ),
        ),
        rule(
          "DindRunnersAllSlotsBusy",
          "warning",
          "15m",
          `sum by (${ENV}, ${TARGET}) (gitlab_runner_jobs{${env}}) >= on (${ENV}, ${TARGET}) gitlab_runner_concurrent{${env}}`,
          {
            summary: `Every job slot of ${WHERE} has been busy for 15 minutes`,
            description: `The manager runs as many jobs as its concurrent setting allows, so new jobs queue in GitLab. Raise concurrent if the host has room, or add a host or cluster.`,
          },
        ),
        rule(
          "DindRunnersRunnerLimitReached",
          "warning",
          "15m",
          `sum by (${ENV}, ${TARGET}, runner_name) (gitlab_runner_jobs{${env}}) >= on (${ENV}, ${TARGET}, runner_name) (gitlab_runner_limit{${env}} > 0)`,
          {
            summary: `Runner {{ $labels.runner_name }} on ${WHERE} has been at its limit for 15 minutes`,
            description: `The runner runs as many jobs as its limit allows, so jobs for its tags queue in GitLab. Raise its limit (within concurrent) or give another runner the same tags.`,
          },
        ),
        rule(
          "DindRunnersErrorsRising",
          "warning",
          "10m",
          `increase(gitlab_runner_errors_total{${env},level=~"error|fatal|panic"}[15m]) > 10`,
          {
            summary: `GitLab Runner manager on ${WHERE} logs errors`,
            description: `More than 10 errors (level {{ $labels.level }}) in the last 15 minutes. Read the manager's log for what fails.`,
          },
        ),
        rule(
          "DindRunnersWorkerFeedFailures",
          "warning",
          "15m",
          `increase(gitlab_runner_worker_feed_failures_total{${env}}[15m]) > 0`,
          {
            summary: `Runner {{ $labels.runner_name }} on ${WHERE} does not ask GitLab for jobs`,
            description: `The manager skips the runner: it has no token, or its requests to GitLab keep failing. Check the runner's token and that the host reaches GitLab.`,
          },
        ),
        rule(
          "DindRunnersSystemFailures",
          "critical",
          "5m",
          `increase(gitlab_runner_failed_jobs_total{${env},failure_reason="runner_system_failure"}[30m]) >= 3`,
          {
            summary: `Jobs of runner {{ $labels.runner_name }} on ${WHERE} fail with system failures`,
            description: `At least 3 jobs failed with runner_system_failure in 30 minutes: the runner cannot start job containers or pods (a missing Docker daemon, an image pull, the Kubernetes API). Read the job logs and the manager's log.`,
          },
        ),
        rule(
          "DindRunnersTokenRefused",
          "critical",
          "10m",
          `increase(gitlab_runner_api_request_statuses_total{${env},endpoint="request_job",status="403"}[10m]) > 0`,
          {
            summary: `GitLab refuses the token of runner {{ $labels.runner }} on ${WHERE}`,
            description: `GitLab answers 403 to the runner's job requests: its token expired, was revoked or reset, or the runner was deleted. It takes no jobs until it has a valid token.`,
          },
        ),
      ],
    },
  ];
}

/** One rule with its runbook link (docs/troubleshooting.md#<alert>) appended to the description. */
export function rule(
  alert: string,
  severity: AlertSeverity,
  forDuration: string,
  expr: string,
  text: {
    readonly summary: string;
    readonly description: string;
    /** The host or cluster, as a label: for rules whose expression has no series to carry it. */
    readonly target?: string;
  },
): AlertRule {
  const runbook = `${RUNBOOK_PAGE}#${alert.toLowerCase()}`;
  return {
    alert,
    expr,
    for: forDuration,
    labels: { severity, ...(text.target === undefined ? {} : { [TARGET]: text.target }) },
    annotations: {
      summary: text.summary,
      description: `${text.description} Runbook: ${runbook} in the dind-runners repository.`,
      runbook,
    },
  };
}
