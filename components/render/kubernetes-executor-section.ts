/**
 * `[runners.kubernetes]` of one runner: each job is a pod in the cluster's
 * namespace whose dind service container builds the job's images.
 */
import { PATHS } from "../model/defaults.js";
import type { DindSettings, KubernetesCluster, Runner } from "../model/fleet.js";
import { daemonJsonFileName, KUBERNETES_NAMES } from "../model/names.js";
import { RUNNER_KEYS } from "./config-toml-keys.js";
import type { KubernetesToml } from "./config-toml-model.js";
import { DIND_SERVICE_ALIAS, dindService } from "./dind-connection.js";
import { kubernetesHostAliases } from "./extra-hosts.js";

/** Name of the in-memory volume dind writes its client certificates to and the job reads them from. */
export const DIND_CERTS_VOLUME = "docker-certs";

/**
 * Service account of job pods. Not the manager's account: that one may create
 * pods and read secrets in the namespace, and every job (any project's code)
 * would get its token. The namespace's `default` account exists everywhere and
 * has no RBAC permissions unless someone grants them.
 */
export const JOB_SERVICE_ACCOUNT = "default";

export function kubernetesExecutorSection(
  cluster: KubernetesCluster,
  runner: Runner,
): KubernetesToml {
  const dind = runner.dind;
  // host_aliases go into the pod spec, so the dind service container resolves
  // the registries too, like the build container.
  const hostAliases = kubernetesHostAliases(dind);
  return {
    namespace: cluster.namespace,
    [RUNNER_KEYS.buildImage]: runner.buildImage,
    service_account: JOB_SERVICE_ACCOUNT,
    ...kubernetesPrivilege(dind),
    // Kept explicit here: DOCKER_HOST (tcp://docker:...) relies on this alias.
    services: [dindService(dind, DIND_SERVICE_ALIAS)],
    // Runner-level volumes are mounted into every container of the job pod,
    // the dind service included.
    volumes: {
      ...(dind.tls
        ? {
            empty_dir: [
              { name: DIND_CERTS_VOLUME, mount_path: PATHS.dindClientCertDir, medium: "Memory" },
            ],
          }
        : {}),
      config_map: [
        {
          name: KUBERNETES_NAMES.daemonConfigMap,
          mount_path: PATHS.dindDaemonJson,
          sub_path: daemonJsonFileName(runner),
        },
      ],
    },
    ...(hostAliases.length > 0 ? { host_aliases: hostAliases } : {}),
  };
}

/**
 * services-only: no pod-wide `privileged` key, only the service containers'
 * security context is privileged (GitLab Runner lets a container security
 * context override the pod-wide flag). The Kubernetes executor has no
 * allowlist of privileged service images like Docker's.
 */
function kubernetesPrivilege(
  dind: DindSettings,
): Pick<KubernetesToml, "privileged" | "service_container_security_context"> {
  switch (dind.privilegeMode) {
    case "services-only":
      return { service_container_security_context: { privileged: true } };
    case "all":
      return { privileged: true };
    default: {
      const unexpected: never = dind.privilegeMode;
      throw new Error(`unexpected privilege mode ${String(unexpected)}`);
    }
  }
}
