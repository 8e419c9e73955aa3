/**
 * How a runner manager's target (a Docker host or a Kubernetes cluster, see
 * `ManagerTarget` in model/fleet.ts) is named in headers, messages and reports.
 */
import type { ExecutorVariant } from "../model/fleet.js";

/** The noun of each variant in text meant for people. */
const VARIANT_NOUNS = {
  docker: "docker host",
  kubernetes: "kubernetes cluster",
} as const satisfies Record<ExecutorVariant, string>;

/** How the target is named in headers and messages, e.g. `docker host build-1`. */
export function describeTarget(target: {
  readonly variant: ExecutorVariant;
  readonly name: string;
}): string {
  return `${VARIANT_NOUNS[target.variant]} ${target.name}`;
}

/** Compile-time exhaustiveness: adding a variant breaks every switch that forgot it. */
export function unexpectedTarget(target: never): never {
  throw new Error(`unexpected manager target ${JSON.stringify(target)}`);
}
