/**
 * Checks of each cluster's job pod settings as they resolve (cluster, then
 * `defaults`, then built-in), reported at the cluster's path with the place
 * each value was set:
 * - a limit below its request: the API server refuses such a pod ("must be
 *   less than or equal to ... limit"), so every job of the cluster would fail;
 * - two tolerations with the same key and value: GitLab Runner keys
 *   `node_tolerations` by `key=value`, so one would silently replace the other;
 * - container ephemeral-storage limits that add up to less than dind's storage
 *   size limit: the kubelet evicts a pod whose disk use, emptyDir volumes
 *   included, exceeds the sum of its containers' limits, so jobs would be
 *   evicted before dind's volume is full.
 */
import { DEFAULTS } from "../../model/defaults.js";
import type { ContainerResources } from "../../model/fleet.js";
import { configError, configWarning, type ConfigIssue } from "../messages/config-issue.js";
import { childPath } from "../messages/config-path.js";
import { quoted } from "../messages/describe-value.js";
import type { JobPodsConfig } from "../schema/job-pod-schemas.js";
import {
  addQuantities,
  compareQuantities,
  parseQuantity,
  type Quantity,
} from "../grammars/kubernetes-quantity.js";
import type { Salvaged } from "../schema/salvage.js";
import type { StackConfig } from "../schema/stack-config-schema.js";
import { targetsOf } from "../schema/stack-targets.js";

const CONTAINERS = ["build", "helper", "services"] as const;
type ContainerKind = (typeof CONTAINERS)[number];

const RESOURCES = [
  { name: "CPU", request: "cpuRequest", limit: "cpuLimit" },
  { name: "memory", request: "memoryRequest", limit: "memoryLimit" },
  {
    name: "ephemeral-storage",
    request: "ephemeralStorageRequest",
    limit: "ephemeralStorageLimit",
  },
] as const satisfies readonly {
  name: string;
  request: keyof ContainerResources;
  limit: keyof ContainerResources;
}[];

/** A resolved value and the config path that set it (absent: the built-in default). */
interface Resolved {
  readonly text: string;
  readonly quantity: Quantity;
  readonly setAt?: string;
}

interface JobPodLevel {
  readonly path: string;
  readonly settings: Salvaged<JobPodsConfig> | undefined;
}

export function jobPodIssues(
  config: Salvaged<StackConfig>,
  prunedPaths: ReadonlySet<string>,
): readonly ConfigIssue[] {
  return targetsOf(config).flatMap((entry) => {
    if (entry.variant !== "kubernetes") return [];
    const path = childPath(entry.path, "jobPods");
    const levels: readonly JobPodLevel[] = [
      { path, settings: entry.target.jobPods },
      { path: childPath("defaults", "jobPods"), settings: config.defaults?.jobPods },
    ];
    if (levels.some((level) => prunedPaths.has(level.path))) return [];
    return [
      ...limitBelowRequestIssues(path, levels, prunedPaths),
      ...duplicateTolerationIssues(levels),
      ...evictedBeforeStorageLimit(path, levels, prunedPaths),
    ];
  });
}

/** The value of `jobPods.<container>.<field>` as it resolves, or undefined when unset or invalid. */
function resolvedResource(
  levels: readonly JobPodLevel[],
  container: ContainerKind,
  field: keyof ContainerResources,
  prunedPaths: ReadonlySet<string>,
): Resolved | undefined {
  for (const level of levels) {
    const fieldPath = childPath(childPath(level.path, container), field);
    if (prunedPaths.has(childPath(level.path, container)) || prunedPaths.has(fieldPath)) {
      return undefined;
    }
    const text = level.settings?.[container]?.[field];
    if (text !== undefined) return withQuantity(text, fieldPath);
  }
  const builtIn: ContainerResources = DEFAULTS.kubernetes.jobPods[container];
  const text = builtIn[field];
  return text === undefined ? undefined : withQuantity(text, undefined);
}

function withQuantity(text: string, setAt: string | undefined): Resolved | undefined {
  const quantity = parseQuantity(text);
  if (quantity === undefined) return undefined;
  return setAt === undefined ? { text, quantity } : { text, quantity, setAt };
}

