/**
 * The dynamic provider behind {@link GitLabRunner}: create, diff, update, read
 * and delete of one GitLab runner through the REST API.
 *
 * Pulumi serializes this object (and everything it reaches) into the stack's
 * state and runs it in its dynamic-provider host, so it reaches only plain
 * functions, constants and Node built-ins: no `@pulumi/*` import, no client
 * object, no credential captured. The API token arrives as an input (a secret)
 * and is kept in the state's outputs (a secret) because `delete` sees only those.
 */
import type { RetryPolicy } from "./gitlab-http.js";
import {
  createRunner,
  deleteRunner,
  getRunner,
  resetRunnerToken,
  scopeNamespaceId,
  updateRunner,
  type RunnerApi,
  type RunnerContext,
} from "./runner-api.js";
import type { RunnerScope, RunnerSettings } from "../model/managed-runner.js";
import { tokenRenewalDue } from "./token-renewal.js";
import {
  runnerSettingsAttributes,
  runnerSettingsProblems,
  settingDifferences,
  settingsFromApi,
} from "./runner-settings.js";

/** The resource's inputs; null rather than absent, since the engine drops undefined. */
export interface GitLabRunnerInputs {
  /** https URL of the GitLab instance, without `/api/v4`. */
  readonly gitlabUrl: string;
  /** Access token the runner is managed with (secret). */
  readonly apiToken: string;
  /** PEM of the instance's CA, or null for Node's trusted CAs. */
  readonly caCertificate: string | null;
  /** Runner name from the stack config (messages only). */
  readonly runnerName: string;
  /** Config path of the runner in the stack config (messages only). */
  readonly configPath: string;
  readonly scope: RunnerScope;
  readonly settings: RunnerSettings;
  /** Any text; a change resets the runner's authentication token. */
  readonly rotateToken: string | null;
  /** Share of an expiring token's lifetime after which `pulumi up` resets it (0 to 1). */
  readonly tokenRenewalShare: number;
}

/** What the state keeps: the inputs plus what GitLab returned. */
export interface GitLabRunnerOutputs extends GitLabRunnerInputs {
  readonly runnerId: number;
  /** Numeric id of the scope's group or project; null for an instance runner. */
  readonly namespaceId: number | null;
  /** The runner's `glrt-` authentication token (secret). */
  readonly token: string;
  readonly tokenExpiresAt: string | null;
  /** When `pulumi up` obtained the token (ISO time); null in a state written before it was kept. */
  readonly tokenObtainedAt: string | null;
}

/** The subset of Pulumi's `dynamic.ResourceProvider` implemented here, in its shapes. */
export interface GitLabRunnerProvider {
  check(
    olds: unknown,
    news: GitLabRunnerInputs,
  ): Promise<{
    inputs: GitLabRunnerInputs;
    failures: { property: string; reason: string }[];
  }>;
  create(inputs: GitLabRunnerInputs): Promise<{ id: string; outs: GitLabRunnerOutputs }>;
  diff(
    id: string,
    olds: GitLabRunnerOutputs,
    news: GitLabRunnerInputs,
  ): Promise<{ changes: boolean; replaces: string[]; deleteBeforeReplace: boolean }>;
  update(
    id: string,
    olds: GitLabRunnerOutputs,
    news: GitLabRunnerInputs,
  ): Promise<{ outs: GitLabRunnerOutputs }>;
  read(
    id: string,
    props: GitLabRunnerOutputs,
  ): Promise<{ id?: string; props?: GitLabRunnerOutputs }>;
  delete(id: string, props: GitLabRunnerOutputs): Promise<void>;
}

/**
 * Inputs whose change replaces the runner: GitLab cannot move a runner to
 * another scope or instance. `scope` is compared by the group or project it
 * resolves to, not by how it is spelled (see {@link sameNamespace}).
 */
const REPLACING_INPUTS = ["gitlabUrl", "scope"] as const;

/** Inputs that only the state keeps; a change updates the state without calling GitLab. */
const STATE_ONLY_INPUTS = ["apiToken", "caCertificate", "runnerName", "configPath"] as const;

function apiOf(inputs: GitLabRunnerInputs, retry: RetryPolicy | undefined): RunnerApi {
  return {
    endpoint: {
      url: inputs.gitlabUrl,
      apiToken: inputs.apiToken,
      ...(inputs.caCertificate === null ? {} : { caCertificate: inputs.caCertificate }),
    },
    ...(retry === undefined ? {} : { retry }),
  };
}

function contextOf(inputs: GitLabRunnerInputs): RunnerContext {
  return { name: inputs.runnerName, configPath: inputs.configPath, scopeKind: inputs.scope.kind };
}

