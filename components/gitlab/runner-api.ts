/**
 * The runner endpoints of GitLab's REST API that `pulumi up` and `npm run drift`
 * use, each failure turned into one clear error naming the runner and the stack
 * config path to edit. Endpoints (GitLab 16+, lib/api/user_runners.rb and
 * lib/api/ci/runners.rb):
 * - `POST /user/runners` (scope `create_runner` or `api`): create, returns `id`, `token`, `token_expires_at`;
 * - `PUT /runners/:id`, `DELETE /runners/:id`, `POST /runners/:id/reset_authentication_token`,
 *   `GET /runners/:id`, `GET /runners/:id/managers` (scope `manage_runner` or `api`);
 * - `GET /groups/:path`, `GET /projects/:path` (scope `read_api` or `api`): a path to an id,
 *   since `POST /user/runners` takes `group_id` / `project_id` as integers only.
 */
import {
  DEFAULT_RETRY_POLICY,
  gitlabRequest,
  GitLabRequestError,
  isCertificateProblem,
  neverSent,
  type GitLabEndpoint,
  type GitLabRequest,
  type NotFoundKind,
  type RetryPolicy,
} from "./gitlab-http.js";
import type { RunnerScope, RunnerSettings } from "../model/managed-runner.js";
import { RUNNER_TYPES, runnerSettingsAttributes } from "./runner-settings.js";

/** Which runner of the stack a call is about, for messages. */
export interface RunnerContext {
  /** Runner name from the stack config. */
  readonly name: string;
  /** Config path of the runner, e.g. `dockerHosts[0].runners[1]`. */
  readonly configPath: string;
  /** Where the runner lives, when known: an instance runner needs an administrator's token. */
  readonly scopeKind?: RunnerScope["kind"];
}

/** A call about one runner failed; the message says what to do. Never contains a token. */
export class RunnerApiError extends Error {
  constructor(
    message: string,
    readonly status: number | undefined,
    /** For a 404: whose 404 it is (see {@link NotFoundKind}). */
    readonly notFound?: NotFoundKind,
  ) {
    super(message);
    this.name = "RunnerApiError";
  }

  /**
   * Whether GitLab's API itself said the record is not there: only then is a
   * runner gone. A 404 of GitLab's router or of anything in front of GitLab
   * (a misrouted gitlab.url) says nothing about the runner.
   */
  get recordNotFound(): boolean {
    return this.status === 404 && this.notFound === "record";
  }
}

export interface RunnerApi {
  readonly endpoint: GitLabEndpoint;
  readonly retry?: RetryPolicy;
}

export interface CreatedRunner {
  readonly id: number;
  readonly token: string;
  /** ISO time, or null when the instance sets no expiry. */
  readonly tokenExpiresAt: string | null;
}

export interface RunnerManager {
  readonly systemId: string;
  /** ISO time of the manager's last request, or null. */
  readonly contactedAt: string | null;
  readonly status: string | null;
  readonly version: string | null;
}

/** Numeric id of the scope's group or project; undefined for an instance runner. */
export async function scopeNamespaceId(
  api: RunnerApi,
  runner: RunnerContext,
  scope: RunnerScope,
): Promise<number | undefined> {
  if (scope.kind === "instance") return undefined;
  const [resource, ref] =
    scope.kind === "group"
      ? (["groups", scope.group] as const)
      : (["projects", scope.project] as const);
  if (typeof ref === "number") return ref;
  const response = await call(api, runner, `look up the ${scope.kind} "${ref}"`, {
    method: "GET",
    path: `/${resource}/${encodeURIComponent(ref)}`,
  });
  const id = (response as { id?: unknown } | undefined)?.id;
  if (typeof id !== "number") {
    throw new RunnerApiError(
      `${prefix(runner, `look up the ${scope.kind} "${ref}"`)}: GitLab's answer has no numeric id`,
      undefined,
    );
  }
  return id;
}

export async function createRunner(
  api: RunnerApi,
  runner: RunnerContext,
  scope: RunnerScope,
  namespaceId: number | undefined,
  settings: RunnerSettings,
): Promise<CreatedRunner> {
  const body: Record<string, unknown> = {
    runner_type: RUNNER_TYPES[scope.kind],
    ...(scope.kind === "group" ? { group_id: namespaceId } : {}),
    ...(scope.kind === "project" ? { project_id: namespaceId } : {}),
    ...runnerSettingsAttributes(settings),
  };
  // POST /user/runners refuses a null maximum_timeout; leaving it out means none.
  if (settings.maximumTimeout === null) delete body["maximum_timeout"];
  const response = await call(api, runner, "create the runner", {
    method: "POST",
    path: "/user/runners",
    body,
  });
  const created = (response ?? {}) as Record<string, unknown>;
  const id = created["id"];
  const token = created["token"];
  if (typeof id !== "number" || typeof token !== "string" || token === "") {
    throw new RunnerApiError(
      `${prefix(runner, "create the runner")}: GitLab's answer has no runner id and token; check GitLab for a runner described "${settings.description}"`,
      undefined,
    );
  }
  return { id, token, tokenExpiresAt: expiry(created["token_expires_at"]) };
}

