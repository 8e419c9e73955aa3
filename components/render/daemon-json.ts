/**
 * The daemon.json of a runner's dind daemon. It is bind-mounted (Docker) or
 * mounted from a ConfigMap (Kubernetes) at /etc/docker/daemon.json of the dind
 * service, and is the only place its daemon options live: the service command
 * never repeats them as flags (dockerd refuses to start when a directive is both).
 */
import type { DindSettings } from "../model/fleet.js";
import { compareCodePoints } from "./compare-code-points.js";

/** The daemon.json keys this product sets, named as dockerd spells them. */
export interface DaemonJson {
  /** Registries reached over plain http or with an untrusted certificate (`host[:port]`). */
  readonly "insecure-registries": readonly string[];
  /** Pull-through mirrors of Docker Hub, tried in order. */
  readonly "registry-mirrors": readonly string[];
  readonly "storage-driver": DindSettings["storageDriver"];
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
  // extra_hosts / host_aliases of the job: dockerd resolves through the container's /etc/hosts.
  extraHosts: null,
  // Privilege keys of the executor section.
  privilegeMode: null,
} as const satisfies { readonly [F in keyof DindSettings]-?: keyof DaemonJson | null };

/**
 * Keys in a fixed order, 2-space indent, trailing newline; empty lists stay `[]`
 * so a reader sees the setting exists. Insecure registries are sorted (order
 * means nothing to dockerd); mirrors keep their order (dockerd tries them in turn).
 */
export function daemonJson(dind: DindSettings): string {
  const document: DaemonJson = {
    [DAEMON_JSON_KEYS.insecureRegistries]: [...dind.insecureRegistries].sort(compareCodePoints),
    [DAEMON_JSON_KEYS.registryMirrors]: [...dind.registryMirrors],
    [DAEMON_JSON_KEYS.storageDriver]: dind.storageDriver,
  };
  return JSON.stringify(document, null, 2) + "\n";
}
