/**
 * `[runners.kubernetes]` of one runner: each job is a pod in the cluster's
 * namespace whose service container (dind, or rootless BuildKit) builds the
 * job's images.
 */
import { PATHS } from "../model/defaults.js";
import type {
  ContainerResources,
  DindSettings,
  JobPodSettings,
  KubernetesCluster,
  Runner,
} from "../model/fleet.js";
import { buildkitdTomlFileName, daemonJsonFileName, KUBERNETES_NAMES } from "../model/names.js";
import {
  DIND_CERTS_D,
  registryCertificateConfigMapKey,
  registryCertificatePath,
} from "../model/registry-certificates.js";
import { CONTAINER_RESOURCE_KEYS, JOB_POD_KEYS, RUNNER_KEYS } from "./config-toml-keys.js";
import type {
  KubernetesConfigMapToml,
  KubernetesEmptyDirToml,
  KubernetesToml,
} from "./config-toml-model.js";
import {
  BUILDKIT_ROOTLESS_ID,
  BUILDKIT_STATE_DIR,
  buildkitService,
} from "./buildkit-connection.js";
import { BUILDKITD_TOML_PATH } from "./buildkitd-toml.js";
import { DIND_SERVICE_ALIAS, dindImage, dindService } from "./dind-connection.js";
import { kubernetesHostAliases } from "./extra-hosts.js";
import { nodeSelectorLabels, nodeTolerationsToml } from "./job-pod-placement.js";

/** Name of the in-memory volume dind writes its client certificates to and the job reads them from. */
export const DIND_CERTS_VOLUME = "docker-certs";

/** Name of the volume holding BuildKit's state (its cache) in a `buildkit` job pod. */
export const BUILDKIT_STATE_VOLUME = "buildkit-state";

/** Name of the volume holding dind's data root (images, layers, build cache). */
export const DIND_STORAGE_VOLUME = "dind-storage";

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
  const backend = runner.backend;
  switch (backend.kind) {
    case "dind":
      return dindSection(cluster, runner);
    case "buildkit":
      return buildkitSection(cluster, runner, backend);
    // Refused by the config checks (runner-setting-checks.ts): no host engine to bind.
    case "socket":
      throw new Error(`internal: runner ${runner.name} has backend socket on Kubernetes`);
    default: {
      const unexpected: never = backend;
      throw new Error(`unexpected backend ${JSON.stringify(unexpected)}`);
    }
  }
}

/** What every job pod of the cluster gets, whatever the backend. */
function jobPodKeys(
  cluster: KubernetesCluster,
  runner: Runner,
  allowed: string[],
): Pick<
  KubernetesToml,
  | "namespace"
  | "image"
  | "service_account"
  | "automount_service_account_token"
  | "allowed_services"
  | "node_selector"
  | "node_tolerations"
> {
  const jobPods = cluster.jobPods;
  return {
    namespace: cluster.namespace,
    [RUNNER_KEYS.buildImage]: runner.buildImage,
    service_account: JOB_SERVICE_ACCOUNT,
    // Job code needs no Kubernetes API access; GitLab Runner passes this to
    // the job pod spec (executors/kubernetes/kubernetes.go preparePodConfig,
    // AutomountServiceAccountToken).
    automount_service_account_token: false,
    ...resourceKeys(CONTAINER_RESOURCE_KEYS.build, jobPods.build),
    ...resourceKeys(CONTAINER_RESOURCE_KEYS.helper, jobPods.helper),
    ...resourceKeys(CONTAINER_RESOURCE_KEYS.services, jobPods.services),
    [JOB_POD_KEYS.allowedServices]: allowed,
    ...(jobPods.nodeSelector.length > 0
      ? { [JOB_POD_KEYS.nodeSelector]: nodeSelectorLabels(jobPods) }
      : {}),
    ...(jobPods.tolerations.length > 0
      ? { [JOB_POD_KEYS.tolerations]: nodeTolerationsToml(jobPods.tolerations) }
      : {}),
  };
}

function dindSection(cluster: KubernetesCluster, runner: Runner): KubernetesToml {
  const dind = runner.dind;
  const jobPods = cluster.jobPods;
  // host_aliases go into the pod spec, so the dind service container resolves
  // the registries too, like the build container.
  const hostAliases = kubernetesHostAliases(dind);
  return {
    ...jobPodKeys(cluster, runner, allowedServices(dindImage(dind), jobPods)),
    ...kubernetesPrivilege(dind),
    // Kept explicit here: DOCKER_HOST (tcp://docker:...) relies on this alias.
    services: [dindService(dind, DIND_SERVICE_ALIAS)],
    // Runner-level volumes are mounted into every container of the job pod,
    // the dind service included.
    volumes: {
      empty_dir: [
        ...(dind.tls
          ? [
              {
                name: DIND_CERTS_VOLUME,
                mount_path: PATHS.dindClientCertDir,
                medium: "Memory",
              } as const,
            ]
          : []),
        dindStorage(jobPods),
      ],
      config_map: [
        {
          name: KUBERNETES_NAMES.daemonConfigMap,
          mount_path: PATHS.dindDaemonJson,
          sub_path: daemonJsonFileName(runner),
        },
        ...registryCertificatesVolume(runner),
      ],
    },
    ...(hostAliases.length > 0 ? { host_aliases: hostAliases } : {}),
  };
}

