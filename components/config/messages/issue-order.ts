/**
 * Orders issues as the stack file reads: whole-stack problems, then production,
 * gitlab, defaults, each Docker host (its own fields, then each runner), each
 * cluster. A user fixes one place at a time; issues found by different checks
 * for the same runner end up together. The sort is stable.
 */
import type { ConfigIssue } from "./config-issue.js";

const SECTION_ORDER = ["production", "gitlab", "defaults", "dockerHosts", "kubernetesClusters"];

const LOCATION =
  /^(?<section>[A-Za-z]+)(?:\[(?<target>[0-9]+)\](?:\.runners\[(?<runner>[0-9]+)\])?)?/;

/** [section, host or cluster index, runner index]; -1 where the path stops above that level. */
function position(path: string): readonly number[] {
  const groups = LOCATION.exec(path)?.groups;
  const section = SECTION_ORDER.indexOf(groups?.["section"] ?? "");
  const index = (text: string | undefined) => (text === undefined ? -1 : Number(text));
  return [section, index(groups?.["target"]), index(groups?.["runner"])];
}

function comparePositions(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const difference = (a[i] ?? -1) - (b[i] ?? -1);
    if (difference !== 0) return difference;
  }
  return 0;
}

export function inDocumentOrder(issues: readonly ConfigIssue[]): readonly ConfigIssue[] {
  return issues
    .map((issue) => ({ issue, position: position(issue.path) }))
    .sort((a, b) => comparePositions(a.position, b.position))
    .map(({ issue }) => issue);
}
