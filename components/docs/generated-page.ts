/**
 * A docs page with one generated section regenerated and the page formatted as
 * the repository formats Markdown (Prettier, which `npm run lint` checks), so
 * regenerating an up-to-date page changes nothing.
 */
import { format, resolveConfig } from "prettier";
import { withSection, type SectionMarkers } from "./generated-section.js";

export async function pageWithSection(
  page: string,
  pagePath: string,
  markers: SectionMarkers,
  markdown: string,
): Promise<string> {
  const options = (await resolveConfig(pagePath)) ?? {};
  return format(withSection(page, markers, `\n\n${markdown}\n`), {
    ...options,
    filepath: pagePath,
  });
}
