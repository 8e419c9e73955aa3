/**
 * A stack's configuration as read from its source (a stack file or the Pulumi
 * runtime), before any validation.
 */
import type { ConfigIssue } from "./config-issue.js";

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
