/**
 * Every file `npm run render` writes for one environment, paths relative to
 * out/<env>/. The same functions produce what `pulumi up` deploys, so the
 * rendered tree is a faithful, reviewable copy of it (secrets redacted).
 */
import {
  fleetTargets,
  type DockerHost,
  type ExecutorVariant,
  type Fleet,
  type KubernetesCluster,
  type ManagerTarget,
} from "../model/fleet.js";
import { daemonJsonFileName, GITLAB_CA_FILE_NAME } from "../model/names.js";
import { registryCertificateFileName } from "../model/registry-certificates.js";
import { ciIncludeSnippet } from "./ci-include.js";
import { compareCodePoints } from "./compare-code-points.js";
import { daemonJson } from "./daemon-json.js";
import { managerConfigToml } from "./config-toml.js";
import { HOST_PREPARATION_DIR, hostPreparationFiles } from "./host-preparation.js";
import { kubernetesManifests } from "./kubernetes-manifests.js";
import { kubernetesManifestsYaml } from "./kubernetes-manifests-yaml.js";
import { CONFIG_TOML_FILE_NAME } from "./manager-config-file.js";
import { unexpectedTarget } from "./manager-target.js";
import { monitoringFiles } from "./monitoring-files.js";
import type { RenderedFile } from "./rendered-file.js";
import type { SecretText } from "./secret-text.js";
import { STACK_DIAGRAM_PATH, stackDiagram } from "./stack-diagram.js";

export const DOCKER_HOSTS_DIR = "docker-hosts";
export const KUBERNETES_CLUSTERS_DIR = "kubernetes-clusters";
/** Directory of each variant's targets in the rendered tree. */
export const TARGET_DIRS = {
  docker: DOCKER_HOSTS_DIR,
  kubernetes: KUBERNETES_CLUSTERS_DIR,
} as const satisfies Record<ExecutorVariant, string>;
export { CONFIG_TOML_FILE_NAME } from "./manager-config-file.js";
export const KUBERNETES_MANIFESTS_FILE_NAME = "manifests.yaml";
export const DAEMON_JSON_DIR = "dind";
/**
 * A Docker host's registry CAs, `<runner>/<host>[_<port>].crt`: deployment
 * writes each to /etc/dind-runners/certs.d/<runner>/<host[:port]>/ca.crt (the
 * rendered tree avoids `:`, which some file systems and tools refuse).
 */
export const REGISTRY_CERTIFICATES_DIR = "registry-certificates";
/** The docker-build component include for the stack's runners (components/render/ci-include.ts). */
export const CI_INCLUDE_PATH = "ci/include.yml";

/** Sorted by path (code points), so the list and any digest of it never depend on input order. */
export function renderFleetFiles(fleet: Fleet, secretText: SecretText): readonly RenderedFile[] {
  const files = [
    ...fleetTargets(fleet).flatMap((target) => renderTargetFiles(fleet, target, secretText)),
    { path: CI_INCLUDE_PATH, content: ciIncludeSnippet(fleet) },
    ...monitoringFiles(fleet),
    { path: STACK_DIAGRAM_PATH, content: stackDiagram(fleet) },
  ];
  return files.sort((a, b) => compareCodePoints(a.path, b.path));
}

/** Directory of one target's files, e.g. `docker-hosts/build-1`. */
export function targetDir(target: ManagerTarget): string {
  return `${TARGET_DIRS[target.variant]}/${target.name}`;
}

/**
 * The files of one Docker host or cluster (all under {@link targetDir}), rendered
 * from that target alone: what its component deploys and digests, and its part
 * of the tree `npm run render` writes.
 */
export function renderTargetFiles(
  fleet: Fleet,
  target: ManagerTarget,
  secretText: SecretText,
): readonly RenderedFile[] {
  switch (target.variant) {
    case "docker":
      return dockerHostFiles(fleet, target, secretText);
    case "kubernetes":
      return kubernetesClusterFiles(fleet, target, secretText);
    default:
      return unexpectedTarget(target);
  }
}

function dockerHostFiles(fleet: Fleet, host: DockerHost, secretText: SecretText): RenderedFile[] {
  const dir = targetDir(host);
  return [
    {
      path: `${dir}/${CONFIG_TOML_FILE_NAME}`,
      content: managerConfigToml(fleet, host, secretText),
    },
    ...host.runners.map((runner) => ({
      path: `${dir}/${DAEMON_JSON_DIR}/${daemonJsonFileName(runner)}`,
      content: daemonJson(runner.dind),
    })),
    ...(fleet.gitlab.caCertificate === undefined
      ? []
      : [{ path: `${dir}/${GITLAB_CA_FILE_NAME}`, content: fleet.gitlab.caCertificate }]),
    ...host.runners.flatMap((runner) =>
      runner.dind.registryCertificates.map((certificate) => ({
        path: `${dir}/${REGISTRY_CERTIFICATES_DIR}/${runner.name}/${registryCertificateFileName(certificate)}`,
        content: certificate.caCertificate,
      })),
    ),
    ...(host.manageOverlayModule
      ? hostPreparationFiles().map((file) => ({
          path: `${dir}/${HOST_PREPARATION_DIR}/${file.path}`,
          content: file.content,
        }))
      : []),
  ];
}

function kubernetesClusterFiles(
  fleet: Fleet,
  cluster: KubernetesCluster,
  secretText: SecretText,
): RenderedFile[] {
  const dir = targetDir(cluster);
  const configToml = managerConfigToml(fleet, cluster, secretText);
  return [
    { path: `${dir}/${CONFIG_TOML_FILE_NAME}`, content: configToml },
    ...cluster.runners.map((runner) => ({
      path: `${dir}/${DAEMON_JSON_DIR}/${daemonJsonFileName(runner)}`,
      content: daemonJson(runner.dind),
    })),
    // The objects `pulumi up` creates; the config Secret holds the same
    // config.toml text as the file above.
    {
      path: `${dir}/${KUBERNETES_MANIFESTS_FILE_NAME}`,
      content: kubernetesManifestsYaml(kubernetesManifests(fleet, cluster, configToml)),
    },
  ];
}