/**
 * `buildkit`: the rootless BuildKit service (buildkit-connection.ts) with its
 * security context from BuildKit's Kubernetes examples
 * (examples/kubernetes/pod.rootless.yaml: seccomp and AppArmor `Unconfined`,
 * `runAsUser`/`runAsGroup` 1000), set through
 * `service_container_security_context` (common/config.go
 * `KubernetesContainerSecurityContext`: `run_as_user`, `run_as_group`,
 * `seccomp_profile`, `app_armor_profile`; GitLab Runner 18.11 or later for the
 * profiles), which applies to service containers only, never to the build or
 * helper container (executors/kubernetes/kubernetes.go `preparePodServices`).
 * `privileged = false` is explicit. `allow_privilege_escalation` stays unset:
 * rootlesskit maps its user namespace with the setuid `newuidmap`, which
 * `no_new_privs` would break. BuildKit's state is on an `empty_dir` bounded
 * like dind's storage (`jobPods.dindStorageSizeLimit`); its garbage collector
 * keeps below `buildkitCacheMaxUsedSpace` (buildkitd.toml).
 */
function buildkitSection(
  cluster: KubernetesCluster,
  runner: Runner,
  backend: Extract<Runner["backend"], { readonly kind: "buildkit" }>,
): KubernetesToml {
  const jobPods = cluster.jobPods;
  const hostAliases = kubernetesHostAliases(runner.dind);
  return {
    ...jobPodKeys(cluster, runner, allowedServices(backend.image, jobPods)),
    service_container_security_context: {
      privileged: false,
      run_as_user: BUILDKIT_ROOTLESS_ID,
      run_as_group: BUILDKIT_ROOTLESS_ID,
      seccomp_profile: { type: "Unconfined" },
      app_armor_profile: { type: "Unconfined" },
    },
    services: [buildkitService(backend, "pod-loopback")],
    volumes: {
      empty_dir: [
        {
          name: BUILDKIT_STATE_VOLUME,
          mount_path: BUILDKIT_STATE_DIR,
          size_limit: jobPods.dindStorageSizeLimit,
        },
      ],
      config_map: [
        {
          name: KUBERNETES_NAMES.daemonConfigMap,
          mount_path: BUILDKITD_TOML_PATH,
          sub_path: buildkitdTomlFileName(runner),
        },
        ...registryCertificatesVolume(runner),
      ],
    },
    ...(hostAliases.length > 0 ? { host_aliases: hostAliases } : {}),
  };
}

/** The set requests and limits of one kind of container under its keys; unset ones are absent. */
function resourceKeys(
  keys: { readonly [F in keyof ContainerResources]-?: keyof KubernetesToml },
  resources: ContainerResources,
): Partial<KubernetesToml> {
  const fields = Object.keys(keys) as (keyof ContainerResources)[];
  return Object.fromEntries(
    fields.flatMap((field) => {
      const value = resources[field];
      return value === undefined ? [] : [[keys[field], value]];
    }),
  );
}

/**
 * `allowed_services`: the pinned dind (or BuildKit) image first, then the stack's own
 * additions. The Kubernetes executor has no privileged-service allowlist:
 * `service_container_security_context` makes every service container
 * privileged, whatever its image (kubernetes.go preparePodServices). This list
 * is what keeps a job from running an image of its choice privileged: GitLab
 * Runner checks every service container, the configured dind included,
 * against it and fails the job otherwise (kubernetes.go verifyAllowedImages,
 * common/allowed_images.go VerifyAllowedImage, doublestar globs on the image
 * name as written).
 */
function allowedServices(pinned: string, jobPods: JobPodSettings): string[] {
  return [pinned, ...jobPods.allowedServices.filter((pattern) => pattern !== pinned)];
}

/**
 * dind's `/var/lib/docker` on a volume of its own, on node disk, bounded: the
 * kubelet evicts the job pod when it outgrows `size_limit`. Without it the
 * image's anonymous volume is unbounded node disk, and where the runtime
 * ignores image volumes (CRI-O `image_volumes=ignore`/`mkdir`) it would sit
 * on the container's overlay filesystem, where dockerd's overlay2 cannot run.
 * GitLab Runner mounts runner-level volumes into every container of the pod;
 * only dockerd uses this one.
 */
function dindStorage(jobPods: JobPodSettings): KubernetesEmptyDirToml {
  return {
    name: DIND_STORAGE_VOLUME,
    mount_path: PATHS.dindDataRoot,
    size_limit: jobPods.dindStorageSizeLimit,
  };
}

/**
 * The runner's registry CAs as dind's /etc/docker/certs.d: the cluster's
 * certificate ConfigMap with `items` mapping this runner's keys (no `:`, which
 * ConfigMap keys forbid) to `<host[:port]>/ca.crt` (a path may hold `:`);
 * other runners' keys stay out of the pod (executors/kubernetes/kubernetes.go
 * `getVolumesForConfigMaps` turns `items` into the volume's KeyToPath list).
 */
function registryCertificatesVolume(runner: Runner): KubernetesConfigMapToml[] {
  const certificates = runner.dind.registryCertificates;
  if (certificates.length === 0) return [];
  return [
    {
      name: KUBERNETES_NAMES.registryCertificatesConfigMap,
      mount_path: DIND_CERTS_D,
      read_only: true,
      items: Object.fromEntries(
        certificates.map((certificate) => [
          registryCertificateConfigMapKey(runner, certificate),
          registryCertificatePath(certificate),
        ]),
      ),
    },
  ];
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
