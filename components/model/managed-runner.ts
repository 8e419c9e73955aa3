/**
 * A runner that `pulumi up` creates, updates and deletes in GitLab
 * (`gitlab.manageRunners: true`): where it lives and the settings GitLab keeps
 * for it. Plain data, shared by the config resolver, the GitLabRunner resource
 * and drift detection.
 */

/** Where the runner lives in GitLab; a group or project by full path or numeric id. */
export type RunnerScope =
  | { readonly kind: "instance" }
  | { readonly kind: "group"; readonly group: string | number }
  | { readonly kind: "project"; readonly project: string | number };

/** `ref_protected`: only jobs of protected branches and tags. */
export type RunnerAccessLevel = "not_protected" | "ref_protected";

/** The settings GitLab keeps per runner that the stack owns; all of them update in place. */
export interface RunnerSettings {
  readonly description: string;
  /** Sorted, unique. */
  readonly tags: readonly string[];
  readonly runUntagged: boolean;
  readonly locked: boolean;
  readonly paused: boolean;
  readonly accessLevel: RunnerAccessLevel;
  /** Seconds; null: no runner-level cap. */
  readonly maximumTimeout: number | null;
}

/** What GitLab is told about one managed runner. */
export interface RunnerRegistration {
  /** Config path of the runner, e.g. `dockerHosts[0].runners[1]`, for messages. */
  readonly configPath: string;
  readonly scope: RunnerScope;
  readonly settings: RunnerSettings;
  /** Any text; a change resets the runner's token. Absent: never reset. */
  readonly rotateToken?: string;
  /** Share of an expiring token's lifetime after which `pulumi up` resets it (`gitlab.renewTokensAtPercent` / 100). */
  readonly tokenRenewalShare: number;
}
