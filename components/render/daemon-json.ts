/**
 * The daemon.json of a runner's dind daemon. It is bind-mounted (Docker) or
 * mounted from a ConfigMap (Kubernetes) at /etc/docker/daemon.json of the dind
 * service, and is the only place its daemon options live: the service command
 * never repeats them as flags (dockerd refuses to start when a directive is
 * both: moby daemon/config/config.go `findConfigurationConflicts`).
 */
import {
  compareVersions,
  DEFAULT_NETWORK_OPTS_SINCE,
} from "../config/grammars/dind-daemon-fields.js";
import type { DindSettings } from "../model/fleet.js";
import { compareCodePoints } from "./compare-code-points.js";

/** The driver option that sets a bridge network's MTU (moby libnetwork `netlabel.DriverMTU`). */
export const BRIDGE_MTU_OPTION = "com.docker.network.driver.mtu";

/** The daemon.json keys this product sets, named as dockerd spells them. */
export interface DaemonJson {
  /** Registries reached over plain http or with an untrusted certificate (`host[:port]`). */
  readonly "insecure-registries": readonly string[];
  /** Pull-through mirrors of Docker Hub, tried in order. */
  readonly "registry-mirrors": readonly string[];
  readonly "storage-driver": DindSettings["storageDriver"];
  /** MTU of the default bridge: `docker run` and the RUN steps of `docker build`. */
  readonly mtu?: number;
  /** Options of every network created later (compose networks, `docker network create`). */
  readonly "default-network-opts"?: {
    readonly bridge: { readonly [BRIDGE_MTU_OPTION]: string };
  };
  readonly dns: readonly string[];
  readonly "dns-search": readonly string[];
}

/** DindSettings field -> daemon.json key; `null`: not a daemon setting (comment says where it goes). */
export const DAEMON_JSON_KEYS = {
  // Picks the dind image tag.
  dockerVersion: null,
  // The service's DOCKER_TLS_CERTDIR and the job environment.
  tls: null,
  storageDriver: "storage-driver",
  insecureRegistries: "insecure-registries",
  registryMirrors: "registry-mirrors",
  // Also `default-network-opts` (see daemonJson) and the Docker executor's `network_mtu`.
  mtu: "mtu",
  dns: "dns",
  dnsSearch: "dns-search",
  // Files in /etc/docker/certs.d, which dockerd reads per registry (registry-certificates.ts).
  registryCertificates: null,
  // extra_hosts / host_aliases of the job: dockerd resolves through the container's /etc/hosts.
  extraHosts: null,
  // Privilege keys of the executor section.
  privilegeMode: null,
} as const satisfies { readonly [F in keyof DindSettings]-?: keyof DaemonJson | null };

/**
 * Keys in a fixed order, 2-space indent, trailing newline; empty lists stay `[]`
 * so a reader sees the setting exists. Insecure registries are sorted (order
 * means nothing to dockerd); mirrors and DNS servers keep their order (tried in
 * turn).
 *
 * `mtu` alone only covers dind's default bridge: networks that compose or
 * `docker network create` make inside the job would still get 1500 and hang
 * the same way, so the MTU also goes into `default-network-opts`. That key
 * exists since Docker 24.0 (moby commit 91c2b12205). It is left out for older
 * versions: their dockerd ignores it without a word (its unknown-key check
 * flattens the nested `bridge` map into its own `bridge` option), and refuses
 * to start when `--bridge` is also given as a flag ("specified both as a flag
 * and in the configuration file"), both seen with dockerd 20.10.
 */
export function daemonJson(dind: DindSettings): string {
  const { mtu } = dind;
  const networkOpts =
    mtu !== undefined && compareVersions(dind.dockerVersion, DEFAULT_NETWORK_OPTS_SINCE) >= 0;
  const document: DaemonJson = {
    [DAEMON_JSON_KEYS.insecureRegistries]: [...dind.insecureRegistries].sort(compareCodePoints),
    [DAEMON_JSON_KEYS.registryMirrors]: [...dind.registryMirrors],
    [DAEMON_JSON_KEYS.storageDriver]: dind.storageDriver,
    ...(mtu === undefined ? {} : { [DAEMON_JSON_KEYS.mtu]: mtu }),
    ...(networkOpts
      ? { "default-network-opts": { bridge: { [BRIDGE_MTU_OPTION]: String(mtu) } } }
      : {}),
    [DAEMON_JSON_KEYS.dns]: [...dind.dns],
    [DAEMON_JSON_KEYS.dnsSearch]: [...dind.dnsSearch],
  };
  return JSON.stringify(document, null, 2) + "\n";
}
