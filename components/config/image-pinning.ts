/**
 * Images must be pinned: a moving tag (`latest`, `27`, `dind`) changes what runs
 * without any change to the stack, so a deployment is neither reviewable nor
 * repeatable.
 */
import { DEFAULTS } from "../model/defaults.js";
import { quoted } from "./describe-value.js";
import { parseImageReference } from "./image-reference.js";

const DOCKER_VERSION = /^[0-9]+\.[0-9]+\.[0-9]+$/;
/** GitLab Runner release tags: `v19.3.0`, `alpine-v19.3.0`, `alpine3.21-v19.3.0`, `ubuntu-v19.3.0`. */
const RUNNER_RELEASE_TAG = /^(?:(?:alpine[0-9.]*|ubuntu)-)?v[0-9]+\.[0-9]+\.[0-9]+$/;
const RUNNER_REPOSITORY = "gitlab-runner";

/** What is wrong with the runner manager image, or undefined. */
export function runnerImageProblem(text: string): string | undefined {
  const expected = `expected a pinned GitLab Runner image such as ${DEFAULTS.runnerImage} (tag v<x.y.z> or alpine-v<x.y.z>, or an @sha256: digest), found ${quoted(text)}`;
  const parsed = parseImageReference(text);
  if (!parsed.ok) return `${expected}; ${parsed.reason}`;
  const image = parsed.reference;
  if (image.path.split("/").at(-1) !== RUNNER_REPOSITORY) {
    return `${expected}; the repository must be gitlab-runner (optionally under a registry or mirror path)`;
  }
  if (image.digest !== undefined) return undefined;
  if (image.tag === undefined) return `${expected}; without a tag Docker pulls "latest"`;
  if (!RUNNER_RELEASE_TAG.test(image.tag)) {
    return `${expected}; the tag ${quoted(image.tag)} is not a release version and moves over time`;
  }
  return undefined;
}

/** What is wrong with a Docker version (of `docker:<v>-dind` and `docker:<v>-cli`), or undefined. */
export function dockerVersionProblem(text: string): string | undefined {
  if (DOCKER_VERSION.test(text)) return undefined;
  const expected = `expected a pinned Docker version x.y.z such as ${DEFAULTS.dind.dockerVersion}, found ${quoted(text)}`;
  return `${expected}; ${dockerVersionHint(text)}`;
}

function dockerVersionHint(text: string): string {
  if (/^v[0-9]+\.[0-9]+\.[0-9]+$/.test(text)) return `write it without the leading "v"`;
  if (/-(dind|cli)/.test(text)) {
    return `give the version only: "-dind" and "-cli" are added to make the image tags`;
  }
  if (/^[0-9]+(\.[0-9]+)?$/.test(text)) {
    return "a partial version moves with every Docker release; pin all three numbers";
  }
  return "a tag like this moves with every Docker release; pin a version";
}

/**
 * What is wrong with an image reference, or undefined: Docker's reference grammar
 * (image-reference.ts). Job images may float; the user decides.
 */
export function imageReferenceProblem(text: string): string | undefined {
  const parsed = parseImageReference(text);
  if (parsed.ok) return undefined;
  return `expected an image reference such as docker:${DEFAULTS.dind.dockerVersion}-cli ([registry[:port]/]path[:tag][@digest], the path in lowercase), found ${quoted(text)}; ${parsed.reason}`;
}
