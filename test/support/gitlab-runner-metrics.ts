/**
 * The Prometheus metrics GitLab Runner exports, read from its source
 * (gitlab-org/gitlab-runner, main as of 2026-08, commit d79f3e7; the names
 * used by the alerts and the dashboard are the same in 19.x), with the file
 * and the declaration that defines each: every `prometheus.NewDesc` and every
 * `Name:` of a `prometheus.*Opts` outside tests. Histograms are listed by
 * their base name: Prometheus exposes `<name>_bucket`, `<name>_sum` and
 * `<name>_count` for each.
 */

export type MetricType = "counter" | "gauge" | "histogram";

export interface ExportedMetric {
  readonly type: MetricType;
  /** `<file> <declaration>` in GitLab Runner's source. */
  readonly source: string;
}

export const GITLAB_RUNNER_METRICS: Readonly<Record<string, ExportedMetric>> = {
  gitlab_runner_concurrent: { type: "gauge", source: "commands/multi.go concurrentDesc" },
  gitlab_runner_limit: { type: "gauge", source: "commands/multi.go limitDesc" },
  gitlab_runner_worker_feeds_total: {
    type: "counter",
    source: "commands/multi.go setupInternalMetrics",
  },
  gitlab_runner_worker_feed_failures_total: {
    type: "counter",
    source: "commands/multi.go setupInternalMetrics",
  },
  gitlab_runner_worker_slots_number: {
    type: "gauge",
    source: "commands/multi.go setupInternalMetrics",
  },
  gitlab_runner_worker_slot_operations_total: {
    type: "counter",
    source: "commands/multi.go setupInternalMetrics",
  },
  gitlab_runner_worker_processing_failures_total: {
    type: "counter",
    source: "commands/multi.go setupInternalMetrics",
  },
  gitlab_runner_worker_health_check_failures_total: {
    type: "counter",
    source: "commands/health_helper.go newHealthHelper",
  },
  gitlab_runner_jobs: { type: "gauge", source: "commands/builds_helper.go numBuildsDesc" },
  gitlab_runner_request_concurrency: {
    type: "gauge",
    source: "commands/builds_helper.go requestConcurrencyDesc",
  },
  gitlab_runner_request_concurrency_exceeded_total: {
    type: "counter",
    source: "commands/builds_helper.go requestConcurrencyExceededDesc",
  },
  gitlab_runner_request_concurrency_hard_limit: {
    type: "gauge",
    source: "commands/builds_helper.go requestConcurrencyHardLimitDesc",
  },
  gitlab_runner_request_concurrency_adaptive_limit: {
    type: "gauge",
    source: "commands/builds_helper.go requestConcurrencyAdaptiveLimitDesc",
  },
  gitlab_runner_request_concurrency_used_limit: {
    type: "gauge",
    source: "commands/builds_helper.go requestConcurrencyUsedLimitDesc",
  },
  gitlab_runner_jobs_total: {
    type: "counter",
    source: "commands/builds_helper.go newBuildsHelper",
  },
  gitlab_runner_job_execution_mode_total: {
    type: "counter",
    source: "commands/builds_helper.go newBuildsHelper",
  },
  gitlab_runner_job_duration_seconds: {
    type: "histogram",
    source: "commands/builds_helper.go newBuildsHelper",
  },
  gitlab_runner_job_queue_duration_seconds: {
    type: "histogram",
    source: "commands/builds_helper.go newBuildsHelper",
  },
  gitlab_runner_job_queue_size: {
    type: "gauge",
    source: "commands/builds_helper.go newBuildsHelper",
  },
  gitlab_runner_job_queue_depth: {
    type: "gauge",
    source: "commands/builds_helper.go newBuildsHelper",
  },
  gitlab_runner_acceptable_job_queuing_duration_exceeded_total: {
    type: "counter",
    source: "commands/builds_helper.go newBuildsHelper",
  },
  gitlab_runner_job_stage_duration_seconds: {
    type: "histogram",
    source: "commands/builds_helper.go newBuildsHelper",
  },
  gitlab_runner_configuration_loading_error_total: {
    type: "counter",
    source: "commands/internal/configfile/metrics.go newConfigAccessCollector",
  },
  gitlab_runner_configuration_loaded_total: {
    type: "counter",
    source: "commands/internal/configfile/metrics.go newConfigAccessCollector",
  },
  gitlab_runner_configuration_saving_error_total: {
    type: "counter",
    source: "commands/internal/configfile/metrics.go newConfigAccessCollector",
  },
  gitlab_runner_configuration_saved_total: {
    type: "counter",
    source: "commands/internal/configfile/metrics.go newConfigAccessCollector",
  },
  gitlab_runner_process_state_info: {
    type: "gauge",
    source:
      "commands/internal/process_state/tracker.go (Namespace gitlab_runner, Subsystem process_state, Name info)",
  },
  gitlab_runner_errors_total: {
    type: "counter",
    source: "helpers/prometheus/log_hook.go numErrorsDesc",
  },
  gitlab_runner_failed_jobs_total: {
    type: "counter",
    source: "helpers/prometheus/failures_collector.go numJobFailuresDesc",
  },
  gitlab_runner_api_request_statuses_total: {
    type: "counter",
    source: "network/api_requests_collector.go newAPIRequestCollectorWithBuckets",
  },
  gitlab_runner_api_request_duration_seconds: {
    type: "histogram",
    source: "network/api_requests_collector.go newAPIRequestCollectorWithBuckets",
  },
  gitlab_runner_api_request_retries_total: {
    type: "counter",
    source: "network/api_requests_collector.go newAPIRequestCollectorWithBuckets",
  },
  gitlab_runner_version_info: { type: "gauge", source: "common/version.go NewMetricsCollector" },
  gitlab_runner_job_inputs_interpolations_total: {
    type: "counter",
    source: "common/spec/inputs_metrics.go",
  },
  gitlab_runner_job_inputs_interpolation_failures_total: {
    type: "counter",
    source: "common/spec/inputs_metrics.go",
  },
};

/**
 * Series Prometheus itself records for every scrape target, next to what the
 * target exports (prometheus scrape/scrape.go `scrapeHealthMetricName`, ...).
 */
export const PROMETHEUS_TARGET_SERIES: readonly string[] = ["up"];

/** Whether a series name is one a scraped GitLab Runner manager has. */
export function isExportedSeries(name: string): boolean {
  if (PROMETHEUS_TARGET_SERIES.includes(name)) return true;
  if (GITLAB_RUNNER_METRICS[name] !== undefined)
    return GITLAB_RUNNER_METRICS[name].type !== "histogram";
  const histogram = /^(.*)_(bucket|sum|count)$/.exec(name)?.[1];
  return histogram !== undefined && GITLAB_RUNNER_METRICS[histogram]?.type === "histogram";
}
