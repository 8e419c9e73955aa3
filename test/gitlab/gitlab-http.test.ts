/**
 * The GitLab REST client: which failures it retries, how long it waits, how it
 * reads error bodies, and that it trusts a self-managed instance's CA only when
 * given (https against a local server with a CA made by openssl).
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import {
  DEFAULT_RETRY_POLICY,
  errorDetail,
  gitlabRequest,
  GitLabRequestError,
  mayRetry,
  notFoundKind,
  retryDelayMs,
} from "../../components/gitlab/gitlab-http.js";
import { FAKE_API_TOKEN, FakeGitLab } from "../support/fake-gitlab.js";

describe("mayRetry", () => {
  const cases: [string, Parameters<typeof mayRetry>[1], boolean[]][] = [
    // [what, failure, [GET, PUT, DELETE, POST]]
    ["429", { status: 429 }, [true, true, true, true]],
    ["500", { status: 500 }, [true, true, true, false]],
    ["503", { status: 503 }, [true, true, true, false]],
    ["connection reset midway", { code: "ECONNRESET" }, [true, true, true, false]],
    ["connection refused", { code: "ECONNREFUSED" }, [true, true, true, true]],
    ["untrusted certificate", { code: "SELF_SIGNED_CERT_IN_CHAIN" }, [false, false, false, false]],
    ["401", { status: 401 }, [false, false, false, false]],
    ["403", { status: 403 }, [false, false, false, false]],
    ["404", { status: 404 }, [false, false, false, false]],
    ["409", { status: 409 }, [false, false, false, false]],
  ];
  for (const [what, failure, expected] of cases) {
    it(`${what}: GET, PUT, DELETE, POST -> ${expected.join(", ")}`, () => {
      assert.deepEqual(
        (["GET", "PUT", "DELETE", "POST"] as const).map((method) => mayRetry(method, failure)),
        expected,
      );
    });
  }
});

describe("retryDelayMs", () => {
  const policy = { ...DEFAULT_RETRY_POLICY, baseDelayMs: 1000, maxDelayMs: 60_000 };
  it("doubles from the base delay", () => {
    assert.deepEqual(
      [1, 2, 3, 4].map((attempt) => retryDelayMs(policy, attempt, undefined)),
      [1000, 2000, 4000, 8000],
    );
  });
  it("waits as long as Retry-After says, up to the maximum", () => {
    assert.equal(retryDelayMs(policy, 1, "7"), 7000);
    assert.equal(retryDelayMs(policy, 1, "0"), 0);
    assert.equal(retryDelayMs(policy, 1, "3600"), 60_000);
  });
  it("falls back to the backoff for a Retry-After it cannot read", () => {
    assert.equal(retryDelayMs(policy, 2, "Wed, 21 Oct 2015 07:28:00 GMT"), 2000);
  });
});

describe("errorDetail", () => {
  it("reads GitLab's message, validation and parameter error bodies", () => {
    assert.equal(errorDetail('{"message":"403 Forbidden"}', "glpat-unrelated"), "403 Forbidden");
    assert.equal(
      errorDetail('{"message":{"tag_list":["is invalid"],"base":["a","b"]}}', "glpat-unrelated"),
      "tag_list is invalid; base a, b",
    );
    assert.equal(
      errorDetail('{"error":"group_id is missing"}', "glpat-unrelated"),
      "group_id is missing",
    );
    assert.equal(
      errorDetail("<html>Bad Gateway</html>", "glpat-unrelated"),
      "<html>Bad Gateway</html>",
    );
    assert.equal(errorDetail("", "glpat-unrelated"), undefined);
  });
  it("blanks out the API token and anything shaped like a GitLab token", () => {
    assert.equal(
      errorDetail('{"message":"bad s3cret-api and glrt-abc_DEF.1 and glpat-xyz"}', "s3cret-api"),
      "bad [redacted] and [redacted] and [redacted]",
    );
  });
});

describe("notFoundKind", () => {
  it("tells GitLab's missing record from a route its API lacks and from anything else", () => {
    assert.deepEqual(
      [
        '{"message":"404 Not found"}',
        '{"message":"404 Runner Not Found"}',
        '{"message":"404 Group Not Found"}',
        '{"error":"404 Not Found"}',
        "<html><title>404 Not Found</title></html>",
        "",
        '{"message":"Not Found"}',
        '{"error":"404 Not Found","message":"404 Not found"}',
      ].map(notFoundKind),
      ["record", "record", "record", "route", "foreign", "foreign", "foreign", "record"],
    );
  });
});

describe("gitlabRequest against the GitLab stand-in", () => {
  const gitlab = new FakeGitLab();
  before(() => gitlab.start());
  after(() => gitlab.stop());
  const endpoint = () => ({ url: gitlab.url, apiToken: FAKE_API_TOKEN });

  async function failure(path: string): Promise<GitLabRequestError> {
    try {
      await gitlabRequest(endpoint(), { method: "GET", path });
    } catch (error) {
      assert.ok(error instanceof GitLabRequestError);
      return error;
    }
    assert.fail("expected a rejection");
  }

  it("answers a missing runner and a path its API lacks as GitLab does, and the client tells them apart", async () => {
    const missing = await failure("/runners/999");
    assert.deepEqual(missing.answer, {
      detail: "404 Not found",
      notFound: "record",
      json: true,
      body: '{"message":"404 Not found"}',
    });
    const route = await failure("/runner/999");
    assert.deepEqual(route.answer, {
      detail: "404 Not Found",
      notFound: "route",
      json: true,
      body: '{"error":"404 Not Found"}',
    });
    assert.equal(route.url, `${gitlab.url}/api/v4/runner/999`);
  });

  it("takes no 3xx for an answer: the error names where it points, made absolute, without user info", async () => {
    gitlab.fail({ method: "GET", status: 308, headers: { Location: "/gitlab/api/v4/runners/1" } });
    const error = await failure("/runners/1");
    assert.equal(
      error.message,
      `GET /api/v4/runners/1: 308 redirect to ${gitlab.url}/gitlab/api/v4/runners/1`,
    );
    assert.equal(error.attempts, 1);
    const withUser = gitlab.url.replace("http://", "http://someone:pw@");
    gitlab.fail({ method: "GET", status: 404, body: "no" });
    await assert.rejects(
      gitlabRequest(
        { url: withUser, apiToken: FAKE_API_TOKEN },
        { method: "GET", path: "/runners/1" },
      ),
      (rejected: unknown) => {
        assert.ok(rejected instanceof GitLabRequestError);
        assert.equal(rejected.url, `${gitlab.url}/api/v4/runners/1`);
        assert.equal(rejected.answer?.body, 'the text "no"');
        return true;
      },
    );
  });
});

describe("gitlabRequest over https with a self-managed CA", () => {
  const dir = mkdtempSync(join(tmpdir(), `dind-runners-gitlab-ca-${process.pid}-`));
  const gitlab = new FakeGitLab();
  let ca = "";
  before(async () => {
    const openssl = (...args: string[]) => execFileSync("openssl", args, { stdio: "pipe" });
    // Node checks an IP host against the certificate's IP SAN, never its CN.
    writeFileSync(join(dir, "san.ext"), "subjectAltName=IP:127.0.0.1\n");
    openssl(
      "req",
      "-x509",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-days",
      "2",
      "-subj",
      "/CN=test-ca",
      "-keyout",
      join(dir, "ca.key"),
      "-out",
      join(dir, "ca.pem"),
    );
    openssl(
      "req",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-subj",
      "/CN=127.0.0.1",
      "-keyout",
      join(dir, "server.key"),
      "-out",
      join(dir, "server.csr"),
    );
    openssl(
      "x509",
      "-req",
      "-in",
      join(dir, "server.csr"),
      "-CA",
      join(dir, "ca.pem"),
      "-CAkey",
      join(dir, "ca.key"),
      "-CAcreateserial",
      "-days",
      "2",
      "-extfile",
      join(dir, "san.ext"),
      "-out",
      join(dir, "server.pem"),
    );
    ca = readFileSync(join(dir, "ca.pem"), "utf8");
    await gitlab.start({ keyFile: join(dir, "server.key"), certFile: join(dir, "server.pem") });
  });
  after(async () => {
    await gitlab.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("trusts the instance's certificate through gitlab.caCertificate", async () => {
    gitlab.groups.set("platform/build", 41);
    const response = await gitlabRequest(
      { url: gitlab.url, apiToken: FAKE_API_TOKEN, caCertificate: ca },
      { method: "GET", path: "/groups/platform%2Fbuild" },
    );
    assert.deepEqual(response, { status: 200, body: { id: 41, full_path: "platform/build" } });
  });

  it("refuses it without the CA, at once and without retrying", async () => {
    const before = gitlab.requests.length;
    await assert.rejects(
      gitlabRequest(
        { url: gitlab.url, apiToken: FAKE_API_TOKEN },
        { method: "GET", path: "/groups/platform%2Fbuild" },
      ),
      (error: unknown) => {
        assert.ok(error instanceof GitLabRequestError);
        assert.equal(
          error.message,
          "GET /api/v4/groups/platform%2Fbuild: no answer (unable to verify the first certificate)",
        );
        assert.deepEqual(error.failure, { code: "UNABLE_TO_VERIFY_LEAF_SIGNATURE" });
        return true;
      },
    );
    assert.equal(gitlab.requests.length, before, "the request never reached the server");
  });
});
