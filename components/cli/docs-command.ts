/**
 * `npm run docs:config`: regenerates the README's stack config reference from
 * the schema. Run it after adding or changing a config field, and commit README.md;
 * test/docs/config-reference.test.ts fails while they disagree.
 */
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { readmeWithConfigReference } from "../docs/readme-config-reference.js";
import { runCommand } from "./run-command.js";

const README = join(__dirname, "..", "..", "README.md");

runCommand(async ({ stdout }) => {
  const current = await readFile(README, "utf8");
  const updated = await readmeWithConfigReference(current, README);
  if (updated === current) {
    stdout("README.md: the config reference is up to date\n");
    return 0;
  }
  await writeFile(README, updated);
  stdout("README.md: config reference regenerated from the schema; review and commit it\n");
  return 0;
});
