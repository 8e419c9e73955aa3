/**
 * Limits GitLab enforces on the runner settings `pulumi up` sends it. A value
 * beyond one is refused by the REST API only when its runner is created or
 * updated, after earlier runners of the same `pulumi up` already changed, so the
 * stack checks (components/config) and the GitLabRunner resource
 * (components/gitlab) both refuse it first, with these numbers. Plain data, no
 * Pulumi imports.
 *
 * GitLab counts length with Ruby's `String#length` (ActiveModel's length
 * validator), i.e. in characters (Unicode code points), not bytes or UTF-16
 * units: {@link gitlabLength} counts the same way.
 */

/**
 * Characters in a runner's description: gitlabhq `app/models/ci/runner.rb`
 * `validates :description, length: { maximum: 1024 }`.
 */
export const RUNNER_DESCRIPTION_MAX_LENGTH = 1024;

/**
 * Tags of one runner: gitlabhq `app/models/ci/runner.rb` `TAG_LIST_MAX_LENGTH = 50`,
 * checked in `tag_constraints` ("Too many tags specified. Please limit the number
 * of tags to 50").
 */
export const RUNNER_TAGS_MAX_COUNT = 50;

/**
 * Tags of one CI job: gitlabhq `lib/gitlab/ci/config/entry/tags.rb`
 * (`Entry::Tags`, `TAGS_LIMIT = 50`, refused when `config.size >= TAGS_LIMIT`: "must be
 * less than the limit of 50 tags"), so a job has at most 49. The CI include gives a
 * job all of its runner's tags, so a stack runner has at most this many.
 */
export const CI_JOB_TAGS_MAX_COUNT = 49;

/**
 * Characters in one tag name: gitlabhq `app/models/ci/tag.rb`
 * `validates :name, length: { maximum: 255 }`.
 */
export const RUNNER_TAG_MAX_LENGTH = 255;

/** Length of `text` as GitLab (Ruby) counts it: Unicode code points. */
export function gitlabLength(text: string): number {
  return [...text].length;
}
