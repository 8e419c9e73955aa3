/**
 * The runner managers of a fleet as drift-check targets: for each Docker host
 * and cluster, the desired config.toml (secrets redacted: the drift check never
 * needs them) and how to read the live one.
 */
import { fleetTargets, type DockerHost, type Fleet, type ManagerTarget } from "../model/fleet.js";
import { unexpectedTarget } from "../render/manager-target.js";
import type { DriftTarget } from "./check-runner-config.js";
import { dockerClientFor } from "./docker-client.js";
import {
  managerContainerLookup,
  readDockerManagerConfig,
  type ManagerContainerLookup,
} from "./docker-manager-config.js";
import { readKubernetesConfigSecret, type CommandRunner } from "./kubernetes-config-secret.js";
import {
  housekeepingLookup,
  readHousekeepingState,
  type HousekeepingState,
} from "./docker-housekeeping-state.js";
import type { LiveConfigRead } from "./live-config.js";
import { resolveTlsClientKey, type TlsKeySources } from "./tls-client-key.js";

export interface DriftTargetOptions {
  /** The desired config.toml of a host or cluster, rendered with redacted secrets. */
  readonly desiredConfigToml: (fleet: Fleet, target: ManagerTarget) => string;
  readonly tlsKeys: TlsKeySources;
  /** ssh executable for `ssh://` hosts; default `ssh`. */
  readonly sshCommand?: string;
  /** kubectl runner; default spawns `kubectl`. */
  readonly kubectl?: CommandRunner;
  /** How to find a host's manager container; default the labels and name `pulumi up` gives it. */
  readonly managerLookup?: (fleet: Fleet, host: DockerHost) => ManagerContainerLookup;
}

/** Docker hosts first, then clusters, in stack-config order. */
export function driftTargets(fleet: Fleet, options: DriftTargetOptions): DriftTarget[] {
  return fleetTargets(fleet).map((target) => ({
    target,
    location: location(target),
    desiredConfigToml: options.desiredConfigToml(fleet, target),
    readLive: () => readLive(fleet, target, options),
    ...(target.variant === "docker" && target.housekeeping !== undefined
      ? { readHousekeeping: () => readHousekeeping(fleet, target, options) }
      : {}),
  }));
}

/** Where the manager is: the Docker endpoint URL, or `context <c>, namespace <n>`. */
function location(target: ManagerTarget): string {
  switch (target.variant) {
    case "docker":
      return target.endpoint.url;
    case "kubernetes":
      return `context ${target.context}, namespace ${target.namespace}`;
    default:
      return unexpectedTarget(target);
  }
}

function hostClient(fleet: Fleet, host: DockerHost, options: DriftTargetOptions) {
  const endpoint = host.endpoint;
  const tlsClientKey =
    endpoint.kind === "tcp"
      ? resolveTlsClientKey(host.name, endpoint.tls, fleet.environment, options.tlsKeys)
      : undefined;
  return dockerClientFor(endpoint, {
    ...(tlsClientKey === undefined ? {} : { tlsClientKey }),
    ...(options.sshCommand === undefined ? {} : { sshCommand: options.sshCommand }),
  });
}

function readHousekeeping(
  fleet: Fleet,
  host: DockerHost,
  options: DriftTargetOptions,
): Promise<HousekeepingState> {
  return readHousekeepingState(
    hostClient(fleet, host, options),
    housekeepingLookup(fleet, host),
    host.endpoint.url,
  );
}

function readLive(
  fleet: Fleet,
  target: ManagerTarget,
  options: DriftTargetOptions,
): Promise<LiveConfigRead> {
  switch (target.variant) {
    case "docker": {
      const lookup = options.managerLookup ?? managerContainerLookup;
      return readDockerManagerConfig(
        hostClient(fleet, target, options),
        lookup(fleet, target),
        target.endpoint.url,
      );
    }
    case "kubernetes":
      return readKubernetesConfigSecret(target, options.kubectl);
    default:
      return unexpectedTarget(target);
  }
}
