/**
 * The fleet's hosts and clusters in an order that does not depend on the
 * stack's: Docker hosts by name, then clusters by name. For outputs that list
 * every target (alerts, scrape targets, the stack picture), so reordering the
 * stack changes no rendered byte.
 */
import type { DockerHost, Fleet, KubernetesCluster, ManagerTarget } from "../model/fleet.js";
import { compareCodePoints } from "./compare-code-points.js";

export function dockerHostsByName(fleet: Fleet): readonly DockerHost[] {
  return [...fleet.dockerHosts].sort((a, b) => compareCodePoints(a.name, b.name));
}

export function targetsByName(fleet: Fleet): readonly ManagerTarget[] {
  const clusters: readonly KubernetesCluster[] = [...fleet.kubernetesClusters].sort((a, b) =>
    compareCodePoints(a.name, b.name),
  );
  return [...dockerHostsByName(fleet), ...clusters];
}
