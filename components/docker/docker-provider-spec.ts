/**
 * Arguments of the Docker provider for a host's endpoint. ssh runs in batch
 * mode: `pulumi up` must fail, not hang on a password or host-key prompt; host
 * keys come from the user's known_hosts.
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

export const SSH_OPTIONS = ["-o", "BatchMode=yes", "-o", "ConnectTimeout=30"] as const;

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
