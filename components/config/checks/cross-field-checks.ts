/**
 * Every check that looks at more than one field. They run on what is left of the
 * config after invalid values are cut out, so they report alongside schema errors.
 */
import type { ConfigIssue } from "../messages/config-issue.js";
import { cacheIssues } from "./cache-checks.js";
import { managedRunnerIssues } from "./managed-runner-checks.js";
import { jobPodIssues } from "./job-pod-checks.js";
import { monitoringIssues } from "./monitoring-checks.js";
import type { ParsedStackConfig } from "../schema/parse-stack-config.js";
import { runnerSettingIssues } from "./runner-setting-checks.js";
import { secretIssues, type SecretPolicy } from "./secret-checks.js";
import { targetIssues } from "./target-checks.js";
import { duplicateNameIssues } from "./unique-names.js";
import { duplicateTargetIssues } from "./unique-targets.js";

export function crossFieldIssues(
  parsed: ParsedStackConfig,
  policy: SecretPolicy,
): readonly ConfigIssue[] {
  const { salvaged, prunedPaths } = parsed;
  return [
    ...targetIssues(salvaged, prunedPaths),
    ...duplicateNameIssues(salvaged),
    ...duplicateTargetIssues(salvaged),
    ...runnerSettingIssues(salvaged, prunedPaths),
    ...managedRunnerIssues(salvaged, prunedPaths),
    ...jobPodIssues(salvaged, prunedPaths),
    ...monitoringIssues(salvaged, prunedPaths),
    ...secretIssues(salvaged, prunedPaths, policy),
    ...cacheIssues(salvaged, prunedPaths, policy),
  ];
}