/** ` (set at <path>)`, ` (the built-in default)`, or nothing when set where reported. */
function origin(value: Resolved, reportedAt: string): string {
  if (value.setAt === undefined) return " (the built-in default)";
  return value.setAt === reportedAt ? "" : ` (set at ${value.setAt})`;
}

function limitBelowRequestIssues(
  path: string,
  levels: readonly JobPodLevel[],
  prunedPaths: ReadonlySet<string>,
): ConfigIssue[] {
  return CONTAINERS.flatMap((container) =>
    RESOURCES.flatMap((resource) => {
      const request = resolvedResource(levels, container, resource.request, prunedPaths);
      const limit = resolvedResource(levels, container, resource.limit, prunedPaths);
      if (request === undefined || limit === undefined) return [];
      if (compareQuantities(limit.quantity, request.quantity) >= 0) return [];
      const at = childPath(childPath(path, container), resource.limit);
      return [
        configError(
          at,
          `${resource.name} limit ${quoted(limit.text)}${origin(limit, at)} is below the ${resource.name} request ` +
            `${quoted(request.text)}${origin(request, at)} of the ${container} container${container === "services" ? "s" : ""}: ` +
            "Kubernetes refuses a pod whose limit is below its request, so every job would fail to start; " +
            "raise the limit or lower the request",
        ),
      ];
    }),
  );
}

function duplicateTolerationIssues(levels: readonly JobPodLevel[]): ConfigIssue[] {
  return levels.flatMap((level) => {
    const seen = new Map<string, number>();
    return (level.settings?.tolerations ?? []).flatMap((toleration, index) => {
      if (toleration?.key === undefined) return [];
      const mapKey =
        toleration.value === undefined ? toleration.key : `${toleration.key}=${toleration.value}`;
      const first = seen.get(mapKey);
      if (first === undefined) {
        seen.set(mapKey, index);
        return [];
      }
      const tolerationsPath = childPath(level.path, "tolerations");
      return [
        configError(
          childPath(tolerationsPath, index),
          `expected one toleration per key and value, found ${quoted(mapKey)} again (first at ` +
            `${childPath(tolerationsPath, first)}): GitLab Runner keys node_tolerations by key=value, ` +
            "so only one of them would apply",
        ),
      ];
    });
  });
}

function evictedBeforeStorageLimit(
  path: string,
  levels: readonly JobPodLevel[],
  prunedPaths: ReadonlySet<string>,
): ConfigIssue[] {
  const limits = CONTAINERS.map((container) =>
    resolvedResource(levels, container, "ephemeralStorageLimit", prunedPaths),
  );
  const storage = resolvedStorageLimit(levels, prunedPaths);
  const set = limits.filter((limit) => limit !== undefined);
  // Without any container limit the kubelet has no pod-level ephemeral-storage limit.
  if (storage === undefined || set.length === 0) return [];
  const total = addQuantities(set.map((limit) => limit.quantity));
  if (compareQuantities(total, storage.quantity) >= 0) return [];
  const at = childPath(path, "dindStorageSizeLimit");
  const parts = CONTAINERS.flatMap((container, index) => {
    const limit = limits[index];
    return limit === undefined ? [] : [`${container} ${limit.text}${origin(limit, at)}`];
  });
  return [
    configWarning(
      at,
      `dind storage size limit ${quoted(storage.text)}${origin(storage, at)} is above the sum of the ` +
        `containers' ephemeral-storage limits (${parts.join(", ")}): the kubelet evicts a job pod once ` +
        "its disk use, this volume included, exceeds that sum, so jobs are evicted before dind's " +
        "storage is full; raise jobPods.services.ephemeralStorageLimit",
    ),
  ];
}

function resolvedStorageLimit(
  levels: readonly JobPodLevel[],
  prunedPaths: ReadonlySet<string>,
): Resolved | undefined {
  for (const level of levels) {
    const fieldPath = childPath(level.path, "dindStorageSizeLimit");
    if (prunedPaths.has(fieldPath)) return undefined;
    const text = level.settings?.dindStorageSizeLimit;
    if (text !== undefined) return withQuantity(text, fieldPath);
  }
  return withQuantity(DEFAULTS.kubernetes.jobPods.dindStorageSizeLimit, undefined);
}
