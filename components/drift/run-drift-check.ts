/**
 * Runs both drift levels concurrently and assembles the report. Never throws
 * for an unreachable target or a failed Pulumi run: those become `error`
 * entries, so the report always shows everything that could be checked.
 */
import { PulumiCheckError, type PulumiDriftSource } from "./automation-drift-source.js";
import { checkRunnerConfig, type DriftTarget } from "./check-runner-config.js";
import { checkGitLabRunners, type GitLabDriftCheck } from "./gitlab-runner-drift.js";
import { pulumiSection, type DriftReport, type PulumiSection } from "./drift-report.js";

export interface DriftCheck {
  /** The environment name, as in the stack file. */
  readonly stack: string;
  /** Pulumi stack to check; absent skips the Pulumi level. */
  readonly pulumi?: { readonly source: PulumiDriftSource; readonly stackName: string };
  /** Managers to check; absent skips the runner-config level. */
  readonly managers?: readonly DriftTarget[];
  /** Managed runners in GitLab to check; absent skips the GitLab level. */
  readonly gitlab?: GitLabDriftCheck;
}

export async function runDriftCheck(check: DriftCheck): Promise<DriftReport> {
  const [pulumi, runners, gitlab] = await Promise.all([
    checkPulumi(check.pulumi),
    check.managers === undefined ? undefined : Promise.all(check.managers.map(checkRunnerConfig)),
    check.gitlab === undefined ? undefined : checkGitLabRunners(check.gitlab),
  ]);
  return {
    stack: check.stack,
    pulumi,
    ...(runners === undefined ? {} : { runners }),
    ...(gitlab === undefined ? {} : { gitlab }),
  };
}

async function checkPulumi(pulumi: DriftCheck["pulumi"]): Promise<PulumiSection> {
  if (pulumi === undefined) return { status: "skipped" };
  try {
    return pulumiSection(await pulumi.source.check(pulumi.stackName));
  } catch (error) {
    const message =
      error instanceof PulumiCheckError
        ? error.message
        : `pulumi stack "${pulumi.stackName}": ${error instanceof Error ? error.message : String(error)}`;
    return { status: "error", error: message };
  }
}
