/**
 * Walks the Docker hosts and Kubernetes clusters of a (possibly salvaged) stack
 * config and their runners, with the config path of each.
 */
import type { ExecutorVariant } from "../../model/fleet.js";
import { childPath } from "../messages/config-path.js";
import type { Salvaged } from "./salvage.js";
import type {
  DockerHostConfig,
  KubernetesClusterConfig,
  RunnerConfig,
  StackConfig,
} from "./stack-config-schema.js";

/** Config section of each executor variant. */
export const TARGET_SECTIONS = {
  docker: "dockerHosts",
  kubernetes: "kubernetesClusters",
} as const satisfies Record<ExecutorVariant, keyof StackConfig>;

export type TargetEntry =
  | {
      readonly variant: "docker";
      readonly path: string;
      readonly target: Salvaged<DockerHostConfig>;
    }
  | {
      readonly variant: "kubernetes";
      readonly path: string;
      readonly target: Salvaged<KubernetesClusterConfig>;
    };

export interface RunnerEntry {
  readonly owner: TargetEntry;
  readonly path: string;
  readonly runner: Salvaged<RunnerConfig>;
}

/** Docker hosts first, then clusters, in config order; entries cut out as invalid are skipped. */
export function targetsOf(config: Salvaged<StackConfig>): readonly TargetEntry[] {
  const entries: TargetEntry[] = [];
  (config.dockerHosts ?? []).forEach((target, index) => {
    if (target === undefined) return;
    entries.push({ variant: "docker", path: childPath(TARGET_SECTIONS.docker, index), target });
  });
  (config.kubernetesClusters ?? []).forEach((target, index) => {
    if (target === undefined) return;
    entries.push({
      variant: "kubernetes",
      path: childPath(TARGET_SECTIONS.kubernetes, index),
      target,
    });
  });
  return entries;
}

export function runnersOf(owner: TargetEntry): readonly RunnerEntry[] {
  const runnersPath = childPath(owner.path, "runners");
  return (owner.target.runners ?? []).flatMap((runner, index) =>
    runner === undefined ? [] : [{ owner, path: childPath(runnersPath, index), runner }],
  );
}

export function allRunnersOf(config: Salvaged<StackConfig>): readonly RunnerEntry[] {
  return targetsOf(config).flatMap(runnersOf);
}
