import assert from "node:assert/strict";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { findExecutable, PULUMI_CLI_MISSING } from "../../components/drift/find-executable.js";

const root = mkdtempSync(join(tmpdir(), "find-executable-"));
after(() => rmSync(root, { recursive: true, force: true }));

describe("findExecutable", () => {
  it("finds the first executable file of that name on PATH, skipping non-executables and directories", () => {
    const [a, b, c] = ["a", "b", "c"].map((name) => join(root, name)) as [string, string, string];
    for (const dir of [a, b, c]) mkdirSync(dir);
    writeFileSync(join(a, "pulumi"), "not executable");
    mkdirSync(join(b, "pulumi"));
    writeFileSync(join(c, "pulumi"), "#!/bin/sh\n");
    chmodSync(join(c, "pulumi"), 0o755);
    assert.equal(findExecutable("pulumi", [a, "", b, c].join(":")), join(c, "pulumi"));
    assert.equal(findExecutable("pulumi", [a, b].join(":")), undefined);
    assert.equal(findExecutable("pulumi", undefined), undefined);
  });

  it("has a one-line message naming the install page and the way around it", () => {
    assert.equal(
      PULUMI_CLI_MISSING,
      "the Pulumi CLI (pulumi) is not on PATH: install it (https://www.pulumi.com/docs/install/) or pass --skip-pulumi to check only the runner configs",
    );
  });
});
