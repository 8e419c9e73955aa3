/**
 * Arguments of the Docker provider for a host's endpoint.
 *
 * ssh (the system `ssh`, so ~/.ssh/config, agents and keys apply):
 * - `BatchMode=yes`: `pulumi up` must fail, not hang on a password or host-key prompt.
 * - Host keys must already be in known_hosts; deliberately no
 *   `StrictHostKeyChecking=accept-new`: in CI every job starts with an empty
 *   known_hosts, so accept-new would trust whatever answers, and the connection
 *   carries config.toml with the runner tokens and root on the host's engine.
 *   An unknown host fails with ssh's "Host key verification failed".
 * - `ServerAliveInterval`: replacing the manager waits (SIGQUIT) for running
 *   jobs, for hours at most, on one quiet connection that a NAT or firewall
 *   would otherwise drop.
 * tcp: the client key stays a secret (it becomes the provider's `keyMaterial`).
 */
import type { DockerEndpoint } from "../model/fleet.js";

export type DockerProviderSpec<Secret> =
  | { readonly host: string }
  | { readonly host: string; readonly sshOpts: string[] }
  | {
      readonly host: string;
      readonly caMaterial: string;
      readonly certMaterial: string;
      readonly keyMaterial: Secret;
    };

export const SSH_OPTIONS = [
  "-o",
  "BatchMode=yes",
  "-o",
  "ConnectTimeout=30",
  "-o",
  "ServerAliveInterval=30",
] as const;

export function dockerProviderSpec<Secret>(
  endpoint: DockerEndpoint,
  clientKey: () => Secret,
): DockerProviderSpec<Secret> {
  switch (endpoint.kind) {
    case "unix":
      return { host: endpoint.url };
    case "ssh":
      return { host: endpoint.url, sshOpts: [...SSH_OPTIONS] };
    case "tcp":
      return {
        host: endpoint.url,
        caMaterial: endpoint.tls.caCert,
        certMaterial: endpoint.tls.clientCert,
        keyMaterial: clientKey(),
      };
    default: {
      const unknown: never = endpoint;
      throw new Error(`unknown endpoint ${JSON.stringify(unknown)}`);
    }
  }
}
