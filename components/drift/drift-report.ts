/**
 * The drift report: what `npm run drift` found, its exit code, and its JSON
 * form. Deterministic: no timestamps, everything sorted by the checks that
 * produced it, so the same live state always gives the same bytes. Pure.
 */
import type { PulumiDriftResult } from "./automation-drift-source.js";
import type { RunnerConfigCheck } from "./check-runner-config.js";
import type { GitLabSection } from "./gitlab-runner-drift.js";

export type PulumiSection =
  | { readonly status: "skipped" }
  | { readonly status: "error"; readonly error: string }
  | ({ readonly status: "in-sync" | "drift" } & PulumiDriftResult);

export interface DriftReport {
  /** The environment (stack) checked. */
  readonly stack: string;
  readonly pulumi: PulumiSection;
  /** One check per Docker host and cluster, in stack-config order; absent when skipped. */
  readonly runners?: readonly RunnerConfigCheck[];
  /** Managed runners in GitLab (`gitlab.manageRunners`); absent when skipped (`--skip-gitlab`). */
  readonly gitlab?: GitLabSection;
}

/** 0 no drift, 2 drift found, 1 something could not be checked (wins over 2: the check is incomplete). */
export type DriftExitCode = 0 | 1 | 2;

export function pulumiSection(result: PulumiDriftResult): PulumiSection {
  return { status: result.resources.length > 0 ? "drift" : "in-sync", ...result };
}

export function driftExitCode(report: DriftReport): DriftExitCode {
  const gitlab = report.gitlab;
  const statuses = [
    report.pulumi.status,
    ...(report.runners ?? []).map((check) => check.status),
    ...(gitlab === undefined ? [] : [gitlab.status]),
    ...(gitlab?.status === "checked" ? gitlab.runners.map((check) => check.status) : []),
  ];
  if (statuses.includes("error")) return 1;
  if (statuses.includes("drift")) return 2;
  return 0;
}

export type DriftResult = "in-sync" | "drift" | "incomplete";

export function driftResult(code: DriftExitCode): DriftResult {
  return code === 0 ? "in-sync" : code === 2 ? "drift" : "incomplete";
}

/**
 * Version of the JSON layout; bumped on any incompatible change. 2: a runner
 * check names its target by `variant` (`docker` | `kubernetes`), as the stack
 * outputs do, instead of `kind` (`docker-host` | `kubernetes-cluster`).
 */
export const DRIFT_REPORT_SCHEMA_VERSION = 2;

/**
 * The `--json` document:
 * `{ schemaVersion, stack, result, exitCode, skipped, pulumi, runners, gitlab }`.
 * `skipped` lists the levels not checked (`pulumi`, `runners`, `gitlab`); `gitlab`
 * is `{ status: "skipped", reason }` then (the reason says why).
 */
export function driftReportJson(report: DriftReport): string {
  const exitCode = driftExitCode(report);
  const skipped = [
    ...(report.pulumi.status === "skipped" ? ["pulumi"] : []),
    ...(report.runners === undefined ? ["runners"] : []),
    ...(report.gitlab === undefined || report.gitlab.status === "skipped" ? ["gitlab"] : []),
  ];
  const document = {
    schemaVersion: DRIFT_REPORT_SCHEMA_VERSION,
    stack: report.stack,
    result: driftResult(exitCode),
    exitCode,
    skipped,
    pulumi: report.pulumi,
    runners: report.runners ?? [],
    gitlab: report.gitlab ?? { status: "skipped", reason: "--skip-gitlab" },
  };
  return JSON.stringify(document, null, 2) + "\n";
}
