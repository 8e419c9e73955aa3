/**
 * Hostnames, IP addresses and `host:port` pairs, as Docker, GitLab Runner and
 * Kubernetes accept them.
 */
import { isIP } from "node:net";
import { quoted } from "../messages/describe-value.js";

const DNS_LABEL = /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;
const MAX_HOSTNAME_LENGTH = 253;

/** A DNS name such as `registry.example.internal` or a single label such as `registry`. */
export function isHostname(text: string): boolean {
  return (
    text.length <= MAX_HOSTNAME_LENGTH && text.split(".").every((label) => DNS_LABEL.test(label))
  );
}

export function isIpAddress(text: string): boolean {
  return isIP(text) !== 0;
}

/** A TCP port number, 1 to 65535, written in decimal. */
function parsePort(text: string): number | undefined {
  if (!/^[0-9]{1,5}$/.test(text)) return undefined;
  const port = Number(text);
  return port >= 1 && port <= 65535 ? port : undefined;
}

export interface HostPort {
  /** A hostname, an IPv4 address or an IPv6 address (without brackets). */
  readonly host: string;
  readonly port?: number;
}

/**
 * Parses `host`, `host:port`, `[ipv6]` or `[ipv6]:port`. An IPv6 address needs
 * brackets so its colons cannot be mistaken for a port.
 */
export function parseHostPort(text: string): HostPort | undefined {
  const match = /^(?:\[(?<ipv6>[^\]]+)\]|(?<name>[^:[\]]+))(?::(?<port>[^:]*))?$/.exec(text);
  const groups = match?.groups;
  if (groups === undefined) return undefined;
  const { ipv6, name, port: portText } = groups;
  if (ipv6 !== undefined && isIP(ipv6) !== 6) return undefined;
  if (name !== undefined && !isHostname(name) && isIP(name) !== 4) return undefined;
  const host = ipv6 ?? name ?? "";
  if (portText === undefined) return { host };
  const port = parsePort(portText);
  return port === undefined ? undefined : { host, port };
}

/** What is wrong with a metrics listener address (`host:port` or `:port`), or undefined. */
export function listenAddressProblem(text: string): string | undefined {
  const valid = text.startsWith(":")
    ? parsePort(text.slice(1)) !== undefined
    : parseHostPort(text)?.port !== undefined;
  if (valid) return undefined;
  return `expected host:port or :port such as ":9252", found ${quoted(text)}`;
}
