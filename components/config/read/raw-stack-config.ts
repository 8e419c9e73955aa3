/**
 * A stack's configuration as read from its source (a stack file or the Pulumi
 * runtime), before any validation.
 */
import type { ConfigIssue } from "../messages/config-issue.js";

export interface RawStackConfig {
  /** The environment (stack) name, e.g. `prod`. */
  readonly environment: string;
  /**
   * Keys of the `dind-runners:` namespace without the prefix, values already parsed
   * (objects, lists, scalars); an encrypted value is `{ secure: "<ciphertext>" }`.
   */
  readonly values: Readonly<Record<string, unknown>>;
  /**
   * Problems the source found while reading (e.g. keys of an unknown namespace);
   * loadFleet reports them together with everything else. Default: none.
   */
  readonly issues?: readonly ConfigIssue[];
}

/**
 * A top-level `dind-runners:` value as the Pulumi program will see it. Pulumi
 * stores a value set without `--path` as text (`pulumi config set production true`
 * writes the string "true"; a map set that way is JSON text), hands every
 * top-level value to the program as text, and its Node SDK reads structured values
 * with JSON.parse (`Config.getObject`). So a top-level string that is JSON stands
 * for its JSON value, and anything else for itself. Both readers (the stack file
 * for `render`, the Pulumi runtime for `pulumi up`) go through this one function,
 * so both accept exactly the same stacks.
 */
export function topLevelConfigValue(value: unknown): unknown {
  if (typeof value !== "string") return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
}
