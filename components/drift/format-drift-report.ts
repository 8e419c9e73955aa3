/**
 * The human-readable drift report `npm run drift` prints. Pure; secrets never
 * reach it (the comparison masks them before).
 */
import type { ConfigDifference } from "./compare-runner-config.js";
import { describeTarget } from "../render/manager-target.js";
import type { RunnerConfigCheck } from "./check-runner-config.js";
import type { HousekeepingState } from "./docker-housekeeping-state.js";
import { driftExitCode, type DriftReport, type PulumiSection } from "./drift-report.js";
import type { GitLabRunnerCheck, GitLabSection } from "./gitlab-runner-drift.js";
import type { ResourceDrift } from "./pulumi-drift.js";

export function formatDriftReport(report: DriftReport): string {
  const lines = [`drift check of stack "${report.stack}"`, ...pulumiLines(report.pulumi)];
  if (report.runners === undefined) {
    lines.push("runner configs: skipped (--skip-runners)");
  } else if (report.runners.length === 0) {
    lines.push("runner configs: the stack has no Docker hosts or Kubernetes clusters");
  } else {
    for (const check of report.runners) lines.push(...runnerCheckLines(check));
  }
  lines.push(...gitlabLines(report.gitlab));
  lines.push(resultLine(report));
  return lines.join("\n") + "\n";
}

function pulumiLines(section: PulumiSection): string[] {
  switch (section.status) {
    case "skipped":
      return ["pulumi: skipped (--skip-pulumi)"];
    case "error":
      return [`pulumi: could not check: ${section.error}`];
    case "in-sync":
      return [`pulumi: in sync (${countsText(section.changeSummary.preview)})`];
    case "drift": {
      const count = new Set(section.resources.map((resource) => resource.urn)).size;
      return [
        `pulumi: drift in ${count} resource${count === 1 ? "" : "s"}`,
        ...section.resources.map(resourceLine),
      ];
    }
    default: {
      const unknown: never = section;
      throw new Error(`unknown pulumi section ${JSON.stringify(unknown)}`);
    }
  }
}

function countsText(counts: Readonly<Record<string, number>>): string {
  const entries = Object.entries(counts);
  if (entries.length === 0) return "no resources";
  return entries.map(([op, count]) => `${count} ${op}`).join(", ");
}

function resourceLine(resource: ResourceDrift): string {
  const what = resource.phase === "refresh" ? "changed outside Pulumi" : "pulumi up would change";
  const properties = resource.properties.length > 0 ? ` (${resource.properties.join(", ")})` : "";
  return `  ${what}: ${resource.op} ${resource.type} "${resource.name}"${properties}`;
}

function runnerCheckLines(check: RunnerConfigCheck): string[] {
  const head = `${describeTarget(check)} (${check.location})`;
  const ignored = ignoredText(check.ignored);
  if (check.status === "error")
    return [`${head}: could not check: ${check.error ?? "unknown error"}`];
  const housekeeping = housekeepingDrift(check.housekeeping);
  if (check.live === "found" && check.differences.length === 0) {
    const note = ignored === "" ? "" : ` (${ignored})`;
    if (housekeeping === undefined) return [`${head}: in sync${note}`];
    return [`${head}: drift`, `  config.toml: in sync${note}`, `  ${housekeeping}`];
  }
  const lines = configDriftLines(check, head, ignored);
  return housekeeping === undefined ? lines : [...lines, `  ${housekeeping}`];
}

/** What is wrong with the housekeeping container, or undefined when nothing is. */
function housekeepingDrift(state: HousekeepingState | undefined): string | undefined {
  if (state === undefined) return undefined;
  switch (state.status) {
    case "running":
      return undefined;
    case "missing":
      return `housekeeping container not found (${state.source}): GitLab Runner's volumes and images are not cleaned up`;
    case "not-running":
      return `housekeeping container is not running (${state.source}, ${state.state}): GitLab Runner's volumes and images are not cleaned up`;
    default: {
      const unknown: never = state;
      throw new Error(`unknown housekeeping state ${JSON.stringify(unknown)}`);
    }
  }
}

function configDriftLines(check: RunnerConfigCheck, head: string, ignored: string): string[] {
  switch (check.live) {
    case "missing-manager":
      return [`${head}: drift: runner manager not found (${check.source ?? ""})`];
    case "missing-file":
      return [`${head}: drift: config.toml is missing (${check.source ?? ""})`];
    case "unparseable": {
      const at = check.syntaxErrorAt;
      const position = at === undefined ? "" : ` at line ${at.line}, column ${at.column}`;
      return [
        `${head}: drift: live config.toml is not valid TOML${position} (${check.source ?? ""})`,
      ];
    }
    default:
      return [
        `${head}: drift`,
        `  live config: ${check.source ?? ""}`,
        ...check.differences.map((difference) => `  ${differenceText(difference)}`),
        ...(ignored === "" ? [] : [`  ${ignored}`]),
      ];
  }
}

