/**
 * Command-line arguments of `npm run drift`. Pure: every usage error is found
 * before anything is read or contacted.
 */
import { DEFAULT_DRIFT_CONCURRENCY } from "../drift/run-drift-check.js";
import { parseCommandLine, splitOnce, type Parsed } from "./command-line.js";

export interface DriftArgs {
  /** Environment: reads `<stacksDir>/Pulumi.<stack>.yaml`. */
  readonly stack: string;
  /** Pulumi stack the Automation API selects; default the environment name. */
  readonly pulumiStack: string;
  /** Directory holding the stack files; default `stacks`. */
  readonly stacksDir: string;
  /** Where to write the JSON report; `-` writes it to stdout instead of the text report. */
  readonly jsonFile?: string;
  /** Where to write the result as Prometheus metrics (`--metrics-file`), atomically. */
  readonly metricsFile?: string;
  readonly skipPulumi: boolean;
  readonly skipRunners: boolean;
  /** Skip comparing managed runners with GitLab (`gitlab.manageRunners`). */
  readonly skipGitlab: boolean;
  /** How many hosts and clusters are read at once (`--concurrency`, default 8). */
  readonly concurrency: number;
  /** Docker host name -> TLS client key file, from `--tls-key <host>=<file>`. */
  readonly tlsKeyFiles: ReadonlyMap<string, string>;
}

export const DRIFT_USAGE = [
  "usage: npm run drift -- --stack <env> [options]",
  "",
  "Compares what is deployed with what the stack declares, at three levels: Pulumi",
  "resources (refresh preview and preview --refresh through the Automation API),",
  "each runner manager's live config.toml (read from the Docker host or cluster), and",
  "with gitlab.manageRunners each runner in GitLab (its id from the stack's state).",
  "",
  "  --stack <env>            stack to check: stacks/Pulumi.<env>.yaml and Pulumi stack <env>",
  "  --json <file>            also write the report as JSON to <file>; '-' prints only JSON",
  "  --metrics-file <file>    also write the result as Prometheus metrics to <file> (a *.prom file",
  "                           of node_exporter's textfile collector): last run, result, token",
  "                           expiry; replaces only a file an earlier run wrote",
  "  --skip-pulumi            skip the Pulumi level (no Pulumi CLI needed)",
  "  --skip-runners           skip reading the managers' live config.toml",
  "  --skip-gitlab            skip comparing managed runners with GitLab (gitlab.manageRunners);",
  "                           the API token comes from DIND_RUNNERS_GITLAB_API_TOKEN or the stack",
  "  --pulumi-stack <name>    Pulumi stack to select (default: <env>, e.g. org/dind-runners/<env>)",
  "  --stacks-dir <dir>       where the stack files live (default: stacks)",
  "  --concurrency <n>        hosts and clusters read at once (default 8); each one's time is printed",
  "  --tls-key <host>=<file>  TLS client key of a tcp:// Docker host (repeatable); or set",
  "                           DIND_RUNNERS_TLS_KEY_<HOST> to the PEM (host upper-cased, - as _)",
  "",
  "exit codes: 0 no drift, 2 drift found, 1 could not check (unreachable host, missing",
  "Pulumi CLI, invalid stack config); 1 wins when some checks failed and others drifted",
].join("\n");

export type ParsedDriftArgs = Parsed<DriftArgs>;

export function parseDriftArgs(argv: readonly string[]): ParsedDriftArgs {
  const parsed = parseCommandLine(argv, {
    valueFlags: [
      "--stack",
      "--json",
      "--metrics-file",
      "--pulumi-stack",
      "--stacks-dir",
      "--tls-key",
      "--concurrency",
    ],
    repeatable: ["--tls-key"],
    switches: ["--skip-pulumi", "--skip-runners", "--skip-gitlab"],
    usage: DRIFT_USAGE,
  });
  if (!parsed.ok) return parsed;
  const line = parsed.args;
  const tlsKeyFiles = new Map<string, string>();
  for (const value of line.all("--tls-key")) {
    const [host = "", file] = splitOnce(value, "=");
    if (host === "" || file === undefined || file === "") {
      return { ok: false, error: `--tls-key needs <host>=<file>, got "${value}"` };
    }
    if (tlsKeyFiles.has(host)) return { ok: false, error: `--tls-key given twice for ${host}` };
    tlsKeyFiles.set(host, file);
  }
  const stack = line.value("--stack");
  if (stack === undefined) return { ok: false, error: "--stack <env> is required" };
  const skipPulumi = line.has("--skip-pulumi");
  const skipRunners = line.has("--skip-runners");
  const skipGitlab = line.has("--skip-gitlab");
  if (skipPulumi && skipRunners && skipGitlab) {
    return {
      ok: false,
      error: "--skip-pulumi, --skip-runners and --skip-gitlab together leave nothing to check",
    };
  }
  const concurrencyText = line.value("--concurrency") ?? String(DEFAULT_DRIFT_CONCURRENCY);
  const concurrency = Number(concurrencyText);
  if (!/^[0-9]+$/.test(concurrencyText) || concurrency < 1 || concurrency > 256) {
    return {
      ok: false,
      error: `--concurrency needs a whole number from 1 to 256, got "${concurrencyText}"`,
    };
  }
  const jsonFile = line.value("--json");
  const metricsFile = line.value("--metrics-file");
  if (metricsFile === "" || metricsFile === "-") {
    return { ok: false, error: `--metrics-file needs a file name, got "${metricsFile}"` };
  }
  return {
    ok: true,
    args: {
      stack,
      pulumiStack: line.value("--pulumi-stack") ?? stack,
      stacksDir: line.value("--stacks-dir") ?? "stacks",
      ...(jsonFile === undefined ? {} : { jsonFile }),
      ...(metricsFile === undefined ? {} : { metricsFile }),
      skipPulumi,
      skipRunners,
      skipGitlab,
      concurrency,
      tlsKeyFiles,
    },
  };
}
