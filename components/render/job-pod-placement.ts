/**
 * Where job pods run: the cluster's node selector and tolerations, as GitLab
 * Runner's config.toml keys (for job pods) and as pod spec fields (for the
 * overlay-module DaemonSet, which must run on the same nodes).
 */
import type { JobPodSettings, Toleration } from "../model/fleet.js";
import type { PodToleration } from "./kubernetes-manifest-types.js";

/** `node_selector` / `nodeSelector`: label key -> value, sorted by key. */
export function nodeSelectorLabels(jobPods: JobPodSettings): Record<string, string> {
  return Object.fromEntries(jobPods.nodeSelector.map((label) => [label.key, label.value]));
}

/**
 * `node_tolerations`: `key=value` (operator Equal) or `key` (operator
 * Exists) -> the effect, empty for every effect (gitlab-runner
 * common/config.go KubernetesConfig.GetNodeTolerations).
 */
export function nodeTolerationsToml(tolerations: readonly Toleration[]): Record<string, string> {
  return Object.fromEntries(
    tolerations.map((toleration) => [
      toleration.value === undefined ? toleration.key : `${toleration.key}=${toleration.value}`,
      toleration.effect ?? "",
    ]),
  );
}

/** The same tolerations as pod spec `tolerations`, the way GitLab Runner builds them for job pods. */
export function podTolerations(tolerations: readonly Toleration[]): PodToleration[] {
  return tolerations.map((toleration) => ({
    key: toleration.key,
    operator: toleration.value === undefined ? "Exists" : "Equal",
    ...(toleration.value === undefined ? {} : { value: toleration.value }),
    ...(toleration.effect === undefined ? {} : { effect: toleration.effect }),
  }));
}
