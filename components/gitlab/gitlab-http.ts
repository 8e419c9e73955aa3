/**
 * One request to GitLab's REST API (v4) with node:http(s): the access token in
 * the `PRIVATE-TOKEN` header, the self-managed CA when one is configured, JSON
 * bodies, and retries only where a retry cannot do anything twice.
 *
 * Built-ins only (no fetch dispatcher, no client package): this module is also
 * serialized into the dynamic provider that `pulumi up` runs (see
 * gitlab-runner-provider.ts), and Pulumi's closure serializer turns a
 * `require("node:https")` into a plain `require("https")` in the provider host.
 */
import * as http from "node:http";
import * as https from "node:https";

/** Where and as whom the API is called. */
export interface GitLabEndpoint {
  /** Base URL of the instance, e.g. `https://gitlab.example.com` (no `/api/v4`). */
  readonly url: string;
  /** Personal, group or project access token; sent only in the `PRIVATE-TOKEN` header. */
  readonly apiToken: string;
  /** PEM of the instance's CA (self-managed); default: Node's trusted CAs. */
  readonly caCertificate?: string;
}

export type HttpMethod = "GET" | "POST" | "PUT" | "DELETE";

/** How often and how long to retry a request that may be retried. */
export interface RetryPolicy {
  /** Attempts in all, the first one included. */
  readonly attempts: number;
  /** Delay before the second attempt; doubles for each further one. */
  readonly baseDelayMs: number;
  /** Upper bound of any delay, `Retry-After` included. */
  readonly maxDelayMs: number;
  /** Seconds one attempt may take before it is abandoned. */
  readonly timeoutSeconds: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  attempts: 5,
  baseDelayMs: 1000,
  maxDelayMs: 60_000,
  timeoutSeconds: 30,
};

export interface GitLabRequest {
  readonly method: HttpMethod;
  /** Path below `/api/v4`, e.g. `/runners/42`; path segments already URL-encoded. */
  readonly path: string;
  /** JSON body (POST, PUT). */
  readonly body?: Readonly<Record<string, unknown>>;
}

export interface GitLabResponse {
  readonly status: number;
  /** Parsed JSON body; undefined for an empty body (204). */
  readonly body: unknown;
}

/**
 * Whose 404 an answer is, read from its body:
 * - `record`: GitLab's API ran and has no such record: `{"message": "404 Not found"}`
 *   (lib/api/api.rb, `rescue_from ActiveRecord::RecordNotFound`, which `/runners/:id` reaches
 *   through `Ci::Runner.find` in lib/api/ci/runners.rb `get_runner`) or
 *   `{"message": "404 <Resource> Not Found"}` (lib/api/helpers.rb `not_found!`, e.g. `find_group!`);
 * - `route`: GitLab's API has no such endpoint: `{"error": "404 Not Found"}` (lib/api/api.rb,
 *   the last `route :any, '*path'` calls `error!('404 Not Found', 404)`, which Grape's JSON
 *   error formatter wraps as `{"error": ...}`), e.g. a GitLab too old for the endpoint;
 * - `foreign`: anything else (an HTML page, a proxy's text, an empty body): not GitLab's API,
 *   so gitlab.url leads somewhere else (wrong host, scheme or path prefix).
 */
export type NotFoundKind = "record" | "route" | "foreign";

/** GitLab's "404 ... Not found" messages: `404 Not found`, `404 Runner Not Found`, `404 Group Not Found`. */
const RECORD_NOT_FOUND = /^404 (?:[A-Z][A-Za-z]*(?: [A-Za-z]+)* )?Not [Ff]ound$/;

export function notFoundKind(text: string): NotFoundKind {
  const body = parseJson(text);
  if (typeof body !== "object" || body === null || Array.isArray(body)) return "foreign";
  const record = body as Record<string, unknown>;
  const message = record["message"];
  if (typeof message === "string" && RECORD_NOT_FOUND.test(message)) return "record";
  if (record["error"] === "404 Not Found" && message === undefined) return "route";
  return "foreign";
}

