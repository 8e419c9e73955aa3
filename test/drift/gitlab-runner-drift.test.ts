/**
 * The GitLab level of `npm run drift` against the local GitLab stand-in: per
 * managed runner, whether GitLab still has it, which settings differ, and when
 * a manager last contacted GitLab; how the report shows it and its exit code.
 */
import assert from "node:assert/strict";
import { after, before, beforeEach, describe, it } from "node:test";
import { loadFleet } from "../../components/config/load/load-fleet.js";
import { driftExitCode, driftReportJson } from "../../components/drift/drift-report.js";
import { formatDriftReport } from "../../components/drift/format-drift-report.js";
import {
  checkGitLabRunners,
  type GitLabSection,
  type ManagedRunnerState,
} from "../../components/drift/gitlab-runner-drift.js";
import type { Fleet } from "../../components/model/fleet.js";
import { FAKE_API_TOKEN, FakeGitLab } from "../support/fake-gitlab.js";

const FAST = { attempts: 2, baseDelayMs: 1, maxDelayMs: 5, timeoutSeconds: 5 };
const ENCRYPTED = { secure: "v1:ZW5jcnlwdGVk" };

function fleetOf(url: string, manageRunners: boolean): Fleet {
  const runner = (name: string, extra: Record<string, unknown> = {}) =>
    manageRunners
      ? { name, tags: ["dind", "docker"], ...extra }
      : { name, tags: ["dind"], token: ENCRYPTED };
  const values = {
    gitlab: {
      url: "https://gitlab.example.com",
      ...(manageRunners ? { manageRunners: true, apiToken: ENCRYPTED } : {}),
    },
    ...(manageRunners ? { defaults: { scope: { group: "platform/build" } } } : {}),
    dockerHosts: [
      {
        name: "build-1",
        endpoint: "ssh://deploy@build-1.example.internal",
        runners: [runner("one"), runner("two", { paused: true }), runner("three"), runner("four")],
      },
    ],
  };
  const loaded = loadFleet(
    { environment: "test", values },
    { requireSecrets: false, plaintextSecretsAllowed: false },
  );
  assert.ok(loaded.ok, loaded.ok ? "" : JSON.stringify(loaded.issues));
  // The stand-in speaks http on 127.0.0.1; the stack insists on https.
  return { ...loaded.fleet, gitlab: { ...loaded.fleet.gitlab, url } };
}

function stateOf(ids: Record<string, number>, apiToken?: string) {
  const state: ManagedRunnerState = {
    runnerIds: new Map(Object.entries(ids)),
    ...(apiToken === undefined ? {} : { apiToken }),
  };
  return { read: () => Promise.resolve(state) };
}

