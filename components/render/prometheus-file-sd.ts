/**
 * The Docker hosts' managers as a Prometheus file-based service discovery
 * target list (`file_sd_configs`): a JSON array of `{ targets, labels }`
 * groups (prometheus discovery/file/file.go reads `[]*targetgroup.Group`,
 * whose JSON form is exactly these two keys). Clusters are not listed: there
 * Prometheus finds the manager pod itself (the PodMonitor, or the Service).
 *
 * Each host's address is where its manager listens (`listenAddress`, resolved
 * to `127.0.0.1:<port>` for a bare `:port`, see resolve-fleet.ts): a loopback
 * address can be scraped only by a Prometheus (or agent) on that host. A
 * listener on every interface (`0.0.0.0`, `[::]`) is scraped at the host's
 * endpoint name (`ssh://` or `tcp://`), or at 127.0.0.1 for the local engine.
 */
import type { DockerHost, Fleet } from "../model/fleet.js";
import { TARGET_LABELS } from "./prometheus-target-labels.js";
import { dockerHostsByName } from "./targets-by-name.js";

interface TargetGroup {
  readonly targets: readonly string[];
  readonly labels: Readonly<Record<string, string>>;
}

const WILDCARD_HOSTS = new Set(["0.0.0.0", "[::]", ""]);

/** The file's text: a JSON array, one group per Docker host with a metrics listener, by name. */
export function prometheusFileSd(fleet: Fleet): string {
  const groups: TargetGroup[] = dockerHostsByName(fleet).flatMap((host) => {
    const address = scrapeAddress(host);
    if (address === undefined) return [];
    return [
      {
        targets: [address],
        labels: {
          [TARGET_LABELS.environment]: fleet.environment,
          [TARGET_LABELS.target]: host.name,
        },
      },
    ];
  });
  return `${JSON.stringify(groups, null, 2)}\n`;
}

/** Where Prometheus reaches the host's listener, or undefined without one. */
export function scrapeAddress(host: DockerHost): string | undefined {
  const { listenAddress } = host.manager;
  if (listenAddress === undefined) return undefined;
  const colon = listenAddress.lastIndexOf(":");
  const listenHost = listenAddress.slice(0, colon);
  const port = listenAddress.slice(colon + 1);
  if (!WILDCARD_HOSTS.has(listenHost)) return listenAddress;
  const { endpoint } = host;
  switch (endpoint.kind) {
    case "unix":
      return `127.0.0.1:${port}`;
    case "ssh":
    case "tcp":
      return `${endpoint.host.includes(":") ? `[${endpoint.host}]` : endpoint.host}:${port}`;
    default: {
      const unexpected: never = endpoint;
      throw new Error(`unexpected endpoint ${JSON.stringify(unexpected)}`);
    }
  }
}
