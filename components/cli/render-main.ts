/**
 * What `npm run render -- --stack <env> [--out <dir>]` does: validate a stack file and write
 * exactly what `pulumi up` would deploy, with secrets redacted. No Pulumi CLI is
 * needed; the stack file is read directly.
 *
 * The output directory is replaced as a whole, so it must be one a render owns
 * (see output-directory.ts); anything else is refused before any work.
 *
 * Exit codes: 0 rendered, 1 invalid stack config, refused output directory or
 * usage (nothing written).
 */
import { formatIssues } from "../config/messages/config-issue.js";
import { loadFleet } from "../config/load/load-fleet.js";
import { configSizeIssue } from "../config/read/pulumi-config-size.js";
import { readStackFileOrIssues, stackFilePath } from "../config/read/stack-file.js";
import { renderFleetFiles } from "../render/render-fleet-files.js";
import { redactedSecretText } from "../render/secret-text.js";
import { checkOutputDirectory, refusedOutputMessage } from "./output-directory.js";
import { parseRenderArgs } from "./render-args.js";
import { renderSummary } from "./render-summary.js";
import type { CommandIo } from "./run-command.js";
import { writeRenderedFiles } from "./write-rendered-files.js";

export async function renderMain(
  argv: readonly string[],
  { stdout, stderr }: CommandIo,
): Promise<number> {
  const parsed = parseRenderArgs(argv);
  if (!parsed.ok) {
    if (parsed.help) {
      stdout(parsed.error + "\n");
      return 0;
    }
    stderr(`render: ${parsed.error}\n`);
    return 1;
  }
  const { stack, outDir, stacksDir } = parsed.args;
  const output = { cwd: process.cwd(), stacksDir, stackFile: stackFilePath(stack, stacksDir) };
  // Before reading anything: a refused output directory is a usage error.
  const check = checkOutputDirectory(outDir, output);
  if (!check.ok) {
    stderr(refusedOutputMessage(outDir, check) + "\n");
    return 1;
  }
  const raw = readStackFileOrIssues(stack, stacksDir);
  const loaded = raw.ok
    ? loadFleet(raw.config, { requireSecrets: false, plaintextSecretsAllowed: false })
    : raw;
  // A config too big for Pulumi to pass to the program is reported with everything else.
  const size = raw.ok ? configSizeIssue(raw.config.values) : undefined;
  const sizeErrors = size?.severity === "error" ? [size] : [];
  if (!loaded.ok || sizeErrors.length > 0) {
    const issues = [...(loaded.ok ? [] : loaded.issues), ...sizeErrors];
    stderr(formatIssues(issues, stack) + "\nnothing was written.\n");
    return 1;
  }
  const files = renderFleetFiles(loaded.fleet, redactedSecretText);
  await writeRenderedFiles(outDir, files, output);
  const warnings = [...loaded.warnings, ...(size === undefined ? [] : [size])];
  stdout(renderSummary(loaded.fleet, outDir, files.length, warnings));
  return 0;
}
