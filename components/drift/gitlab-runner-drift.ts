/**
 * GitLab-level drift of managed runners (`gitlab.manageRunners`): per runner,
 * whether GitLab still has it, whether its settings there are the stack's, and
 * when one of its managers last contacted GitLab. The runner ids come from the
 * stack's state (the `gitlabRunners` stack output), read through a small
 * interface so tests need no Pulumi CLI. Never throws: what cannot be checked
 * becomes an `error` entry.
 */
import type { RetryPolicy } from "../gitlab/gitlab-http.js";
import {
  getRunner,
  runnerManagers,
  type RunnerApi,
  type RunnerContext,
} from "../gitlab/runner-api.js";
import { RUNNER_TYPES, settingDifferences } from "../gitlab/runner-settings.js";
import { DEFAULTS } from "../model/defaults.js";
import type { Fleet, Runner } from "../model/fleet.js";
import type { RunnerRegistration } from "../model/managed-runner.js";

/** What drift needs from the stack's state and config. */
export interface ManagedRunnerState {
  /** GitLab id of each runner `pulumi up` created, by runner name. */
  readonly runnerIds: ReadonlyMap<string, number>;
  /** `gitlab.apiToken` from the stack config (decrypted), if the source can read it. */
  readonly apiToken?: string;
  /** GitLab's `token_expires_at` of each runner's token as `pulumi up` last obtained it, by runner name; null: never expires. */
  readonly tokenExpiresAt?: ReadonlyMap<string, string | null>;
}

export interface ManagedRunnerStateSource {
  /** @throws Error (with a message naming the stack) when the state cannot be read. */
  read(stackName: string): Promise<ManagedRunnerState>;
}

/** One attribute GitLab has otherwise than the stack says. */
export interface GitLabDifference {
  /** GitLab's attribute name, e.g. `tag_list`. */
  readonly attribute: string;
  readonly desired: unknown;
  readonly live: unknown;
}

export interface GitLabRunnerCheck {
  readonly name: string;
  /** Config path of the runner in the stack. */
  readonly configPath: string;
  /** GitLab's id from the stack's state; absent when the state has none. */
  readonly runnerId?: number;
  readonly status: "in-sync" | "drift" | "error";
  /** `found`; `missing`: GitLab no longer has it; `not-created`: not in the stack's state. */
  readonly live?: "found" | "missing" | "not-created";
  readonly differences: readonly GitLabDifference[];
  /** Latest `contacted_at` of the runner's managers; null when none ever contacted GitLab. */
  readonly lastContact?: string | null;
  /** How many managers (GitLab Runner processes) GitLab knows for the runner. */
  readonly managers?: number;
  /** When its token expires, from the stack's state; null: never; absent: the state does not say. */
  readonly tokenExpiresAt?: string | null;
  /** Whole days until the token expires (negative: expired), when it expires within the warning window. */
  readonly tokenExpiresInDays?: number;
  readonly error?: string;
}

/** `checked`: each runner has its own status. */
export type GitLabSection =
  | { readonly status: "skipped"; readonly reason: string }
  | { readonly status: "error"; readonly error: string }
  | { readonly status: "checked"; readonly runners: readonly GitLabRunnerCheck[] };

/**
 * Hand-made runners: nothing to compare, and their token's expiry cannot be
 * told: GitLab's `GET /runners/:id` (Entities::Ci::RunnerDetails and its base
 * Entities::Ci::Runner in lib/api/entities/ci/) has no `token_expires_at`;
 * only the runner's own token reveals it.
 */
export const UNMANAGED_NOTE =
  "gitlab.manageRunners is off: runners made by hand are not compared with GitLab, and when their tokens expire cannot be told (GitLab's runner API does not show it)";

/** Environment variable that gives drift the API token (a read_api token is enough). */
export const GITLAB_TOKEN_VARIABLE = "DIND_RUNNERS_GITLAB_API_TOKEN";

export interface GitLabDriftCheck {
  readonly fleet: Fleet;
  /** Pulumi stack holding the runner ids. */
  readonly stackName: string;
  readonly state: ManagedRunnerStateSource;
  /** A token given to drift itself; wins over the stack config's. */
  readonly apiToken?: string;
  readonly retry?: RetryPolicy;
  /** The time to measure token expiry from; default the clock (tests set it). */
  readonly now?: Date;
  /** A token expiring within this many days is drift; default DEFAULTS.managedRunner.tokenExpiryWarningDays. */
  readonly tokenWarningDays?: number;
}

