/**
 * Golden files: the complete `npm run render` output of each example stack,
 * committed under test/render/golden/<env>/ and reviewed like code. A change
 * to any rendered byte fails here until the golden files are regenerated with
 *   UPDATE_GOLDEN=1 node --import tsx --test test/render/render-fleet-files.golden.test.ts
 * and the diff is reviewed.
 */
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative, sep } from "node:path";
import { describe, it } from "node:test";
import { loadFleet } from "../../components/config/load/load-fleet.js";
import { readStackFile } from "../../components/config/read/stack-file.js";
import { renderFleetFiles } from "../../components/render/render-fleet-files.js";
import { redactedSecretText } from "../../components/render/secret-text.js";

const GOLDEN_DIR = join(__dirname, "golden");
const ENVIRONMENTS = ["dev", "staging", "prod"] as const;
const UPDATE = process.env["UPDATE_GOLDEN"] === "1";

function rendered(environment: string): Map<string, string> {
  const loaded = loadFleet(readStackFile(environment), {
    requireSecrets: false,
    plaintextSecretsAllowed: false,
  });
  assert.ok(loaded.ok, `stack ${environment} should load`);
  return new Map(
    renderFleetFiles(loaded.fleet, redactedSecretText).map((file) => [file.path, file.content]),
  );
}

function goldenFiles(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  if (!existsSync(dir)) return files;
  const walk = (current: string): void => {
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      const path = join(current, entry.name);
      if (entry.isDirectory()) walk(path);
      else files.set(relative(dir, path).split(sep).join("/"), readFileSync(path, "utf8"));
    }
  };
  walk(dir);
  return files;
}

describe("rendered example stacks match their golden files", () => {
  for (const environment of ENVIRONMENTS) {
    const dir = join(GOLDEN_DIR, environment);
    const actual = rendered(environment);

    if (UPDATE) {
      rmSync(dir, { recursive: true, force: true });
      for (const [path, content] of actual) {
        mkdirSync(dirname(join(dir, path)), { recursive: true });
        writeFileSync(join(dir, path), content);
      }
    }

    const golden = goldenFiles(dir);

    it(`${environment}: the same files`, () => {
      assert.deepEqual([...actual.keys()].sort(), [...golden.keys()].sort());
    });

    for (const [path, content] of actual) {
      it(`${environment}: ${path} is byte-identical`, () => {
        assert.equal(content, golden.get(path));
      });
    }
  }
});
