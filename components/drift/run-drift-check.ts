/**
 * Runs both drift levels concurrently and assembles the report. Never throws
 * for an unreachable target or a failed Pulumi run: those become `error`
 * entries, so the report always shows everything that could be checked.
 */
import { PulumiCheckError, type PulumiDriftSource } from "./automation-drift-source.js";
import { performance } from "node:perf_hooks";
import {
  checkRunnerConfig,
  type DriftTarget,
  type RunnerConfigCheck,
} from "./check-runner-config.js";
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
  /** How many managers are read at once; default {@link DEFAULT_DRIFT_CONCURRENCY}. */
  readonly concurrency?: number;
  /** Called as each manager's check ends, with the time it took. */
  readonly onChecked?: (check: RunnerConfigCheck, milliseconds: number) => void;
}

/** Managers read at once by default: enough to hide ssh latency, few enough for any fleet. */
export const DEFAULT_DRIFT_CONCURRENCY = 8;

export async function runDriftCheck(check: DriftCheck): Promise<DriftReport> {
  const [pulumi, runners, gitlab] = await Promise.all([
    checkPulumi(check.pulumi),
    check.managers === undefined ? undefined : checkManagers(check, check.managers),
    check.gitlab === undefined ? undefined : checkGitLabRunners(check.gitlab),
  ]);
  return {
    stack: check.stack,
    pulumi,
    ...(runners === undefined ? {} : { runners }),
    ...(gitlab === undefined ? {} : { gitlab }),
  };
}

/** Each manager's check, in target order, with at most `concurrency` running at once. */
async function checkManagers(
  check: DriftCheck,
  managers: readonly DriftTarget[],
): Promise<RunnerConfigCheck[]> {
  const results = new Array<RunnerConfigCheck>(managers.length);
  let next = 0;
  const worker = async () => {
    while (next < managers.length) {
      const index = next++;
      const started = performance.now();
      const result = await checkRunnerConfig(managers[index] as DriftTarget);
      check.onChecked?.(result, performance.now() - started);
      results[index] = result;
    }
  };
  const limit = check.concurrency ?? DEFAULT_DRIFT_CONCURRENCY;
  const workers = Math.max(1, Math.min(limit, managers.length));
  await Promise.all(Array.from({ length: workers }, worker));
  return results;
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
