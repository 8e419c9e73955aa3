/**
 * The `hostname -> IP` entries jobs and their dind daemon must resolve, in the
 * shapes both executors want. Sorted here as well as in the model so the
 * output never depends on the order a caller built the list in.
 */
import type { DindSettings, ExtraHost } from "../model/fleet.js";
import { compareCodePoints } from "./compare-code-points.js";
import type { KubernetesHostAliasToml } from "./config-toml-model.js";

function sortedExtraHosts(dind: Pick<DindSettings, "extraHosts">): ExtraHost[] {
  return [...dind.extraHosts].sort(
    (a, b) => compareCodePoints(a.hostname, b.hostname) || compareCodePoints(a.ip, b.ip),
  );
}

/** Docker `extra_hosts` entries, `hostname:ip`, sorted by hostname. */
export function dockerExtraHosts(dind: Pick<DindSettings, "extraHosts">): string[] {
  return sortedExtraHosts(dind).map((entry) => `${entry.hostname}:${entry.ip}`);
}

/**
 * Kubernetes `host_aliases`: one entry per IP with its hostnames sorted, the
 * entries ordered by their first hostname (the pod's /etc/hosts reads like the
 * Docker list).
 */
export function kubernetesHostAliases(
  dind: Pick<DindSettings, "extraHosts">,
): KubernetesHostAliasToml[] {
  const byIp = new Map<string, string[]>();
  for (const entry of sortedExtraHosts(dind)) {
    const hostnames = byIp.get(entry.ip);
    if (hostnames === undefined) byIp.set(entry.ip, [entry.hostname]);
    else hostnames.push(entry.hostname);
  }
  return [...byIp].map(([ip, hostnames]) => ({ ip, hostnames }));
}
