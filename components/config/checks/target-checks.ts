/**
 * Checks of the fleet's shape and of each Docker host as a whole: there is
 * something to deploy to, and a host's TLS material matches its endpoint.
 */
import { configError, type ConfigIssue } from "../messages/config-issue.js";
import { childPath } from "../messages/config-path.js";
import { parseDockerEndpoint } from "../grammars/docker-endpoint.js";
import type { Salvaged } from "../schema/salvage.js";
import type { DockerHostConfig, StackConfig } from "../schema/stack-config-schema.js";
import { TARGET_SECTIONS, targetsOf } from "../schema/stack-targets.js";

export function targetIssues(
  config: Salvaged<StackConfig>,
  prunedPaths: ReadonlySet<string>,
): readonly ConfigIssue[] {
  const hostIssues = targetsOf(config).flatMap((entry) =>
    entry.variant === "docker" ? endpointTlsIssues(entry.path, entry.target, prunedPaths) : [],
  );
  return [...missingTargetIssues(config, prunedPaths), ...hostIssues];
}

function missingTargetIssues(
  config: Salvaged<StackConfig>,
  prunedPaths: ReadonlySet<string>,
): readonly ConfigIssue[] {
  const sections = Object.values(TARGET_SECTIONS);
  // An invalid section is reported already and may well hold the intended targets.
  if (sections.some((section) => prunedPaths.has(section))) return [];
  if (sections.some((section) => (config[section]?.length ?? 0) > 0)) return [];
  return [
    configError(
      "",
      "expected at least one Docker host (dockerHosts) or Kubernetes cluster (kubernetesClusters), found none",
    ),
  ];
}

/** tcp endpoints need TLS client certificates; other endpoints must not carry any. */
function endpointTlsIssues(
  hostPath: string,
  host: Salvaged<DockerHostConfig>,
  prunedPaths: ReadonlySet<string>,
): readonly ConfigIssue[] {
  const tlsPath = childPath(hostPath, "tls");
  if (host.endpoint === undefined || prunedPaths.has(tlsPath)) return [];
  const parsed = parseDockerEndpoint(host.endpoint);
  if (!parsed.ok) return [];
  const { kind, url } = parsed.endpoint;
  if (kind === "tcp" && host.tls === undefined) {
    return [
      configError(
        tlsPath,
        `missing; expected caCert, clientCert and clientKey for ${url}: Docker's API over tcp must use TLS client certificates`,
      ),
    ];
  }
  if (kind !== "tcp" && host.tls !== undefined) {
    return [
      configError(
        tlsPath,
        `expected no tls for ${url}, found a tls map; tls applies to tcp:// endpoints only`,
      ),
    ];
  }
  return [];
}
