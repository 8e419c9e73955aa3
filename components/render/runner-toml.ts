/**
 * One `[[runners]]` entry. The executor section follows from the manager
 * target: runners of a Docker host use the docker executor, runners of a
 * cluster the kubernetes executor.
 */
import { PATHS } from "../model/defaults.js";
import type { Fleet, ManagerTarget, Runner } from "../model/fleet.js";
import { GITLAB_CA_FILE_NAME } from "../model/names.js";
import { cacheSection } from "./cache-section.js";
import { GITLAB_KEYS, RUNNER_KEYS } from "./config-toml-keys.js";
import type { RunnerToml } from "./config-toml-model.js";
import { dindJobEnvironment } from "./dind-connection.js";
import { dockerExecutorSection } from "./docker-executor-section.js";
import { dockerFeatureFlags } from "./docker-job-network.js";
import { kubernetesExecutorSection } from "./kubernetes-executor-section.js";
import { unexpectedTarget } from "./manager-target.js";
import type { SecretText } from "./secret-text.js";

/** Where the manager finds the GitLab CA: next to config.toml in its config directory. */
export const GITLAB_CA_PATH = `${PATHS.managerConfigDir}/${GITLAB_CA_FILE_NAME}`;

export function runnerToml(
  fleet: Fleet,
  target: ManagerTarget,
  runner: Runner,
  secretText: SecretText,
): RunnerToml {
  const identity = {
    [RUNNER_KEYS.name]: runner.name,
    [GITLAB_KEYS.url]: fleet.gitlab.url,
    [RUNNER_KEYS.token]: secretText(runner.token),
    ...(fleet.gitlab.caCertificate === undefined
      ? {}
      : { [GITLAB_KEYS.caCertificate]: GITLAB_CA_PATH }),
  };
  const scheduling = {
    // GitLab Runner reads an absent limit as 0 (no limit); writing 0 would only add noise.
    ...(runner.limit === 0 ? {} : { [RUNNER_KEYS.limit]: runner.limit }),
    [RUNNER_KEYS.requestConcurrency]: runner.requestConcurrency,
    environment: dindJobEnvironment(runner.dind),
  };
  const cache = cacheSection(runner.cache, secretText);
  switch (target.variant) {
    case "docker":
      return {
        ...identity,
        executor: "docker",
        ...scheduling,
        ...dockerFeatureFlags(runner.dind),
        ...cache,
        docker: dockerExecutorSection(target, runner),
      };
    case "kubernetes":
      return {
        ...identity,
        executor: "kubernetes",
        ...scheduling,
        ...cache,
        kubernetes: kubernetesExecutorSection(target, runner),
      };
    default:
      return unexpectedTarget(target);
  }
}
