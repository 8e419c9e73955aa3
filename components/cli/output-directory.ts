/**
 * Where `npm run render` may write. The output directory is replaced as a whole,
 * so before anything is written the target must be a directory the command owns:
 * missing, empty, or carrying the marker file a previous render left there. Places
 * that hold a user's work are refused by name, even with a marker inside: the
 * working directory and its ancestors, the stacks directory, a directory holding
 * the stack file, a git checkout.
 */
import { lstatSync, readdirSync, readFileSync, realpathSync, type Stats } from "node:fs";
import { basename, dirname, join, resolve, sep } from "node:path";

/** Left in every rendered output directory; its presence allows the next render to replace it. */
export const RENDER_MARKER_FILE = ".dind-runners-render";

export const RENDER_MARKER_TEXT =
  "Written by `npm run render` (dind-runners). The next render replaces this directory as a whole;\n" +
  "delete this file to keep the directory from being replaced.\n";

export interface OutputContext {
  /** The working directory of the command. */
  readonly cwd: string;
  /** The stacks directory as given (relative to cwd or absolute). */
  readonly stacksDir: string;
  /** The stack file being rendered. */
  readonly stackFile: string;
}

export type OutputCheck =
  | {
      readonly ok: true;
      /** The target with symbolic links resolved: where the files go. */
      readonly target: string;
    }
  | { readonly ok: false; readonly target: string; readonly reason: string };

/** Whether `outDir` may be (re)placed by a render, and why not. Reads, never writes. */
export function checkOutputDirectory(outDir: string, context: OutputContext): OutputCheck {
  const target = realLocation(resolve(context.cwd, outDir));
  const cwd = realLocation(resolve(context.cwd));
  const stacksDir = realLocation(resolve(context.cwd, context.stacksDir));
  const stackFile = realLocation(resolve(context.cwd, context.stackFile));
  const refuse = (why: string): OutputCheck => ({ ok: false, target, reason: why });

  if (target === cwd) return refuse("it is the working directory");
  if (isInside(cwd, target)) return refuse("it contains the working directory");
  if (target === stacksDir) return refuse("it is the stacks directory");
  if (isInside(stackFile, target)) return refuse(`it contains the stack file ${stackFile}`);
  if (isInside(stacksDir, target)) return refuse("it contains the stacks directory");

  const stats = statOf(target);
  if (stats === undefined) return { ok: true, target };
  if (!stats.isDirectory()) return refuse("it exists and is not a directory");
  const entries = readdirSync(target);
  if (entries.includes(".git")) return refuse("it contains .git (a git checkout)");
  if (entries.length === 0 || hasRenderMarker(target)) return { ok: true, target };
  return refuse(`it is not empty and carries no ${RENDER_MARKER_FILE} marker of a previous render`);
}

/** The one line a refused `--out` prints: the path as given, where it leads, and why. */
export function refusedOutputMessage(
  outDir: string,
  refused: { target: string; reason: string },
): string {
  const where = refused.target === outDir ? "" : ` (${refused.target})`;
  return `render: refusing --out ${JSON.stringify(outDir)}${where}: ${refused.reason}; the output directory is replaced as a whole, so give one of its own such as out/<env>; nothing was written`;
}

function hasRenderMarker(directory: string): boolean {
  const marker = join(directory, RENDER_MARKER_FILE);
  if (!statOf(marker)?.isFile()) return false;
  return readFileSync(marker, "utf8") === RENDER_MARKER_TEXT;
}

/** `path` is strictly below `directory`. */
function isInside(path: string, directory: string): boolean {
  const prefix = directory.endsWith(sep) ? directory : directory + sep;
  return path.startsWith(prefix);
}

function statOf(path: string): Stats | undefined {
  try {
    return lstatSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

/**
 * The absolute path with every symbolic link resolved, for the part that exists:
 * a link to the checkout is the checkout. A missing tail is kept as written.
 */
function realLocation(path: string): string {
  try {
    return realpathSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    const parent = dirname(path);
    if (parent === path) return path;
    return join(realLocation(parent), basename(path));
  }
}
