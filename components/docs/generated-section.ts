/**
 * A generated section of a docs page: the text between a begin and an end marker
 * line, replaced whole by the generator and compared whole by its test.
 */

export interface SectionMarkers {
  readonly begin: string;
  readonly end: string;
}

/** The stack config reference in docs/configuration.md, generated from the schema by `npm run docs:config`. */
export const CONFIG_REFERENCE_MARKERS: SectionMarkers = {
  begin:
    "<!-- BEGIN config reference: generated from components/config/schema/*-schemas.ts by `npm run docs:config`; do not edit by hand -->",
  end: "<!-- END config reference -->",
};

/** The inputs of the CI/CD components in docs/ci-components.md, generated from their `spec:inputs` by `npm run docs:components`. */
export const COMPONENT_INPUTS_MARKERS: SectionMarkers = {
  begin:
    "<!-- BEGIN component inputs: generated from templates/*/template.yml by `npm run docs:components`; do not edit by hand -->",
  end: "<!-- END component inputs -->",
};

/** The text between the markers (without them), or undefined when they are missing. */
export function sectionOf(document: string, markers: SectionMarkers): string | undefined {
  const begin = document.indexOf(markers.begin);
  const end = document.indexOf(markers.end);
  if (begin < 0 || end < begin) return undefined;
  return document.slice(begin + markers.begin.length, end);
}

/** `document` with the text between the markers replaced by `content`. */
export function withSection(document: string, markers: SectionMarkers, content: string): string {
  const begin = document.indexOf(markers.begin);
  const end = document.indexOf(markers.end);
  if (begin < 0 || end < begin) {
    throw new Error(`the page has no "${markers.begin}" ... "${markers.end}" section`);
  }
  return document.slice(0, begin + markers.begin.length) + content + document.slice(end);
}
