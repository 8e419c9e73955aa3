/**
 * The runner managers of a fleet as drift-check targets: for each Docker host
 * and cluster, the desired config.toml (secrets redacted: the drift check never
 * needs them) and how to read the live one.
 */
import type { DockerHost, Fleet, KubernetesCluster } from "../model/fleet.js";
import type { ManagerTarget } from "./check-runner-config.js";
import { dockerClientFor } from "./docker-client.js";
import {
  managerContainerLookup,
  readDockerManagerConfig,
  type ManagerContainerLookup,
} from "./docker-manager-config.js";
import { readKubernetesConfigSecret, type CommandRunner } from "./kubernetes-config-secret.js";
import { resolveTlsClientKey, type TlsKeySources } from "./tls-client-key.js";

/** The desired config.toml of each manager, rendered with redacted secrets. */
export interface DesiredConfigRenderer {
  readonly dockerHost: (fleet: Fleet, host: DockerHost) => string;
  readonly kubernetesCluster: (fleet: Fleet, cluster: KubernetesCluster) => string;
}

export interface ManagerTargetOptions {
  readonly render: DesiredConfigRenderer;
  readonly tlsKeys: TlsKeySources;
  /** ssh executable for `ssh://` hosts; default `ssh`. */
  readonly sshCommand?: string;
  /** kubectl runner; default spawns `kubectl`. */
  readonly kubectl?: CommandRunner;
  /** How to find a host's manager container; default the labels and name `pulumi up` gives it. */
  readonly managerLookup?: (fleet: Fleet, host: DockerHost) => ManagerContainerLookup;
}

export function managerTargets(fleet: Fleet, options: ManagerTargetOptions): ManagerTarget[] {
  const lookup = options.managerLookup ?? managerContainerLookup;
  const hosts = fleet.dockerHosts.map((host): ManagerTarget => ({
    kind: "docker-host",
    name: host.name,
    location: host.endpoint.url,
    desiredConfigToml: options.render.dockerHost(fleet, host),
    readLive: () => {
      const endpoint = host.endpoint;
      const tlsClientKey =
        endpoint.kind === "tcp"
          ? resolveTlsClientKey(host.name, endpoint.tls, fleet.environment, options.tlsKeys)
          : undefined;
      const docker = dockerClientFor(endpoint, {
        ...(tlsClientKey === undefined ? {} : { tlsClientKey }),
        ...(options.sshCommand === undefined ? {} : { sshCommand: options.sshCommand }),
      });
      return readDockerManagerConfig(docker, lookup(fleet, host), endpoint.url);
    },
  }));
  const clusters = fleet.kubernetesClusters.map((cluster): ManagerTarget => ({
    kind: "kubernetes-cluster",
    name: cluster.name,
    location: `context ${cluster.context}, namespace ${cluster.namespace}`,
    desiredConfigToml: options.render.kubernetesCluster(fleet, cluster),
    readLive: () => readKubernetesConfigSecret(cluster, options.kubectl),
  }));
  return [...hosts, ...clusters];
}
