/**
 * Limits GitLab puts on a runner's fields, checked before anything is sent so
 * that a runner GitLab would refuse never gets half-way. Pure constants, shared
 * by the stack checks and the GitLabRunner resource. GitLab counts characters
 * (Ruby `String#length`: code points), not UTF-16 units or bytes.
 */

/** app/models/ci/runner.rb (`Ci::Runner`): `validates :description, length: { maximum: 1024 }`. */
export const GITLAB_RUNNER_DESCRIPTION_MAX = 1024;

/**
 * app/models/ci/runner.rb (`Ci::Runner::TAG_LIST_MAX_LENGTH = 50`, checked in
 * `tag_constraints`: "Too many tags specified. Please limit the number of tags to 50").
 */
export const GITLAB_RUNNER_TAGS_MAX = 50;

/** app/models/ci/tag.rb (`Ci::Tag`): `validates :name, length: { maximum: 255 }`. */
export const GITLAB_TAG_NAME_MAX = 255;
