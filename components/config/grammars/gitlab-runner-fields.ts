/**
 * A runner's tags and description as GitLab keeps them. Values GitLab would
 * refuse are refused in the stack, so `pulumi up` never stops halfway through the
 * fleet at the REST API (limits: model/gitlab-limits.ts).
 */
import {
  gitlabLength,
  RUNNER_DESCRIPTION_MAX_LENGTH,
  RUNNER_TAG_MAX_LENGTH,
  CI_JOB_TAGS_MAX_COUNT,
} from "../../model/gitlab-limits.js";
import { expectedFound, quoted } from "../messages/describe-value.js";

/** What is wrong with a runner tag, or undefined. GitLab splits tag lists on commas. */
export function tagProblem(text: string): string | undefined {
  if (text === "" || text.trim() !== text || text.includes(",")) {
    return `expected a tag without commas or surrounding spaces, found ${quoted(text)}`;
  }
  const length = gitlabLength(text);
  if (length > RUNNER_TAG_MAX_LENGTH) {
    return `expected a tag of at most ${RUNNER_TAG_MAX_LENGTH} characters, found ${quoted(text)} (${length} characters); GitLab keeps no longer tag name (Ci::Tag), so no runner can have it`;
  }
  return undefined;
}

/**
 * What is wrong with the number of a runner's tags, or undefined. Duplicates
 * count once: they are one tag in GitLab. The limit is the CI job's (49), one
 * below the runner's (50): the CI include gives a job every tag of its runner,
 * and GitLab refuses a pipeline whose job has 50.
 */
export function tagCountProblem(tags: readonly string[]): string | undefined {
  const count = new Set(tags).size;
  if (count <= CI_JOB_TAGS_MAX_COUNT) return undefined;
  return `expected at most ${CI_JOB_TAGS_MAX_COUNT} tags, found ${count} different tags; the CI include gives a job all of its runner's tags and GitLab refuses a job with 50 or more (Ci::Config::Entry::Tags), beyond the 50 a runner may have (Ci::Runner)`;
}

/**
 * What is wrong with a managed runner's description, or undefined. The default,
 * `<name> (dind-runners <stack>)`, stays far below the limit: a name has at most
 * 63 characters and Pulumi refuses stack names above 100 (pulumi
 * `pkg/backend/diy` `ParseReference`).
 */
export function descriptionProblem(text: string): string | undefined {
  const expected = "a one-line description";
  if (text.trim() === "" || /[\r\n]/.test(text)) return expectedFound(expected, text);
  const length = gitlabLength(text);
  if (length > RUNNER_DESCRIPTION_MAX_LENGTH) {
    return `expected ${expected} of at most ${RUNNER_DESCRIPTION_MAX_LENGTH} characters, found ${quoted(text)} (${length} characters); GitLab refuses a longer description (Ci::Runner), so pulumi up would stop at this runner after changing the runners before it`;
  }
  return undefined;
}
