/**
 * The Prometheus labels that say which environment and which Docker host or
 * cluster a scraped series comes from. Both ways of scraping put the same two
 * on every target, so alerts and the dashboard need no per-variant queries:
 * - on Kubernetes the PodMonitor copies the pod labels `dind-runners.environment`
 *   and `dind-runners.target` (`podTargetLabels`); the Prometheus Operator
 *   names the copies after the pod labels with every character outside
 *   `[a-zA-Z0-9_]` replaced by `_` (prometheus-operator pkg/prometheus/promcfg.go,
 *   `sanitizeLabelName`);
 * - on Docker hosts the file-SD target list sets them itself.
 */
import { LABELS } from "../model/names.js";

/** `dind-runners.environment` -> `dind_runners_environment`, as the Prometheus Operator does. */
export function prometheusLabelName(podLabel: string): string {
  return podLabel.replace(/[^a-zA-Z0-9_]/g, "_");
}

/** Spelled out, so rule labels can be typed by them; equal to {@link prometheusLabelName} of the pod labels (tested). */
export const TARGET_LABELS = {
  /** The environment (stack) name. */
  environment: "dind_runners_environment",
  /** The Docker host or cluster name. */
  target: "dind_runners_target",
} as const;

/** The pod labels a PodMonitor copies onto its targets (they become {@link TARGET_LABELS}). */
export const POD_TARGET_LABELS = [LABELS.environment, LABELS.target] as const;