export async function updateRunner(
  api: RunnerApi,
  runner: RunnerContext,
  id: number,
  settings: RunnerSettings,
): Promise<void> {
  await call(api, runner, `update runner ${id}`, {
    method: "PUT",
    path: `/runners/${id}`,
    body: runnerSettingsAttributes(settings),
  });
}

/** Deletes the runner; one that is already gone counts as deleted. */
export async function deleteRunner(
  api: RunnerApi,
  runner: RunnerContext,
  id: number,
): Promise<void> {
  try {
    await call(api, runner, `delete runner ${id}`, { method: "DELETE", path: `/runners/${id}` });
  } catch (error) {
    if (error instanceof RunnerApiError && error.recordNotFound) return;
    throw error;
  }
}

export async function resetRunnerToken(
  api: RunnerApi,
  runner: RunnerContext,
  id: number,
): Promise<Omit<CreatedRunner, "id">> {
  const response = await call(api, runner, `reset the token of runner ${id}`, {
    method: "POST",
    path: `/runners/${id}/reset_authentication_token`,
  });
  const body = (response ?? {}) as Record<string, unknown>;
  const token = body["token"];
  if (typeof token !== "string" || token === "") {
    throw new RunnerApiError(
      `${prefix(runner, `reset the token of runner ${id}`)}: GitLab's answer has no token`,
      undefined,
    );
  }
  return { token, tokenExpiresAt: expiry(body["token_expires_at"]) };
}

/** The runner's details, or undefined when GitLab no longer has it. */
export async function getRunner(
  api: RunnerApi,
  runner: RunnerContext,
  id: number,
): Promise<Readonly<Record<string, unknown>> | undefined> {
  try {
    const body = await call(api, runner, `read runner ${id}`, {
      method: "GET",
      path: `/runners/${id}`,
    });
    return (body ?? {}) as Record<string, unknown>;
  } catch (error) {
    if (error instanceof RunnerApiError && error.recordNotFound) return undefined;
    throw error;
  }
}

export async function runnerManagers(
  api: RunnerApi,
  runner: RunnerContext,
  id: number,
): Promise<RunnerManager[]> {
  const body = await call(api, runner, `list the managers of runner ${id}`, {
    method: "GET",
    path: `/runners/${id}/managers`,
  });
  if (!Array.isArray(body)) return [];
  return body.map((entry) => {
    const record = (entry ?? {}) as Record<string, unknown>;
    const text = (value: unknown) => (typeof value === "string" ? value : null);
    return {
      systemId: text(record["system_id"]) ?? "",
      contactedAt: text(record["contacted_at"]),
      status: text(record["status"]),
      version: text(record["version"]),
    };
  });
}

function expiry(value: unknown): string | null {
  return typeof value === "string" && value !== "" ? value : null;
}

function prefix(runner: RunnerContext, action: string): string {
  return `runner ${runner.name} (${runner.configPath}): could not ${action}`;
}

async function call(
  api: RunnerApi,
  runner: RunnerContext,
  action: string,
  request: GitLabRequest,
): Promise<unknown> {
  try {
    return (await gitlabRequest(api.endpoint, request, api.retry ?? DEFAULT_RETRY_POLICY)).body;
  } catch (error) {
    if (!(error instanceof GitLabRequestError)) throw error;
    throw new RunnerApiError(
      `${prefix(runner, action)}: ${error.message}${detailText(error)}; ${advice(error, request, runner)}`,
      error.failure.status,
      error.answer?.notFound,
    );
  }
}

/** GitLab's explanation from a JSON body, or what came back instead of JSON. */
function detailText(error: GitLabRequestError): string {
  const answer = error.answer;
  if (answer === undefined || answer.location !== undefined) return "";
  if (!answer.json) {
    // A 2xx's body is named in the error message already.
    return error.failure.status !== undefined && error.failure.status < 300
      ? ""
      : ` (answer: ${answer.body})`;
  }
  return answer.detail === undefined || answer.detail === "" ? "" : ` (GitLab: ${answer.detail})`;
}

const GITLAB_URL_PARTS =
  "http or https, host name, and the path prefix of a GitLab under a relative URL such as https://example.com/gitlab; without /api/v4";

/**
 * Advice for an answer that did not come from GitLab's API, or from an API
 * without the endpoint: a 3xx, a 2xx that is not JSON, a 404 that is not
 * GitLab's "no such record" (see {@link NotFoundKind}). Undefined otherwise.
 */
