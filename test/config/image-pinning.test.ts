import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  dockerVersionProblem,
  imageReferenceProblem,
  runnerImageProblem,
} from "../../components/config/grammars/image-pinning.js";

const DIGEST = "sha256:" + "a".repeat(64);

describe("runnerImageProblem", () => {
  it("accepts release tags and digests, from any registry", () => {
    for (const image of [
      "gitlab/gitlab-runner:v19.3.0",
      "gitlab/gitlab-runner:alpine-v19.3.0",
      "gitlab/gitlab-runner:ubuntu-v19.3.0",
      "registry.example.com:5000/mirror/gitlab-runner:v19.3.0",
      `gitlab/gitlab-runner@${DIGEST}`,
      `gitlab/gitlab-runner:v19.3.0@${DIGEST}`,
    ]) {
      assert.equal(runnerImageProblem(image), undefined, image);
    }
  });

  it("rejects moving tags, a missing tag and other images", () => {
    const expected = (found: string) =>
      `expected a pinned GitLab Runner image such as gitlab/gitlab-runner:v19.3.0 (tag v<x.y.z> or alpine-v<x.y.z>, or an @sha256: digest), found "${found}"`;
    assert.equal(
      runnerImageProblem("gitlab/gitlab-runner:latest"),
      `${expected("gitlab/gitlab-runner:latest")}; the tag "latest" is not a release version and moves over time`,
    );
    assert.equal(
      runnerImageProblem("gitlab/gitlab-runner:bleeding"),
      `${expected("gitlab/gitlab-runner:bleeding")}; the tag "bleeding" is not a release version and moves over time`,
    );
    assert.equal(
      runnerImageProblem("gitlab/gitlab-runner:alpine"),
      `${expected("gitlab/gitlab-runner:alpine")}; the tag "alpine" is not a release version and moves over time`,
    );
    assert.equal(
      runnerImageProblem("gitlab/gitlab-runner"),
      `${expected("gitlab/gitlab-runner")}; without a tag Docker pulls "latest"`,
    );
    assert.equal(
      runnerImageProblem("docker:29.7.2-dind"),
      `${expected("docker:29.7.2-dind")}; the repository must be gitlab-runner (optionally under a registry or mirror path)`,
    );
    assert.equal(
      runnerImageProblem("gitlab/gitlab-runner@sha256:abc"),
      `${expected("gitlab/gitlab-runner@sha256:abc")}; the digest is not sha256:<64 lowercase hex digits>`,
    );
  });
});

describe("runnerImageProblem: the oldest GitLab Runner", () => {
  const tooOld = (image: string, version: string) =>
    `expected GitLab Runner 16.10.0 or later, found "${image}" (version ${version}); older runners silently ignore config.toml keys this product renders: automount_service_account_token (16.10, so job pods would get a ServiceAccount token), the dind health check HEALTHCHECK_TCP_PORT on Kubernetes (16.9, so jobs would start before dind listens) and services_privileged (15.10, so dind would run unprivileged and fail)`;

  it("accepts 16.10.0 and later, in every tag form", () => {
    for (const image of [
      "gitlab/gitlab-runner:v16.10.0",
      "gitlab/gitlab-runner:alpine-v16.10.1",
      "gitlab/gitlab-runner:ubuntu-v17.0.0",
      "gitlab/gitlab-runner:alpine3.21-v19.3.0",
    ]) {
      assert.equal(runnerImageProblem(image), undefined, image);
    }
  });

  it("refuses older versions, compared by number, not as text", () => {
    for (const [image, version] of [
      ["gitlab/gitlab-runner:v16.9.1", "16.9.1"],
      ["gitlab/gitlab-runner:alpine-v16.1.0", "16.1.0"],
      ["mirror.example.com/gitlab/gitlab-runner:ubuntu-v15.11.0", "15.11.0"],
      ["gitlab/gitlab-runner:v9.99.99", "9.99.99"],
      [`gitlab/gitlab-runner:v16.9.0@${DIGEST}`, "16.9.0"],
    ] as const) {
      assert.equal(
        runnerImageProblem(image),
        tooOld(image.slice(0, 60) + (image.length > 60 ? "..." : ""), version),
        image,
      );
    }
  });

  it("accepts a digest alone: it pins the image without naming a version", () => {
    assert.equal(runnerImageProblem(`gitlab/gitlab-runner@${DIGEST}`), undefined);
  });
});

describe("dockerVersionProblem", () => {
  it("accepts x.y.z only", () => {
    assert.equal(dockerVersionProblem("29.7.2"), undefined);
  });

  it("says how to pin each kind of moving or malformed version", () => {
    const expected = (found: string) =>
      `expected a pinned Docker version x.y.z such as 29.7.2, found "${found}"`;
    const moving = "a tag like this moves with every Docker release; pin a version";
    const partial = "a partial version moves with every Docker release; pin all three numbers";
    const suffix = 'give the version only: "-dind" and "-cli" are added to make the image tags';
    const cases: readonly (readonly [string, string])[] = [
      ["latest", moving],
      ["stable", moving],
      ["dind", moving],
      ["27", partial],
      ["27.5", partial],
      ["27-dind", suffix],
      ["29.7.2-cli", suffix],
      ["v29.7.2", 'write it without the leading "v"'],
    ];
    for (const [version, hint] of cases) {
      assert.equal(dockerVersionProblem(version), `${expected(version)}; ${hint}`, version);
    }
  });
});

describe("imageReferenceProblem", () => {
  const expected = (found: string) =>
    `expected an image reference such as docker:29.7.2-cli ([registry[:port]/]path[:tag][@digest], the path in lowercase), found "${found}"`;

  it("accepts what Docker's reference grammar accepts", () => {
    assert.equal(imageReferenceProblem("registry.example.com:5000/tools/docker:28-cli"), undefined);
  });

  it("says what is wrong with a reference Docker would refuse", () => {
    const cases: readonly (readonly [string, string])[] = [
      [
        "https://registry.example.com/docker",
        'an image reference has no scheme: write "registry.example.com/docker"',
      ],
      ["docker cli", "it contains white space"],
      ["Docker:28-cli", 'the repository path must be lowercase: "Docker"'],
      ["docker:28:cli", "it has more than one :tag"],
    ];
    for (const [image, reason] of cases) {
      assert.equal(imageReferenceProblem(image), `${expected(image)}; ${reason}`, image);
    }
  });
});
