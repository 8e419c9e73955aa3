/**
 * `npm run drift -- --stack <env> [--json <file>]`: compares what is deployed
 * with what the stack declares, at two levels:
 * - Pulumi resources, through the Automation API (needs the Pulumi CLI);
 * - each runner manager's live config.toml, read from its Docker host or cluster
 *   and compared semantically with the render (secrets redacted: never needed).
 *
 * Exit codes: 0 no drift, 2 drift found, 1 could not check (usage, invalid stack
 * config, missing Pulumi CLI, unreachable host; 1 wins over 2).
 */
import { readFileSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { formatIssues } from "../config/messages/config-issue.js";
import { loadFleet } from "../config/load/load-fleet.js";
import { readStackFileOrIssues } from "../config/read/stack-file.js";
import { AutomationDriftSource, localWorkspaceStacks } from "../drift/automation-drift-source.js";
import {
  AutomationRunnerState,
  localWorkspaceStateStacks,
} from "../drift/automation-runner-state.js";
import { GITLAB_TOKEN_VARIABLE } from "../drift/gitlab-runner-drift.js";
import { driftExitCode, driftReportJson } from "../drift/drift-report.js";
import { findExecutable, PULUMI_CLI_MISSING } from "../drift/find-executable.js";
import { formatDriftReport } from "../drift/format-drift-report.js";
import { driftTargets } from "../drift/drift-targets.js";
import { runDriftCheck } from "../drift/run-drift-check.js";
import { describeTarget } from "../render/manager-target.js";
import { managerConfigToml } from "../render/config-toml.js";
import { redactedSecretText } from "../render/secret-text.js";
import { driftMetricsText } from "../drift/drift-metrics.js";
import { parseDriftArgs } from "./drift-args.js";
import { checkMetricsFile, refusedMetricsFileMessage, writeMetricsFile } from "./metrics-file.js";
import { runCommand } from "./run-command.js";

runCommand(async ({ stdout, stderr }) => {
  const parsed = parseDriftArgs(process.argv.slice(2));
  if (!parsed.ok) {
    if (parsed.help) {
      stdout(parsed.error + "\n");
      return 0;
    }
    stderr(`drift: ${parsed.error}\n`);
    return 1;
  }
  const args = parsed.args;
  // Like render: tokens are never needed (the desired config is rendered redacted).
  const raw = readStackFileOrIssues(args.stack, args.stacksDir);
  const loaded = raw.ok
    ? loadFleet(raw.config, { requireSecrets: false, plaintextSecretsAllowed: false })
    : raw;
  if (!loaded.ok) {
    stderr(formatIssues(loaded.issues, args.stack) + "\nnothing was checked.\n");
    return 1;
  }
  // The Automation API runs `pulumi` from PATH: say so in one line instead of its stack trace.
  const pulumiOnPath = findExecutable("pulumi", process.env["PATH"]) !== undefined;
  if (!args.skipPulumi && !pulumiOnPath) {
    stderr(`drift: ${PULUMI_CLI_MISSING}\n`);
    return 1;
  }
  // Before anything is contacted: a file drift did not write is never replaced.
  if (args.metricsFile !== undefined) {
    const check = checkMetricsFile(args.metricsFile);
    if (!check.ok) {
      stderr(refusedMetricsFileMessage(args.metricsFile, check.reason) + "\n");
      return 1;
    }
  }
  const fleet = loaded.fleet;
  const report = await runDriftCheck({
    stack: args.stack,
    concurrency: args.concurrency,
    // Progress on stderr: the report itself stays free of timings (same state, same bytes).
    onChecked: (check, milliseconds) =>
      stderr(`drift: read ${describeTarget(check)} in ${(milliseconds / 1000).toFixed(2)} s\n`),
    ...(args.skipPulumi
      ? {}
      : {
          pulumi: {
            source: new AutomationDriftSource(localWorkspaceStacks(process.cwd())),
            stackName: args.pulumiStack,
          },
        }),
    ...(args.skipRunners
      ? {}
      : {
          managers: driftTargets(fleet, {
            desiredConfigToml: (f, target) => managerConfigToml(f, target, redactedSecretText),
            tlsKeys: {
              env: process.env,
              keyFiles: args.tlsKeyFiles,
              readFile: (path) => readFileSync(path, "utf8"),
            },
          }),
        }),
    ...(args.skipGitlab
      ? {}
      : {
          gitlab: {
            fleet,
            stackName: args.pulumiStack,
            state: pulumiOnPath
              ? new AutomationRunnerState(localWorkspaceStateStacks(process.cwd()))
              : { read: () => Promise.reject(new Error(STATE_NEEDS_PULUMI)) },
            ...gitlabTokenFromEnvironment(process.env),
          },
        }),
  });
  const json = driftReportJson(report);
  if (args.jsonFile === "-") {
    stdout(json);
  } else {
    stdout(formatDriftReport(report));
    if (args.jsonFile !== undefined) await writeFile(args.jsonFile, json);
  }
  if (args.metricsFile !== undefined) {
    await writeMetricsFile(args.metricsFile, driftMetricsText(fleet, report, new Date()));
  }
  return driftExitCode(report);
});

const STATE_NEEDS_PULUMI =
  "the runner ids live in the stack's state, read with the Pulumi CLI (pulumi), which is not on PATH; install it or pass --skip-gitlab";

function gitlabTokenFromEnvironment(env: NodeJS.ProcessEnv): { apiToken?: string } {
  const token = env[GITLAB_TOKEN_VARIABLE];
  return token === undefined || token === "" ? {} : { apiToken: token };
}
