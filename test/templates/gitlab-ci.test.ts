/**
 * This project's own .gitlab-ci.yml, expanded by gitlab-ci-local: the
 * components are included at the commit under test, the fleet pipeline joins
 * once a Pulumi backend is configured, and releases happen on semver tags only.
 */
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { before, describe, it } from "node:test";
import {
  jobNames,
  jobOf,
  listJobs,
  type ListedJob,
  previewPipeline,
  REPO_ROOT,
} from "./gitlab-ci-local.js";

const PIPELINE = readFileSync(join(REPO_ROOT, ".gitlab-ci.yml"), "utf8");

const whenOf = (jobs: readonly ListedJob[], name: string): string | undefined =>
  jobs.find((job) => job.name === name)?.when;

describe(".gitlab-ci.yml, expanded by gitlab-ci-local", () => {
  let plain: Readonly<Record<string, unknown>>;
  let noRemote: Readonly<Record<string, unknown>>;
  let withBackend: Readonly<Record<string, unknown>>;
  let semverTag: readonly ListedJob[];
  let otherTag: readonly ListedJob[];

  before(async () => {
    // Tag pipelines have no CI_COMMIT_BRANCH in GitLab.
    const tag = (name: string) => ({ CI_COMMIT_TAG: name, CI_COMMIT_BRANCH: "" });
    [plain, noRemote, withBackend, semverTag, otherTag] = await Promise.all([
      previewPipeline(PIPELINE),
      // A fresh clone of a local path, or an unpushed repository: no remote gitlab-ci-local can
      // parse. It then uses a fallback project path for $CI_PROJECT_PATH and for matching the
      // component address alike, so the components still come from templates/ at HEAD.
      previewPipeline(PIPELINE, { origin: null }),
      previewPipeline(PIPELINE, { variables: { PULUMI_BACKEND_URL: "s3://state/dind-runners" } }),
      listJobs(PIPELINE, { variables: tag("1.2.0") }),
      listJobs(PIPELINE, { variables: tag("v1.2.0") }),
    ]);
  });

  it("tests, the docker-build self-test and the release jobs; no fleet jobs without a backend", () => {
    assert.deepEqual(jobNames(plain), [
      "self-test-docker-build",
      "test",
      "release-version",
      "release",
    ]);
  });

  it("expands the same without a git remote (a fresh local clone)", () => {
    assert.deepEqual(noRemote, plain);
  });

  it("the fleet pipeline joins when PULUMI_BACKEND_URL is set", () => {
    assert.deepEqual(
      jobNames(withBackend).filter((name) => name.startsWith("fleet-")),
      [
        "fleet-preview",
        "fleet-up",
        "fleet-up-protected",
        "fleet-drift",
        "fleet-canary-render",
        "fleet-canary",
        "fleet-canary-protected-render",
        "fleet-canary-protected",
      ],
    );
  });

  it("the self-test builds the sample image with the job's own dind, without pushing", () => {
    const selfTest = jobOf(plain, "self-test-docker-build");
    assert.equal(selfTest.stage, "build");
    assert.equal(selfTest.services?.[0]?.name, "docker:29.7.2-dind");
    assert.equal(selfTest.variables?.["DIND_BUILD_CONTEXT"], "test/templates/sample-image");
    const dockerfile = selfTest.variables?.["DIND_BUILD_DOCKERFILE"] ?? "";
    assert.ok(existsSync(join(REPO_ROOT, dockerfile)), `${dockerfile} exists`);
    assert.equal(selfTest.tags, undefined);
    assert.match(
      selfTest.script?.[0] ?? "",
      /if \[ "false" = true \]; then\n {2}set -- "\$@" --push\n.*\nelse\n {2}set -- "\$@" --load\nfi/s,
    );
  });

  it("the test job runs npm ci, starts a Docker engine, then npm test, in a pinned Node 22 image", () => {
    const test = jobOf(plain, "test");
    assert.deepEqual(test.image, { name: "node:22.23.2-bookworm" });
    assert.deepEqual(test.script, ["npm ci", "bash test/support/docker-engine.sh", "npm test"]);
  });

  it("a semver tag releases (after the version check); another tag does not", () => {
    assert.equal(whenOf(semverTag, "release"), "on_success");
    assert.equal(whenOf(semverTag, "release-version"), "on_success");
    assert.equal(whenOf(otherTag, "release"), "never");
    const release = jobOf(plain, "release") as { release?: unknown; image?: unknown };
    assert.deepEqual(release.image, { name: "registry.gitlab.com/gitlab-org/cli:v1.107.0" });
    assert.deepEqual(release.release, {
      tag_name: "$CI_COMMIT_TAG",
      name: "dind-runners $CI_COMMIT_TAG",
      description:
        "Release $CI_COMMIT_TAG of the CI/CD components dind-check, docker-build and fleet in $CI_PROJECT_PATH.",
    });
  });
});
