/**
 * Labels of every container the product creates on a Docker host: drift
 * detection finds the manager by them, and `docker ps --filter label=...` shows
 * which fleet, environment and host a container belongs to.
 */
import type { DockerHost, Fleet } from "../model/fleet.js";
import { LABELS, MANAGED_BY, ROLES } from "../model/names.js";
import type { ContainerLabel } from "./container-spec.js";

export function containerLabels(
  fleet: Pick<Fleet, "environment">,
  host: Pick<DockerHost, "name">,
  role: (typeof ROLES)[keyof typeof ROLES],
): readonly ContainerLabel[] {
  return [
    { label: LABELS.managedBy, value: MANAGED_BY },
    { label: LABELS.environment, value: fleet.environment },
    { label: LABELS.target, value: host.name },
    { label: LABELS.role, value: role },
  ];
}

/** The same labels as a map, as the Docker Engine API filters by them (drift finds containers so). */
export function containerLabelMap(
  fleet: Pick<Fleet, "environment">,
  host: Pick<DockerHost, "name">,
  role: (typeof ROLES)[keyof typeof ROLES],
): Readonly<Record<string, string>> {
  return Object.fromEntries(containerLabels(fleet, host, role).map((l) => [l.label, l.value]));
}
