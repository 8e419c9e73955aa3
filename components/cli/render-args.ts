/**
 * Command-line arguments of `npm run render`. Pure: parsing never touches the
 * file system, so every usage error is testable and reported before any work.
 */
import { parseCommandLine, type Parsed } from "./command-line.js";

export interface RenderArgs {
  /** Stack (environment) name: reads `<stacksDir>/Pulumi.<stack>.yaml`. */
  readonly stack: string;
  /** Output directory; default `out/<stack>`. */
  readonly outDir: string;
  /** Directory holding the stack files; default `stacks`. */
  readonly stacksDir: string;
}

export const RENDER_USAGE = [
  "usage: npm run render -- --stack <env> [--out <dir>] [--stacks-dir <dir>]",
  "",
  "  --stack <env>        stack to render: reads stacks/Pulumi.<env>.yaml (no Pulumi CLI needed)",
  "  --out <dir>          where to write the files (default: out/<env>); replaced as a whole, so it",
  "                       must be missing, empty or written by a previous render",
  "  --stacks-dir <dir>   where the stack files live (default: stacks)",
].join("\n");

/** Either parsed arguments or a one-line reason why they are not usable. */
export type ParsedRenderArgs = Parsed<RenderArgs>;

export function parseRenderArgs(argv: readonly string[]): ParsedRenderArgs {
  const parsed = parseCommandLine(argv, {
    valueFlags: ["--stack", "--out", "--stacks-dir"],
    usage: RENDER_USAGE,
  });
  if (!parsed.ok) return parsed;
  const line = parsed.args;
  const stack = line.value("--stack");
  if (stack === undefined) return { ok: false, error: "--stack <env> is required" };
  return {
    ok: true,
    args: {
      stack,
      outDir: line.value("--out") ?? `out/${stack}`,
      stacksDir: line.value("--stacks-dir") ?? "stacks",
    },
  };
}
