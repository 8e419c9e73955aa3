/**
 * The Prometheus metrics this project exports itself, next to GitLab
 * Runner's (gitlab-runner-metrics.ts): the drift job's file
 * (components/drift/drift-metrics.ts) and the housekeeping's
 * (components/render/housekeeping-metrics.ts, written by
 * housekeeping-script.ts). test/render/grafana-dashboard.test.ts checks that
 * these equal the names the code writes.
 */
import type { ExportedMetric } from "./gitlab-runner-metrics.js";

export const PROJECT_METRICS: Readonly<Record<string, ExportedMetric>> = {
  dind_runners_drift_last_run_timestamp_seconds: {
    type: "gauge",
    source: "components/drift/drift-metrics.ts DRIFT_METRICS.lastRun",
  },
  dind_runners_drift_status: {
    type: "gauge",
    source: "components/drift/drift-metrics.ts DRIFT_METRICS.status",
  },
  dind_runners_runner_token_expires_timestamp_seconds: {
    type: "gauge",
    source: "components/drift/drift-metrics.ts DRIFT_METRICS.tokenExpires",
  },
  dind_runners_housekeeping_data_root_free_bytes: {
    type: "gauge",
    source: "components/render/housekeeping-metrics.ts HOUSEKEEPING_METRICS.freeBytes",
  },
  dind_runners_housekeeping_data_root_size_bytes: {
    type: "gauge",
    source: "components/render/housekeeping-metrics.ts HOUSEKEEPING_METRICS.sizeBytes",
  },
  dind_runners_housekeeping_data_root_free_percent: {
    type: "gauge",
    source: "components/render/housekeeping-metrics.ts HOUSEKEEPING_METRICS.freePercent",
  },
  dind_runners_housekeeping_min_free_percent: {
    type: "gauge",
    source: "components/render/housekeeping-metrics.ts HOUSEKEEPING_METRICS.minFreePercent",
  },
  dind_runners_housekeeping_removed_total: {
    type: "counter",
    source: "components/render/housekeeping-metrics.ts HOUSEKEEPING_METRICS.removed",
  },
  dind_runners_housekeeping_last_pass_timestamp_seconds: {
    type: "gauge",
    source: "components/render/housekeeping-metrics.ts HOUSEKEEPING_METRICS.lastPass",
  },
};
