/**
 * Images must be pinned: a moving tag (`latest`, `27`, `dind`) changes what runs
 * without any change to the stack, so a deployment is neither reviewable nor
 * repeatable.
 */
import { DEFAULTS } from "../model/defaults.js";
import { quoted } from "./describe-value.js";

const DOCKER_VERSION = /^[0-9]+\.[0-9]+\.[0-9]+$/;
/** GitLab Runner release tags: `v19.3.0`, `alpine-v19.3.0`, `alpine3.21-v19.3.0`, `ubuntu-v19.3.0`. */
const RUNNER_RELEASE_TAG = /^(?:(?:alpine[0-9.]*|ubuntu)-)?v[0-9]+\.[0-9]+\.[0-9]+$/;
const DIGEST = /^sha256:[0-9a-f]{64}$/;
const RUNNER_REPOSITORY = "gitlab-runner";
/** Registry, path, tag and digest characters; no scheme, no spaces. */
const IMAGE_REFERENCE = /^[a-z0-9][A-Za-z0-9._/:@-]*$/;

/** A Docker image reference split into `[registry/]path`, tag and digest. */
interface ImageReference {
  readonly repository: string;
  readonly tag?: string;
  readonly digest?: string;
}

function splitImageReference(text: string): ImageReference {
  const [nameAndTag = "", digest] = text.split("@", 2);
  const lastSlash = nameAndTag.lastIndexOf("/");
  const colon = nameAndTag.indexOf(":", lastSlash + 1);
  if (colon < 0) return { repository: nameAndTag, digest };
  return { repository: nameAndTag.slice(0, colon), tag: nameAndTag.slice(colon + 1), digest };
}

/** What is wrong with the runner manager image, or undefined. */
export function runnerImageProblem(text: string): string | undefined {
  const expected = `expected a pinned GitLab Runner image such as ${DEFAULTS.runnerImage} (tag v<x.y.z> or alpine-v<x.y.z>, or an @sha256: digest), found ${quoted(text)}`;
  const image = splitImageReference(text);
  if (image.repository.split("/").at(-1) !== RUNNER_REPOSITORY) {
    return `${expected}; the repository must be gitlab-runner (optionally under a registry or mirror path)`;
  }
  if (image.digest !== undefined) {
    return DIGEST.test(image.digest)
      ? undefined
      : `${expected}; the digest is not sha256:<64 hex digits>`;
  }
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

/** What is wrong with a job image reference, or undefined. Job images may float; the user decides. */
export function imageReferenceProblem(text: string): string | undefined {
  if (IMAGE_REFERENCE.test(text) && !text.includes("://")) return undefined;
  return `expected an image reference such as docker:${DEFAULTS.dind.dockerVersion}-cli, found ${quoted(text)}`;
}
