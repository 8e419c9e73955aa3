/**
 * `npm run docs`: regenerates the generated sections of the docs. `npm run
 * docs:config` does only the stack config reference in docs/configuration.md
 * (from the schema; run it after adding or changing a config field), `npm run
 * docs:components` only the component inputs in docs/ci-components.md (from each
 * template's `spec:inputs`; run it after changing an input). Commit the pages:
 * the tests in test/docs fail while they disagree.
 */
import { writeFile } from "node:fs/promises";
import { GENERATED_SECTIONS, regeneratedPage } from "../docs/docs-pages.js";
import { runCommand } from "./run-command.js";

type SectionName = keyof typeof GENERATED_SECTIONS;
const NAMES = Object.keys(GENERATED_SECTIONS) as SectionName[];

function isSectionName(name: string): name is SectionName {
  return (NAMES as string[]).includes(name);
}

runCommand(async ({ stdout, stderr }) => {
  const asked = process.argv.slice(2);
  const unknown = asked.filter((name) => !isSectionName(name));
  if (unknown.length > 0) {
    stderr(`unknown section ${unknown.join(", ")}: expected ${NAMES.join(" or ")}\n`);
    return 1;
  }
  for (const name of asked.length > 0 ? asked.filter(isSectionName) : NAMES) {
    const section = GENERATED_SECTIONS[name];
    const { path, current, updated } = await regeneratedPage(section);
    if (updated === current) {
      stdout(`${section.page}: the ${name} section is up to date\n`);
      continue;
    }
    await writeFile(path, updated);
    stdout(`${section.page}: ${name} section regenerated; review and commit it\n`);
  }
  return 0;
});
