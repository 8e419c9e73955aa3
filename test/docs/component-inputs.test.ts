/**
 * The inputs in docs/ci-components.md are generated from the `spec:inputs` of
 * templates/*\/template.yml: every input of every component, with what GitLab
 * reads from the header (type or options, default, description, regex).
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { componentInputsMarkdown } from "../../components/docs/component-inputs.js";
import {
  componentTemplates,
  GENERATED_SECTIONS,
  regeneratedPage,
} from "../../components/docs/docs-pages.js";
import { COMPONENT_INPUTS_MARKERS, sectionOf } from "../../components/docs/generated-section.js";

describe("the component inputs in docs/ci-components.md", () => {
  it("are what the templates' spec:inputs generate", async () => {
    const { current, updated } = await regeneratedPage(GENERATED_SECTIONS.components);
    assert.ok(
      updated === current,
      "docs/ci-components.md disagrees with templates/*/template.yml: run `npm run docs:components` and commit it",
    );
  });

  it("list every input of every component", async () => {
    const { current } = await regeneratedPage(GENERATED_SECTIONS.components);
    const section = sectionOf(current, COMPONENT_INPUTS_MARKERS) ?? "";
    const components = componentTemplates();
    assert.deepEqual(
      components.map((component) => component.name),
      ["dind-check", "docker-build", "fleet"],
    );
    for (const { name, text } of components) {
      assert.ok(section.includes(`### Inputs of \`${name}\``), `no table for ${name}`);
      const header = text.slice(0, text.indexOf("\n---"));
      const inputs = [...header.matchAll(/^ {4}([a-z][a-z0-9-]*):$/gm)].map((match) => match[1]);
      assert.ok(inputs.length > 5, `only ${inputs.length} inputs read from ${name}`);
      for (const input of inputs) {
        assert.ok(section.includes(`| \`${input}\``), `${name}: input ${input} missing`);
      }
    }
  });
});

describe("componentInputsMarkdown", () => {
  it("renders type, options, default (or required), description and regex", () => {
    const markdown = componentInputsMarkdown([
      {
        name: "demo",
        text: [
          "spec:",
          "  inputs:",
          "    mode:",
          "      options: [a, b]",
          "      default: a",
          "      description: Which mode.",
          "    flags:",
          "      type: array",
          "      default: [--x=1]",
          "      description: Flags.",
          "    name:",
          "      regex: ^[a-z]+$",
          "      description: A|B name.",
          "---",
          "job: {}",
          "",
        ].join("\n"),
      },
    ]);
    assert.equal(
      markdown,
      [
        "### Inputs of `demo`",
        "",
        "From `spec:inputs` in [templates/demo/template.yml](../templates/demo/template.yml).",
        "",
        "| input | type | default | meaning |",
        "| --- | --- | --- | --- |",
        "| `mode` | one of `a`, `b` | `a` | Which mode. |",
        "| `flags` | array | `[--x=1]` | Flags. |",
        "| `name` | string | required | A\\|B name. Must match `^[a-z]+$`. |",
        "",
      ].join("\n"),
    );
  });
});
