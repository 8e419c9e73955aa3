/**
 * Values of the dind daemon's own configuration (daemon.json and
 * /etc/docker/certs.d) checked the way dockerd checks them, so a value the
 * stack accepts never stops dind from starting. Each rule cites the moby source
 * it mirrors; the functions are small and pure so other checks can reuse them.
 */
import { quoted } from "../messages/describe-value.js";
import { isIpAddress, parseHostPort } from "./network-addresses.js";

/**
 * MTUs Linux accepts for the bridge and veth devices dockerd creates
 * (ETH_MIN_MTU 68, ETH_MAX_MTU 65535). dockerd itself only refuses a negative
 * MTU (moby daemon/config/config.go `Validate`: "invalid default MTU"), then
 * sets it with netlink on its bridge (daemon/libnetwork/drivers/bridge/
 * setup_device_linux.go `setupMTU`) and on each container's veth pair. The
 * kernel refuses a value outside this range: dockerd 20.10 starts but every
 * container fails with "failed to set MTU on host interface ...: invalid
 * argument" (seen on this project's test engine with mtu 70000).
 */
export const MTU_RANGE = { min: 68, max: 65_535 } as const;

export const MTU_EXPECTED = `an MTU from ${MTU_RANGE.min} to ${MTU_RANGE.max}`;

/** What is wrong with a dind `mtu`, or undefined. */
export function mtuProblem(value: number): string | undefined {
  if (Number.isInteger(value) && value >= MTU_RANGE.min && value <= MTU_RANGE.max) return undefined;
  return `expected ${MTU_EXPECTED}, found ${value}; the kernel refuses other values for dind's bridge and veth interfaces, so dind fails to start or cannot start any container`;
}

const DOMAIN_LETTER = /[a-zA-Z]/;
// moby daemon/pkg/opts/opts.go `domainRegexp`, without its unused `(:?` oddities.
const DOMAIN =
  /^((?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*)\.?$/;

/**
 * What is wrong with a `dns-search` entry, or undefined: moby
 * daemon/pkg/opts/opts.go `ValidateDNSSearch` (called by daemon/config
 * `Validate`) accepts "." or a domain with at least one letter, shorter than
 * 255 characters.
 */
export function dnsSearchProblem(text: string): string | undefined {
  if (text === ".") return undefined;
  const domain = DOMAIN.exec(text)?.[1];
  if (DOMAIN_LETTER.test(text) && domain !== undefined && domain.length < 255) return undefined;
  return `expected a DNS search domain such as example.internal, found ${quoted(text)}`;
}

/** What is wrong with a `dns` entry, or undefined: dockerd reads them as IP addresses. */
export function dnsServerProblem(text: string): string | undefined {
  return isIpAddress(text)
    ? undefined
    : `expected the IPv4 or IPv6 address of a DNS server, found ${quoted(text)}`;
}

/** The first Docker version whose dockerd accepts a registry mirror URL with a path. */
export const MIRROR_PATH_SINCE = "25.0.0";

/**
 * What is wrong with a mirror's path for the dind version, or undefined;
 * `origin` says where the values were set. Up to
 * Docker 24, moby registry/config.go `ValidateMirror` refused it ("invalid
 * mirror: path, query, or fragment at end of the URI") and dockerd did not
 * start; moby commit c587ba3422 (Docker 25.0) allows a path prefix, which
 * Docker 29 keeps in front of /v2 (daemon/hosts.go `mirrorsToRegistryHosts`).
 */
export function mirrorPathProblem(
  mirror: string,
  dockerVersion: string,
  origin = "",
): string | undefined {
  if (!URL.canParse(mirror)) return undefined;
  const path = new URL(mirror).pathname;
  if (path === "" || path === "/") return undefined;
  if (compareVersions(dockerVersion, MIRROR_PATH_SINCE) >= 0) return undefined;
  return `expected a mirror URL without a path for Docker ${dockerVersion}, found ${quoted(mirror)}${origin}; dockerd before ${MIRROR_PATH_SINCE} refuses to start with "invalid mirror: path, query, or fragment at end of the URI": remove the path, or pin dockerVersion ${MIRROR_PATH_SINCE} or later`;
}

/** The first Docker version whose daemon.json knows `default-network-opts` (moby commit 91c2b12205). */
export const DEFAULT_NETWORK_OPTS_SINCE = "24.0.0";

/** Orders two x.y.z versions numerically. */
export function compareVersions(a: string, b: string): number {
  const [pa, pb] = [a, b].map((version) => version.split(".").map(Number));
  for (let index = 0; index < 3; index++) {
    const difference = (pa?.[index] ?? 0) - (pb?.[index] ?? 0);
    if (difference !== 0) return difference;
  }
  return 0;
}

/**
 * What is wrong with a registry named for a CA certificate, or undefined.
 * dockerd looks for `/etc/docker/certs.d/<host[:port]>/ca.crt` with exactly the
 * host and port of the image reference, so the entry is a plain `host[:port]`.
 */
export function certificateRegistryProblem(text: string): string | undefined {
  const found = quoted(text);
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(text)?.[0];
  if (scheme !== undefined) {
    const address = text.slice(scheme.length).split("/")[0] ?? "";
    return `expected host[:port] without a scheme, found ${found}; dockerd looks the CA up by host and port: write ${quoted(address)}`;
  }
  const parsed = parseHostPort(text);
  if (parsed === undefined || text.startsWith("[")) {
    return `expected host[:port] (a hostname or an IPv4 address, and a port from 1 to 65535, exactly as in the image names), found ${found}`;
  }
  return undefined;
}
