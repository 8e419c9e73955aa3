/**
 * A cluster that asks for Prometheus Operator objects must have a metrics
 * listener: the `PodMonitor` scrapes the manager's `metrics` container port,
 * which exists only with `listenAddress` (set on the cluster or in `defaults`).
 */
import { configError, type ConfigIssue } from "../messages/config-issue.js";
import { childPath } from "../messages/config-path.js";
import type { Salvaged } from "../schema/salvage.js";
import type { StackConfig } from "../schema/stack-config-schema.js";
import { targetsOf } from "../schema/stack-targets.js";

export function monitoringIssues(
  config: Salvaged<StackConfig>,
  prunedPaths: ReadonlySet<string>,
): readonly ConfigIssue[] {
  const defaultListener = config.defaults?.listenAddress;
  // A listener cut out as invalid is reported already and may well be the intended one.
  const listenerPruned = prunedPaths.has(childPath("defaults", "listenAddress"));
  return targetsOf(config).flatMap((entry) => {
    if (entry.variant !== "kubernetes") return [];
    if (entry.target.monitoring?.prometheusOperator !== true) return [];
    const listenerPath = childPath(entry.path, "listenAddress");
    if (listenerPruned || prunedPaths.has(listenerPath)) return [];
    if ((entry.target.listenAddress ?? defaultListener) !== undefined) return [];
    return [
      configError(
        childPath(childPath(entry.path, "monitoring"), "prometheusOperator"),
        `true needs a metrics listener, found no listenAddress on the cluster or in defaults: set ${listenerPath} (e.g. ":9252") so the PodMonitor has a metrics port to scrape`,
      ),
    ];
  });
}
