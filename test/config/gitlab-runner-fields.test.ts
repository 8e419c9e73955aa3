/**
 * A runner's tags and description against the limits GitLab enforces
 * (components/model/gitlab-limits.ts), right at each limit and one past it.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  descriptionProblem,
  tagCountProblem,
  tagProblem,
} from "../../components/config/grammars/gitlab-runner-fields.js";
import { gitlabLength } from "../../components/model/gitlab-limits.js";

/** 60 characters of `text` as messages show them, then `...`. */
const shown = (text: string) => JSON.stringify(`${text.slice(0, 60)}...`);

describe("gitlabLength", () => {
  it("counts characters as Ruby does (code points), not UTF-16 units or bytes", () => {
    assert.equal(gitlabLength("runner"), 6);
    assert.equal(gitlabLength("🐳é"), 2);
  });
});

describe("tagProblem", () => {
  it("accepts a tag of 255 characters, emoji counting one each", () => {
    assert.equal(tagProblem("t".repeat(255)), undefined);
    assert.equal(tagProblem("🐳".repeat(255)), undefined);
  });

  it("refuses 256 characters: GitLab's Ci::Tag keeps no longer name", () => {
    const tag = "t".repeat(256);
    assert.equal(
      tagProblem(tag),
      `expected a tag of at most 255 characters, found ${shown(tag)} (256 characters); GitLab keeps no longer tag name (Ci::Tag), so no runner can have it`,
    );
  });

  it("still refuses commas and surrounding spaces", () => {
    assert.equal(
      tagProblem("a,b"),
      'expected a tag without commas or surrounding spaces, found "a,b"',
    );
    assert.equal(tagProblem(""), 'expected a tag without commas or surrounding spaces, found ""');
  });
});

describe("tagCountProblem", () => {
  const tags = (count: number) => Array.from({ length: count }, (_, index) => `tag-${index}`);

  it("accepts 49 tags, and duplicates beyond them (one tag in GitLab)", () => {
    assert.equal(tagCountProblem(tags(49)), undefined);
    assert.equal(tagCountProblem([...tags(49), "tag-0", "tag-48"]), undefined);
  });

  it("refuses 50 different tags: GitLab refuses a CI job with 50 (the include gives a job all of them)", () => {
    assert.equal(
      tagCountProblem(tags(50)),
      "expected at most 49 tags, found 50 different tags; the CI include gives a job all of its runner's tags and GitLab refuses a job with 50 or more (Ci::Config::Entry::Tags), beyond the 50 a runner may have (Ci::Runner)",
    );
    assert.equal(
      tagCountProblem(tags(51)),
      "expected at most 49 tags, found 51 different tags; the CI include gives a job all of its runner's tags and GitLab refuses a job with 50 or more (Ci::Config::Entry::Tags), beyond the 50 a runner may have (Ci::Runner)",
    );
  });
});

describe("descriptionProblem", () => {
  it("accepts 1024 characters", () => {
    assert.equal(descriptionProblem("d".repeat(1024)), undefined);
    assert.equal(descriptionProblem("é".repeat(1024)), undefined);
  });

  it("refuses 1025 characters, saying where pulumi up would stop", () => {
    const description = "é".repeat(1025);
    assert.equal(
      descriptionProblem(description),
      `expected a one-line description of at most 1024 characters, found ${shown(description)} (1025 characters); GitLab refuses a longer description (Ci::Runner), so pulumi up would stop at this runner after changing the runners before it`,
    );
  });

  it("still refuses an empty or multi-line description", () => {
    assert.equal(descriptionProblem(" "), 'expected a one-line description, found " "');
    assert.equal(descriptionProblem("a\nb"), 'expected a one-line description, found "a\\nb"');
  });
});
