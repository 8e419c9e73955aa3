/**
 * Names that must not repeat: runner names across the whole fleet (they identify
 * runners in GitLab, in logs and in rendered files), Docker host names among hosts
 * and cluster names among clusters. A host and a cluster may share a name: they
 * never share a file, an object or a provider.
 */
import { configError, type ConfigIssue } from "../messages/config-issue.js";
import { childPath } from "../messages/config-path.js";
import type { Salvaged } from "../schema/salvage.js";
import type { StackConfig } from "../schema/stack-config-schema.js";
import { allRunnersOf, targetsOf } from "../schema/stack-targets.js";
import { quoted } from "../messages/describe-value.js";

interface NamedEntry {
  readonly path: string;
  readonly name: string | undefined;
}

export function duplicateNameIssues(config: Salvaged<StackConfig>): readonly ConfigIssue[] {
  const targets = targetsOf(config);
  const named = (variant: "docker" | "kubernetes") =>
    targets
      .filter((entry) => entry.variant === variant)
      .map((entry) => ({ path: entry.path, name: entry.target.name }));
  const runners = allRunnersOf(config).map((entry) => ({
    path: entry.path,
    name: entry.runner.name,
  }));
  return [
    ...duplicates(named("docker"), "Docker host name", "among Docker hosts"),
    ...duplicates(named("kubernetes"), "cluster name", "among Kubernetes clusters"),
    ...duplicates(runners, "runner name", "across the fleet"),
  ];
}

function duplicates(
  entries: readonly NamedEntry[],
  what: string,
  scope: string,
): readonly ConfigIssue[] {
  const firstUse = new Map<string, string>();
  const issues: ConfigIssue[] = [];
  for (const { path, name } of entries) {
    if (name === undefined) continue;
    const namePath = childPath(path, "name");
    const first = firstUse.get(name);
    if (first === undefined) {
      firstUse.set(name, namePath);
      continue;
    }
    issues.push(
      configError(
        namePath,
        `duplicate ${what} ${quoted(name)}, first used at ${first}; ${what}s must be unique ${scope}`,
      ),
    );
  }
  return issues;
}