function ignoredText(ignored: RunnerConfigCheck["ignored"]): string {
  const secrets = ignored.filter((entry) => entry.reason === "secret-unverifiable").length;
  const count = ignored.length - secrets;
  const noun = count === 1 ? "difference" : "differences";
  return [
    count === 0 ? "" : `ignored ${count} ${noun} GitLab Runner makes itself`,
    // A cache credential: present live, but its value is only in Pulumi's state.
    secrets === 0 ? "" : `${secrets} ${secrets === 1 ? "secret" : "secrets"} present, not compared`,
  ]
    .filter((part) => part !== "")
    .join("; ");
}

/** `~ path: desired D, live L`, `+ path = L (only in the live config)`, `- path = D (missing from the live config)`. */
export function differenceText(difference: ConfigDifference): string {
  const note = difference.note === undefined ? "" : difference.note;
  switch (difference.kind) {
    case "changed":
      return `~ ${difference.path}: ${note === "" ? `desired ${difference.desired ?? ""}, live ${difference.live ?? ""}` : note}`;
    case "added":
      if (difference.live === undefined) return `+ ${difference.path}: ${note}`;
      return `+ ${difference.path} = ${difference.live} (only in the live config)`;
    case "removed":
      if (difference.desired === undefined) return `- ${difference.path}: ${note}`;
      return `- ${difference.path} = ${difference.desired} (missing from the live config${note === "" ? "" : `: ${note}`})`;
    default: {
      const unknown: never = difference.kind;
      throw new Error(`unknown difference kind ${String(unknown)}`);
    }
  }
}

function gitlabLines(section: GitLabSection | undefined): string[] {
  if (section === undefined) return ["gitlab runners: skipped (--skip-gitlab)"];
  switch (section.status) {
    case "skipped":
      return [`gitlab runners: skipped: ${section.reason}`];
    case "error":
      return [`gitlab runners: could not check: ${section.error}`];
    case "checked":
      return section.runners.length === 0
        ? ["gitlab runners: the stack has no runners"]
        : section.runners.flatMap(gitlabRunnerLines);
    default: {
      const unknown: never = section;
      throw new Error(`unknown gitlab section ${JSON.stringify(unknown)}`);
    }
  }
}

function gitlabRunnerLines(check: GitLabRunnerCheck): string[] {
  const id = check.runnerId === undefined ? "" : `id ${check.runnerId}, `;
  const head = `gitlab runner ${check.name} (${id}${check.configPath})`;
  if (check.status === "error") return [`${head}: could not check: ${check.error ?? ""}`];
  if (check.live === "not-created") {
    return [`${head}: drift: not in the stack's state; pulumi up creates it`];
  }
  if (check.live === "missing") {
    return [
      `${head}: drift: no longer in GitLab (deleted outside Pulumi); pulumi up creates it again`,
    ];
  }
  const contact =
    check.lastContact === undefined
      ? ""
      : check.lastContact === null
        ? "never contacted GitLab"
        : `last contact ${check.lastContact}`;
  if (check.status === "in-sync") return [`${head}: in sync; ${contact}`];
  return [
    `${head}: drift; ${contact}`,
    ...check.differences.map(
      (d) =>
        `  ~ ${d.attribute}: desired ${JSON.stringify(d.desired)}, live ${JSON.stringify(d.live)}`,
    ),
    ...tokenExpiryLines(check),
  ];
}

function tokenExpiryLines(check: GitLabRunnerCheck): string[] {
  const days = check.tokenExpiresInDays;
  if (days === undefined) return [];
  const when =
    days < 0
      ? `expired at ${check.tokenExpiresAt ?? ""}`
      : `expires at ${check.tokenExpiresAt ?? ""}, in ${days} day${days === 1 ? "" : "s"}`;
  return [`  token ${when}: run pulumi up, which resets it and redeploys config.toml`];
}

function resultLine(report: DriftReport): string {
  const code = driftExitCode(report);
  if (code === 0) return "result: no drift (exit 0)";
  if (code === 2) return "result: drift found (exit 2)";
  return "result: could not check everything (exit 1)";
}
