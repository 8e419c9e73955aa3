/**
 * Cases follow distribution/reference's own reference_test.go and
 * normalize_test.go: what Docker accepts here is what it can pull.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseImageReference } from "../../components/config/grammars/image-reference.js";

const SHA256 = "sha256:" + "c".repeat(64);

describe("parseImageReference", () => {
  it("accepts what docker pull accepts, split as Docker splits it", () => {
    const cases: readonly (readonly [string, Record<string, string>])[] = [
      ["docker", { domain: "docker.io", path: "library/docker" }],
      ["docker:28.5.2-cli", { domain: "docker.io", path: "library/docker", tag: "28.5.2-cli" }],
      [
        "gitlab/gitlab-runner:v19.3.0",
        { domain: "docker.io", path: "gitlab/gitlab-runner", tag: "v19.3.0" },
      ],
      ["localhost/app", { domain: "localhost", path: "app" }],
      [
        "registry.example.com:5000/team/app:1.0",
        { domain: "registry.example.com:5000", path: "team/app", tag: "1.0" },
      ],
      ["[::1]:5000/app", { domain: "[::1]:5000", path: "app" }],
      ["Registry.Example.com/app", { domain: "Registry.Example.com", path: "app" }],
      ["a__b/c--d/e.f_g", { domain: "docker.io", path: "a__b/c--d/e.f_g" }],
      [
        `docker:28@${SHA256}`,
        { domain: "docker.io", path: "library/docker", tag: "28", digest: SHA256 },
      ],
      [`app@${SHA256}`, { domain: "docker.io", path: "library/app", digest: SHA256 }],
    ];
    for (const [text, reference] of cases) {
      assert.deepEqual(parseImageReference(text), { ok: true, reference }, text);
    }
  });

  it("refuses what the engine would refuse, saying why", () => {
    const cases: readonly (readonly [string, string])[] = [
      ["", "it is empty"],
      ["Docker:28", 'the repository path must be lowercase: "Docker"'],
      [
        "gitlab/Gitlab-Runner:v19.3.0",
        'the repository path must be lowercase: "gitlab/Gitlab-Runner"',
      ],
      ["docker:28:cli", "it has more than one :tag"],
      [
        "docker:.28",
        'the tag ".28" is not 1 to 128 letters, digits, "_", "." and "-", starting with a letter, digit or "_"',
      ],
      [
        `docker:${"x".repeat(129)}`,
        `the tag "${"x".repeat(129)}" is not 1 to 128 letters, digits, "_", "." and "-", starting with a letter, digit or "_"`,
      ],
      ["docker@sha256:abc", "the digest is not sha256:<64 lowercase hex digits>"],
      [
        `docker@md5:${"a".repeat(32)}`,
        'the digest algorithm "md5" is not sha256, sha384 or sha512',
      ],
      [`docker@${SHA256}@${SHA256}`, "it has more than one @digest"],
      [
        "https://registry.example.com/app:1",
        'an image reference has no scheme: write "registry.example.com/app:1"',
      ],
      ["docker 28", "it contains white space"],
      ["c".repeat(64), "64 hex digits are an image ID, not a reference"],
      [
        "team/-app",
        'each path component is lowercase letters and digits, separated by one ".", one or two "_", or "-"',
      ],
      [
        "team//app",
        'each path component is lowercase letters and digits, separated by one ".", one or two "_", or "-"',
      ],
      [
        "team/app.",
        'each path component is lowercase letters and digits, separated by one ".", one or two "_", or "-"',
      ],
      [
        "team/a___b",
        'each path component is lowercase letters and digits, separated by one ".", one or two "_", or "-"',
      ],
      [`team/${"a".repeat(251)}`, "the repository path is longer than 255 characters"],
    ];
    for (const [text, reason] of cases) {
      assert.deepEqual(parseImageReference(text), { ok: false, reason }, text);
    }
  });
});
