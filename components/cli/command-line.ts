/**
 * The flag grammar shared by the product's commands: `--flag value`,
 * `--flag=value`, bare switches, and flags that may repeat. Pure, so every usage
 * error is found before a command reads or contacts anything.
 */
export interface CommandLineSpec<Flag extends string, Switch extends string> {
  /** Flags that take a value. */
  readonly valueFlags: readonly Flag[];
  /** Value flags that may be given more than once. */
  readonly repeatable?: readonly Flag[];
  /** Flags without a value. */
  readonly switches?: readonly Switch[];
  /** Printed for `--help` / `-h`. */
  readonly usage: string;
}

export interface CommandLine<Flag extends string, Switch extends string> {
  /** The last value of a flag (a repeatable one: see {@link all}). */
  value(flag: Flag): string | undefined;
  /** Every value of a flag, in order. */
  all(flag: Flag): readonly string[];
  has(flag: Switch): boolean;
}

export type Parsed<T> =
  | { readonly ok: true; readonly args: T }
  | { readonly ok: false; readonly error: string; readonly help?: true };

export function parseCommandLine<Flag extends string, Switch extends string>(
  argv: readonly string[],
  spec: CommandLineSpec<Flag, Switch>,
): Parsed<CommandLine<Flag, Switch>> {
  const values = new Map<Flag, string[]>();
  const switches = new Set<Switch>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? "";
    if (arg === "--help" || arg === "-h") return { ok: false, error: spec.usage, help: true };
    const aSwitch = spec.switches?.find((candidate) => candidate === arg);
    if (aSwitch !== undefined) {
      switches.add(aSwitch);
      continue;
    }
    const [name, inline] = arg.startsWith("--") ? splitOnce(arg, "=") : [arg, undefined];
    const flag = spec.valueFlags.find((candidate) => candidate === name);
    if (flag === undefined) return { ok: false, error: `unknown argument "${arg}"` };
    const value = inline ?? argv[++i];
    // `-` is a value (stdout), `--anything` is the next flag, not a value.
    if (value === undefined || value === "" || (value.startsWith("--") && value !== "-")) {
      return { ok: false, error: `${flag} needs a value` };
    }
    const seen = values.get(flag) ?? [];
    if (seen.length > 0 && !spec.repeatable?.includes(flag)) {
      return { ok: false, error: `${flag} given twice` };
    }
    values.set(flag, [...seen, value]);
  }
  return {
    ok: true,
    args: {
      value: (flag) => values.get(flag)?.at(-1),
      all: (flag) => values.get(flag) ?? [],
      has: (flag) => switches.has(flag),
    },
  };
}

/** Splits at the first separator: `a=b=c` -> [`a`, `b=c`]; no separator -> [text, undefined]. */
export function splitOnce(text: string, separator: string): [string, string | undefined] {
  const at = text.indexOf(separator);
  return at < 0 ? [text, undefined] : [text.slice(0, at), text.slice(at + 1)];
}
