/**
 * templates/dind-check/template.yml carries templates/dind-check/check.sh verbatim
 * as the script of its jobs (a component is one file; GitLab gives a job nothing
 * else of the component project), so the two must not drift apart. With
 * UPDATE_TEMPLATE=1 the test writes check.sh into the template instead.
 */
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { REPO_ROOT } from "./gitlab-ci-local.js";

const DIR = join(REPO_ROOT, "templates", "dind-check");
const SCRIPT_KEY = "  script: &check-script\n    - |\n";
const INDENT = "      ";

/** The template with `script` as its check script's literal block. */
export function withEmbeddedScript(template: string, script: string): string {
  const start = template.indexOf(SCRIPT_KEY);
  assert.notEqual(start, -1, `template.yml has ${JSON.stringify(SCRIPT_KEY)}`);
  const bodyStart = start + SCRIPT_KEY.length;
  // The block ends at the first non-empty line indented less than the block.
  const rest = template.slice(bodyStart);
  const end = rest.search(/^(?! {6})(?=.)/m);
  const block = script
    .split("\n")
    .map((line) => (line === "" ? "" : `${INDENT}${line}`))
    .join("\n");
  return `${template.slice(0, bodyStart)}${block}${end === -1 ? "" : rest.slice(end)}`;
}

describe("templates/dind-check/template.yml", () => {
  it("runs check.sh exactly as the file holds it", () => {
    const templatePath = join(DIR, "template.yml");
    const template = readFileSync(templatePath, "utf8");
    const script = readFileSync(join(DIR, "check.sh"), "utf8");
    const expected = withEmbeddedScript(template, script);
    if (process.env["UPDATE_TEMPLATE"] === "1") {
      writeFileSync(templatePath, expected);
      return;
    }
    assert.equal(
      template,
      expected,
      "template.yml's script differs from check.sh: run UPDATE_TEMPLATE=1 node --import tsx --test test/templates/dind-check-embed.test.ts",
    );
  });
});