function misrouted(
  error: GitLabRequestError,
  request: GitLabRequest,
  what: string,
): string | undefined {
  const answer = error.answer;
  const status = error.failure.status;
  if (answer === undefined || status === undefined) return undefined;
  if (answer.location !== undefined) {
    return `GitLab's API answers this call itself and never redirects it, so ${error.url} is not GitLab's API: check gitlab.url (${GITLAB_URL_PARTS})${what}`;
  }
  // A 5xx page of a proxy in front of GitLab is no sign of a wrong URL: GitLab is down.
  if ((status < 300 && !answer.json) || (status === 404 && answer.notFound === "foreign")) {
    return `that is not GitLab's API, which answers JSON (and {"message":"404 Not found"} for a record it does not have): ${error.url} leads somewhere else; check gitlab.url (${GITLAB_URL_PARTS})${what}`;
  }
  if (status === 404 && answer.notFound === "route") {
    const creates = request.method === "POST" && request.path === "/user/runners";
    return creates
      ? `GitLab's API has no ${request.method} ${request.path} (its router answered {"error":"404 Not Found"} for ${error.url}): GitLab creates runners through it from GitLab 15.10 on, so upgrade GitLab or create the runners by hand (gitlab.manageRunners: false); also check that gitlab.url does not end in /api/v4${what}`
      : `GitLab's API has no such route (its router answered {"error":"404 Not Found"} for ${error.url}): check gitlab.url (${GITLAB_URL_PARTS})${what}`;
  }
  return undefined;
}

/** What the user can do about a failure, by status class. */
function advice(error: GitLabRequestError, request: GitLabRequest, runner: RunnerContext): string {
  const createsRunner = request.method === "POST" && request.path === "/user/runners";
  const looksUp = request.path.startsWith("/groups/") || request.path.startsWith("/projects/");
  const status = error.failure.status;
  const elsewhere = misrouted(
    error,
    request,
    createsRunner
      ? "; no runner was created"
      : looksUp
        ? ""
        : "; this says nothing about the runner, which stays in the stack's state",
  );
  if (elsewhere !== undefined) return elsewhere;
  if (isCertificateProblem(error.failure)) {
    return "GitLab's certificate is not trusted: set gitlab.caCertificate to the PEM of the CA that signed it";
  }
  if (status === undefined) {
    return createsRunner && !neverSent(error.failure)
      ? "the connection broke after the request was sent, so GitLab may have created the runner: look for a runner with this description in GitLab and delete it before running pulumi up again"
      : "check gitlab.url and that GitLab is reachable from where pulumi runs";
  }
  if (status === 401) {
    return "GitLab refused the API token (invalid, expired or revoked); set a valid one with: pulumi config set --secret --path gitlab.apiToken <token>";
  }
  if (status === 403) {
    if (createsRunner) {
      return `the API token needs the create_runner (or api) scope and its user the right to create ${runnerKindText(request)} runners`;
    }
    if (looksUp) {
      return `the API token needs the read_api (or api) scope to look up a ${request.path.startsWith("/groups/") ? "group" : "project"} by path, and its user must see it; or give the numeric id at ${runner.configPath}.scope`;
    }
    return `the API token needs the manage_runner (or api) scope and its user must be allowed to manage this runner${runner.scopeKind === "instance" ? `; ${ADMIN_TEXT}` : ""}`;
  }
  if (status === 404) {
    if (looksUp) {
      return `check the scope at ${runner.configPath}.scope: the path must be the full path, visible to the token's user (read_api scope)`;
    }
    return createsRunner
      ? `GitLab answered 404 to creating the runner, so none was created; check the scope at ${runner.configPath}.scope`
      : "the runner no longer exists in GitLab (deleted outside Pulumi?); run pulumi refresh, then pulumi up creates it again";
  }
  if (status === 409) return "GitLab reported a conflict; retry once the other change is done";
  if (status === 429)
    return "GitLab's rate limit was still exceeded after every retry; try again later";
  if (status >= 500) {
    return createsRunner
      ? "not retried, since GitLab may have created the runner anyway: look for a runner with this description in GitLab, delete it, then run pulumi up again"
      : "GitLab failed on its side; try again later";
  }
  return `check the runner's settings at ${runner.configPath}`;
}

/**
 * An instance runner is an administrator's (lib/api/ci/runners.rb
 * `authenticate_update_runner!`: `can_admin_all_resources?`), and with Admin
 * Mode on an administrator's token acts as one only with the `admin_mode` scope
 * (lib/api/api_guard.rb `bypass_session_for_admin_mode?`).
 */
const ADMIN_TEXT =
  "an instance runner needs an administrator's token, with the admin_mode scope too when GitLab's Admin Mode is on";

function runnerKindText(request: GitLabRequest): string {
  const type = request.body?.["runner_type"];
  return type === "instance_type"
    ? "instance (an administrator; with GitLab's Admin Mode on, the token needs the admin_mode scope too)"
    : type === "group_type"
      ? "group (Owner role)"
      : "project (Maintainer role)";
}
