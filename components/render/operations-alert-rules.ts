/**
 * Alerting rules on this project's own metrics, which come from outside the
 * runner managers (docs/observability.md "This project's own metrics"):
 * - `npm run drift --metrics-file` (drift/drift-metrics.ts): when each managed
 *   runner's token expires, and when the drift check last ran;
 * - the Docker hosts' housekeeping (housekeeping-script.ts), a file in its
 *   state directory for node_exporter's textfile collector: free space of the
 *   engine's data root against the floor it enforces.
 * One group per environment, in the Prometheus rules file only: neither
 * source is part of a cluster, so no PrometheusRule carries them.
 */
import { DRIFT_METRICS } from "../drift/drift-metrics.js";
import type { Fleet } from "../model/fleet.js";
import { HOUSEKEEPING_METRICS } from "./housekeeping-metrics.js";
import { rule, WHERE, type AlertRuleGroup } from "./alert-rules.js";
import { TARGET_LABELS } from "./prometheus-target-labels.js";

const DAY_SECONDS = 86400;
/** A token expiring within this many days warns (as the drift report's own window does by default). */
export const TOKEN_WARNING_DAYS = 14;
/** ... and within this many days is critical. */
export const TOKEN_CRITICAL_DAYS = 3;
/** The drift job is expected at least daily; this much silence means it stopped. */
export const DRIFT_STALE_DAYS = 2;

export function operationsAlertRuleGroups(fleet: Fleet): readonly AlertRuleGroup[] {
  const env = `${TARGET_LABELS.environment}=${JSON.stringify(fleet.environment)}`;
  const environment = `{{ $labels.${TARGET_LABELS.environment} }}`;
  const expiresIn = `${DRIFT_METRICS.tokenExpires}{${env}} - time()`;
  const withHousekeeping = fleet.dockerHosts.some((host) => host.housekeeping !== undefined);
  const tokenText = (days: number): string =>
    `The runner's authentication token expires within ${days} days (${DRIFT_METRICS.tokenExpires}, written by npm run drift --metrics-file); once it has, GitLab refuses the runner and it takes no jobs. Rotate it: docs/operations.md "Token expiry and rotation".`;
  return [
    {
      name: `dind-runners-${fleet.environment}-operations`,
      rules: [
        rule(
          "DindRunnersTokenExpiring",
          "warning",
          "1h",
          // Up to the critical window: from there the critical alert takes over.
          `${expiresIn} < ${TOKEN_WARNING_DAYS} * ${DAY_SECONDS} > ${TOKEN_CRITICAL_DAYS} * ${DAY_SECONDS}`,
          {
            summary: `The token of runner {{ $labels.runner }} on ${WHERE} expires within ${TOKEN_WARNING_DAYS} days`,
            description: tokenText(TOKEN_WARNING_DAYS),
          },
        ),
        rule(
          "DindRunnersTokenExpiryImminent",
          "critical",
          "10m",
          `${expiresIn} <= ${TOKEN_CRITICAL_DAYS} * ${DAY_SECONDS}`,
          {
            summary: `The token of runner {{ $labels.runner }} on ${WHERE} expires within ${TOKEN_CRITICAL_DAYS} days or has expired`,
            description: tokenText(TOKEN_CRITICAL_DAYS),
          },
        ),
        rule(
          "DindRunnersDriftCheckStale",
          "warning",
          "10m",
          `time() - ${DRIFT_METRICS.lastRun}{${env}} > ${DRIFT_STALE_DAYS} * ${DAY_SECONDS}`,
          {
            summary: `The drift check of environment ${environment} has not run for ${DRIFT_STALE_DAYS} days`,
            description: `npm run drift --metrics-file has not written its file for more than ${DRIFT_STALE_DAYS} days, so drift and token expiry go unnoticed (the token series keep their last values). Check the scheduled drift job.`,
          },
        ),
        ...(withHousekeeping
          ? [
              rule(
                "DindRunnersDiskBelowFloor",
                "critical",
                "15m",
                `${HOUSEKEEPING_METRICS.freePercent}{${env}} < ${HOUSEKEEPING_METRICS.minFreePercent}{${env}}`,
                {
                  summary: `The Docker data root of ${WHERE} has less free space than the housekeeping's floor`,
                  description: `For 15 minutes the free space of the engine's data root has stayed below housekeeping.minFreePercent although the housekeeping removes the oldest runner objects first: what fills the disk is not GitLab Runner's (or is in use). Find what uses the space with docker system df on the host.`,
                },
              ),
            ]
          : []),
      ],
    },
  ];
}