/** What a failed request came back with, beyond its status. */
export interface FailedAnswer {
  /** GitLab's own explanation from a JSON error body, if any (see {@link errorDetail}). */
  readonly detail?: string;
  /** For a 404: whose 404 it is. */
  readonly notFound?: NotFoundKind;
  /** For a 3xx: where it points, made absolute. */
  readonly location?: string;
  /** Whether the body was JSON (GitLab's API always answers JSON; a proxy or web page does not). */
  readonly json: boolean;
  /** The body in a few words, tokens blanked out: `an HTML page titled "..."`, `{"error":"..."}`, `an empty body`. */
  readonly body: string;
}

/** Why a request failed; `status` is absent when no HTTP answer came back. */
export class GitLabRequestError extends Error {
  constructor(
    message: string,
    readonly request: string,
    /** The full URL asked (no user info), for messages. */
    readonly url: string,
    /** The HTTP status, or the Node error code when no answer came. */
    readonly failure: AttemptFailure,
    /** What came back; undefined when no HTTP answer came. */
    readonly answer: FailedAnswer | undefined,
    /** Attempts made before giving up. */
    readonly attempts: number,
  ) {
    super(message);
    this.name = "GitLabRequestError";
  }

  /** GitLab's own explanation from the error body (`message` or `error`), if any. */
  get detail(): string | undefined {
    return this.answer?.detail;
  }
}

/** A failed attempt: the HTTP status, or the Node error code when no answer came. */
export interface AttemptFailure {
  readonly status?: number;
  readonly code?: string;
}

/** Node error codes of a request that never reached GitLab's application. */
const NEVER_SENT_CODES: ReadonlySet<string> = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
]);

/** Node error codes of a certificate GitLab's CA (gitlab.caCertificate) does not vouch for. */
const CERTIFICATE_CODES: ReadonlySet<string> = new Set([
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "CERT_HAS_EXPIRED",
  "ERR_TLS_CERT_ALTNAME_INVALID",
]);

export function isCertificateProblem(failure: AttemptFailure): boolean {
  return failure.code !== undefined && CERTIFICATE_CODES.has(failure.code);
}

/** Whether the request surely never reached GitLab (refused, unknown host, untrusted certificate). */
export function neverSent(failure: AttemptFailure): boolean {
  return (
    failure.status === undefined &&
    failure.code !== undefined &&
    (NEVER_SENT_CODES.has(failure.code) || CERTIFICATE_CODES.has(failure.code))
  );
}

/**
 * Whether a failed attempt may be repeated. GET, PUT and DELETE are idempotent:
 * repeating one after a lost answer changes nothing more. A POST (create a
 * runner, reset a token) is repeated only after a 429, which GitLab's rate
 * limiter sends before the request reaches the endpoint, or when the connection
 * was never made; after a 5xx or a connection lost midway the runner may
 * already exist, and a second POST would create a duplicate (or throw away a
 * fresh token). An untrusted certificate stays untrusted: never retried.
 */
export function mayRetry(method: HttpMethod, failure: AttemptFailure): boolean {
  if (isCertificateProblem(failure)) return false;
  if (failure.status === 429) return true;
  if (method === "POST") return neverSent(failure);
  return failure.status === undefined || failure.status >= 500;
}

/** Milliseconds to wait before attempt `attempt + 1` (1-based), honouring `Retry-After` seconds. */
export function retryDelayMs(
  policy: RetryPolicy,
  attempt: number,
  retryAfter: string | undefined,
): number {
  const seconds = retryAfter === undefined ? Number.NaN : Number(retryAfter.trim());
  const delay =
    Number.isFinite(seconds) && seconds >= 0
      ? seconds * 1000
      : policy.baseDelayMs * 2 ** (attempt - 1);
  return Math.min(delay, policy.maxDelayMs);
}

interface AttemptOutcome extends AttemptFailure {
  readonly text: string;
  readonly retryAfter?: string;
  readonly location?: string;
  readonly contentType?: string;
  /** Node's error message when no answer came. */
  readonly networkError?: string;
}

/**
 * Sends the request, retrying where {@link mayRetry} allows; resolves with a
 * 2xx answer whose body is JSON or empty. Anything else is a
 * {@link GitLabRequestError}: a 3xx too (GitLab's API answers these endpoints
 * directly; a redirect means gitlab.url leads elsewhere, and following it
 * would send the token there), and a 2xx whose body is not JSON (a login page
 * of a proxy in front of GitLab, say).
 */
