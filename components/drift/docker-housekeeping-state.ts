/**
 * Whether a Docker host's housekeeping container is there and running. A
 * stopped or missing one is drift: GitLab Runner's volumes and images then
 * pile up until the disk is full, and nothing else would say so.
 */
import type Docker from "dockerode";
import type { DockerHost, Fleet } from "../model/fleet.js";
import { containerLabelMap } from "../docker/container-labels.js";
import { DOCKER_NAMES, ROLES } from "../model/names.js";
import { findProductContainer } from "./docker-manager-config.js";

export type HousekeepingState =
  | { readonly status: "running"; readonly source: string }
  /** `source` says what was looked for. */
  | { readonly status: "missing"; readonly source: string }
  /** `state` is the engine's container state, e.g. `exited`. */
  | { readonly status: "not-running"; readonly source: string; readonly state: string };

/** Labels and name `pulumi up` gives the host's housekeeping container. */
export function housekeepingLookup(
  fleet: Fleet,
  host: DockerHost,
): { readonly labels: Readonly<Record<string, string>>; readonly name: string } {
  return {
    labels: containerLabelMap(fleet, host, ROLES.housekeeping),
    name: DOCKER_NAMES.housekeepingContainer,
  };
}

/** @throws LiveReadError when the engine cannot be asked. */
export async function readHousekeepingState(
  docker: Docker,
  lookup: ReturnType<typeof housekeepingLookup>,
  engine: string,
): Promise<HousekeepingState> {
  const container = await findProductContainer(docker, lookup, engine, "the housekeeping's");
  if (container === undefined) {
    const labels = Object.entries(lookup.labels)
      .map(([key, value]) => `${key}=${value}`)
      .join(",");
    return { status: "missing", source: `no container labelled ${labels} or named ${lookup.name}` };
  }
  const source = `container ${container.name}`;
  return container.state === "running"
    ? { status: "running", source }
    : { status: "not-running", source, state: container.state };
}
