/**
 * A Docker Engine API client for a host's endpoint, configured only from the
 * endpoint itself: DOCKER_HOST, DOCKER_CERT_PATH and friends in the caller's
 * environment never redirect it to another engine.
 */
import Docker from "dockerode";
import type { Agent } from "node:http";
import type { DockerEndpoint } from "../model/fleet.js";
import { SshDialAgent } from "./ssh-dial-agent.js";

export interface DockerClientOptions {
  /** PEM of the client key for a `tcp://` endpoint (see tls-client-key.ts). */
  readonly tlsClientKey?: string;
  /** ssh executable for `ssh://` endpoints; default `ssh`. */
  readonly sshCommand?: string;
  /** Per-request timeout; default 30 s. */
  readonly timeoutMs?: number;
}

/** docker-modem accepts a custom HTTP agent; @types/dockerode does not declare it. */
type ModemOptions = Docker.DockerOptions & { readonly agent?: Agent };

export function dockerClientFor(
  endpoint: DockerEndpoint,
  options: DockerClientOptions = {},
): Docker {
  return new Docker(dockerOptionsFor(endpoint, options));
}

export function dockerOptionsFor(
  endpoint: DockerEndpoint,
  options: DockerClientOptions = {},
): ModemOptions {
  // docker-modem merges its DOCKER_HOST-derived defaults under ours: every field
  // they could set is set here explicitly, to undefined when unused.
  const none = {
    socketPath: undefined,
    host: undefined,
    port: undefined,
    ca: undefined,
    cert: undefined,
    key: undefined,
    timeout: options.timeoutMs ?? 30_000,
  };
  switch (endpoint.kind) {
    case "unix":
      return { ...none, socketPath: endpoint.socketPath, protocol: "http" };
    case "ssh": {
      const agent = new SshDialAgent(
        { user: endpoint.user, host: endpoint.host, ...portOf(endpoint.port) },
        options.sshCommand,
      );
      // The host name is only the HTTP Host header: the agent makes the connection.
      return { ...none, host: "docker", port: 80, protocol: "http", agent };
    }
    case "tcp":
      if (options.tlsClientKey === undefined) {
        throw new Error(`a tcp:// endpoint needs the TLS client key (${endpoint.url})`);
      }
      return {
        ...none,
        host: endpoint.host,
        port: endpoint.port,
        protocol: "https",
        ca: endpoint.tls.caCert,
        cert: endpoint.tls.clientCert,
        key: options.tlsClientKey,
      };
    default: {
      const unknown: never = endpoint;
      throw new Error(`unsupported Docker endpoint ${JSON.stringify(unknown)}`);
    }
  }
}

function portOf(port: number | undefined): { port?: number } {
  return port === undefined ? {} : { port };
}
