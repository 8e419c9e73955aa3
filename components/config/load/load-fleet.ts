/**
 * Validates a stack's raw config and resolves it into the Fleet model. The one
 * entry point shared by `npm run render` (stack files) and `pulumi up` (Pulumi's
 * decrypted config). Bad input never throws: every problem comes back at once.
 */
import type { Fleet } from "../../model/fleet.js";
import { configError, isError, type ConfigIssue } from "../messages/config-issue.js";
import { crossFieldIssues } from "../checks/cross-field-checks.js";
import { environmentNameProblem } from "../grammars/environment-name.js";
import { inDocumentOrder } from "../messages/issue-order.js";
import { environmentLabelIssues } from "../grammars/kubernetes-names.js";
import { parseStackConfig } from "../schema/parse-stack-config.js";
import type { RawStackConfig } from "../read/raw-stack-config.js";
import { checkRawValues } from "../read/raw-value-checks.js";
import { resolveFleet } from "./resolve-fleet.js";
import type { SecretPolicy } from "../checks/secret-checks.js";

/** `pulumi up`: both true. `render` from a stack file: both false. */
export type LoadFleetOptions = SecretPolicy;

export type LoadResult =
  | {
      readonly ok: true;
      readonly fleet: Fleet;
      /** Plaintext of secrets whose value is known (decrypted Pulumi config), by config path. */
      readonly secrets: ReadonlyMap<string, string>;
      readonly warnings: readonly ConfigIssue[];
    }
  | { readonly ok: false; readonly issues: readonly ConfigIssue[] };

export function loadFleet(raw: RawStackConfig, options: LoadFleetOptions): LoadResult {
  const checked = checkRawValues(raw.values);
  const parsed = parseStackConfig(checked.values);
  const environmentProblem = environmentNameProblem(raw.environment);
  const clusters = parsed.salvaged.kubernetesClusters ?? [];
  const issues = inDocumentOrder([
    ...(environmentProblem === undefined
      ? environmentLabelIssues(raw.environment, clusters.length > 0)
      : [configError("", environmentProblem)]),
    ...(raw.issues ?? []),
    ...checked.issues,
    // A value with a control character is reported once, by checkRawValues.
    ...withoutPaths(parsed.issues, checked.issues),
    ...crossFieldIssues(parsed, options),
  ]);
  if (parsed.config === undefined || issues.some(isError)) return { ok: false, issues };
  const { fleet, secrets } = resolveFleet(parsed.config, raw.environment);
  return { ok: true, fleet, secrets, warnings: issues };
}

function withoutPaths(
  issues: readonly ConfigIssue[],
  reported: readonly ConfigIssue[],
): readonly ConfigIssue[] {
  const paths = new Set(reported.map((issue) => issue.path));
  return issues.filter((issue) => !paths.has(issue.path));
}
