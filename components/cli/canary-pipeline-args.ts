/**
 * Command-line arguments of `npm run canary-pipeline`. Pure: parsing never
 * touches the file system, so every usage error is testable and reported first.
 */
import { parseCommandLine, type Parsed } from "./command-line.js";

export interface CanaryPipelineArgs {
  /** Stacks whose canaries the pipeline runs, in order, each read from `<stacksDir>/Pulumi.<stack>.yaml`. */
  readonly stacks: readonly string[];
  /** Address of the dind-check component; default the `<group>` placeholder address. */
  readonly component?: string;
  /** Directory holding the stack files; default `stacks`. */
  readonly stacksDir: string;
}

export const CANARY_PIPELINE_USAGE = [
  "usage: npm run --silent canary-pipeline -- --stack <env> [--stack <env> ...] [--component <address>] [--stacks-dir <dir>]",
  "",
  "  --stack <env>          a stack whose runners get a dind-check canary (repeatable)",
  "  --component <address>  the dind-check component, e.g.",
  "                         $CI_SERVER_FQDN/$CI_PROJECT_PATH/dind-check@$CI_COMMIT_SHA",
  "  --stacks-dir <dir>     where the stack files live (default: stacks)",
  "",
  "Prints the pipeline (the dind-check includes of every stack) on stdout; writes no file.",
].join("\n");

export function parseCanaryPipelineArgs(argv: readonly string[]): Parsed<CanaryPipelineArgs> {
  const parsed = parseCommandLine(argv, {
    valueFlags: ["--stack", "--component", "--stacks-dir"],
    repeatable: ["--stack"],
    usage: CANARY_PIPELINE_USAGE,
  });
  if (!parsed.ok) return parsed;
  const line = parsed.args;
  const stacks = line.all("--stack");
  if (stacks.length === 0) return { ok: false, error: "at least one --stack <env> is required" };
  const repeated = stacks.find((stack, index) => stacks.indexOf(stack) !== index);
  if (repeated !== undefined) return { ok: false, error: `--stack ${repeated} is given twice` };
  const component = line.value("--component");
  return {
    ok: true,
    args: {
      stacks,
      ...(component === undefined ? {} : { component }),
      stacksDir: line.value("--stacks-dir") ?? "stacks",
    },
  };
}
