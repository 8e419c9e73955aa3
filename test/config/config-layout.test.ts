/**
 * components/config is grouped by stage, and imports between the groups go one
 * way only (docs/architecture.md): a value grammar never reaches for the schema,
 * the schema never for a check, and only `load` sees everything. This test reads
 * every import under components/config, so a change that breaks the direction,
 * or a file left outside the groups, fails here rather than silently.
 */
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, posix, relative } from "node:path";
import { describe, it } from "node:test";

const CONFIG = join(__dirname, "..", "..", "components", "config");

/** Each group, and the groups its files may import (besides their own). */
const ALLOWED: Readonly<Record<string, readonly string[]>> = {
  messages: [],
  grammars: ["messages"],
  read: ["messages", "grammars"],
  schema: ["messages", "grammars"],
  precedence: ["messages", "schema"],
  checks: ["messages", "grammars", "schema", "precedence"],
  load: ["messages", "grammars", "read", "schema", "precedence", "checks"],
};

const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)["'](\.{1,2}\/[^"'\n]*)["']/gm;

interface ConfigImport {
  readonly file: string;
  readonly fromGroup: string;
  readonly toGroup: string;
}

/** Every relative import of a .ts file under components/config that stays inside it. */
function configImports(): ConfigImport[] {
  return readdirSync(CONFIG).flatMap((group) => {
    const folder = join(CONFIG, group);
    if (!statSync(folder).isDirectory()) return [];
    return readdirSync(folder)
      .filter((name) => name.endsWith(".ts"))
      .flatMap((name) => {
        const file = join(folder, name);
        return [...readFileSync(file, "utf8").matchAll(SPECIFIER)].flatMap(([, specifier]) => {
          const target = relative(CONFIG, join(dirname(file), specifier ?? ""));
          const [toGroup, rest] = target.split(/[\\/]/, 2);
          if (toGroup === ".." || toGroup === undefined || rest === undefined) return [];
          return [{ file: posix.join(group, name), fromGroup: group, toGroup }];
        });
      });
  });
}

describe("components/config's layout", () => {
  it("holds only the group folders, each with its index note", () => {
    const entries = readdirSync(CONFIG).sort();
    assert.deepEqual(entries, Object.keys(ALLOWED).sort());
    for (const group of entries) {
      assert.ok(existsSync(join(CONFIG, group, "README.md")), `${group}/README.md is missing`);
    }
  });

  it("imports between groups in the allowed direction only", () => {
    const imports = configImports();
    assert.ok(imports.length > 100, `only ${imports.length} imports found: is the scan broken?`);
    const wrong = imports
      .filter(({ fromGroup, toGroup }) => {
        if (fromGroup === toGroup) return false;
        return !(ALLOWED[fromGroup] ?? []).includes(toGroup);
      })
      .map(({ file, toGroup }) => `${file} imports from ${toGroup}/`);
    assert.deepEqual(wrong, []);
  });

  it("allows no cycle between groups", () => {
    const visiting = new Set<string>();
    const reaches = (group: string, goal: string): boolean => {
      if (visiting.has(group)) return false;
      visiting.add(group);
      return (ALLOWED[group] ?? []).some((next) => next === goal || reaches(next, goal));
    };
    for (const group of Object.keys(ALLOWED)) {
      visiting.clear();
      assert.equal(reaches(group, group), false, `${group} can reach itself`);
    }
  });
});
