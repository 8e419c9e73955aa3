/**
 * The GitLabRunner dynamic provider against a local stand-in for GitLab's REST
 * API: the requests it sends (paths, headers, bodies), what it keeps in the
 * state, and how each class of failure reads.
 */
import assert from "node:assert/strict";
import { after, before, beforeEach, describe, it } from "node:test";
import type { RetryPolicy } from "../../components/gitlab/gitlab-http.js";
import {
  gitlabRunnerProvider,
  type GitLabRunnerInputs,
} from "../../components/gitlab/gitlab-runner-provider.js";
import { gitlabRequest } from "../../components/gitlab/gitlab-http.js";
import {
  FAKE_API_TOKEN,
  FakeGitLab,
  RECORD_NOT_FOUND,
  ROUTE_NOT_FOUND,
} from "../support/fake-gitlab.js";

/** Fast retries: the delays themselves are covered by gitlab-http.test.ts. */
const FAST: RetryPolicy = { attempts: 3, baseDelayMs: 1, maxDelayMs: 5, timeoutSeconds: 5 };

const SETTINGS = {
  description: "build-1 (dind-runners, prod)",
  tags: ["dind", "docker"],
  runUntagged: false,
  locked: true,
  paused: false,
  accessLevel: "not_protected",
  maximumTimeout: 3600,
} as const;

function inputs(gitlab: FakeGitLab, changes: Partial<GitLabRunnerInputs> = {}): GitLabRunnerInputs {
  return {
    gitlabUrl: gitlab.url,
    apiToken: FAKE_API_TOKEN,
    caCertificate: null,
    runnerName: "build-1",
    configPath: "dockerHosts[0].runners[0]",
    scope: { kind: "group", group: "platform/build" },
    settings: { ...SETTINGS, tags: [...SETTINGS.tags] },
    rotateToken: null,
    tokenRenewalShare: 0.5,
    ...changes,
  };
}

/** Every text a failure shows must be free of the API token and any runner token. */
function assertNoToken(text: string): void {
  assert.ok(!text.includes(FAKE_API_TOKEN), `API token in: ${text}`);
  assert.doesNotMatch(text, /glrt-/);
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof Error);
    assertNoToken(error.message);
    assertNoToken(String(error.stack));
    return error;
  }
  assert.fail("expected a rejection");
}

