/**
 * Writes a rendered file set as one unit: everything goes to a sibling staging
 * directory first and replaces the output directory only once it is complete,
 * so a failure never leaves a half-written output behind.
 */
import { mkdir, rename, rm, writeFile } from "node:fs/promises";
import { basename, dirname, join, resolve, sep } from "node:path";
import type { RenderedFile } from "../render/rendered-file.js";

export async function writeRenderedFiles(
  outDir: string,
  files: readonly RenderedFile[],
): Promise<void> {
  const target = resolve(outDir);
  const staging = join(dirname(target), `.${basename(target)}.staging`);
  const previous = join(dirname(target), `.${basename(target)}.previous`);
  await rm(staging, { recursive: true, force: true });
  await mkdir(staging, { recursive: true });
  try {
    for (const file of files) {
      const path = resolve(staging, file.path);
      // A rendered path is built from validated names, but never trust a path to stay inside.
      if (!path.startsWith(staging + sep))
        throw new Error(`refusing to write outside ${outDir}: ${file.path}`);
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, file.content, { mode: file.path.endsWith(".sh") ? 0o755 : 0o644 });
    }
    await rm(previous, { recursive: true, force: true });
    await rename(target, previous).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== "ENOENT") throw error;
    });
    await rename(staging, target);
    await rm(previous, { recursive: true, force: true });
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
}
