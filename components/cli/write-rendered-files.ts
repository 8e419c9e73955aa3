/**
 * Writes a rendered file set as one unit: everything goes to a fresh staging
 * directory beside the target and replaces the target only once it is complete,
 * so a failure never leaves a half-written output behind. The target is replaced
 * only when checkOutputDirectory allows it (missing, empty, or marked by a
 * previous render); the marker is written with the files.
 */
import { mkdir, mkdtemp, rename, rm, writeFile } from "node:fs/promises";
import { basename, dirname, join, resolve, sep } from "node:path";
import type { RenderedFile } from "../render/rendered-file.js";
import {
  checkOutputDirectory,
  RENDER_MARKER_FILE,
  RENDER_MARKER_TEXT,
  refusedOutputMessage,
  type OutputContext,
} from "./output-directory.js";

export async function writeRenderedFiles(
  outDir: string,
  files: readonly RenderedFile[],
  context: OutputContext,
): Promise<void> {
  // Checked again here, right before replacing, so no caller can skip it.
  const check = checkOutputDirectory(outDir, context);
  if (!check.ok) throw new Error(refusedOutputMessage(outDir, check));
  const target = check.target;
  const parent = dirname(target);
  await mkdir(parent, { recursive: true });
  // mkdtemp names are new: nothing that already exists is ever removed or reused.
  const staging = await mkdtemp(join(parent, `.${basename(target)}.staging-`));
  let previous: string | undefined;
  try {
    for (const file of [...files, { path: RENDER_MARKER_FILE, content: RENDER_MARKER_TEXT }]) {
      const path = resolve(staging, file.path);
      // A rendered path is built from validated names, but never trust a path to stay inside.
      if (!path.startsWith(staging + sep))
        throw new Error(`refusing to write outside ${outDir}: ${file.path}`);
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, file.content, { mode: file.path.endsWith(".sh") ? 0o755 : 0o644 });
    }
    previous = await moveAside(target, parent);
    await rename(staging, target);
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    if (previous !== undefined) {
      // Put the previous render back where it was; only then drop the empty holder.
      await rename(join(previous, MOVED_ASIDE), target);
      await rm(previous, { recursive: true, force: true });
    }
    throw error;
  }
  // Only now is the previous render (checked above: empty or marked) gone for good.
  if (previous !== undefined) await rm(previous, { recursive: true, force: true });
}

const MOVED_ASIDE = "render";

/**
 * Moves an existing target into a fresh holder directory beside it and returns the
 * holder; undefined when there is no target.
 */
async function moveAside(target: string, parent: string): Promise<string | undefined> {
  const holder = await mkdtemp(join(parent, `.${basename(target)}.previous-`));
  try {
    await rename(target, join(holder, MOVED_ASIDE));
    return holder;
  } catch (error) {
    await rm(holder, { recursive: true, force: true });
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}
