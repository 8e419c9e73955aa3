/**
 * A generated section of the README: the text between a begin and an end marker
 * line, replaced whole by the generator and compared whole by its test.
 */

export interface SectionMarkers {
  readonly begin: string;
  readonly end: string;
}

/** The stack config reference, generated from the schema by `npm run docs:config`. */
export const CONFIG_REFERENCE_MARKERS: SectionMarkers = {
  begin:
    "<!-- BEGIN config reference: generated from components/config/*-schema*.ts by `npm run docs:config`; do not edit by hand -->",
  end: "<!-- END config reference -->",
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
    throw new Error(`the README has no "${markers.begin}" ... "${markers.end}" section`);
  }
  return document.slice(0, begin + markers.begin.length) + content + document.slice(end);
}
