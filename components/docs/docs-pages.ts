/**
 * Where the generated sections of the docs live and what generates each: the
 * stack config reference (from the schema) and the CI/CD component inputs (from
 * each template's `spec:inputs`). `npm run docs` writes them; the tests in
 * test/docs compare the committed pages with what this generates.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { componentInputsMarkdown, type ComponentTemplate } from "./component-inputs.js";
import { configReferenceMarkdown } from "./config-reference.js";
import { pageWithSection } from "./generated-page.js";
import {
  COMPONENT_INPUTS_MARKERS,
  CONFIG_REFERENCE_MARKERS,
  type SectionMarkers,
} from "./generated-section.js";

export const REPO_DIR = join(__dirname, "..", "..");
export const DOCS_DIR = join(REPO_DIR, "docs");
export const TEMPLATES_DIR = join(REPO_DIR, "templates");

/** Every component under templates/, in name order. */
export function componentTemplates(templatesDir = TEMPLATES_DIR): ComponentTemplate[] {
  return readdirSync(templatesDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort()
    .map((name) => ({
      name,
      text: readFileSync(join(templatesDir, name, "template.yml"), "utf8"),
    }));
}

export interface GeneratedSection {
  /** The page, relative to the repository (`docs/configuration.md`). */
  readonly page: string;
  readonly markers: SectionMarkers;
  readonly markdown: () => string;
}

/** The generated sections, by the name `npm run docs -- <name>` takes. */
export const GENERATED_SECTIONS = {
  config: {
    page: "docs/configuration.md",
    markers: CONFIG_REFERENCE_MARKERS,
    markdown: configReferenceMarkdown,
  },
  components: {
    page: "docs/ci-components.md",
    markers: COMPONENT_INPUTS_MARKERS,
    markdown: () => componentInputsMarkdown(componentTemplates()),
  },
} as const satisfies Readonly<Record<string, GeneratedSection>>;

/** The page as committed, and as it is with its section regenerated. */
export async function regeneratedPage(
  section: GeneratedSection,
): Promise<{ readonly path: string; readonly current: string; readonly updated: string }> {
  const path = join(REPO_DIR, section.page);
  const current = readFileSync(path, "utf8");
  const updated = await pageWithSection(current, path, section.markers, section.markdown());
  return { path, current, updated };
}
