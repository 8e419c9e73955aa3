/**
 * A stand-in for GitLab's REST API on 127.0.0.1, shaped on GitLab's own
 * endpoints (lib/api/user_runners.rb, lib/api/ci/runners.rb, doc/api/runners.md):
 * the `PRIVATE-TOKEN` header, JSON bodies, 201/200/204 answers, and error bodies
 * `{"message": "..."}` (or `{"error": "..."}` for parameter errors). It refuses
 * what GitLab refuses that our requests could hit, each rule citing GitLab's
 * source: a missing record and a path the API does not route answer
 * differently, token scopes are checked per endpoint, and the runner field
 * limits are GitLab's. Faults can be queued to answer the next matching
 * requests with any status.
 */
import { readFileSync } from "node:fs";
import {
  RUNNER_DESCRIPTION_MAX_LENGTH,
  RUNNER_TAGS_MAX_COUNT,
  RUNNER_TAG_MAX_LENGTH,
} from "../../components/model/gitlab-limits.js";
import * as http from "node:http";
import * as https from "node:https";
import type { AddressInfo } from "node:net";

export interface RecordedRequest {
  readonly method: string;
  /** Path as received, e.g. `/api/v4/groups/platform%2Fbuild`. */
  readonly path: string;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: unknown;
}

export interface FakeRunner {
  id: number;
  runner_type: string;
  description: string;
  paused: boolean;
  locked: boolean;
  run_untagged: boolean;
  tag_list: string[];
  access_level: string;
  maximum_timeout: number | null;
  token: string;
  /** ISO time the token expires, or null; not in `GET /runners/:id` (Entities::Ci::RunnerDetails has no such field). */
  token_expires_at: string | null;
  group_id?: number;
  project_id?: number;
  managers: { system_id: string; contacted_at: string | null; status: string; version: string }[];
}

export interface Fault {
  readonly method: string;
  /** Matches the path below `/api/v4`; default any. */
  readonly path?: RegExp;
  readonly status: number;
  /** JSON body; a string goes out as text (`Content-Type` from `headers`, default text/plain). */
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  /** How many requests it answers; default 1. */
  times?: number;
}

export const FAKE_API_TOKEN = "glpat-fake-api-token-0123456789";

/**
 * `rescue_from ActiveRecord::RecordNotFound` in lib/api/api.rb: what
 * `/runners/:id` answers for a runner GitLab does not have (`get_runner` in
 * lib/api/ci/runners.rb calls `::Ci::Runner.find`, which raises).
 */
export const RECORD_NOT_FOUND = { message: "404 Not found" } as const;

/**
 * The last route of lib/api/api.rb, `route :any, '*path'`, calls
 * `error!('404 Not Found', 404)`; Grape's JSON error formatter wraps a text
 * message as `{"error": ...}`: what a path GitLab's API does not have answers.
 */
export const ROUTE_NOT_FOUND = { error: "404 Not Found" } as const;

/** Scopes a token may have (lib/gitlab/auth.rb); `api` covers every endpoint here. */
export type TokenScope = "api" | "read_api" | "create_runner" | "manage_runner" | "admin_mode";

export class FakeGitLab {
  readonly requests: RecordedRequest[] = [];
  readonly runners = new Map<number, FakeRunner>();
  readonly groups = new Map<string, number>([["platform/build", 41]]);
  readonly projects = new Map<string, number>([["platform/app", 77]]);
  /** Scopes of FAKE_API_TOKEN; checked per endpoint as lib/api/api_guard.rb does. */
  tokenScopes: ReadonlySet<TokenScope> = new Set<TokenScope>(["api"]);
  /** Whether `POST /user/runners` exists: GitLab 15.10 and later. */
  runnerCreationApi = true;
  /**
   * The instance's `runner_token_expiration_interval` application setting, in
   * seconds; undefined: tokens never expire (GitLab's default).
   */
  runnerTokenExpirationInterval: number | undefined = undefined;
  /** GitLab's clock, for token expiry: tests set it instead of waiting. */
  now: () => Date = () => new Date();
  private readonly faults: Fault[] = [];
  private nextId = 100;
  private tokenSerial = 0;
  private server: http.Server | undefined;
  url = "";

