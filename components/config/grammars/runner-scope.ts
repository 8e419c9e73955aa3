/**
 * The `scope` of a managed runner in the stack config: `instance`,
 * `{ group: <full path or id> }` or `{ project: <full path or id> }`.
 */
import type { RunnerScope } from "../../model/managed-runner.js";
import { expectedFound } from "../messages/describe-value.js";

export const RUNNER_SCOPE_FORMS =
  "instance, { group: <full path or id> } or { project: <full path or id> }";

/** `platform/build`: path segments without leading, trailing or doubled slashes. */
const FULL_PATH = /^[A-Za-z0-9_.][A-Za-z0-9_.-]*(\/[A-Za-z0-9_.][A-Za-z0-9_.-]*)*$/;

/** The scope, or undefined when the value is not one. */
export function parseRunnerScope(value: unknown): RunnerScope | undefined {
  if (value === "instance") return { kind: "instance" };
  if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
  const entries = Object.entries(value);
  if (entries.length !== 1) return undefined;
  const [key, ref] = entries[0] as [string, unknown];
  const valid =
    (typeof ref === "number" && Number.isSafeInteger(ref) && ref > 0) ||
    (typeof ref === "string" && FULL_PATH.test(ref));
  if (!valid) return undefined;
  if (key === "group") return { kind: "group", group: ref };
  if (key === "project") return { kind: "project", project: ref };
  return undefined;
}

/** What is wrong with a scope value, or undefined. */
export function runnerScopeProblem(value: unknown): string | undefined {
  if (parseRunnerScope(value) !== undefined) return undefined;
  const entry =
    typeof value === "object" && value !== null && !Array.isArray(value)
      ? Object.entries(value)
      : [];
  const [key, ref] = (entry.length === 1 ? entry[0] : []) as [string?, unknown?];
  if (key === "group" || key === "project") {
    return expectedFound(`the ${key}'s full path (e.g. platform/build) or numeric id`, ref);
  }
  return expectedFound(RUNNER_SCOPE_FORMS, value);
}
