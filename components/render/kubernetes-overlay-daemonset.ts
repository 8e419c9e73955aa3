/**
 * Loads the `overlay` kernel module on every node and persists it across
 * reboots, so the dind services of job pods can use overlay2 (see
 * host-preparation.ts). A DaemonSet, because nodes come and go: every new node
 * is prepared before it matters, without anyone running a script on it.
 *
 * The work happens in a privileged init container that runs the same
 * host-preparation script `npm run render` writes for Docker hosts; the pod
 * then idles in a `pause` container, so the DaemonSet shows one Ready pod per
 * prepared node and the script runs again only when the pod is recreated
 * (node reboot, script or image change).
 */
import { DEFAULTS } from "../model/defaults.js";
import type { Fleet, JobPodSettings, KubernetesCluster } from "../model/fleet.js";
import { KUBERNETES_NAMES, ROLES } from "../model/names.js";
import { dindImage } from "./dind-connection.js";
import {
  HELPER_HOST_ROOT,
  HOST_ROOT_VARIABLE,
  MODULES_LOAD_DIR_VARIABLE,
  prepareHostScript,
} from "./host-preparation.js";
import { nodeSelectorLabels, podTolerations } from "./job-pod-placement.js";
import type { DaemonSetManifest, PodSpec } from "./kubernetes-manifest-types.js";
import { kubernetesLabels, namespacedMeta } from "./kubernetes-object-meta.js";

/** Smallest long-running image there is; it only waits for SIGTERM. */
export const PAUSE_IMAGE = "registry.k8s.io/pause:3.10";

/** User and group of the pause image (`nobody`): the idle container needs no root. */
const PAUSE_UID = 65535;

/** Where the init container sees the node's /etc/modules-load.d. */
export const HOST_MODULES_LOAD_DIR = "/host/etc/modules-load.d";

/**
 * The image holding `sh`, `grep` and `chroot` for the script: the dind image of the
 * cluster's first runner, which every node pulls for jobs anyway. Any runner's
 * would do; the first one keeps the choice stable and independent of sorting.
 */
export function overlayModuleImage(cluster: KubernetesCluster): string {
  const dind = cluster.runners[0]?.dind ?? DEFAULTS.dind;
  return dindImage(dind);
}

export function overlayModuleDaemonSet(
  fleet: Fleet,
  cluster: KubernetesCluster,
): DaemonSetManifest {
  const labels = kubernetesLabels(fleet, cluster, ROLES.overlayModule);
  const requests = { cpu: "10m", memory: "16Mi" };
  return {
    apiVersion: "apps/v1",
    kind: "DaemonSet",
    metadata: namespacedMeta(
      fleet,
      cluster,
      KUBERNETES_NAMES.overlayDaemonSet,
      ROLES.overlayModule,
    ),
    spec: {
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          // Neither container talks to the Kubernetes API.
          automountServiceAccountToken: false,
          ...jobPodPlacement(cluster.jobPods),
          initContainers: [
            {
              name: "prepare-host",
              image: overlayModuleImage(cluster),
              imagePullPolicy: "IfNotPresent",
              // The script inline in the pod spec rather than in a ConfigMap:
              // changing it then changes the pod template, so the DaemonSet
              // rolls and every node runs the new script. An init container
              // runs only at pod start, so a ConfigMap edit would never rerun it.
              command: ["sh", "-c", prepareHostScript()],
              env: [
                { name: MODULES_LOAD_DIR_VARIABLE, value: HOST_MODULES_LOAD_DIR },
                { name: HOST_ROOT_VARIABLE, value: HELPER_HOST_ROOT },
              ],
              resources: { requests },
              // Loading a module into the node's kernel needs CAP_SYS_MODULE on
              // the host, and writing the node's /etc needs root.
              securityContext: { privileged: true, runAsUser: 0 },
              volumeMounts: [
                // The node's root, read-only: only when overlay is missing, the
                // script loads it with the node's own modprobe (chroot).
                { name: "host-root", mountPath: HELPER_HOST_ROOT, readOnly: true },
                { name: "modules-load-d", mountPath: HOST_MODULES_LOAD_DIR },
              ],
            },
          ],
          containers: [
            {
              name: "pause",
              image: PAUSE_IMAGE,
              imagePullPolicy: "IfNotPresent",
              resources: { requests },
              securityContext: {
                allowPrivilegeEscalation: false,
                capabilities: { drop: ["ALL"] },
                readOnlyRootFilesystem: true,
                runAsNonRoot: true,
                runAsUser: PAUSE_UID,
                runAsGroup: PAUSE_UID,
              },
            },
          ],
          volumes: [
            { name: "host-root", hostPath: { path: "/", type: "Directory" } },
            {
              name: "modules-load-d",
              hostPath: { path: "/etc/modules-load.d", type: "DirectoryOrCreate" },
            },
          ],
        },
      },
    },
  };
}

/**
 * The nodes job pods run on are the ones that need the module: the DaemonSet
 * gets the job pods' node selector and tolerations, so it also covers a
 * dedicated, tainted CI node pool (without them it would skip exactly those
 * nodes) and stays off the nodes job pods never use.
 */
function jobPodPlacement(jobPods: JobPodSettings): Pick<PodSpec, "nodeSelector" | "tolerations"> {
  return {
    ...(jobPods.nodeSelector.length > 0 ? { nodeSelector: nodeSelectorLabels(jobPods) } : {}),
    ...(jobPods.tolerations.length > 0 ? { tolerations: podTolerations(jobPods.tolerations) } : {}),
  };
}
