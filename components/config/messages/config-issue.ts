/**
 * A problem found in a stack's configuration, and how problems are shown to people.
 * Every check in this module reports ConfigIssues instead of throwing, so a user
 * sees every problem of a stack at once, each with the config path to edit.
 */
import { withoutCredentials } from "./describe-value.js";

export type IssueSeverity = "error" | "warning";

export interface ConfigIssue {
  /** Config path inside the `dind-runners:` namespace, e.g. `dockerHosts[1].runners[0].name`; empty for the whole stack. */
  readonly path: string;
  /** What was expected and what was found; never contains a secret value. */
  readonly message: string;
  /** Errors block deployment and rendering; warnings are shown and do not. */
  readonly severity: IssueSeverity;
}

/** Messages quote found values with `quoted`; masking credentials here as well keeps any that slipped through out of logs. */
export function configError(path: string, message: string): ConfigIssue {
  return { path, message: withoutCredentials(message), severity: "error" };
}

export function configWarning(path: string, message: string): ConfigIssue {
  return { path, message: withoutCredentials(message), severity: "warning" };
}

export function isError(issue: ConfigIssue): boolean {
  return issue.severity === "error";
}

/** Errors first, then warnings; otherwise the order in which they were found. */
function errorsFirst(issues: readonly ConfigIssue[]): readonly ConfigIssue[] {
  return [...issues.filter(isError), ...issues.filter((issue) => !isError(issue))];
}

/** One line: `error: dockerHosts[0].runners[0].name: expected ...`. */
export function formatIssue(issue: ConfigIssue): string {
  const location = issue.path === "" ? "" : `${issue.path}: `;
  return `${issue.severity}: ${location}${issue.message}`;
}

/**
 * A header counting errors and warnings (`stack "prod": 2 errors, 1 warning`),
 * then one line per issue, errors first. No trailing newline.
 */
export function formatIssues(issues: readonly ConfigIssue[], stack?: string): string {
  const subject = stack === undefined ? "stack config" : `stack "${stack}"`;
  const errors = issues.filter(isError).length;
  const warnings = issues.length - errors;
  const counts = [count(errors, "error"), count(warnings, "warning")].filter((text) => text !== "");
  const header = `${subject}: ${counts.length === 0 ? "no problems" : counts.join(", ")}`;
  return [header, ...errorsFirst(issues).map(formatIssue)].join("\n");
}

function count(n: number, noun: string): string {
  if (n === 0) return "";
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}

/**
 * Bad configuration that stops a command. Its message is the formatted issue list,
 * so printing `error.message` is enough; it is never shown with a stack trace.
 */
export class FleetConfigError extends Error {
  readonly issues: readonly ConfigIssue[];

  constructor(issues: readonly ConfigIssue[], stack?: string) {
    super(formatIssues(issues, stack));
    this.name = "FleetConfigError";
    this.issues = issues;
  }
}
