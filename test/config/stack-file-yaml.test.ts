/**
 * What the YAML parser would let through or print: every problem of a stack file
 * is reported as `<file>:<line>:<col>`, aliases cannot blow the file up, complex
 * keys are refused, and the parser never writes to the terminal itself.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { readStackFile } from "../../components/config/read/stack-file.js";
import { runCli } from "../support/run-cli.js";
import { stackFileError } from "./stack-values.js";

let dir = "";
before(() => {
  dir = mkdtempSync(join(tmpdir(), "dind-runners-yaml-"));
});
after(() => rmSync(dir, { recursive: true, force: true }));

const GITLAB = ["config:", "  dind-runners:gitlab:", "    url: https://gitlab.example.com"];

function stackFile(name: string, lines: readonly string[]): string {
  const file = join(dir, `Pulumi.${name}.yaml`);
  writeFileSync(file, [...lines, ""].join("\n"));
  return file;
}

function readError(name: string): string {
  return stackFileError(name, dir);
}

/** A "billion laughs" file: nine levels of ten aliases each. */
function aliasBomb(): string[] {
  const lines = [...GITLAB, "  dind-runners:defaults:", '    x0: &a0 ["lol"]'];
  for (let level = 1; level <= 9; level++) {
    const refs = Array.from({ length: 10 }, () => `*a${level - 1}`).join(", ");
    lines.push(`    x${level}: &a${level} [${refs}]`);
  }
  return lines;
}

describe("stack files as YAML", () => {
  it("refuses aliases that expand beyond a sane size, at the alias", () => {
    const file = stackFile("bomb", aliasBomb());
    assert.equal(
      readError("bomb"),
      [
        'stack "bomb": 1 error',
        `error: ${file}:10:14: aliases expand the file to more than 100000 values (the largest, here, to 21111); write the values out or use fewer aliases`,
      ].join("\n"),
    );
  });

  it("accepts an anchor reused many times, as long as the expansion stays small", () => {
    stackFile("reuse", [
      ...GITLAB,
      "  dind-runners:defaults:",
      "    dind:",
      "      extraHosts: &hosts",
      "        registry.example.internal: 10.0.0.5",
      "  dind-runners:dockerHosts:",
      ...Array.from({ length: 150 }, (_, i) => [
        `    - name: build-${i}`,
        `      endpoint: ssh://deploy@build-${i}.example.internal`,
        "      dind: { extraHosts: *hosts }",
        `      runners: [{ name: build-${i}-dind, tags: [dind] }]`,
      ]).flat(),
    ]);
    const raw = readStackFile("reuse", dir);
    assert.equal((raw.values["dockerHosts"] as unknown[]).length, 150);
  });

  it("applies << merge keys, as the Pulumi CLI does", () => {
    stackFile("merge", [
      ...GITLAB,
      "  dind-runners:defaults:",
      "    dind: &dind { tls: true, storageDriver: overlay2 }",
      "  dind-runners:dockerHosts:",
      "    - name: build-1",
      "      endpoint: ssh://deploy@build-1.example.internal",
      "      dind: { <<: *dind, storageDriver: vfs }",
      "      runners: [{ name: build-1-dind, tags: [dind] }]",
    ]);
    const hosts = readStackFile("merge", dir).values["dockerHosts"] as { dind: unknown }[];
    assert.deepEqual(hosts[0]?.dind, { tls: true, storageDriver: "vfs" });
  });

  it("refuses complex keys, aliases without an anchor, and an alias inside its own anchor", () => {
    const complex = stackFile("complex", [
      ...GITLAB,
      "  dind-runners:defaults:",
      "    ? [a, b]",
      "    : 1",
    ]);
    assert.equal(
      readError("complex"),
      [
        'stack "complex": 1 error',
        `error: ${complex}:5:7: a map or list as a key (a complex key); config keys are plain text such as name: value`,
      ].join("\n"),
    );
    const dangling = stackFile("dangling", [...GITLAB, "  dind-runners:defaults: *nowhere"]);
    assert.equal(
      readError("dangling"),
      [
        'stack "dangling": 1 error',
        `error: ${dangling}:4:26: alias *nowhere has no anchor &nowhere before it`,
      ].join("\n"),
    );
    const cycle = stackFile("cycle", [...GITLAB, "  dind-runners:defaults: &self { dind: *self }"]);
    assert.equal(
      readError("cycle"),
      [
        'stack "cycle": 1 error',
        `error: ${cycle}:4:40: alias *self refers to a node that contains it`,
      ].join("\n"),
    );
  });

  it("reports the parser's warnings as problems, at their position", () => {
    const file = stackFile("tagged", [...GITLAB, "  dind-runners:production: !bool true"]);
    assert.equal(
      readError("tagged"),
      ['stack "tagged": 1 error', `error: ${file}:4:28: invalid YAML: Unresolved tag: !bool`].join(
        "\n",
      ),
    );
  });

  it("prints nothing but its own message: no warning of the YAML library", async () => {
    const file = stackFile("quiet", [
      ...GITLAB,
      "  dind-runners:defaults:",
      "    ? { a: 1 }",
      "    : 1",
    ]);
    const run = await runCli("render-command", [
      "--stack",
      "quiet",
      "--stacks-dir",
      dir,
      "--out",
      join(dir, "out"),
    ]);
    assert.equal(run.code, 1);
    assert.equal(run.stdout, "");
    assert.equal(
      run.stderr,
      [
        'stack "quiet": 1 error',
        `error: ${file}:5:7: a map or list as a key (a complex key); config keys are plain text such as name: value`,
        "nothing was written.",
        "",
      ].join("\n"),
    );
  });
});
