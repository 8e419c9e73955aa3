/**
 * Deployment targets that must not repeat: two Docker hosts that reach the same
 * Docker engine (their runner managers and config directories would collide on
 * it), and two clusters entries that deploy into the same namespace of the same
 * kubeconfig context (their objects have fixed names and would overwrite each
 * other). Reported at the second use, naming the first.
 */
import { DEFAULTS } from "../../model/defaults.js";
import { configError, type ConfigIssue } from "../messages/config-issue.js";
import { childPath } from "../messages/config-path.js";
import { quoted } from "../messages/describe-value.js";
import { parseDockerEndpoint, type ParsedDockerEndpoint } from "../grammars/docker-endpoint.js";
import type { Salvaged } from "../schema/salvage.js";
import type { StackConfig } from "../schema/stack-config-schema.js";
import { targetsOf } from "../schema/stack-targets.js";

/** ssh's own default port, which an endpoint without a port uses. */
const SSH_PORT = 22;

export function duplicateTargetIssues(config: Salvaged<StackConfig>): readonly ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const engines = new Map<string, string>();
  const namespaces = new Map<string, string>();
  for (const entry of targetsOf(config)) {
    if (entry.variant === "docker") {
      const endpoint = entry.target.endpoint;
      const parsed = endpoint === undefined ? undefined : parseDockerEndpoint(endpoint);
      if (parsed?.ok !== true) continue;
      const path = childPath(entry.path, "endpoint");
      const first = firstUse(engines, engineIdentity(parsed.endpoint), path);
      if (first === undefined) continue;
      issues.push(
        configError(
          path,
          `duplicate Docker endpoint ${quoted(parsed.endpoint.url)}, the same engine as ${first}; two Docker hosts on one engine would overwrite each other's runner manager and config directory: declare the engine once, with all its runners`,
        ),
      );
    } else {
      const { context, namespace = DEFAULTS.kubernetes.namespace } = entry.target;
      if (context === undefined) continue;
      const first = firstUse(namespaces, JSON.stringify([context, namespace]), entry.path);
      if (first === undefined) continue;
      issues.push(
        configError(
          entry.path,
          `duplicate context ${quoted(context)} and namespace ${quoted(namespace)}, first used at ${first}; two clusters in one namespace would overwrite each other's objects: declare it once, with all its runners, or give each its own namespace`,
        ),
      );
    }
  }
  return issues;
}

/** The path that used `key` first; records `path` and returns undefined when it is the first. */
function firstUse(seen: Map<string, string>, key: string, path: string): string | undefined {
  const first = seen.get(key);
  if (first === undefined) seen.set(key, path);
  return first;
}

/** Endpoints that reach the same engine get the same identity, whatever the user name or case. */
function engineIdentity(endpoint: ParsedDockerEndpoint): string {
  switch (endpoint.kind) {
    case "unix":
      return `unix ${endpoint.socketPath}`;
    case "ssh":
      return `ssh ${endpoint.host.toLowerCase()} ${endpoint.port ?? SSH_PORT}`;
    case "tcp":
      return `tcp ${endpoint.host.toLowerCase()} ${endpoint.port}`;
  }
}
