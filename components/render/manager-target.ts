/**
 * What one config.toml is rendered for: the runner manager of a Docker host or
 * of a Kubernetes cluster. The variant decides the executor of every runner in it.
 */
import type { DockerHost, KubernetesCluster } from "../model/fleet.js";

export type ManagerTarget =
  | { readonly kind: "docker"; readonly host: DockerHost }
  | { readonly kind: "kubernetes"; readonly cluster: KubernetesCluster };

/** The host or cluster itself: both carry the manager settings and the runners. */
export function targetManager(target: ManagerTarget): DockerHost | KubernetesCluster {
  switch (target.kind) {
    case "docker":
      return target.host;
    case "kubernetes":
      return target.cluster;
    default:
      return unexpectedTarget(target);
  }
}

/** How the target is named in headers and messages, e.g. `docker host build-1`. */
export function describeTarget(target: ManagerTarget): string {
  switch (target.kind) {
    case "docker":
      return `docker host ${target.host.name}`;
    case "kubernetes":
      return `kubernetes cluster ${target.cluster.name}`;
    default:
      return unexpectedTarget(target);
  }
}

/** Compile-time exhaustiveness: adding a variant breaks every switch that forgot it. */
export function unexpectedTarget(target: never): never {
  throw new Error(`unexpected manager target ${JSON.stringify(target)}`);
}
