/**
 * Command-line arguments of `npm run drift`. Pure: every usage error is found
 * before anything is read or contacted.
 */
export interface DriftArgs {
  /** Environment: reads `<stacksDir>/Pulumi.<stack>.yaml`. */
  readonly stack: string;
  /** Pulumi stack the Automation API selects; default the environment name. */
  readonly pulumiStack: string;
  /** Directory holding the stack files; default `stacks`. */
  readonly stacksDir: string;
  /** Where to write the JSON report; `-` writes it to stdout instead of the text report. */
  readonly jsonFile?: string;
  readonly skipPulumi: boolean;
  readonly skipRunners: boolean;
  /** Docker host name -> TLS client key file, from `--tls-key <host>=<file>`. */
  readonly tlsKeyFiles: ReadonlyMap<string, string>;
}

export const DRIFT_USAGE = [
  "usage: npm run drift -- --stack <env> [options]",
  "",
  "Compares what is deployed with what the stack declares, at two levels: Pulumi",
  "resources (refresh preview and preview --refresh through the Automation API) and",
  "each runner manager's live config.toml (read from the Docker host or cluster).",
  "",
  "  --stack <env>            stack to check: stacks/Pulumi.<env>.yaml and Pulumi stack <env>",
  "  --json <file>            also write the report as JSON to <file>; '-' prints only JSON",
  "  --skip-pulumi            skip the Pulumi level (no Pulumi CLI needed)",
  "  --skip-runners           skip reading the managers' live config.toml",
  "  --pulumi-stack <name>    Pulumi stack to select (default: <env>, e.g. org/dind-runners/<env>)",
  "  --stacks-dir <dir>       where the stack files live (default: stacks)",
  "  --tls-key <host>=<file>  TLS client key of a tcp:// Docker host (repeatable); or set",
  "                           DIND_RUNNERS_TLS_KEY_<HOST> to the PEM (host upper-cased, - as _)",
  "",
  "exit codes: 0 no drift, 2 drift found, 1 could not check (unreachable host, missing",
  "Pulumi CLI, invalid stack config); 1 wins when some checks failed and others drifted",
].join("\n");

export type ParsedDriftArgs =
  | { readonly ok: true; readonly args: DriftArgs }
  | { readonly ok: false; readonly error: string; readonly help?: true };

const VALUE_FLAGS = ["--stack", "--json", "--pulumi-stack", "--stacks-dir", "--tls-key"] as const;
const SWITCHES = ["--skip-pulumi", "--skip-runners"] as const;
type ValueFlag = (typeof VALUE_FLAGS)[number];
type Switch = (typeof SWITCHES)[number];

function isValueFlag(flag: string): flag is ValueFlag {
  return (VALUE_FLAGS as readonly string[]).includes(flag);
}

function isSwitch(flag: string): flag is Switch {
  return (SWITCHES as readonly string[]).includes(flag);
}

export function parseDriftArgs(argv: readonly string[]): ParsedDriftArgs {
  const values = new Map<ValueFlag, string>();
  const switches = new Set<Switch>();
  const tlsKeyFiles = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? "";
    if (arg === "--help" || arg === "-h") return { ok: false, error: DRIFT_USAGE, help: true };
    if (isSwitch(arg)) {
      switches.add(arg);
      continue;
    }
    // Accept both `--stack prod` and `--stack=prod`.
    const [flag = "", inline] = arg.startsWith("--") ? splitOnce(arg, "=") : [arg, undefined];
    if (!isValueFlag(flag)) return { ok: false, error: `unknown argument "${arg}"` };
    const value = inline ?? argv[++i];
    if (value === undefined || value === "" || (value.startsWith("--") && value !== "-")) {
      return { ok: false, error: `${flag} needs a value` };
    }
    if (flag === "--tls-key") {
      const [host = "", file] = splitOnce(value, "=");
      if (host === "" || file === undefined || file === "") {
        return { ok: false, error: `--tls-key needs <host>=<file>, got "${value}"` };
      }
      if (tlsKeyFiles.has(host)) return { ok: false, error: `--tls-key given twice for ${host}` };
      tlsKeyFiles.set(host, file);
      continue;
    }
    if (values.has(flag)) return { ok: false, error: `${flag} given twice` };
    values.set(flag, value);
  }
  const stack = values.get("--stack");
  if (stack === undefined) return { ok: false, error: "--stack <env> is required" };
  const skipPulumi = switches.has("--skip-pulumi");
  const skipRunners = switches.has("--skip-runners");
  if (skipPulumi && skipRunners) {
    return { ok: false, error: "--skip-pulumi and --skip-runners together leave nothing to check" };
  }
  const jsonFile = values.get("--json");
  return {
    ok: true,
    args: {
      stack,
      pulumiStack: values.get("--pulumi-stack") ?? stack,
      stacksDir: values.get("--stacks-dir") ?? "stacks",
      ...(jsonFile === undefined ? {} : { jsonFile }),
      skipPulumi,
      skipRunners,
      tlsKeyFiles,
    },
  };
}

function splitOnce(text: string, separator: string): [string, string | undefined] {
  const at = text.indexOf(separator);
  return at < 0 ? [text, undefined] : [text.slice(0, at), text.slice(at + 1)];
}