describe("checkGitLabRunners", () => {
  const gitlab = new FakeGitLab();
  before(() => gitlab.start());
  after(() => gitlab.stop());
  beforeEach(() => {
    gitlab.runners.clear();
    gitlab.requests.length = 0;
    const common = {
      runner_type: "group_type",
      tag_list: ["docker", "dind"],
      run_untagged: false,
      locked: false,
      paused: false,
      access_level: "not_protected",
      maximum_timeout: null,
    };
    gitlab.addRunner({
      ...common,
      id: 11,
      description: "one (dind-runners test)",
      managers: [
        {
          system_id: "s_a",
          contacted_at: "2026-12-01T10:00:00.000Z",
          status: "online",
          version: "19.3.0",
        },
        {
          system_id: "s_b",
          contacted_at: "2026-12-01T11:30:00.000Z",
          status: "online",
          version: "19.3.0",
        },
      ],
    });
    gitlab.addRunner({
      ...common,
      id: 12,
      description: "two (dind-runners test)",
      runner_type: "instance_type",
      tag_list: ["dind"],
      paused: false,
    });
  });

  async function check(
    fleet: Fleet,
    ids: Record<string, number>,
    options: { state?: string; env?: string } = {},
  ) {
    return checkGitLabRunners({
      fleet,
      stackName: "test",
      state: stateOf(ids, options.state),
      ...(options.env === undefined ? {} : { apiToken: options.env }),
      retry: FAST,
    });
  }

  it("compares each managed runner with GitLab: in sync, drifted settings, deleted, never created", async () => {
    const section = await check(
      fleetOf(gitlab.url, true),
      { one: 11, two: 12, three: 13 },
      {
        state: FAKE_API_TOKEN,
      },
    );
    assert.deepEqual(section, {
      status: "checked",
      runners: [
        {
          name: "one",
          configPath: "dockerHosts[0].runners[0]",
          runnerId: 11,
          status: "in-sync",
          live: "found",
          differences: [],
          lastContact: "2026-12-01T11:30:00.000Z",
          managers: 2,
        },
        {
          name: "two",
          configPath: "dockerHosts[0].runners[1]",
          runnerId: 12,
          status: "drift",
          live: "found",
          differences: [
            { attribute: "runner_type", desired: "group_type", live: "instance_type" },
            { attribute: "tag_list", desired: ["dind", "docker"], live: ["dind"] },
            { attribute: "paused", desired: true, live: false },
          ],
          lastContact: null,
          managers: 0,
        },
        {
          name: "three",
          configPath: "dockerHosts[0].runners[2]",
          runnerId: 13,
          status: "drift",
          live: "missing",
          differences: [],
        },
        {
          name: "four",
          configPath: "dockerHosts[0].runners[3]",
          status: "drift",
          live: "not-created",
          differences: [],
        },
      ],
    } satisfies GitLabSection);
    for (const request of gitlab.requests) {
      assert.equal(request.method, "GET", "drift only reads");
      assert.equal(request.headers["private-token"], FAKE_API_TOKEN);
    }
    const report = { stack: "test", pulumi: { status: "skipped" as const }, gitlab: section };
    assert.equal(
      formatDriftReport(report),
      [
        'drift check of stack "test"',
        "pulumi: skipped (--skip-pulumi)",
        "runner configs: skipped (--skip-runners)",
        "gitlab runner one (id 11, dockerHosts[0].runners[0]): in sync; last contact 2026-12-01T11:30:00.000Z",
        "gitlab runner two (id 12, dockerHosts[0].runners[1]): drift; never contacted GitLab",
        '  ~ runner_type: desired "group_type", live "instance_type"',
        '  ~ tag_list: desired ["dind","docker"], live ["dind"]',
        "  ~ paused: desired true, live false",
        "gitlab runner three (id 13, dockerHosts[0].runners[2]): drift: no longer in GitLab (deleted outside Pulumi); pulumi up creates it again",
        "gitlab runner four (dockerHosts[0].runners[3]): drift: not in the stack's state; pulumi up creates it",
        "result: drift found (exit 2)",
        "",
      ].join("\n"),
    );
    assert.equal(driftExitCode(report), 2);
    for (const text of [formatDriftReport(report), driftReportJson(report)]) {
      assert.ok(!text.includes(FAKE_API_TOKEN));
      assert.doesNotMatch(text, /glrt-/);
    }
  });

  it("warns when a managed runner's token expires within the warning window, from the stack's state (exit 2)", async () => {
    const fleet = fleetOf(gitlab.url, true);
    const now = new Date("2026-12-01T12:00:00.000Z");
    const expiring = (expiresAt: string | null) =>
      checkGitLabRunners({
        fleet,
        stackName: "test",
        state: {
          read: () =>
            Promise.resolve({
              runnerIds: new Map([["one", 11]]),
              apiToken: FAKE_API_TOKEN,
              tokenExpiresAt: new Map([["one", expiresAt]]),
            }),
        },
        retry: FAST,
        now,
        tokenWarningDays: 14,
      });
    const one = async (expiresAt: string | null) => {
      const section = await expiring(expiresAt);
      assert.equal(section.status, "checked");
      const check = section.runners[0];
      assert.ok(check);
      return { section, check };
    };
    // 20 days ahead, or never: nothing to do.
    const later = await one("2026-12-21T12:00:00.000Z");
    assert.equal(later.check.status, "in-sync");
    assert.equal(later.check.tokenExpiresAt, "2026-12-21T12:00:00.000Z");
    assert.equal(later.check.tokenExpiresInDays, undefined);
    const never = await one(null);
    assert.equal(never.check.status, "in-sync");
    assert.equal(never.check.tokenExpiresAt, null);
    // 10 days ahead: drift, with what to do.
    const soon = await one("2026-12-11T13:00:00.000Z");
    assert.equal(soon.check.status, "drift");
    assert.equal(soon.check.tokenExpiresInDays, 10);
    const report = (section: GitLabSection) =>
      formatDriftReport({ stack: "test", pulumi: { status: "skipped" }, gitlab: section })
        .split("\n")
        .filter((line) => line.includes("runner one") || line.startsWith("  token"));
    assert.deepEqual(report(soon.section), [
      "gitlab runner one (id 11, dockerHosts[0].runners[0]): drift; last contact 2026-12-01T11:30:00.000Z",
      "  token expires at 2026-12-11T13:00:00.000Z, in 10 days: run pulumi up, which resets it and redeploys config.toml",
    ]);
    const expired = await one("2026-11-30T12:00:00.000Z");
    assert.deepEqual(report(expired.section), [
      "gitlab runner one (id 11, dockerHosts[0].runners[0]): drift; last contact 2026-12-01T11:30:00.000Z",
      "  token expired at 2026-11-30T12:00:00.000Z: run pulumi up, which resets it and redeploys config.toml",
    ]);
    assert.equal(
      driftExitCode({ stack: "test", pulumi: { status: "skipped" }, gitlab: soon.section }),
      2,
    );
  });

  it("a 404 that is not GitLab's missing runner (a route miss, a proxy page) is an error, not a deleted runner", async () => {
    gitlab.fail({
      method: "GET",
      path: /^\/runners\/11$/,
      status: 404,
      body: { error: "404 Not Found" },
    });
    gitlab.fail({
      method: "GET",
      path: /^\/runners\/12$/,
      status: 404,
      body: "<html><title>Not Found</title></html>",
      headers: { "Content-Type": "text/html" },
    });
    const section = await check(
      fleetOf(gitlab.url, true),
      { one: 11, two: 12 },
      { state: FAKE_API_TOKEN },
    );
    assert.equal(section.status, "checked");
    const runners = section.status === "checked" ? section.runners.slice(0, 2) : [];
    assert.deepEqual(
      runners.map((runner) => [runner.status, runner.live, runner.error?.replace(/; .*$/, "")]),
      [
        [
          "error",
          undefined,
          "runner one (dockerHosts[0].runners[0]): could not read runner 11: GET /api/v4/runners/11: 404 (GitLab: 404 Not Found)",
        ],
        [
          "error",
          undefined,
          'runner two (dockerHosts[0].runners[1]): could not read runner 12: GET /api/v4/runners/12: 404 (answer: an HTML page titled "Not Found")',
        ],
      ],
    );
    assert.equal(
      driftExitCode({ stack: "test", pulumi: { status: "skipped" }, gitlab: section }),
      1,
      "cannot check, rather than drift",
    );
  });

  it("skips a stack whose runners are made by hand, with a note", async () => {
    const section = await check(fleetOf(gitlab.url, false), {});
    assert.deepEqual(section, {
      status: "skipped",
      reason:
        "gitlab.manageRunners is off: runners made by hand are not compared with GitLab, and when their tokens expire cannot be told (GitLab's runner API does not show it)",
    });
    assert.equal(gitlab.requests.length, 0);
    const report = { stack: "test", pulumi: { status: "skipped" as const }, gitlab: section };
    assert.equal(driftExitCode(report), 0);
    const json = JSON.parse(driftReportJson(report)) as { skipped: unknown };
    assert.deepEqual(json.skipped, ["pulumi", "runners", "gitlab"]);
  });

  it("uses the token given to drift over the stack's, and names the runner when GitLab refuses it (exit 1)", async () => {
    const section = await check(
      fleetOf(gitlab.url, true),
      { one: 11 },
      {
        state: FAKE_API_TOKEN,
        env: "glpat-revoked",
      },
    );
    assert.equal(section.status, "checked");
    const one = section.status === "checked" ? section.runners[0] : undefined;
    assert.deepEqual(one, {
      name: "one",
      configPath: "dockerHosts[0].runners[0]",
      runnerId: 11,
      status: "error",
      differences: [],
      error:
        "runner one (dockerHosts[0].runners[0]): could not read runner 11: GET /api/v4/runners/11: 401 (GitLab: 401 Unauthorized); GitLab refused the API token (invalid, expired or revoked); set a valid one with: pulumi config set --secret --path gitlab.apiToken <token>",
    });
    assert.equal(
      driftExitCode({ stack: "test", pulumi: { status: "skipped" }, gitlab: section }),
      1,
    );
  });

  it("cannot check without a token or without the stack's state (exit 1)", async () => {
    const fleet = fleetOf(gitlab.url, true);
    assert.deepEqual(await check(fleet, { one: 11 }), {
      status: "error",
      error:
        'no GitLab API token: set DIND_RUNNERS_GITLAB_API_TOKEN (a token with the read_api scope is enough), or make gitlab.apiToken of stack "test" readable',
    });
    const unreadable = await checkGitLabRunners({
      fleet,
      stackName: "test",
      state: {
        read: () => Promise.reject(new Error('pulumi stack "test": no stack named test found')),
      },
    });
    assert.deepEqual(unreadable, {
      status: "error",
      error: 'pulumi stack "test": no stack named test found',
    });
    const report = { stack: "test", pulumi: { status: "skipped" as const }, gitlab: unreadable };
    assert.match(
      formatDriftReport(report),
      /^gitlab runners: could not check: pulumi stack "test": no stack named test found$/m,
    );
    assert.equal(driftExitCode(report), 1);
  });
});