  /** Starts on a free port of 127.0.0.1; `tls` serves https with the given key and certificate files. */
  async start(tls?: { readonly keyFile: string; readonly certFile: string }): Promise<this> {
    const handler = (request: http.IncomingMessage, response: http.ServerResponse) =>
      void this.handle(request, response);
    this.server =
      tls === undefined
        ? http.createServer(handler)
        : https.createServer(
            { key: readFileSync(tls.keyFile), cert: readFileSync(tls.certFile) },
            handler,
          );
    await new Promise<void>((resolve) => this.server?.listen(0, "127.0.0.1", resolve));
    const { port } = this.server.address() as AddressInfo;
    this.url = `${tls === undefined ? "http" : "https"}://127.0.0.1:${port}`;
    return this;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (server === undefined) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  fail(fault: Fault): void {
    this.faults.push({ ...fault, times: fault.times ?? 1 });
  }

  /** Requests as `METHOD /path` lines, the API prefix cut off. */
  calls(): string[] {
    return this.requests.map((r) => `${r.method} ${r.path.replace(/^\/api\/v4/, "")}`);
  }

  addRunner(runner: Partial<FakeRunner> & { id: number }): FakeRunner {
    const full: FakeRunner = {
      runner_type: "group_type",
      description: "",
      paused: false,
      locked: false,
      run_untagged: false,
      tag_list: [],
      access_level: "not_protected",
      maximum_timeout: null,
      token: this.newToken(),
      token_expires_at: null,
      managers: [],
      ...runner,
    };
    if (runner.token_expires_at === undefined) full.token_expires_at = this.tokenExpiry(full);
    this.runners.set(full.id, full);
    return full;
  }

  /**
   * `token_expires_at` of a new or reset token: app/models/ci/runner.rb declares
   * `add_authentication_token_field :token, expires_at: :compute_token_expiration`,
   * and `compute_token_expiration` (app/models/concerns/ci/runners/registrable.rb)
   * gives an instance runner `runner_token_expiration_interval.seconds.from_now`,
   * nil without the setting, and nil for group and project runners (their
   * methods are still TODOs there). Rails renders the time as ISO 8601 in UTC
   * with milliseconds.
   */
  private tokenExpiry(runner: Pick<FakeRunner, "runner_type">): string | null {
    const interval = this.runnerTokenExpirationInterval;
    if (runner.runner_type !== "instance_type" || interval === undefined) return null;
    return new Date(this.now().getTime() + interval * 1000).toISOString();
  }

  private newToken(): string {
    this.tokenSerial += 1;
    return `glrt-fake-${String(this.tokenSerial).padStart(4, "0")}-secretpart`;
  }

  private async handle(request: http.IncomingMessage, response: http.ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString("utf8");
    const body: unknown = text === "" ? undefined : JSON.parse(text);
    const path = request.url ?? "";
    const method = request.method ?? "";
    this.requests.push({ method, path, headers: request.headers, body });
    // A text payload (a fault imitating a proxy or a web page) goes out as it is.
    const send = (status: number, payload?: unknown, headers: Record<string, string> = {}) => {
      const text = typeof payload === "string";
      response.writeHead(status, {
        ...(payload === undefined
          ? {}
          : { "Content-Type": text ? "text/plain" : "application/json" }),
        ...headers,
      });
      response.end(payload === undefined ? undefined : text ? payload : JSON.stringify(payload));
    };
    const apiPath = path.replace(/^\/api\/v4/, "");
    const fault = this.faults.find(
      (f) => f.method === method && (f.path === undefined || f.path.test(apiPath)),
    );
    if (fault !== undefined) {
      fault.times = (fault.times ?? 1) - 1;
      if (fault.times <= 0) this.faults.splice(this.faults.indexOf(fault), 1);
      send(fault.status, fault.body, { ...fault.headers });
      return;
    }
    if (request.headers["private-token"] !== FAKE_API_TOKEN) {
      send(401, { message: "401 Unauthorized" });
      return;
    }
    const accepted = acceptedScopes(method, apiPath, this.runnerCreationApi);
    if (accepted !== undefined && !accepted.some((scope) => this.tokenScopes.has(scope))) {
      // lib/api/api_guard.rb `oauth2_bearer_token_error_handler`: InsufficientScopeError becomes
      // Rack::OAuth2's Bearer::Forbidden, whose JSON body lists the scopes the endpoint accepts.
      send(403, {
        error: "insufficient_scope",
        error_description:
          "The request requires higher privileges than provided by the access token.",
        scope: accepted.join(" "),
      });
      return;
    }
    this.route(method, apiPath, body as Record<string, unknown> | undefined, send);
  }

  private route(
    method: string,
    path: string,
    body: Record<string, unknown> | undefined,
    send: (status: number, payload?: unknown) => void,
  ): void {
    const namespace = /^\/(groups|projects)\/([^/]+)$/.exec(path);
    if (method === "GET" && namespace !== null) {
      const [, kind = "", encoded = ""] = namespace;
      const fullPath = decodeURIComponent(encoded);
      const id = (kind === "groups" ? this.groups : this.projects).get(fullPath);
      if (id === undefined) {
        send(404, { message: `404 ${kind === "groups" ? "Group" : "Project"} Not Found` });
      } else {
        send(200, { id, full_path: fullPath });
      }
      return;
    }
    if (method === "POST" && path === "/user/runners" && this.runnerCreationApi) {
      this.create(body ?? {}, send);
      return;
    }
    const runnerPath = /^\/runners\/(\d+)(\/managers|\/reset_authentication_token)?$/.exec(path);
    const runner = runnerPath === null ? undefined : this.runners.get(Number(runnerPath[1]));
    if (runnerPath === null) {
      send(404, ROUTE_NOT_FOUND);
      return;
    }
    if (runner === undefined) {
      send(404, RECORD_NOT_FOUND);
      return;
    }
    const action = `${method} ${runnerPath[2] ?? ""}`;
    switch (action) {
      case "GET ":
        send(200, details(runner));
        return;
      case "GET /managers":
        send(200, runner.managers);
        return;
      case "PUT ": {
        // lib/api/ci/runners.rb `put ':id'`: an invalid runner is not saved and answers
        // `render_validation_error!(runner)`, i.e. 400 with `{"message": {attribute: [...]}}`.
        const errors = limitErrors(body ?? {}, runner);
        if (Object.keys(errors).length > 0) {
          send(400, { message: errors });
          return;
        }
        for (const key of [
          "description",
          "paused",
          "locked",
          "run_untagged",
          "tag_list",
          "access_level",
          "maximum_timeout",
        ] as const) {
          if (body !== undefined && key in body) Object.assign(runner, { [key]: body[key] });
        }
        send(200, details(runner));
        return;
      }
      case "DELETE ":
        this.runners.delete(runner.id);
        send(204);
        return;
      case "POST /reset_authentication_token":
        // lib/api/ci/runners.rb `post ':id/reset_authentication_token'`: `runner.reset_token!`,
        // then `present runner.token_with_expiration, with: Entities::Ci::ResetTokenResult`,
        // which exposes `token` and, the runner token being expirable, `token_expires_at`.
        runner.token = this.newToken();
        runner.token_expires_at = this.tokenExpiry(runner);
        send(201, { token: runner.token, token_expires_at: runner.token_expires_at });
        return;
      default:
        send(405, { message: "405 Method Not Allowed" });
    }
  }

  private create(body: Record<string, unknown>, send: (status: number, payload?: unknown) => void) {
    const type = body["runner_type"];
    if (type !== "instance_type" && type !== "group_type" && type !== "project_type") {
      send(400, { error: "runner_type does not have a valid value" });
      return;
    }
    const scopeKey = type === "group_type" ? "group_id" : "project_id";
    const scopeId = body[scopeKey];
    if (type !== "instance_type" && typeof scopeId !== "number") {
      send(400, { error: `${scopeKey} is missing` });
      return;
    }
    // lib/api/user_runners.rb `post 'runners'`: Ci::Runners::CreateRunnerService answers a
    // runner that fails validation with `e.record.errors.full_messages`, which the endpoint
    // passes to `bad_request!(result.errors.to_sentence)` (lib/api/helpers.rb):
    // 400 `{"message": "400 Bad request - <full messages as a sentence>"}`.
    const errors = limitErrors(body, undefined);
    const messages = Object.entries(errors).flatMap(([attribute, problems]) =>
      problems.map((problem) => `${humanAttribute(attribute)} ${problem}`),
    );
    if (messages.length > 0) {
      send(400, { message: `400 Bad request - ${toSentence(messages)}` });
      return;
    }
    const runner = this.addRunner({
      id: this.nextId++,
      runner_type: type,
      description: typeof body["description"] === "string" ? body["description"] : "",
      paused: body["paused"] === true,
      locked: body["locked"] === true,
      run_untagged: body["run_untagged"] !== false,
      tag_list: (body["tag_list"] as string[] | undefined) ?? [],
      access_level:
        typeof body["access_level"] === "string" ? body["access_level"] : "not_protected",
      maximum_timeout: (body["maximum_timeout"] as number | undefined) ?? null,
      ...(type === "group_type" ? { group_id: scopeId as number } : {}),
      ...(type === "project_type" ? { project_id: scopeId as number } : {}),
    });
    // lib/api/user_runners.rb presents Entities::Ci::RunnerRegistrationDetails:
    // `expose :id, :token, :token_expires_at`.
    send(201, { id: runner.id, token: runner.token, token_expires_at: runner.token_expires_at });
  }
}

/**
 * The scopes that let a token call an endpoint (lib/api/api_guard.rb
 * `allow_access_with_scope`): `api` everywhere and `read_api` for GET
 * (lib/api/api.rb), `create_runner` for `POST /user/runners`
 * (lib/api/user_runners.rb), `manage_runner` for `/runners/:id...`
 * (lib/api/ci/runners.rb). Undefined for a path no endpoint serves.
 */
function acceptedScopes(
  method: string,
  path: string,
  runnerCreationApi: boolean,
): TokenScope[] | undefined {
  const read: TokenScope[] = method === "GET" || method === "HEAD" ? ["read_api"] : [];
  if (method === "POST" && path === "/user/runners") {
    return runnerCreationApi ? ["create_runner", "api"] : undefined;
  }
  if (/^\/runners\/\d+(\/|$)/.test(path)) return ["manage_runner", "api", ...read];
  if (/^\/(groups|projects)\/[^/]+$/.test(path)) return ["api", ...read];
  return undefined;
}

/**
 * GitLab's length limits on what a create or update would store, as the
 * model's validation errors by attribute (components/model/gitlab-limits.ts
 * cites each): `description` (app/models/ci/runner.rb
 * `validates :description, length: { maximum: 1024 }`, Rails' "is too long"
 * message), `tags_list` (app/models/ci/runner.rb `tag_constraints`). A tag
 * name over 255 characters breaks app/models/ci/tag.rb's
 * `validates :name, length: { maximum: 255 }`; GitLab writes tag rows in bulk
 * (Ci::Tag.find_or_create_all_with_like_by_name, insert_all), so how that
 * surfaces depends on the database: the stand-in refuses it like a model
 * validation, never more leniently than GitLab. Lengths in code points, as Ruby counts.
 */
function limitErrors(
  body: Record<string, unknown>,
  runner: FakeRunner | undefined,
): Record<string, string[]> {
  const errors: Record<string, string[]> = {};
  const description = body["description"];
  if (
    typeof description === "string" &&
    description !== runner?.description &&
    [...description].length > RUNNER_DESCRIPTION_MAX_LENGTH
  ) {
    errors["description"] = [
      `is too long (maximum is ${RUNNER_DESCRIPTION_MAX_LENGTH} characters)`,
    ];
  }
  const tags = body["tag_list"];
  if (Array.isArray(tags)) {
    const unique = [...new Set(tags.map(String))];
    if (unique.length > RUNNER_TAGS_MAX_COUNT) {
      errors["tags_list"] = [
        `Too many tags specified. Please limit the number of tags to ${RUNNER_TAGS_MAX_COUNT}`,
      ];
    }
    if (unique.some((tag) => [...tag].length > RUNNER_TAG_MAX_LENGTH)) {
      errors["tags"] = [`name is too long (maximum is ${RUNNER_TAG_MAX_LENGTH} characters)`];
    }
  }
  return errors;
}

/** ActiveModel's `human_attribute_name`: `tags_list` -> `Tags list`. */
function humanAttribute(attribute: string): string {
  const words = attribute.replace(/_/g, " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** ActiveSupport's `Array#to_sentence`: `a`, `a and b`, `a, b, and c`. */
function toSentence(parts: readonly string[]): string {
  if (parts.length <= 2) return parts.join(" and ");
  return `${parts.slice(0, -1).join(", ")}, and ${parts.at(-1) ?? ""}`;
}

/** `GET /runners/:id` as GitLab presents it (Entities::Ci::RunnerDetails, the fields used here). */
function details(runner: FakeRunner): Record<string, unknown> {
  return {
    id: runner.id,
    description: runner.description,
    paused: runner.paused,
    is_shared: runner.runner_type === "instance_type",
    runner_type: runner.runner_type,
    online: runner.managers.length > 0,
    status: runner.managers.length > 0 ? "online" : "never_contacted",
    tag_list: runner.tag_list,
    run_untagged: runner.run_untagged,
    locked: runner.locked,
    maximum_timeout: runner.maximum_timeout,
    access_level: runner.access_level,
  };
}
