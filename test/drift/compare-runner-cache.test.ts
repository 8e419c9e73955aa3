/**
 * Drift of `[runners.cache]`: compared like every other section, and its
 * credentials never printed: the desired side only holds redaction markers, so
 * a live credential is verified to be there, never shown or compared.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { compareRunnerConfig } from "../../components/drift/compare-runner-config.js";
import { differenceText, formatDriftReport } from "../../components/drift/format-drift-report.js";

const DESIRED = `concurrent = 4

[[runners]]
  name = "cached"
  url = "https://gitlab.example.com"
  token = "[redacted: Pulumi secret dind-runners:dockerHosts[0].runners[0].token]"
  executor = "docker"
  [runners.cache]
    Type = "s3"
    Path = "prod"
    Shared = true
    [runners.cache.s3]
      AccessKey = "[redacted: Pulumi secret dind-runners:dockerHosts[0].cache.s3.accessKey]"
      SecretKey = "[redacted: Pulumi secret dind-runners:dockerHosts[0].cache.s3.secretKey]"
      BucketName = "dind-runners-cache-prod"
      AuthenticationType = "access-key"
`;

const ACCESS_KEY = "AKIALIVEACCESSKEY01";
const SECRET_KEY = "live/Secret+Key=value";

const LIVE = DESIRED.replace(
  '"[redacted: Pulumi secret dind-runners:dockerHosts[0].runners[0].token]"',
  '"glrt-live_token"',
)
  .replace(
    '"[redacted: Pulumi secret dind-runners:dockerHosts[0].cache.s3.accessKey]"',
    JSON.stringify(ACCESS_KEY),
  )
  .replace(
    '"[redacted: Pulumi secret dind-runners:dockerHosts[0].cache.s3.secretKey]"',
    JSON.stringify(SECRET_KEY),
  );

function compare(live: string) {
  const result = compareRunnerConfig(DESIRED, live);
  assert.ok(result.parsed);
  return result;
}

function edit(text: string, from: string, to: string): string {
  assert.ok(text.includes(from), `fixture does not contain ${JSON.stringify(from)}`);
  return text.replace(from, to);
}

describe("drift of [runners.cache]", () => {
  it("in sync: live credentials present, listed as not comparable, never shown", () => {
    const result = compare(LIVE);
    assert.deepEqual(result.differences, []);
    assert.deepEqual(result.ignored, [
      { path: 'runners["cached"].cache.s3.AccessKey', reason: "secret-unverifiable" },
      { path: 'runners["cached"].cache.s3.SecretKey', reason: "secret-unverifiable" },
      { path: 'runners["cached"].token', reason: "token-unverifiable" },
    ]);
  });

  it("a changed bucket, path or sharing is drift", () => {
    const live = edit(
      edit(LIVE, 'BucketName = "dind-runners-cache-prod"', 'BucketName = "other-bucket"'),
      "Shared = true",
      "Shared = false",
    );
    assert.deepEqual(compare(live).differences.map(differenceText), [
      '~ runners["cached"].cache.Shared: desired true, live false',
      '~ runners["cached"].cache.s3.BucketName: desired "dind-runners-cache-prod", live "other-bucket"',
    ]);
  });

  it("a removed cache section is drift; credentials masked", () => {
    const live = LIVE.slice(0, LIVE.indexOf("  [runners.cache]"));
    const lines = compare(live).differences.map(differenceText);
    assert.deepEqual(lines, [
      '- runners["cached"].cache.Path = "prod" (missing from the live config)',
      '- runners["cached"].cache.Shared = true (missing from the live config)',
      '- runners["cached"].cache.Type = "s3" (missing from the live config)',
      '- runners["cached"].cache.s3.AccessKey = <masked> (missing from the live config)',
      '- runners["cached"].cache.s3.AuthenticationType = "access-key" (missing from the live config)',
      '- runners["cached"].cache.s3.BucketName = "dind-runners-cache-prod" (missing from the live config)',
      '- runners["cached"].cache.s3.SecretKey = <masked> (missing from the live config)',
    ]);
  });

  it("an empty live credential is drift, masked", () => {
    const live = edit(LIVE, JSON.stringify(SECRET_KEY), '""');
    const lines = compare(live).differences.map(differenceText);
    assert.deepEqual(lines, [
      '~ runners["cached"].cache.s3.SecretKey: desired <masked>, live <masked>',
    ]);
    assert.doesNotMatch(JSON.stringify(compare(live)), /AKIALIVE|live\/Secret/);
  });

  it("the report counts live credentials apart from what GitLab Runner changes", () => {
    const result = compare(LIVE);
    const text = formatDriftReport({
      stack: "prod",
      pulumi: { status: "skipped" },
      runners: [
        {
          variant: "docker",
          name: "build-prod-1",
          location: "ssh://deploy@build-prod-1.example.internal",
          status: "in-sync",
          live: "found",
          source: "container dind-runners-manager:/etc/gitlab-runner/config.toml",
          differences: result.differences,
          ignored: result.ignored,
        },
      ],
    });
    assert.equal(
      text.split("\n")[2],
      "docker host build-prod-1 (ssh://deploy@build-prod-1.example.internal): in sync (ignored 1 difference GitLab Runner makes itself; 2 secrets present, not compared)",
    );
    assert.doesNotMatch(text, /AKIALIVE|live\/Secret/);
  });
});
