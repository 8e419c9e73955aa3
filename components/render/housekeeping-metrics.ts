/**
 * The metrics a Docker host's housekeeping writes after each pass to
 * `metrics.prom` in its state directory (`<hostConfigDir>/housekeeping/` on
 * the host), for node_exporter's textfile collector (docs/observability.md):
 * its view of the engine's data root and what it removed. Each series carries
 * `dind_runners_environment` and `dind_runners_target` like the managers'.
 */

export const HOUSEKEEPING_METRICS = {
  freeBytes: "dind_runners_housekeeping_data_root_free_bytes",
  sizeBytes: "dind_runners_housekeeping_data_root_size_bytes",
  freePercent: "dind_runners_housekeeping_data_root_free_percent",
  minFreePercent: "dind_runners_housekeeping_min_free_percent",
  removed: "dind_runners_housekeeping_removed_total",
  lastPass: "dind_runners_housekeeping_last_pass_timestamp_seconds",
} as const;

/** The file's name in the state directory; node_exporter reads `*.prom` files. */
export const HOUSEKEEPING_METRICS_FILE = "metrics.prom";

/** `# HELP` text of each metric; no `'`: the script prints it from inside a quoted awk program. */
export const HOUSEKEEPING_METRICS_HELP: Readonly<
  Record<keyof typeof HOUSEKEEPING_METRICS, string>
> = {
  freeBytes:
    "Bytes available to the Docker engine on its data root, as the housekeeping last saw them.",
  sizeBytes: "Size in bytes of the file system holding the data root of the Docker engine.",
  freePercent: "Share of the file system of the data root available, in percent.",
  minFreePercent: "The floor of free space in percent (housekeeping.minFreePercent; 0: off).",
  removed: "GitLab Runner objects the housekeeping removed, by kind (container, volume, image).",
  lastPass: "When the last pass of the housekeeping ended (Unix time).",
};
