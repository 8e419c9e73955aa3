/**
 * Writes a Prometheus text file (`npm run drift --metrics-file`) the way
 * node_exporter's textfile collector needs it: the whole file at once (a
 * temporary file beside it, renamed over it, so a scrape never reads half a
 * file; the temporary name does not end in `.prom`, so the collector never
 * reads it, node_exporter collector/textfile.go `updateFiles` reads `*.prom`
 * only). Like render's output directory, it replaces only what it wrote: the
 * target must be missing or start with the marker line a previous run wrote.
 */
import { lstatSync, readFileSync } from "node:fs";
import { rename, rm, writeFile } from "node:fs/promises";
import { randomBytes } from "node:crypto";
import { basename, dirname, join, resolve } from "node:path";

/** First line of every metrics file; its presence allows the next run to replace the file. */
export const METRICS_FILE_MARKER =
  "# Written by dind-runners (npm run drift --metrics-file); the next run replaces this file. Delete this line to keep it.";

export type MetricsFileCheck =
  { readonly ok: true } | { readonly ok: false; readonly reason: string };

/** Whether `path` may be (re)placed. Reads, never writes. */
export function checkMetricsFile(path: string): MetricsFileCheck {
  let stats;
  try {
    stats = lstatSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== "ENOENT") return { ok: false, reason: `it cannot be read (${code ?? "error"})` };
    const parent = dirname(resolve(path));
    try {
      if (lstatSync(parent).isDirectory()) return { ok: true };
    } catch {
      // reported below
    }
    return { ok: false, reason: `its directory ${parent} does not exist` };
  }
  if (!stats.isFile()) return { ok: false, reason: "it exists and is not a regular file" };
  const firstLine = readFileSync(path, "utf8").split("\n", 1)[0];
  if (firstLine === METRICS_FILE_MARKER) return { ok: true };
  return {
    ok: false,
    reason:
      "it exists and does not start with the marker line of a previous run (not written by drift)",
  };
}

/** The one line a refused file prints. */
export function refusedMetricsFileMessage(path: string, reason: string): string {
  return `drift: refusing --metrics-file ${JSON.stringify(path)}: ${reason}; nothing was written`;
}

/** Writes `text` (without the marker: it is added) to `path` atomically, if allowed. */
export async function writeMetricsFile(path: string, text: string): Promise<void> {
  // Checked again here, right before replacing, so no caller can skip it.
  const check = checkMetricsFile(path);
  if (!check.ok) throw new Error(refusedMetricsFileMessage(path, check.reason));
  const temporary = join(
    dirname(resolve(path)),
    `.${basename(path)}.${randomBytes(6).toString("hex")}.tmp`,
  );
  // `wx`: a fresh name, never an existing file; removed on failure only once it is ours.
  await writeFile(temporary, `${METRICS_FILE_MARKER}\n${text}`, { flag: "wx", mode: 0o644 });
  try {
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}
