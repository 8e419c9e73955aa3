/**
 * The runner manager of a cluster: one pod running `gitlab-runner run` with
 * config.toml from the config Secret. It creates one pod per job in the same
 * namespace through the Kubernetes API (in-cluster, with its ServiceAccount).
 *
 * The pod template holds no config.toml content and no runner setting except
 * the longest job timeout (which bounds how long the pod may take to stop);
 * of the manager settings only the image and the metrics port, which a
 * running process cannot change. A config change updates the Secret only, the
 * kubelet refreshes the mounted file, and GitLab Runner reloads config.toml by
 * itself (it compares the file's modification time every few seconds) without
 * restarting the pod or cancelling running jobs. A digest annotation on the
 * pod template would do the opposite.
 */
import { DEFAULTS, PATHS } from "../model/defaults.js";
import type { Fleet, KubernetesCluster } from "../model/fleet.js";
import { KUBERNETES_NAMES, ROLES } from "../model/names.js";
import type {
  Container,
  DeploymentManifest,
  PodAffinity,
  Volume,
} from "./kubernetes-manifest-types.js";
import { kubernetesLabels, namespacedMeta } from "./kubernetes-object-meta.js";
import { MANAGER_CONFIG_TOML_PATH } from "./manager-config-file.js";

/**
 * The `gitlab-runner` user and group of the Ubuntu-based `gitlab/gitlab-runner`
 * image (created by the package's `useradd --system`; GitLab's Helm chart docs
 * use the same IDs for that image). Other images work too: the runner needs no
 * passwd entry, and fsGroup makes the writable volumes the group's.
 */
export const GITLAB_RUNNER_UID = 999;
export const GITLAB_RUNNER_GID = 999;

/** The runner's home and working directory (jobs run elsewhere: in their own pods). */
export const MANAGER_HOME = "/home/gitlab-runner";

/**
 * Arguments to the image's entrypoint (dumb-init, then `gitlab-runner`). No
 * `--user`: that switches user for the shell executor and needs root.
 */
export const MANAGER_ARGS = [
  "run",
  "--config",
  MANAGER_CONFIG_TOML_PATH,
  "--working-directory",
  MANAGER_HOME,
] as const;

/**
 * GitLab Runner stops gracefully only on SIGQUIT: it requests no new jobs and
 * waits for running ones. SIGTERM, which the kubelet sends, cancels running
 * jobs. So before the kubelet's SIGTERM, this hook sends SIGQUIT to PID 1
 * (dumb-init forwards it to gitlab-runner) and waits until the runner is gone;
 * the pod's termination grace period bounds the wait.
 */
export const GRACEFUL_STOP_COMMAND = [
  "/bin/sh",
  "-c",
  "kill -QUIT 1; while kill -0 1 2>/dev/null; do sleep 1; done",
] as const;

/**
 * Time a job still needs after its timeout: GitLab Runner's default
 * `cleanup_resources_timeout` (5 minutes), the time it allows itself to delete
 * a finished job's pod and secrets.
 */
export const JOB_CLEANUP_SECONDS = 300;

/**
 * Requests only: the manager is a light Go process whose load grows with the
 * number of jobs it follows. No CPU limit (throttling slows every job's log
 * streaming) and no memory limit (an OOM kill would cancel every running job).
 */
export const MANAGER_RESOURCES = { requests: { cpu: "100m", memory: "128Mi" } } as const;

/** Secret files are readable by the owner (root) and fsGroup (the runner) only: config.toml holds tokens. */
export const CONFIG_FILE_MODE = 0o440;

const CONTAINER_NAME = "gitlab-runner";
const CONFIG_VOLUME = "config";
const HOME_VOLUME = "home";
const TMP_VOLUME = "tmp";

/**
 * The label GitLab Runner puts on every job pod it creates, in any namespace,
 * and that no `pod_labels` setting or job variable can remove or change
 * (gitlab-runner executors/kubernetes/kubernetes.go `buildLabels`: keys in the
 * `runner.gitlab.com` namespace are skipped, `runnerLabelNamespacePattern`).
 */
export const JOB_POD_LABEL = "job.runner.gitlab.com/pod";

/**
 * Keeps the manager off every node running a job pod. A job is root on its
 * node through dind (`docker run --privileged -v /:/host`) and could read
 * every pod's mounted Secrets there from the kubelet's directory: the
 * manager's config.toml holds every runner token, and its ServiceAccount may
 * create pods and read secrets in the namespace. Required, not preferred: a
 * preference yields when the cluster is full. The scheduler applies a required
 * anti-affinity both ways, so no job pod is placed on the manager's node
 * either (a job pod that started there before the manager was already there is
 * not evicted: "IgnoredDuringExecution"). Every namespace (`namespaceSelector:
 * {}`): other runners' job pods are as privileged.
 */