describe("GitLabRunner provider", () => {
  const gitlab = new FakeGitLab();
  /** The provider's clock: tests move it instead of waiting. */
  const START = new Date("2026-12-01T10:00:00Z");
  let now = START;
  const provider = gitlabRunnerProvider(FAST, () => now);
  before(() => gitlab.start());
  after(() => gitlab.stop());
  beforeEach(() => {
    now = START;
    gitlab.now = () => now;
    gitlab.runnerTokenExpirationInterval = undefined;
    gitlab.requests.length = 0;
    gitlab.runners.clear();
    gitlab.tokenScopes = new Set(["api"]);
    gitlab.runnerCreationApi = true;
  });

  async function created(changes: Partial<GitLabRunnerInputs> = {}) {
    const result = await provider.create(inputs(gitlab, changes));
    gitlab.requests.length = 0;
    return result;
  }

  describe("create", () => {
    it("resolves the group path, creates a group runner with the stack's settings and keeps id and token", async () => {
      const result = await provider.create(inputs(gitlab));
      assert.deepEqual(gitlab.calls(), ["GET /groups/platform%2Fbuild", "POST /user/runners"]);
      const post = gitlab.requests[1];
      assert.deepEqual(post?.body, {
        runner_type: "group_type",
        group_id: 41,
        description: "build-1 (dind-runners, prod)",
        tag_list: ["dind", "docker"],
        run_untagged: false,
        locked: true,
        paused: false,
        access_level: "not_protected",
        maximum_timeout: 3600,
      });
      for (const request of gitlab.requests) {
        assert.equal(request.headers["private-token"], FAKE_API_TOKEN);
        assert.equal(request.headers["authorization"], undefined);
      }
      assert.equal(post?.headers["content-type"], "application/json");
      const runner = gitlab.runners.get(Number(result.id));
      assert.ok(runner);
      assert.deepEqual(result, {
        id: String(runner.id),
        outs: {
          ...inputs(gitlab),
          runnerId: runner.id,
          namespaceId: 41,
          token: runner.token,
          tokenExpiresAt: null,
          tokenObtainedAt: "2026-12-01T10:00:00.000Z",
        },
      });
    });

    it("creates a project runner by numeric id without a lookup, and an instance runner without maximum_timeout when none is set", async () => {
      await provider.create(inputs(gitlab, { scope: { kind: "project", project: 77 } }));
      await provider.create(
        inputs(gitlab, {
          scope: { kind: "instance" },
          settings: { ...SETTINGS, tags: ["dind"], maximumTimeout: null },
        }),
      );
      assert.deepEqual(gitlab.calls(), ["POST /user/runners", "POST /user/runners"]);
      const [project, instance] = gitlab.requests.map((r) => r.body as Record<string, unknown>);
      assert.equal(project?.["runner_type"], "project_type");
      assert.equal(project?.["project_id"], 77);
      assert.equal(instance?.["runner_type"], "instance_type");
      assert.equal("maximum_timeout" in (instance ?? {}), false);
      assert.equal("group_id" in (instance ?? {}), false);
    });

    it("names the runner, its config path and the scope to fix when the group does not exist", async () => {
      const error = await rejection(
        provider.create(inputs(gitlab, { scope: { kind: "group", group: "platform/nope" } })),
      );
      assert.equal(
        error.message,
        'runner build-1 (dockerHosts[0].runners[0]): could not look up the group "platform/nope": GET /api/v4/groups/platform%2Fnope: 404 (GitLab: 404 Group Not Found); check the scope at dockerHosts[0].runners[0].scope: the path must be the full path, visible to the token\'s user (read_api scope)',
      );
      assert.deepEqual(gitlab.calls(), ["GET /groups/platform%2Fnope"]);
    });
  });

  describe("diff", () => {
    it("updates in place when only settings, the token trigger or the API token change", async () => {
      const { id, outs } = await created();
      const cases: Partial<GitLabRunnerInputs>[] = [
        { settings: { ...SETTINGS, tags: ["dind"] } },
        { settings: { ...SETTINGS, paused: true } },
        { settings: { ...SETTINGS, maximumTimeout: null } },
        { rotateToken: "2026-12" },
        { apiToken: "glpat-another-one" },
      ];
      for (const change of cases) {
        assert.deepEqual(
          await provider.diff(id, outs, inputs(gitlab, change)),
          { changes: true, replaces: [], deleteBeforeReplace: false },
          JSON.stringify(Object.keys(change)),
        );
      }
    });

    it("replaces the runner when its scope changes, the new one first", async () => {
      const { id, outs } = await created();
      assert.deepEqual(
        await provider.diff(id, outs, inputs(gitlab, { scope: { kind: "project", project: 77 } })),
        { changes: true, replaces: ["scope"], deleteBeforeReplace: false },
      );
    });

    it("keeps the runner when the scope names the same group by id instead of path, or by path instead of id", async () => {
      const { id, outs } = await created();
      const byId = inputs(gitlab, { scope: { kind: "group", group: 41 } });
      assert.deepEqual(await provider.diff(id, outs, byId), {
        changes: true,
        replaces: [],
        deleteBeforeReplace: false,
      });
      assert.deepEqual(gitlab.calls(), [], "an id is compared with the state's without a lookup");
      const updated = await provider.update(id, outs, byId);
      assert.deepEqual(updated.outs, { ...outs, scope: { kind: "group", group: 41 } });
      assert.deepEqual(gitlab.calls(), [], "nothing to change in GitLab");
      assert.deepEqual(await provider.diff(id, updated.outs, inputs(gitlab)), {
        changes: true,
        replaces: [],
        deleteBeforeReplace: false,
      });
      assert.deepEqual(gitlab.calls(), ["GET /groups/platform%2Fbuild"], "a path is looked up");
    });

    it("replaces the runner when the new spelling resolves to another group", async () => {
      const { id, outs } = await created();
      gitlab.groups.set("platform/other", 42);
      assert.deepEqual(
        await provider.diff(id, outs, inputs(gitlab, { scope: { kind: "group", group: 42 } })),
        { changes: true, replaces: ["scope"], deleteBeforeReplace: false },
      );
      assert.deepEqual(
        await provider.diff(
          id,
          outs,
          inputs(gitlab, { scope: { kind: "group", group: "platform/other" } }),
        ),
        { changes: true, replaces: ["scope"], deleteBeforeReplace: false },
      );
    });

    it("reports no change when nothing changed, whatever the tag order", async () => {
      const { id, outs } = await created();
      const reordered = inputs(gitlab, { settings: { ...SETTINGS, tags: ["docker", "dind"] } });
      assert.deepEqual(await provider.diff(id, outs, reordered), {
        changes: false,
        replaces: [],
        deleteBeforeReplace: false,
      });
      assert.deepEqual(gitlab.calls(), [], "diff never calls GitLab");
    });
  });

  describe("update", () => {
    it("puts every setting of the stack and keeps the token", async () => {
      const { id, outs } = await created();
      const news = inputs(gitlab, { settings: { ...SETTINGS, tags: ["dind"], paused: true } });
      const result = await provider.update(id, outs, news);
      assert.deepEqual(gitlab.calls(), [`PUT /runners/${id}`]);
      assert.deepEqual(gitlab.requests[0]?.body, {
        description: "build-1 (dind-runners, prod)",
        tag_list: ["dind"],
        run_untagged: false,
        locked: true,
        paused: true,
        access_level: "not_protected",
        maximum_timeout: 3600,
      });
      assert.deepEqual(result.outs, { ...outs, settings: news.settings });
      assert.equal(gitlab.runners.get(Number(id))?.paused, true);
    });

    it("clears the maximum timeout with null", async () => {
      const { id, outs } = await created();
      await provider.update(
        id,
        outs,
        inputs(gitlab, { settings: { ...SETTINGS, maximumTimeout: null } }),
      );
      assert.equal((gitlab.requests[0]?.body as Record<string, unknown>)["maximum_timeout"], null);
    });

    it("resets the token when rotateToken changes, and only then", async () => {
      const { id, outs } = await created();
      const before = outs.token;
      const rotated = await provider.update(id, outs, inputs(gitlab, { rotateToken: "2026-12" }));
      assert.deepEqual(gitlab.calls(), [`POST /runners/${id}/reset_authentication_token`]);
      assert.notEqual(rotated.outs.token, before);
      assert.equal(rotated.outs.token, gitlab.runners.get(Number(id))?.token);
      gitlab.requests.length = 0;
      const again = await provider.update(
        id,
        rotated.outs,
        inputs(gitlab, { rotateToken: "2026-12" }),
      );
      assert.deepEqual(gitlab.calls(), []);
      assert.equal(again.outs.token, rotated.outs.token);
    });

    describe("an expiring token (the instance sets runner_token_expiration_interval)", () => {
      const DAY = 24 * 3600 * 1000;
      const at = (days: number) => new Date(START.getTime() + days * DAY);
      const instance = { scope: { kind: "instance" } } as const;

      it("keeps GitLab's expiry and the obtained time in state", async () => {
        gitlab.runnerTokenExpirationInterval = 30 * 24 * 3600;
        const { outs } = await created(instance);
        assert.equal(outs.tokenExpiresAt, "2026-12-31T10:00:00.000Z");
        assert.equal(outs.tokenObtainedAt, "2026-12-01T10:00:00.000Z");
      });

      it("is left alone before its renewal share, reset at it, with config.toml's token following", async () => {
        gitlab.runnerTokenExpirationInterval = 30 * 24 * 3600;
        const { id, outs } = await created(instance);
        now = at(14.9);
        const early = await provider.diff(id, outs, inputs(gitlab, instance));
        assert.equal(early.changes, false);
        now = at(15);
        const due = await provider.diff(id, outs, inputs(gitlab, instance));
        assert.deepEqual(due, { changes: true, replaces: [], deleteBeforeReplace: false });
        const renewed = await provider.update(id, outs, inputs(gitlab, instance));
        assert.deepEqual(gitlab.calls(), [`POST /runners/${id}/reset_authentication_token`]);
        assert.notEqual(renewed.outs.token, outs.token);
        assert.equal(renewed.outs.token, gitlab.runners.get(Number(id))?.token);
        assert.equal(renewed.outs.tokenObtainedAt, "2026-12-16T10:00:00.000Z");
        assert.equal(renewed.outs.tokenExpiresAt, "2027-01-15T10:00:00.000Z");
        // The new token starts a new lifetime: nothing is due until half of it has passed.
        gitlab.requests.length = 0;
        const settled = await provider.diff(id, renewed.outs, inputs(gitlab, instance));
        assert.equal(settled.changes, false);
        now = at(30);
        const next = await provider.diff(id, renewed.outs, inputs(gitlab, instance));
        assert.equal(next.changes, true);
        assert.deepEqual(gitlab.calls(), []);
      });

      it("follows the configured share", async () => {
        gitlab.runnerTokenExpirationInterval = 30 * 24 * 3600;
        const { id, outs } = await created(instance);
        now = at(20);
        const late = inputs(gitlab, { ...instance, tokenRenewalShare: 0.8 });
        assert.equal((await provider.diff(id, outs, late)).changes, false);
        now = at(24);
        assert.equal((await provider.diff(id, outs, late)).changes, true);
      });

      it("is reset on the first up after a state without the obtained time", async () => {
        gitlab.runnerTokenExpirationInterval = 30 * 24 * 3600;
        const { id, outs } = await created(instance);
        const older = { ...outs, tokenObtainedAt: null };
        assert.equal((await provider.diff(id, older, inputs(gitlab, instance))).changes, true);
        const renewed = await provider.update(id, older, inputs(gitlab, instance));
        assert.equal(renewed.outs.tokenObtainedAt, "2026-12-01T10:00:00.000Z");
      });

      it("never resets a token that does not expire", async () => {
        const { id, outs } = await created(instance);
        assert.equal(outs.tokenExpiresAt, null);
        now = at(3650);
        assert.equal((await provider.diff(id, outs, inputs(gitlab, instance))).changes, false);
        await provider.update(id, outs, inputs(gitlab, instance));
        assert.deepEqual(gitlab.calls(), []);
      });
    });

    it("retries a PUT after a 5xx and succeeds", async () => {
      const { id, outs } = await created();
      gitlab.fail({ method: "PUT", status: 502, body: { message: "502 Bad Gateway" } });
      await provider.update(id, outs, inputs(gitlab, { settings: { ...SETTINGS, paused: true } }));
      assert.deepEqual(gitlab.calls(), [`PUT /runners/${id}`, `PUT /runners/${id}`]);
      assert.equal(gitlab.runners.get(Number(id))?.paused, true);
    });
  });

  describe("read (pulumi refresh)", () => {
    it("reads the settings back from GitLab, so a change made in the UI shows as drift", async () => {
      const { id, outs } = await created();
      const runner = gitlab.runners.get(Number(id));
      assert.ok(runner);
      runner.paused = true;
      runner.tag_list = ["docker", "dind", "extra"];
      const result = await provider.read(id, outs);
      assert.deepEqual(gitlab.calls(), [`GET /runners/${id}`]);
      assert.deepEqual(result, {
        id,
        props: {
          ...outs,
          settings: { ...SETTINGS, paused: true, tags: ["dind", "docker", "extra"] },
        },
      });
      assert.ok(result.props);
      const diff = await provider.diff(id, result.props, inputs(gitlab));
      assert.equal(diff.changes, true);
    });

    it("drops a runner deleted in GitLab from the state", async () => {
      const { id, outs } = await created();
      gitlab.runners.delete(Number(id));
      assert.deepEqual(await provider.read(id, outs), {});
    });
  });

  describe("check (before any request)", () => {
    it("refuses a description, a tag count or a tag GitLab would refuse, naming the config path", async () => {
      const long = "é".repeat(1025);
      const tags = Array.from({ length: 51 }, (_, index) => `t${String(index).padStart(2, "0")}`);
      const news = inputs(gitlab, {
        settings: { ...SETTINGS, description: long, tags: [...tags.slice(0, 50), "x".repeat(256)] },
      });
      assert.deepEqual(await provider.check(undefined, news), {
        inputs: news,
        failures: [
          {
            property: "settings.description",
            reason:
              "dockerHosts[0].runners[0].description: GitLab keeps at most 1024 characters in a runner's description; this one has 1025",
          },
          {
            property: "settings.tags",
            reason:
              "dockerHosts[0].runners[0].tags: GitLab allows at most 50 tags on a runner; this one has 51",
          },
          {
            property: "settings.tags",
            reason:
              'dockerHosts[0].runners[0].tags: GitLab allows at most 255 characters in a tag; "xxxxxxxxxxxxxxxxxxxx..." has 256',
          },
        ],
      });
      const limits = inputs(gitlab, {
        settings: {
          ...SETTINGS,
          description: "é".repeat(1024),
          tags: [...tags.slice(0, 49), "x".repeat(255)],
        },
      });
      assert.deepEqual(await provider.check(undefined, limits), { inputs: limits, failures: [] });
      assert.deepEqual(gitlab.calls(), []);
      await provider.create(limits);
      assert.equal(gitlab.runners.size, 1, "GitLab takes what is exactly at its limits");
    });

    it("the stand-in refuses what GitLab refuses, in GitLab's shapes (create: bad_request!, update: render_validation_error!)", async () => {
      const endpoint = { url: gitlab.url, apiToken: FAKE_API_TOKEN };
      const tags = Array.from({ length: 51 }, (_, index) => `t${index}`);
      await assert.rejects(
        gitlabRequest(endpoint, {
          method: "POST",
          path: "/user/runners",
          body: { runner_type: "instance_type", description: "d".repeat(1025), tag_list: tags },
        }),
        (error: Error & { detail?: string }) => {
          assert.equal(
            error.detail,
            "400 Bad request - Description is too long (maximum is 1024 characters) and Tags list Too many tags specified. Please limit the number of tags to 50",
          );
          return true;
        },
      );
      const { id } = await created();
      await assert.rejects(
        gitlabRequest(endpoint, {
          method: "PUT",
          path: `/runners/${id}`,
          body: { description: "d".repeat(1025), tag_list: ["y".repeat(256)] },
        }),
        (error: Error & { detail?: string }) => {
          assert.equal(
            error.detail,
            "description is too long (maximum is 1024 characters); tags name is too long (maximum is 255 characters)",
          );
          return true;
        },
      );
      assert.equal(gitlab.runners.get(Number(id))?.description, SETTINGS.description);
    });
  });

  describe("delete", () => {
    it("deletes the runner in GitLab", async () => {
      const { id, outs } = await created();
      await provider.delete(id, outs);
      assert.deepEqual(gitlab.calls(), [`DELETE /runners/${id}`]);
      assert.equal(gitlab.runners.has(Number(id)), false);
    });

    it("counts a runner that is already gone as deleted", async () => {
      const { id, outs } = await created();
      gitlab.runners.delete(Number(id));
      await provider.delete(id, outs);
      assert.deepEqual(gitlab.calls(), [`DELETE /runners/${id}`]);
    });
  });

  describe("failures", () => {
    const prefix = "runner build-1 (dockerHosts[0].runners[0])";

    it("401: says the API token was refused and how to set a new one", async () => {
      const error = await rejection(provider.create(inputs(gitlab, { apiToken: "glpat-wrong" })));
      assert.equal(
        error.message,
        `${prefix}: could not look up the group "platform/build": GET /api/v4/groups/platform%2Fbuild: 401 (GitLab: 401 Unauthorized); GitLab refused the API token (invalid, expired or revoked); set a valid one with: pulumi config set --secret --path gitlab.apiToken <token>`,
      );
      assert.ok(!error.message.includes("glpat-wrong"));
    });

    it("403 on create: names the scope the token needs and the role its user needs", async () => {
      gitlab.fail({ method: "POST", status: 403, body: { message: "403 Forbidden" } });
      const error = await rejection(provider.create(inputs(gitlab)));
      assert.equal(
        error.message,
        `${prefix}: could not create the runner: POST /api/v4/user/runners: 403 (GitLab: 403 Forbidden); the API token needs the create_runner (or api) scope and its user the right to create group (Owner role) runners`,
      );
    });

    it("403 on update: names the manage_runner scope", async () => {
      const { id, outs } = await created();
      gitlab.fail({
        method: "PUT",
        status: 403,
        body: { message: "403 Forbidden - No access granted" },
      });
      const error = await rejection(
        provider.update(id, outs, inputs(gitlab, { settings: { ...SETTINGS, paused: true } })),
      );
      assert.equal(
        error.message,
        `${prefix}: could not update runner ${id}: PUT /api/v4/runners/${id}: 403 (GitLab: 403 Forbidden - No access granted); the API token needs the manage_runner (or api) scope and its user must be allowed to manage this runner`,
      );
    });

    it("404 on update: says the runner was deleted outside Pulumi", async () => {
      const { id, outs } = await created();
      gitlab.runners.delete(Number(id));
      const error = await rejection(
        provider.update(id, outs, inputs(gitlab, { settings: { ...SETTINGS, paused: true } })),
      );
      assert.equal(
        error.message,
        `${prefix}: could not update runner ${id}: PUT /api/v4/runners/${id}: 404 (GitLab: 404 Not found); the runner no longer exists in GitLab (deleted outside Pulumi?); run pulumi refresh, then pulumi up creates it again`,
      );
    });

    it("a 404 of GitLab's router is not a deleted runner: destroy fails and names the URL, the runner stays", async () => {
      const { id, outs } = await created();
      gitlab.fail({ method: "DELETE", status: 404, body: ROUTE_NOT_FOUND });
      const error = await rejection(provider.delete(id, outs));
      assert.equal(
        error.message,
        `${prefix}: could not delete runner ${id}: DELETE /api/v4/runners/${id}: 404 (GitLab: 404 Not Found); GitLab's API has no such route (its router answered {"error":"404 Not Found"} for ${gitlab.url}/api/v4/runners/${id}): check gitlab.url (http or https, host name, and the path prefix of a GitLab under a relative URL such as https://example.com/gitlab; without /api/v4); this says nothing about the runner, which stays in the stack's state`,
      );
      assert.equal(gitlab.runners.has(Number(id)), true);
    });

    it("an HTML 404 (a proxy, a wrong path prefix) is not a deleted runner: refresh fails instead of dropping it", async () => {
      const { id, outs } = await created();
      gitlab.fail({
        method: "GET",
        status: 404,
        body: "<html><head><title>404 Not Found</title></head><body>nginx</body></html>",
        headers: { "Content-Type": "text/html" },
      });
      const error = await rejection(provider.read(id, outs));
      assert.equal(
        error.message,
        `${prefix}: could not read runner ${id}: GET /api/v4/runners/${id}: 404 (answer: an HTML page titled "404 Not Found"); that is not GitLab's API, which answers JSON (and {"message":"404 Not found"} for a record it does not have): ${gitlab.url}/api/v4/runners/${id} leads somewhere else; check gitlab.url (http or https, host name, and the path prefix of a GitLab under a relative URL such as https://example.com/gitlab; without /api/v4); this says nothing about the runner, which stays in the stack's state`,
      );
      gitlab.fail({ method: "DELETE", status: 404, body: { message: "Not here" } });
      await rejection(provider.delete(id, outs));
      assert.equal(gitlab.runners.has(Number(id)), true);
      gitlab.fail({ method: "DELETE", status: 404, body: RECORD_NOT_FOUND });
      await provider.delete(id, outs);
    });

    it("3xx: never taken as success; names where the redirect points", async () => {
      const { id, outs } = await created();
      gitlab.fail({
        method: "DELETE",
        status: 301,
        headers: { Location: `https://gitlab.example.com/api/v4/runners/${id}` },
      });
      const error = await rejection(provider.delete(id, outs));
      assert.equal(
        error.message,
        `${prefix}: could not delete runner ${id}: DELETE /api/v4/runners/${id}: 301 redirect to https://gitlab.example.com/api/v4/runners/${id}; GitLab's API answers this call itself and never redirects it, so ${gitlab.url}/api/v4/runners/${id} is not GitLab's API: check gitlab.url (http or https, host name, and the path prefix of a GitLab under a relative URL such as https://example.com/gitlab; without /api/v4); this says nothing about the runner, which stays in the stack's state`,
      );
      assert.deepEqual(gitlab.calls(), [`DELETE /runners/${id}`], "a redirect is not retried");
      assert.equal(gitlab.runners.has(Number(id)), true);
      gitlab.fail({ method: "POST", status: 302, headers: { Location: "/users/sign_in" } });
      const create = await rejection(
        provider.create(inputs(gitlab, { scope: { kind: "project", project: 77 } })),
      );
      assert.match(
        create.message,
        new RegExp(
          `: POST /api/v4/user/runners: 302 redirect to ${gitlab.url}/users/sign_in; .*; no runner was created$`,
        ),
      );
    });

    it("a 2xx that is not JSON (a proxy's login page) is an error, not a runner", async () => {
      const { id, outs } = await created();
      gitlab.fail({
        method: "GET",
        status: 200,
        body: "<!DOCTYPE html><html><title>Sign in</title></html>",
        headers: { "Content-Type": "text/html" },
      });
      const error = await rejection(provider.read(id, outs));
      assert.match(
        error.message,
        new RegExp(
          `^${prefix.replace(/[()[\]]/g, "\\$&")}: could not read runner ${id}: GET /api/v4/runners/${id}: 200 with an HTML page titled "Sign in", not JSON; that is not GitLab's API`,
        ),
      );
    });

    it("403 on a group lookup: shows GitLab's insufficient_scope explanation and the scopes it accepts", async () => {
      gitlab.tokenScopes = new Set(["create_runner", "manage_runner"]);
      const error = await rejection(provider.create(inputs(gitlab)));
      assert.equal(
        error.message,
        `${prefix}: could not look up the group "platform/build": GET /api/v4/groups/platform%2Fbuild: 403 (GitLab: insufficient_scope: The request requires higher privileges than provided by the access token. Scopes that allow it: api, read_api); the API token needs the read_api (or api) scope to look up a group by path, and its user must see it; or give the numeric id at dockerHosts[0].runners[0].scope`,
      );
      const byId = await provider.create(inputs(gitlab, { scope: { kind: "group", group: 41 } }));
      assert.equal(byId.outs.namespaceId, 41, "create_runner alone creates a runner by id");
    });

    it("403 on creating an instance runner: names the administrator and the admin_mode scope", async () => {
      gitlab.fail({
        method: "POST",
        status: 403,
        body: { message: "403 Forbidden - Insufficient permissions" },
      });
      const error = await rejection(
        provider.create(inputs(gitlab, { scope: { kind: "instance" } })),
      );
      assert.equal(
        error.message,
        `${prefix}: could not create the runner: POST /api/v4/user/runners: 403 (GitLab: 403 Forbidden - Insufficient permissions); the API token needs the create_runner (or api) scope and its user the right to create instance (an administrator; with GitLab's Admin Mode on, the token needs the admin_mode scope too) runners`,
      );
    });

    it("404 on create from a GitLab without the runner-creation API: says GitLab is too old, not to refresh", async () => {
      gitlab.runnerCreationApi = false;
      const error = await rejection(
        provider.create(inputs(gitlab, { scope: { kind: "project", project: 77 } })),
      );
      assert.equal(
        error.message,
        `${prefix}: could not create the runner: POST /api/v4/user/runners: 404 (GitLab: 404 Not Found); GitLab's API has no POST /user/runners (its router answered {"error":"404 Not Found"} for ${gitlab.url}/api/v4/user/runners): GitLab creates runners through it from GitLab 15.10 on, so upgrade GitLab or create the runners by hand (gitlab.manageRunners: false); also check that gitlab.url does not end in /api/v4; no runner was created`,
      );
      assert.equal(gitlab.runners.size, 0);
    });

    it("409: passes GitLab's message on", async () => {
      const { id, outs } = await created();
      gitlab.fail({ method: "DELETE", status: 409, body: { message: "Runner is being updated" } });
      const error = await rejection(provider.delete(id, outs));
      assert.equal(
        error.message,
        `${prefix}: could not delete runner ${id}: DELETE /api/v4/runners/${id}: 409 (GitLab: Runner is being updated); GitLab reported a conflict; retry once the other change is done`,
      );
      assert.equal(gitlab.runners.has(Number(id)), true);
    });

    it("400: lists GitLab's validation messages per field", async () => {
      const { id, outs } = await created();
      gitlab.fail({
        method: "PUT",
        status: 400,
        body: { message: { maximum_timeout: ["needs to be at least 10 minutes"] } },
      });
      const error = await rejection(
        provider.update(
          id,
          outs,
          inputs(gitlab, { settings: { ...SETTINGS, maximumTimeout: 60 } }),
        ),
      );
      assert.equal(
        error.message,
        `${prefix}: could not update runner ${id}: PUT /api/v4/runners/${id}: 400 (GitLab: maximum_timeout needs to be at least 10 minutes); check the runner's settings at dockerHosts[0].runners[0]`,
      );
    });

    it("429: waits and retries, also a POST, since the rate limiter answers before the runner is created", async () => {
      gitlab.fail({
        method: "POST",
        status: 429,
        body: { message: "Retry later" },
        headers: { "Retry-After": "0" },
      });
      const result = await provider.create(
        inputs(gitlab, { scope: { kind: "project", project: 77 } }),
      );
      assert.deepEqual(gitlab.calls(), ["POST /user/runners", "POST /user/runners"]);
      assert.equal(gitlab.runners.size, 1);
      assert.equal(result.outs.runnerId, Number(result.id));
    });

    it("429 on every attempt: gives up after the last one and says so", async () => {
      const { id, outs } = await created();
      gitlab.fail({ method: "GET", status: 429, body: { message: "Retry later" }, times: 3 });
      const error = await rejection(provider.read(id, outs));
      assert.equal(
        error.message,
        `${prefix}: could not read runner ${id}: GET /api/v4/runners/${id}: 429 after 3 attempts (GitLab: Retry later); GitLab's rate limit was still exceeded after every retry; try again later`,
      );
      assert.equal(gitlab.requests.length, 3);
    });

    it("5xx on create: never retries the POST, which could create a duplicate, and says what to check", async () => {
      gitlab.fail({ method: "POST", status: 500, body: { message: "500 Internal Server Error" } });
      const error = await rejection(
        provider.create(inputs(gitlab, { scope: { kind: "project", project: 77 } })),
      );
      assert.deepEqual(gitlab.calls(), ["POST /user/runners"]);
      assert.equal(
        error.message,
        `${prefix}: could not create the runner: POST /api/v4/user/runners: 500 (GitLab: 500 Internal Server Error); not retried, since GitLab may have created the runner anyway: look for a runner with this description in GitLab, delete it, then run pulumi up again`,
      );
    });

    it("5xx on every attempt of a DELETE: retries, then fails and leaves the state alone", async () => {
      const { id, outs } = await created();
      gitlab.fail({ method: "DELETE", status: 503, body: { message: "503" }, times: 3 });
      const error = await rejection(provider.delete(id, outs));
      assert.equal(gitlab.calls().length, 3);
      assert.match(
        error.message,
        /: 503 after 3 attempts \(GitLab: 503\); GitLab failed on its side; try again later$/,
      );
    });

    it("a token echoed in an error body never reaches the message", async () => {
      const { id, outs } = await created();
      gitlab.fail({
        method: "POST",
        status: 422,
        body: { message: `cannot reset ${outs.token} with ${FAKE_API_TOKEN}` },
      });
      const error = await rejection(
        provider.update(id, outs, inputs(gitlab, { rotateToken: "x" })),
      );
      assert.match(error.message, /\(GitLab: cannot reset \[redacted\] with \[redacted\]\)/);
    });

    it("an unreachable GitLab: names the runner and what to check", async () => {
      const error = await rejection(
        provider.create(
          inputs(gitlab, {
            gitlabUrl: "http://127.0.0.1:9",
            scope: { kind: "project", project: 77 },
          }),
        ),
      );
      assert.match(
        error.message,
        /^runner build-1 \(dockerHosts\[0\]\.runners\[0\]\): could not create the runner: POST \/api\/v4\/user\/runners: no answer \(connect ECONNREFUSED 127\.0\.0\.1:9\) after 3 attempts; check gitlab\.url and that GitLab is reachable from where pulumi runs$/,
      );
    });
  });
});
