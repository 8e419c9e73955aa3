/**
 * The README with its stack config reference regenerated from the schema and
 * formatted as the repository formats Markdown (Prettier, which `npm run lint`
 * checks), so regenerating an up-to-date README changes nothing.
 */
import { format, resolveConfig } from "prettier";
import { configReferenceMarkdown } from "./config-reference.js";
import { CONFIG_REFERENCE_MARKERS, withSection } from "./readme-section.js";

export async function readmeWithConfigReference(
  readme: string,
  readmePath: string,
): Promise<string> {
  const section = `\n\n${configReferenceMarkdown()}\n`;
  const options = (await resolveConfig(readmePath)) ?? {};
  return format(withSection(readme, CONFIG_REFERENCE_MARKERS, section), {
    ...options,
    filepath: readmePath,
  });
}
