/**
 * Names and labels of every object this product creates in a cluster. The
 * labels say who manages an object, for which environment and cluster, and
 * what it does, so `kubectl get all -l app.kubernetes.io/managed-by=dind-runners`
 * lists everything and drift detection can tell our objects from others.
 */
import type { Fleet, KubernetesCluster } from "../model/fleet.js";
import { LABELS, MANAGED_BY, ROLES } from "../model/names.js";
import type { ObjectMeta } from "./kubernetes-manifest-types.js";

export type KubernetesRole = (typeof ROLES)[keyof typeof ROLES];

/** The four labels, in a fixed order. */
export function kubernetesLabels(
  fleet: Fleet,
  cluster: KubernetesCluster,
  role: KubernetesRole,
): Readonly<Record<string, string>> {
  return {
    [LABELS.managedBy]: MANAGED_BY,
    [LABELS.environment]: fleet.environment,
    [LABELS.target]: cluster.name,
    [LABELS.role]: role,
  };
}

/** Metadata of an object in the cluster's namespace. */
export function namespacedMeta(
  fleet: Fleet,
  cluster: KubernetesCluster,
  name: string,
  role: KubernetesRole,
): ObjectMeta {
  return { name, namespace: cluster.namespace, labels: kubernetesLabels(fleet, cluster, role) };
}
