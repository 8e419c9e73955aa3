/**
 * Images must be pinned: a moving tag (`latest`, `27`, `dind`) changes what runs
 * without any change to the stack, so a deployment is neither reviewable nor
 * repeatable.
 */
import { DEFAULTS } from "../../model/defaults.js";
import { quoted } from "../messages/describe-value.js";
import { parseImageReference } from "./image-reference.js";

const DOCKER_VERSION = /^[0-9]+\.[0-9]+\.[0-9]+$/;
/** GitLab Runner release tags: `v19.3.0`, `alpine-v19.3.0`, `alpine3.21-v19.3.0`, `ubuntu-v19.3.0`. */
const RUNNER_RELEASE_TAG = /^(?:(?:alpine[0-9.]*|ubuntu)-)?v([0-9]+)\.([0-9]+)\.([0-9]+)$/;
const RUNNER_REPOSITORY = "gitlab-runner";

/**
 * The oldest GitLab Runner that reads every key the rendered config.toml relies
 * on. config.toml is decoded with BurntSushi/toml, which ignores unknown keys, so
 * an older runner starts and silently drops them (first releases, gitlab-runner
 * `common/config.go`): `automount_service_account_token` 16.10 (job pods would get
 * a ServiceAccount token), the wait for the dind service's HEALTHCHECK_TCP_PORT on
 * Kubernetes 16.9 (`executors/kubernetes/kubernetes.go` `waitForServices`: jobs
 * would start before dind listens), `services_privileged` 15.10 (dind would run
 * unprivileged and fail).
 */
export const MINIMUM_RUNNER_VERSION = [16, 10, 0] as const;
const MINIMUM_RUNNER_TEXT = MINIMUM_RUNNER_VERSION.join(".");

/** What is wrong with the runner manager image, or undefined. */
export function runnerImageProblem(text: string): string | undefined {
  const expected = `expected a pinned GitLab Runner image such as ${DEFAULTS.runnerImage} (tag v<x.y.z> or alpine-v<x.y.z>, or an @sha256: digest), found ${quoted(text)}`;
  const parsed = parseImageReference(text);
  if (!parsed.ok) return `${expected}; ${parsed.reason}`;
  const image = parsed.reference;
  if (image.path.split("/").at(-1) !== RUNNER_REPOSITORY) {
    return `${expected}; the repository must be gitlab-runner (optionally under a registry or mirror path)`;
  }
  // A digest pins the image without saying its version; a tag next to it still does.
  if (image.tag === undefined) {
    return image.digest === undefined
      ? `${expected}; without a tag Docker pulls "latest"`
      : undefined;
  }
  const release = RUNNER_RELEASE_TAG.exec(image.tag);
  if (release === null) {
    return image.digest === undefined
      ? `${expected}; the tag ${quoted(image.tag)} is not a release version and moves over time`
      : undefined;
  }
  const version = release.slice(1, 4).map(Number);
  return isOlder(version, MINIMUM_RUNNER_VERSION) ? tooOld(text, version.join(".")) : undefined;
}

/**
 * Whether a valid runner image is a release older than `minimum`; false when its
 * version cannot be told (a digest without a release tag).
 */
export function runnerImageOlderThan(text: string, minimum: readonly number[]): boolean {
  const parsed = parseImageReference(text);
  if (!parsed.ok || parsed.reference.tag === undefined) return false;
  const release = RUNNER_RELEASE_TAG.exec(parsed.reference.tag);
  return release !== null && isOlder(release.slice(1, 4).map(Number), minimum);
}

function isOlder(version: readonly number[], minimum: readonly number[]): boolean {
  for (const [index, part] of minimum.entries()) {
    const own = version[index] ?? 0;
    if (own !== part) return own < part;
  }
  return false;
}

function tooOld(image: string, version: string): string {
  return `expected GitLab Runner ${MINIMUM_RUNNER_TEXT} or later, found ${quoted(image)} (version ${version}); older runners silently ignore config.toml keys this product renders: automount_service_account_token (16.10, so job pods would get a ServiceAccount token), the dind health check HEALTHCHECK_TCP_PORT on Kubernetes (16.9, so jobs would start before dind listens) and services_privileged (15.10, so dind would run unprivileged and fail)`;
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
