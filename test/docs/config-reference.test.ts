/**
 * The README's stack config reference is generated from the schema: it must say
 * exactly what the schema validates, with the defaults of components/model/defaults.ts.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { undescribedFields } from "../../components/docs/config-reference.js";
import { readmeWithConfigReference } from "../../components/docs/readme-config-reference.js";
import { CONFIG_REFERENCE_MARKERS, sectionOf } from "../../components/docs/readme-section.js";
import { DEFAULTS } from "../../components/model/defaults.js";

const README = join(__dirname, "..", "..", "README.md");
const REGENERATE =
  "run `npm run docs:config` and commit README.md (the reference is generated from components/config/stack-config-schema.ts and settings-schemas.ts)";

describe("the README's stack config reference", () => {
  it("describes every field of the schema", () => {
    assert.deepEqual(
      undescribedFields(),
      [],
      "describe these fields in the schema (requiredField, defaultingTo, optionalField), then " +
        REGENERATE,
    );
  });

  it("is what the schema generates", async () => {
    const readme = readFileSync(README, "utf8");
    const generated = await readmeWithConfigReference(readme, README);
    assert.ok(
      generated === readme,
      `README.md's config reference disagrees with the schema: ${REGENERATE}`,
    );
  });

  it("states the defaults of components/model/defaults.ts", () => {
    const section = sectionOf(readFileSync(README, "utf8"), CONFIG_REFERENCE_MARKERS) ?? "";
    for (const value of [
      DEFAULTS.runnerImage,
      String(DEFAULTS.concurrent),
      DEFAULTS.dind.dockerVersion,
      DEFAULTS.dind.privilegeMode,
      DEFAULTS.kubernetes.namespace,
    ]) {
      assert.ok(section.includes(`\`${value}\``), `default ${value} missing from the reference`);
    }
  });
});
