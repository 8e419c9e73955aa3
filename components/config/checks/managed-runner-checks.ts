/**
 * The rules of `gitlab.manageRunners`. With it, GitLab issues each runner's
 * token, so a `token` in the stack is refused, and every runner needs a scope.
 * Without it, the settings only a managed runner uses would silently do
 * nothing, so each one is refused where it is set.
 */
import { DEFAULTS } from "../../model/defaults.js";
import { configError, configWarning, type ConfigIssue } from "../messages/config-issue.js";
import { childPath } from "../messages/config-path.js";
import {
  effectiveSetting,
  originNote,
  type SettingsLevel,
} from "../precedence/effective-setting.js";
import { RUNNER_SCOPE_FORMS } from "../grammars/runner-scope.js";
import { runnerLevels } from "../precedence/runner-levels.js";
import type { Salvaged } from "../schema/salvage.js";
import type { RunnerSettingsConfig } from "../schema/settings-schemas.js";
import type { StackConfig } from "../schema/stack-config-schema.js";
import { allRunnersOf, targetsOf } from "../schema/stack-targets.js";

/** Settings of a runner, its host or cluster, or `defaults` that only a managed runner uses. */
const CASCADING_MANAGED_FIELDS = [
  "scope",
  "runUntagged",
  "locked",
  "paused",
  "accessLevel",
  "maximumTimeout",
] as const;

/** Settings of a runner alone that only a managed runner uses. */
const RUNNER_MANAGED_FIELDS = ["description", "rotateToken"] as const;

export function managedRunnerIssues(
  config: Salvaged<StackConfig>,
  prunedPaths: ReadonlySet<string>,
): readonly ConfigIssue[] {
  return config.gitlab?.manageRunners === true
    ? managedIssues(config, prunedPaths)
    : unmanagedIssues(config);
}

function managedIssues(
  config: Salvaged<StackConfig>,
  prunedPaths: ReadonlySet<string>,
): ConfigIssue[] {
  return allRunnersOf(config).flatMap((entry) => {
    const issues: ConfigIssue[] = [];
    if (entry.runner.token !== undefined) {
      const path = childPath(entry.path, "token");
      issues.push(
        configError(
          path,
          `expected no token: with gitlab.manageRunners: true, pulumi up creates the runner in GitLab and takes its token from there; remove it with: pulumi config rm --path '${path}'`,
        ),
      );
    }
    const levels = runnerLevels(config, entry).runner;
    const longer = timeoutAboveJobTimeout(entry.path, levels, prunedPaths);
    if (longer !== undefined) issues.push(longer);
    // No built-in default: `setAt` is absent only when no level sets a scope.
    const scope = effectiveSetting(levels, "scope", "instance", prunedPaths);
    if (scope !== undefined && scope.setAt === undefined) {
      issues.push(
        configError(
          childPath(entry.path, "scope"),
          `missing; expected where GitLab keeps the runner (gitlab.manageRunners is true): ${RUNNER_SCOPE_FORMS}, set on the runner, its ${entry.owner.variant === "docker" ? "Docker host" : "cluster"} or in defaults`,
        ),
      );
    }
    return issues;
  });
}

/**
 * GitLab lets a job run up to `maximumTimeout`, but the manager waits only
 * `jobTimeoutSeconds` for running jobs when it is stopped (an upgrade): longer
 * jobs would be killed halfway.
 */
function timeoutAboveJobTimeout(
  runnerPath: string,
  levels: readonly SettingsLevel<Salvaged<RunnerSettingsConfig>>[],
  prunedPaths: ReadonlySet<string>,
): ConfigIssue | undefined {
  const maximum = effectiveSetting(levels, "maximumTimeout", 0, prunedPaths);
  const job = effectiveSetting(
    levels,
    "jobTimeoutSeconds",
    DEFAULTS.jobTimeoutSeconds,
    prunedPaths,
  );
  if (maximum === undefined || job === undefined || maximum.setAt === undefined) return undefined;
  if (maximum.value <= job.value) return undefined;
  const path = childPath(runnerPath, "maximumTimeout");
  return configWarning(
    path,
    `maximumTimeout ${maximum.value}${originNote(maximum, path)} is above jobTimeoutSeconds ${job.value}${originNote(job, path)}: GitLab lets jobs run longer than the manager waits for them when it is stopped or upgraded, so those jobs would be killed halfway; raise jobTimeoutSeconds to at least ${maximum.value}`,
  );
}

function unmanagedIssues(config: Salvaged<StackConfig>): ConfigIssue[] {
  const unused = (path: string) =>
    configError(
      path,
      "is used only when pulumi up manages the runners in GitLab; set gitlab.manageRunners: true, or remove it",
    );
  const levels: { path: string; settings: Readonly<Record<string, unknown>> | undefined }[] = [
    { path: "defaults", settings: config.defaults },
    ...targetsOf(config).map((entry) => ({ path: entry.path, settings: entry.target })),
  ];
  const issues: ConfigIssue[] = [];
  if (config.gitlab?.apiToken !== undefined) issues.push(unused("gitlab.apiToken"));
  for (const level of levels) {
    for (const field of CASCADING_MANAGED_FIELDS) {
      if (level.settings?.[field] !== undefined) issues.push(unused(childPath(level.path, field)));
    }
  }
  for (const entry of allRunnersOf(config)) {
    for (const field of [...RUNNER_MANAGED_FIELDS, ...CASCADING_MANAGED_FIELDS]) {
      if (entry.runner[field] !== undefined) issues.push(unused(childPath(entry.path, field)));
    }
  }
  return issues;
}
