/**
 * Command-line arguments of `npm run render`. Pure: parsing never touches the
 * file system, so every usage error is testable and reported before any work.
 */
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
  "  --out <dir>          where to write the files (default: out/<env>); replaced as a whole",
  "  --stacks-dir <dir>   where the stack files live (default: stacks)",
].join("\n");

/** Either parsed arguments or a one-line reason why they are not usable. */
export type ParsedRenderArgs =
  | { readonly ok: true; readonly args: RenderArgs }
  | { readonly ok: false; readonly error: string; readonly help?: true };

const VALUE_FLAGS = ["--stack", "--out", "--stacks-dir"] as const;
type ValueFlag = (typeof VALUE_FLAGS)[number];

function isValueFlag(flag: string): flag is ValueFlag {
  return (VALUE_FLAGS as readonly string[]).includes(flag);
}

export function parseRenderArgs(argv: readonly string[]): ParsedRenderArgs {
  const values = new Map<ValueFlag, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? "";
    if (arg === "--help" || arg === "-h") return { ok: false, error: RENDER_USAGE, help: true };
    // Accept both `--stack prod` and `--stack=prod`.
    const [flag = "", inline] = arg.startsWith("--") ? splitOnce(arg, "=") : [arg, undefined];
    if (!isValueFlag(flag)) return { ok: false, error: `unknown argument "${arg}"` };
    const value = inline ?? argv[++i];
    if (value === undefined || value === "" || value.startsWith("--")) {
      return { ok: false, error: `${flag} needs a value` };
    }
    if (values.has(flag)) return { ok: false, error: `${flag} given twice` };
    values.set(flag, value);
  }
  const stack = values.get("--stack");
  if (stack === undefined) return { ok: false, error: "--stack <env> is required" };
  return {
    ok: true,
    args: {
      stack,
      outDir: values.get("--out") ?? `out/${stack}`,
      stacksDir: values.get("--stacks-dir") ?? "stacks",
    },
  };
}

function splitOnce(text: string, separator: string): [string, string | undefined] {
  const at = text.indexOf(separator);
  return at < 0 ? [text, undefined] : [text.slice(0, at), text.slice(at + 1)];
}
