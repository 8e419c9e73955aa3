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

/** Why a request failed; `status` is absent when no HTTP answer came back. */
export class GitLabRequestError extends Error {
  constructor(
    message: string,
    readonly request: string,
    /** The HTTP status, or the Node error code when no answer came. */
    readonly failure: AttemptFailure,
    /** GitLab's own explanation from the error body (`message` or `error`), if any. */
    readonly detail: string | undefined,
    /** Attempts made before giving up. */
    readonly attempts: number,
  ) {
    super(message);
    this.name = "GitLabRequestError";
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
  /** Node's error message when no answer came. */
  readonly networkError?: string;
}

/** Sends the request, retrying where {@link mayRetry} allows; resolves with any HTTP answer below 400. */
export async function gitlabRequest(
  endpoint: GitLabEndpoint,
  request: GitLabRequest,
  policy: RetryPolicy = DEFAULT_RETRY_POLICY,
): Promise<GitLabResponse> {
  const what = `${request.method} /api/v4${request.path}`;
  for (let attempt = 1; ; attempt++) {
    const outcome = await sendOnce(endpoint, request, policy.timeoutSeconds);
    const status = outcome.status;
    if (status !== undefined && status < 400) {
      return { status, body: outcome.text === "" ? undefined : parseJson(outcome.text) };
    }
    if (attempt < policy.attempts && mayRetry(request.method, outcome)) {
      await sleep(retryDelayMs(policy, attempt, outcome.retryAfter));
      continue;
    }
    const detail = status === undefined ? undefined : errorDetail(outcome.text, endpoint.apiToken);
    const answer =
      status === undefined
        ? `no answer (${outcome.networkError ?? "connection failed"})`
        : `${status}`;
    const tries = attempt > 1 ? ` after ${attempt} attempts` : "";
    // Only status and code: the body may echo what was sent.
    const failure: AttemptFailure = {
      ...(status === undefined ? {} : { status }),
      ...(outcome.code === undefined ? {} : { code: outcome.code }),
    };
    throw new GitLabRequestError(`${what}: ${answer}${tries}`, what, failure, detail, attempt);
  }
}

function sendOnce(
  endpoint: GitLabEndpoint,
  request: GitLabRequest,
  timeoutSeconds: number,
): Promise<AttemptOutcome> {
  const url = new URL(`${endpoint.url.replace(/\/+$/, "")}/api/v4${request.path}`);
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
        const retryAfter = response.headers["retry-after"];
        resolve({
          status: response.statusCode ?? 0,
          text: Buffer.concat(chunks).toString("utf8"),
          ...(typeof retryAfter === "string" ? { retryAfter } : {}),
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
 * `{"message": {"field": ["..."]}}` (validation) or `{"error": "..."}`
 * (parameter errors). Anything that looks like a token is blanked out first.
 */
export function errorDetail(text: string, apiToken: string): string | undefined {
  const body = parseJson(text);
  let detail: string | undefined;
  if (typeof body === "object" && body !== null) {
    const record = body as Record<string, unknown>;
    const message = record["message"] ?? record["error"];
    detail = typeof message === "string" ? message : describeFields(message);
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