export async function checkGitLabRunners(check: GitLabDriftCheck): Promise<GitLabSection> {
  const { fleet } = check;
  if (fleet.gitlab.runnerManagement === undefined) {
    return { status: "skipped", reason: UNMANAGED_NOTE };
  }
  let state: ManagedRunnerState;
  try {
    state = await check.state.read(check.stackName);
  } catch (error) {
    return { status: "error", error: error instanceof Error ? error.message : String(error) };
  }
  const apiToken = check.apiToken ?? state.apiToken;
  if (apiToken === undefined || apiToken === "") {
    return {
      status: "error",
      error: `no GitLab API token: set ${GITLAB_TOKEN_VARIABLE} (a token with the read_api scope is enough), or make gitlab.apiToken of stack "${check.stackName}" readable`,
    };
  }
  const api: RunnerApi = {
    endpoint: {
      url: fleet.gitlab.url,
      apiToken,
      ...(fleet.gitlab.caCertificate === undefined
        ? {}
        : { caCertificate: fleet.gitlab.caCertificate }),
    },
    ...(check.retry === undefined ? {} : { retry: check.retry }),
  };
  const runners = [...fleet.dockerHosts, ...fleet.kubernetesClusters].flatMap((target) =>
    target.runners.flatMap((runner) =>
      runner.registration === undefined ? [] : [{ runner, registration: runner.registration }],
    ),
  );
  const checks = await Promise.all(
    runners.map(({ runner, registration }) =>
      checkRunner(api, runner, registration, state.runnerIds.get(runner.name)),
    ),
  );
  const now = check.now ?? new Date();
  const warningDays = check.tokenWarningDays ?? DEFAULTS.managedRunner.tokenExpiryWarningDays;
  return {
    status: "checked",
    runners: checks.map((runnerCheck) =>
      withTokenExpiry(runnerCheck, state.tokenExpiresAt?.get(runnerCheck.name), now, warningDays),
    ),
  };
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Adds the token's expiry; one expiring within `warningDays` (or expired) is
 * drift: `pulumi up` resets it (token-renewal.ts) and redeploys config.toml.
 */
function withTokenExpiry(
  check: GitLabRunnerCheck,
  expiresAt: string | null | undefined,
  now: Date,
  warningDays: number,
): GitLabRunnerCheck {
  if (expiresAt === undefined || check.status === "error") return check;
  if (expiresAt === null) return { ...check, tokenExpiresAt: null };
  const left = Date.parse(expiresAt) - now.getTime();
  if (left > warningDays * DAY_MS) return { ...check, tokenExpiresAt: expiresAt };
  return {
    ...check,
    status: "drift",
    tokenExpiresAt: expiresAt,
    tokenExpiresInDays: Math.floor(left / DAY_MS),
  };
}

async function checkRunner(
  api: RunnerApi,
  runner: Runner,
  registration: RunnerRegistration,
  runnerId: number | undefined,
): Promise<GitLabRunnerCheck> {
  const base = { name: runner.name, configPath: registration.configPath };
  if (runnerId === undefined) {
    return { ...base, status: "drift", live: "not-created", differences: [] };
  }
  const context: RunnerContext = { name: runner.name, configPath: registration.configPath };
  try {
    const live = await getRunner(api, context, runnerId);
    if (live === undefined) {
      return { ...base, runnerId, status: "drift", live: "missing", differences: [] };
    }
    const differences: GitLabDifference[] = [];
    const runnerType = RUNNER_TYPES[registration.scope.kind];
    if (live["runner_type"] !== runnerType) {
      differences.push({
        attribute: "runner_type",
        desired: runnerType,
        live: live["runner_type"],
      });
    }
    for (const { attribute, desired, live: value } of settingDifferences(
      registration.settings,
      live,
    )) {
      differences.push({ attribute, desired, live: value });
    }
    const managers = await runnerManagers(api, context, runnerId);
    const contacts = managers
      .map((manager) => manager.contactedAt)
      .filter((at): at is string => at !== null)
      .sort();
    return {
      ...base,
      runnerId,
      status: differences.length > 0 ? "drift" : "in-sync",
      live: "found",
      differences,
      lastContact: contacts.at(-1) ?? null,
      managers: managers.length,
    };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { ...base, runnerId, status: "error", differences: [], error: message };
  }
}
