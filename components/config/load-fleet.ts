/**
 * Validates a stack's raw config and resolves it into the Fleet model. The one
 * entry point shared by `npm run render` (stack files) and `pulumi up` (Pulumi's
 * decrypted config). Bad input never throws: every problem comes back at once.
 */
import type { Fleet } from "../model/fleet.js";
import { configError, isError, type ConfigIssue } from "./config-issue.js";
import { crossFieldIssues } from "./cross-field-checks.js";
import { environmentNameProblem } from "./environment-name.js";
import { inDocumentOrder } from "./issue-order.js";
import { parseStackConfig } from "./parse-stack-config.js";
import type { RawStackConfig } from "./raw-stack-config.js";
import { resolveFleet } from "./resolve-fleet.js";
import type { SecretPolicy } from "./secret-checks.js";

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
  const parsed = parseStackConfig(raw.values);
  const environmentProblem = environmentNameProblem(raw.environment);
  const issues = inDocumentOrder([
    ...(environmentProblem === undefined ? [] : [configError("", environmentProblem)]),
    ...(raw.issues ?? []),
    ...parsed.issues,
    ...crossFieldIssues(parsed, options),
  ]);
  if (parsed.config === undefined || issues.some(isError)) return { ok: false, issues };
  const { fleet, secrets } = resolveFleet(parsed.config, raw.environment);
  return { ok: true, fleet, secrets, warnings: issues };
}
