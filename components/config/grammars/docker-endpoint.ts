/**
 * The Docker endpoint of a host, as Pulumi's Docker provider reaches it:
 * `unix:///path/to/docker.sock`, `ssh://user@host[:port]` or `tcp://host:port`
 * (tcp always with TLS client certificates, which are checked with the host).
 */
import { parseHostPort } from "./network-addresses.js";
import { quoted } from "../messages/describe-value.js";
import type { DockerEndpoint } from "../../model/fleet.js";

/**
 * A parsed endpoint: the model's `DockerEndpoint`, except that a tcp endpoint still needs its
 * TLS material from the host's `tls`.
 */
export type ParsedDockerEndpoint =
  | Exclude<DockerEndpoint, { readonly kind: "tcp" }>
  | Omit<Extract<DockerEndpoint, { readonly kind: "tcp" }>, "tls">;

export type DockerEndpointParse =
  | { readonly ok: true; readonly endpoint: ParsedDockerEndpoint }
  | { readonly ok: false; readonly problem: string };

export const DOCKER_ENDPOINT_FORMS =
  "unix:///path/to/docker.sock, ssh://user@host[:port] or tcp://host:port";

/** Docker's port for its API without TLS. */
const PLAIN_DOCKER_PORT = 2375;

const SSH_USER = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

export function parseDockerEndpoint(url: string): DockerEndpointParse {
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(url)?.[1]?.toLowerCase();
  const rest = url.slice((scheme?.length ?? 0) + 3);
  switch (scheme) {
    case "unix":
      return parseUnix(url, rest);
    case "ssh":
      return parseSsh(url, rest);
    case "tcp":
      return parseTcp(url, rest);
    default:
      return invalid(`expected ${DOCKER_ENDPOINT_FORMS}, found ${quoted(url)}`);
  }
}

function parseUnix(url: string, socketPath: string): DockerEndpointParse {
  if (!socketPath.startsWith("/") || socketPath.length < 2) {
    return invalid(
      `expected unix:// followed by an absolute socket path such as unix:///var/run/docker.sock, found ${quoted(url)}`,
    );
  }
  return { ok: true, endpoint: { kind: "unix", url, socketPath } };
}

function parseSsh(url: string, rest: string): DockerEndpointParse {
  const at = rest.lastIndexOf("@");
  const user = rest.slice(0, Math.max(at, 0));
  const address = parseHostPort(rest.slice(at + 1));
  if (at < 0 || !SSH_USER.test(user) || address === undefined) {
    return invalid(
      `expected ssh://user@host[:port] such as ssh://deploy@build-1.example.internal, found ${quoted(url)}`,
    );
  }
  return { ok: true, endpoint: { kind: "ssh", url, user, ...address } };
}

function parseTcp(url: string, rest: string): DockerEndpointParse {
  const address = parseHostPort(rest);
  if (address?.port === undefined) {
    return invalid(
      `expected tcp://host:port such as tcp://build-1.example.internal:2376, found ${quoted(url)}`,
    );
  }
  if (address.port === PLAIN_DOCKER_PORT) {
    return invalid(
      `expected tcp://host:2376 with tls, found ${quoted(url)}: port 2375 is Docker's API without TLS, and plain tcp is not supported (anyone on the network would control the host); use tcp://host:2376 with tls, or ssh://user@host`,
    );
  }
  return { ok: true, endpoint: { kind: "tcp", url, host: address.host, port: address.port } };
}

function invalid(problem: string): DockerEndpointParse {
  return { ok: false, problem };
}