export async function gitlabRequest(
  endpoint: GitLabEndpoint,
  request: GitLabRequest,
  policy: RetryPolicy = DEFAULT_RETRY_POLICY,
): Promise<GitLabResponse> {
  const what = `${request.method} /api/v4${request.path}`;
  const url = requestUrl(endpoint, request);
  for (let attempt = 1; ; attempt++) {
    const outcome = await sendOnce(endpoint, url, request, policy.timeoutSeconds);
    const status = outcome.status;
    const body = outcome.text === "" ? undefined : parseJson(outcome.text);
    const isJson = outcome.text === "" || typeof body !== "string";
    if (status !== undefined && status >= 200 && status < 300 && isJson) {
      return { status, body };
    }
    if (attempt < policy.attempts && mayRetry(request.method, outcome)) {
      await sleep(retryDelayMs(policy, attempt, outcome.retryAfter));
      continue;
    }
    const answer =
      status === undefined ? undefined : failedAnswer(outcome, status, url, endpoint.apiToken);
    const tries = attempt > 1 ? ` after ${attempt} attempts` : "";
    // Only status and code: the body may echo what was sent.
    const failure: AttemptFailure = {
      ...(status === undefined ? {} : { status }),
      ...(outcome.code === undefined ? {} : { code: outcome.code }),
    };
    throw new GitLabRequestError(
      `${what}: ${answerText(outcome, answer)}${tries}`,
      what,
      shownUrl(url),
      failure,
      answer,
      attempt,
    );
  }
}

function answerText(outcome: AttemptOutcome, answer: FailedAnswer | undefined): string {
  if (outcome.status === undefined || answer === undefined) {
    return `no answer (${outcome.networkError ?? "connection failed"})`;
  }
  if (answer.location !== undefined) return `${outcome.status} redirect to ${answer.location}`;
  if (outcome.status < 300) return `${outcome.status} with ${answer.body}, not JSON`;
  return `${outcome.status}`;
}

function failedAnswer(
  outcome: AttemptOutcome,
  status: number,
  url: URL,
  apiToken: string,
): FailedAnswer {
  const text = outcome.text;
  const json = text !== "" && typeof parseJson(text) !== "string";
  const detail = json ? errorDetail(text, apiToken) : undefined;
  let location: string | undefined;
  if (status >= 300 && status < 400) {
    location =
      outcome.location === undefined
        ? "nowhere (no Location header)"
        : redactTokens(shownUrl(new URL(outcome.location, url)), apiToken);
  }
  return {
    ...(detail === undefined ? {} : { detail }),
    ...(status === 404 ? { notFound: notFoundKind(text) } : {}),
    ...(location === undefined ? {} : { location }),
    json,
    body: describeBody(text, outcome.contentType, apiToken),
  };
}

/**
 * A body in a few words for a message: JSON as it came (shortened), an HTML
 * page by its title, other text by its start. Tokens blanked out.
 */
export function describeBody(
  text: string,
  contentType: string | undefined,
  apiToken: string,
): string {
  const trimmed = text.trim();
  if (trimmed === "") return "an empty body";
  const parsed = parseJson(trimmed);
  if (typeof parsed !== "string") return redactTokens(shorten(JSON.stringify(parsed)), apiToken);
  if (/html/i.test(contentType ?? "") || /^<(!doctype|html|head|body)/i.test(trimmed)) {
    const title = /<title[^>]*>([^<]*)<\/title>/i.exec(trimmed)?.[1]?.replace(/\s+/g, " ").trim();
    return title === undefined || title === ""
      ? "an HTML page"
      : `an HTML page titled "${redactTokens(shorten(title), apiToken)}"`;
  }
  return `the text "${redactTokens(shorten(trimmed.replace(/\s+/g, " ")), apiToken)}"`;
}

function shorten(text: string): string {
  return text.length > 200 ? `${text.slice(0, 200)}...` : text;
}

function requestUrl(endpoint: GitLabEndpoint, request: GitLabRequest): URL {
  return new URL(`${endpoint.url.replace(/\/+$/, "")}/api/v4${request.path}`);
}

/** A URL for messages: without user name and password. */
function shownUrl(url: URL): string {
  const copy = new URL(url.href);
  copy.username = "";
  copy.password = "";
  return copy.href;
}