function runnerIdOf(id: string, props: GitLabRunnerOutputs): number {
  return typeof props.runnerId === "number" ? props.runnerId : Number(id);
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

/**
 * Whether the new scope names the group or project the runner already lives in
 * (`{ group: platform/build }` and `{ group: 41 }` are the same group): the
 * state keeps the resolved id, and a path is looked up only when its spelling
 * changed. Another kind, or another GitLab instance, is never the same.
 */
async function sameNamespace(
  olds: GitLabRunnerOutputs,
  news: GitLabRunnerInputs,
  retry: RetryPolicy | undefined,
): Promise<boolean> {
  if (same(olds.scope, news.scope)) return true;
  if (olds.scope.kind !== news.scope.kind || news.scope.kind === "instance") return false;
  if (typeof olds.namespaceId !== "number" || !same(olds.gitlabUrl, news.gitlabUrl)) return false;
  const id = await scopeNamespaceId(apiOf(news, retry), contextOf(news), news.scope);
  return id === olds.namespaceId;
}

/** Whether the token in `olds` has lived its share: the next update resets it. */
function renewalDue(olds: GitLabRunnerOutputs, news: GitLabRunnerInputs, now: Date): boolean {
  return tokenRenewalDue(
    { obtainedAt: olds.tokenObtainedAt ?? null, expiresAt: olds.tokenExpiresAt ?? null },
    news.tokenRenewalShare,
    now,
  );
}

/**
 * A provider whose API calls use `retry` (default: the client's policy) and
 * whose clock is `now` (tests set the time; nothing waits).
 */
export function gitlabRunnerProvider(
  retry?: RetryPolicy,
  now: () => Date = () => new Date(),
): GitLabRunnerProvider {
  return {
    // Before any request, in preview too: what GitLab would refuse for its length.
    check(_olds, news) {
      // In a preview an input may still be unknown (the engine's placeholder text): nothing to check yet.
      const settings = news.settings as Partial<RunnerSettings> | string;
      const known =
        typeof settings === "object" &&
        typeof settings.description === "string" &&
        Array.isArray(settings.tags) &&
        settings.tags.every((tag) => typeof tag === "string");
      const failures = known ? runnerSettingsProblems(news.settings, news.configPath) : [];
      return Promise.resolve({ inputs: news, failures });
    },

    async create(inputs) {
      const api = apiOf(inputs, retry);
      const runner = contextOf(inputs);
      const namespaceId = await scopeNamespaceId(api, runner, inputs.scope);
      const created = await createRunner(api, runner, inputs.scope, namespaceId, inputs.settings);
      return {
        id: String(created.id),
        outs: {
          ...inputs,
          runnerId: created.id,
          namespaceId: namespaceId ?? null,
          token: created.token,
          tokenExpiresAt: created.tokenExpiresAt,
          tokenObtainedAt: now().toISOString(),
        },
      };
    },

    async diff(_id, olds, news) {
      const replaces: string[] = [];
      for (const key of REPLACING_INPUTS) {
        const unchanged =
          key === "scope" ? await sameNamespace(olds, news, retry) : same(olds[key], news[key]);
        if (!unchanged) replaces.push(key);
      }
      const changes =
        replaces.length > 0 ||
        !same(olds.scope, news.scope) ||
        settingDifferences(news.settings, runnerSettingsAttributes(olds.settings)).length > 0 ||
        !same(olds.rotateToken, news.rotateToken) ||
        renewalDue(olds, news, now()) ||
        STATE_ONLY_INPUTS.some((key) => !same(olds[key], news[key]));
      // The new runner and its config.toml come first; the old runner goes last.
      return { changes, replaces, deleteBeforeReplace: false };
    },

    async update(id, olds, news) {
      const api = apiOf(news, retry);
      const runner = contextOf(news);
      const runnerId = runnerIdOf(id, olds);
      if (settingDifferences(news.settings, runnerSettingsAttributes(olds.settings)).length > 0) {
        await updateRunner(api, runner, runnerId, news.settings);
      }
      let token = {
        token: olds.token,
        tokenExpiresAt: olds.tokenExpiresAt,
        tokenObtainedAt: olds.tokenObtainedAt ?? null,
      };
      const time = now();
      if (!same(olds.rotateToken, news.rotateToken) || renewalDue(olds, news, time)) {
        const reset = await resetRunnerToken(api, runner, runnerId);
        token = { ...reset, tokenObtainedAt: time.toISOString() };
      }
      return {
        outs: { ...news, runnerId, namespaceId: olds.namespaceId ?? null, ...token },
      };
    },

    async read(id, props) {
      const runnerId = runnerIdOf(id, props);
      const live = await getRunner(apiOf(props, retry), contextOf(props), runnerId);
      // No id: the engine drops the runner from the state, and pulumi up creates it again.
      if (live === undefined) return {};
      return { id, props: { ...props, settings: settingsFromApi(live, props.settings) } };
    },

    async delete(id, props) {
      await deleteRunner(apiOf(props, retry), contextOf(props), runnerIdOf(id, props));
    },
  };
}
