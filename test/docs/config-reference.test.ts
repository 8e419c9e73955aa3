/**
 * The stack config reference in docs/configuration.md is generated from the
 * schema: it must say exactly what the schema validates, with the defaults of
 * components/model/defaults.ts.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { undescribedFields } from "../../components/docs/config-reference.js";
import { GENERATED_SECTIONS, regeneratedPage } from "../../components/docs/docs-pages.js";
import { CONFIG_REFERENCE_MARKERS, sectionOf } from "../../components/docs/generated-section.js";
import { DEFAULTS } from "../../components/model/defaults.js";

const REGENERATE =
  "run `npm run docs:config` and commit docs/configuration.md (the reference is generated from components/config/schema/stack-config-schema.ts, settings-schemas.ts and job-pod-schemas.ts)";

describe("the stack config reference in docs/configuration.md", () => {
  it("describes every field of the schema", () => {
    assert.deepEqual(
      undescribedFields(),
      [],
      "describe these fields in the schema (requiredField, defaultingTo, optionalField), then " +
        REGENERATE,
    );
  });

  it("is what the schema generates", async () => {
    const { current, updated } = await regeneratedPage(GENERATED_SECTIONS.config);
    assert.ok(
      updated === current,
      `docs/configuration.md disagrees with the schema: ${REGENERATE}`,
    );
  });

  it("states the defaults of components/model/defaults.ts", async () => {
    const { current } = await regeneratedPage(GENERATED_SECTIONS.config);
    const section = sectionOf(current, CONFIG_REFERENCE_MARKERS) ?? "";
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
