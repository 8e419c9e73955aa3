/**
 * A managed runner's settings as the stack declares them, and their GitLab REST
 * attributes (`POST /user/runners`, `PUT /runners/:id`, `GET /runners/:id`)
 * through one explicit table. Pure.
 */
import {
  RUNNER_DESCRIPTION_MAX_LENGTH,
  RUNNER_TAGS_MAX_COUNT,
  RUNNER_TAG_MAX_LENGTH,
  gitlabLength,
} from "../model/gitlab-limits.js";
import type { RunnerScope, RunnerSettings } from "../model/managed-runner.js";

/** Stack field -> GitLab REST attribute. */
export const RUNNER_API_ATTRIBUTES = {
  description: "description",
  tags: "tag_list",
  runUntagged: "run_untagged",
  locked: "locked",
  paused: "paused",
  accessLevel: "access_level",
  maximumTimeout: "maximum_timeout",
} as const satisfies Record<keyof RunnerSettings, string>;

export const RUNNER_SETTING_FIELDS = Object.keys(RUNNER_API_ATTRIBUTES) as (keyof RunnerSettings)[];

/** `runner_type` of each scope kind. */
export const RUNNER_TYPES = {
  instance: "instance_type",
  group: "group_type",
  project: "project_type",
} as const satisfies Record<RunnerScope["kind"], string>;

/** The body of `PUT /runners/:id`, and the settings part of `POST /user/runners`. */
export function runnerSettingsAttributes(settings: RunnerSettings): Record<string, unknown> {
  const attributes: Record<string, unknown> = {};
  for (const field of RUNNER_SETTING_FIELDS) {
    attributes[RUNNER_API_ATTRIBUTES[field]] =
      field === "tags" ? [...settings.tags] : settings[field];
  }
  return attributes;
}

/** One setting GitLab would refuse, before anything is sent. */
export interface SettingProblem {
  /** `settings.description` or `settings.tags`, as the GitLabRunner resource's inputs name them. */
  readonly property: string;
  /** Config path, what GitLab allows and what the setting has. */
  readonly reason: string;
}

/**
 * The settings GitLab would refuse for their length (components/model/gitlab-limits.ts),
 * each reason naming the runner's config path. Lengths in characters (code points), as
 * GitLab's Ruby counts them.
 */
export function runnerSettingsProblems(
  settings: RunnerSettings,
  configPath: string,
): SettingProblem[] {
  const problems: SettingProblem[] = [];
  const description = gitlabLength(settings.description);
  if (description > RUNNER_DESCRIPTION_MAX_LENGTH) {
    problems.push({
      property: "settings.description",
      reason: `${configPath}.description: GitLab keeps at most ${RUNNER_DESCRIPTION_MAX_LENGTH} characters in a runner's description; this one has ${description}`,
    });
  }
  const tags = new Set(settings.tags);
  if (tags.size > RUNNER_TAGS_MAX_COUNT) {
    problems.push({
      property: "settings.tags",
      reason: `${configPath}.tags: GitLab allows at most ${RUNNER_TAGS_MAX_COUNT} tags on a runner; this one has ${tags.size}`,
    });
  }
  for (const tag of tags) {
    const tagLength = gitlabLength(tag);
    if (tagLength > RUNNER_TAG_MAX_LENGTH) {
      problems.push({
        property: "settings.tags",
        reason: `${configPath}.tags: GitLab allows at most ${RUNNER_TAG_MAX_LENGTH} characters in a tag; "${[...tag].slice(0, 20).join("")}..." has ${tagLength}`,
      });
    }
  }
  return problems;
}

/** One setting whose live value is not the stack's. */
export interface SettingDifference {
  readonly field: keyof RunnerSettings;
  /** The GitLab attribute, e.g. `tag_list`. */
  readonly attribute: string;
  readonly desired: unknown;
  readonly live: unknown;
}

/**
 * The settings of a `GET /runners/:id` body that differ from the stack's, in
 * table order. Tags compare as sets (GitLab does not keep their order); a
 * missing attribute reads as null.
 */
export function settingDifferences(
  desired: RunnerSettings,
  live: Readonly<Record<string, unknown>>,
): SettingDifference[] {
  const differences: SettingDifference[] = [];
  for (const field of RUNNER_SETTING_FIELDS) {
    const attribute = RUNNER_API_ATTRIBUTES[field];
    const liveValue = live[attribute] ?? null;
    const wanted = desired[field];
    const same =
      field === "tags"
        ? sameTags(desired.tags, liveValue)
        : JSON.stringify(wanted) === JSON.stringify(liveValue);
    if (!same) differences.push({ field, attribute, desired: wanted, live: liveValue });
  }
  return differences;
}

function sameTags(desired: readonly string[], live: unknown): boolean {
  if (!Array.isArray(live)) return false;
  const liveTags = [...new Set(live.map(String))].sort();
  const wanted = [...new Set(desired)].sort();
  return JSON.stringify(liveTags) === JSON.stringify(wanted);
}

/** The settings as they were read back from GitLab, for `pulumi refresh`. */
export function settingsFromApi(
  live: Readonly<Record<string, unknown>>,
  fallback: RunnerSettings,
): RunnerSettings {
  const text = (value: unknown, otherwise: string) =>
    typeof value === "string" ? value : otherwise;
  const bool = (value: unknown, otherwise: boolean) =>
    typeof value === "boolean" ? value : otherwise;
  const tags = live["tag_list"];
  const accessLevel = live["access_level"];
  const timeout = live["maximum_timeout"];
  return {
    description: text(live["description"], fallback.description),
    tags: Array.isArray(tags) ? [...new Set(tags.map(String))].sort() : fallback.tags,
    runUntagged: bool(live["run_untagged"], fallback.runUntagged),
    locked: bool(live["locked"], fallback.locked),
    paused: bool(live["paused"], fallback.paused),
    accessLevel:
      accessLevel === "not_protected" || accessLevel === "ref_protected"
        ? accessLevel
        : fallback.accessLevel,
    maximumTimeout: typeof timeout === "number" ? timeout : null,
  };
}

/** How a scope reads in messages: `instance`, `group platform/build`, `project 17`. */
export function scopeText(scope: RunnerScope): string {
  switch (scope.kind) {
    case "instance":
      return "instance";
    case "group":
      return `group ${scope.group}`;
    case "project":
      return `project ${scope.project}`;
    default: {
      const unknown: never = scope;
      throw new Error(`unknown runner scope ${JSON.stringify(unknown)}`);
    }
  }
}
