/**
 * What `npm run canary-pipeline -- --stack <env> ...` does: validate each stack
 * file and print one pipeline with the dind-check canaries of all their runners
 * (components/render/ci-include-dind-check.ts). The fleet component runs it as a
 * child pipeline after `pulumi up` and on a schedule. It writes no file: the
 * caller redirects stdout.
 *
 * Exit codes: 0 printed, 1 invalid stack config or usage (nothing printed on stdout).
 */
import { formatIssues } from "../config/messages/config-issue.js";
import { loadFleet } from "../config/load/load-fleet.js";
import { readStackFileOrIssues } from "../config/read/stack-file.js";
import type { Fleet } from "../model/fleet.js";
import { dindCheckPipeline } from "../render/ci-include-dind-check.js";
import { parseCanaryPipelineArgs } from "./canary-pipeline-args.js";
import type { CommandIo } from "./run-command.js";

export function canaryPipelineMain(
  argv: readonly string[],
  { stdout, stderr }: CommandIo,
): Promise<number> {
  const parsed = parseCanaryPipelineArgs(argv);
  if (!parsed.ok) {
    if (parsed.help) {
      stdout(parsed.error + "\n");
      return Promise.resolve(0);
    }
    stderr(`canary-pipeline: ${parsed.error}\n`);
    return Promise.resolve(1);
  }
  const { stacks, component, stacksDir } = parsed.args;
  const fleets: Fleet[] = [];
  const problems: string[] = [];
  // Every stack is read before anything is printed, so all their problems show at once.
  for (const stack of stacks) {
    const raw = readStackFileOrIssues(stack, stacksDir);
    const loaded = raw.ok
      ? loadFleet(raw.config, { requireSecrets: false, plaintextSecretsAllowed: false })
      : raw;
    if (loaded.ok) fleets.push(loaded.fleet);
    else problems.push(formatIssues(loaded.issues, stack));
  }
  if (problems.length > 0) {
    stderr(`${problems.join("\n")}\nno pipeline was printed.\n`);
    return Promise.resolve(1);
  }
  stdout(dindCheckPipeline(fleets, component === undefined ? {} : { component }));
  return Promise.resolve(0);
}