export const MANAGER_AVOIDS_JOB_NODES: PodAffinity = {
  podAntiAffinity: {
    requiredDuringSchedulingIgnoredDuringExecution: [
      {
        labelSelector: { matchExpressions: [{ key: JOB_POD_LABEL, operator: "Exists" }] },
        namespaceSelector: {},
        topologyKey: "kubernetes.io/hostname",
      },
    ],
  },
};

/**
 * How long the pod may take to stop: a job that has just started may run up
 * to the longest job timeout of the cluster's runners, then needs cleaning up.
 */
export function managerTerminationGraceSeconds(cluster: KubernetesCluster): number {
  const timeouts = cluster.runners.map((runner) => runner.jobTimeoutSeconds);
  const longestJob = timeouts.length === 0 ? DEFAULTS.jobTimeoutSeconds : Math.max(...timeouts);
  return longestJob + JOB_CLEANUP_SECONDS;
}

/** Name of the manager's metrics container port (the Service and PodMonitor refer to it). */
export const METRICS_PORT_NAME = "metrics";

/** The port of a `host:port` or `:port` listen address (validated by the config loader). */
export function listenPort(listenAddress: string): number {
  const match = /:([0-9]{1,5})$/.exec(listenAddress);
  if (match?.[1] === undefined) {
    throw new Error(`listen address ${JSON.stringify(listenAddress)} has no :port`);
  }
  return Number(match[1]);
}

export function managerDeployment(fleet: Fleet, cluster: KubernetesCluster): DeploymentManifest {
  const labels = kubernetesLabels(fleet, cluster, ROLES.manager);
  const { listenAddress } = cluster.manager;
  const container: Container = {
    name: CONTAINER_NAME,
    image: cluster.manager.runnerImage,
    imagePullPolicy: "IfNotPresent",
    args: [...MANAGER_ARGS],
    ...(listenAddress === undefined
      ? {}
      : {
          ports: [
            { name: METRICS_PORT_NAME, containerPort: listenPort(listenAddress), protocol: "TCP" },
          ],
        }),
    resources: {
      requests: { ...MANAGER_RESOURCES.requests },
    },
    securityContext: {
      allowPrivilegeEscalation: false,
      capabilities: { drop: ["ALL"] },
      readOnlyRootFilesystem: true,
    },
    volumeMounts: [
      // The whole directory, never a subPath: the kubelet updates a mounted
      // Secret directory in place (atomically) but never a subPath file. It is
      // read-only, so the runner cannot persist a .runner_system_id of its own
      // next to config.toml: the Secret carries a stable one instead.
      // `gitlab-runner run` writes config.toml itself only to rotate a token
      // whose `token_expires_at` it knows, a key the rendered file never holds.
      { name: CONFIG_VOLUME, mountPath: PATHS.managerConfigDir, readOnly: true },
      { name: HOME_VOLUME, mountPath: MANAGER_HOME },
      { name: TMP_VOLUME, mountPath: "/tmp" },
    ],
    lifecycle: { preStop: { exec: { command: [...GRACEFUL_STOP_COMMAND] } } },
  };
  const volumes: Volume[] = [
    {
      name: CONFIG_VOLUME,
      secret: { secretName: KUBERNETES_NAMES.configSecret, defaultMode: CONFIG_FILE_MODE },
    },
    { name: HOME_VOLUME, emptyDir: {} },
    { name: TMP_VOLUME, emptyDir: {} },
  ];
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: namespacedMeta(fleet, cluster, KUBERNETES_NAMES.managerDeployment, ROLES.manager),
    spec: {
      // Exactly one manager per cluster: two processes holding the same
      // tokens would both take jobs, each enforcing `concurrent` and `limit`
      // on its own, so the cluster would run up to twice what is configured.
      replicas: 1,
      // Recreate, not RollingUpdate: a rolling update starts the new pod while
      // the old one still runs, i.e. two managers with the same tokens at once.
      strategy: { type: "Recreate" },
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          serviceAccountName: KUBERNETES_NAMES.serviceAccount,
          ...(cluster.managerAvoidsJobNodes ? { affinity: MANAGER_AVOIDS_JOB_NODES } : {}),
          // The runner reaches the Kubernetes API in-cluster with this token.
          automountServiceAccountToken: true,
          securityContext: {
            runAsNonRoot: true,
            runAsUser: GITLAB_RUNNER_UID,
            runAsGroup: GITLAB_RUNNER_GID,
            fsGroup: GITLAB_RUNNER_GID,
            seccompProfile: { type: "RuntimeDefault" },
          },
          terminationGracePeriodSeconds: managerTerminationGraceSeconds(cluster),
          containers: [container],
          volumes,
        },
      },
    },
  };
}