function sendOnce(
  endpoint: GitLabEndpoint,
  url: URL,
  request: GitLabRequest,
  timeoutSeconds: number,
): Promise<AttemptOutcome> {
  const payload = request.body === undefined ? undefined : JSON.stringify(request.body);
  const headers: Record<string, string> = {
    "PRIVATE-TOKEN": endpoint.apiToken,
    Accept: "application/json",
    "User-Agent": "dind-runners",
  };
  if (payload !== undefined) {
    headers["Content-Type"] = "application/json";
    headers["Content-Length"] = String(Buffer.byteLength(payload));
  }
  const options: https.RequestOptions = { method: request.method, headers };
  if (url.protocol === "https:" && endpoint.caCertificate !== undefined) {
    options.ca = endpoint.caCertificate;
  }
  const send = url.protocol === "https:" ? https.request : http.request;
  return new Promise((resolve) => {
    const outgoing = send(url, options, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("error", (error) => resolve(networkFailure(error)));
      response.on("end", () => {
        const {
          "retry-after": retryAfter,
          location,
          "content-type": contentType,
        } = response.headers;
        resolve({
          status: response.statusCode ?? 0,
          text: Buffer.concat(chunks).toString("utf8"),
          ...(typeof retryAfter === "string" ? { retryAfter } : {}),
          ...(typeof location === "string" ? { location } : {}),
          ...(typeof contentType === "string" ? { contentType } : {}),
        });
      });
    });
    outgoing.setTimeout(timeoutSeconds * 1000, () => {
      outgoing.destroy(new Error(`no answer within ${timeoutSeconds} s`));
    });
    // Only the error's own text: it names the host or certificate problem, never a header.
    outgoing.on("error", (error) => resolve(networkFailure(error)));
    outgoing.end(payload);
  });
}

function networkFailure(error: Error & { code?: unknown }): AttemptOutcome {
  return {
    text: "",
    networkError: error.message,
    ...(typeof error.code === "string" ? { code: error.code } : {}),
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/**
 * GitLab's explanation from an error body: `{"message": "..."}`,
 * `{"message": {"field": ["..."]}}` (validation), `{"error": "..."}`
 * (parameter errors) or, from the token check, `{"error": "insufficient_scope",
 * "error_description": "...", "scope": "api read_api"}` (lib/api/api_guard.rb
 * `oauth2_bearer_token_error_handler`: Rack::OAuth2's Bearer::Forbidden with the
 * scopes the endpoint accepts). Anything that looks like a token is blanked out.
 */
export function errorDetail(text: string, apiToken: string): string | undefined {
  const body = parseJson(text);
  let detail: string | undefined;
  if (typeof body === "object" && body !== null) {
    const record = body as Record<string, unknown>;
    const message = record["message"] ?? record["error"];
    detail = typeof message === "string" ? message : describeFields(message);
    const description = record["error_description"];
    if (record["message"] === undefined && typeof description === "string") {
      detail = `${detail ?? "error"}: ${description}`;
    }
    const scope = record["scope"];
    if (record["message"] === undefined && typeof scope === "string" && scope.trim() !== "") {
      detail = `${detail ?? "error"} Scopes that allow it: ${scope.trim().split(/\s+/).join(", ")}`;
    }
  } else if (typeof body === "string" && body.trim() !== "") {
    detail = body.trim().slice(0, 200);
  }
  return detail === undefined ? undefined : redactTokens(detail, apiToken);
}

function describeFields(message: unknown): string | undefined {
  if (typeof message !== "object" || message === null) return undefined;
  return Object.entries(message as Record<string, unknown>)
    .map(([field, problems]) =>
      Array.isArray(problems) ? `${field} ${problems.map(String).join(", ")}` : `${field}`,
    )
    .join("; ");
}

/** Blanks out the API token and anything shaped like a GitLab token (`glrt-`, `glpat-`, ...). */
export function redactTokens(text: string, apiToken: string): string {
  const blanked = apiToken === "" ? text : text.split(apiToken).join("[redacted]");
  return blanked.replace(/\bgl[a-z]{2,6}-[A-Za-z0-9_.-]+/g, "[redacted]");
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
