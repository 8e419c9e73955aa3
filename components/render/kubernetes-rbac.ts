/**
 * The manager's identity in the cluster: its ServiceAccount and a Role in the
 * namespace granting what GitLab Runner's Kubernetes executor needs there.
 *
 * The rules follow the permission table of GitLab Runner's Kubernetes executor
 * documentation (docs/executors/kubernetes/_index.md, "Configure runner API
 * permissions", v19.x), keeping what the runner always uses, what it uses with
 * its default settings, and what a job can switch on by itself through CI/CD
 * variables (feature flags, CI_DEBUG_SERVICES, service ports). Left out,
 * because they need config.toml settings this product never writes: namespaces
 * (`namespace_per_job`), apps/deployments and scheduling.k8s.io/priorityclasses
 * (the autoscaler's pause pods), policy/poddisruptionbudgets
 * (`pod_disruption_budget`), and configmaps/persistentvolumeclaims
 * (`FF_SUSPENDABLE_ENVIRONMENTS`, an experiment). Cluster-wide permissions are
 * never needed: a namespaced Role is enough.
 *
 * Job pods never get this account (see JOB_SERVICE_ACCOUNT): it may create
 * pods and read secrets, which no job's code should be able to do.
 */
import type { Fleet, KubernetesCluster } from "../model/fleet.js";
import { KUBERNETES_NAMES, ROLES } from "../model/names.js";
import type {
  PolicyRule,
  RoleBindingManifest,
  RoleManifest,
  ServiceAccountManifest,
} from "./kubernetes-manifest-types.js";
import { namespacedMeta } from "./kubernetes-object-meta.js";

const CORE = "";
const RBAC_API_GROUP = "rbac.authorization.k8s.io";

/** The Role's rules, one per resource, ordered by resource like GitLab's table. */
export const EXECUTOR_RULES: readonly PolicyRule[] = [
  // list: print_pod_warning_events (on by default) prints a failed job pod's
  // warning events into the job log. watch: FF_PRINT_POD_EVENTS, which a job may set.
  { apiGroups: [CORE], resources: ["events"], verbs: ["list", "watch"] },
  // One pod per job, deleted when the job ends. list and watch feed the pod
  // informer (17.9+) that follows job pods (without them the runner falls back
  // to polling and logs a warning on every job); watch also serves the default
  // attach strategy and FF_KUBERNETES_HONOR_ENTRYPOINT.
  {
    apiGroups: [CORE],
    resources: ["pods"],
    verbs: ["create", "delete", "get", "list", "watch"],
  },
  // The attach execution strategy, the default since
  // FF_USE_LEGACY_KUBERNETES_EXECUTION_STRATEGY is false: job scripts are fed
  // to the build container's shell through an attached stream.
  {
    apiGroups: [CORE],
    resources: ["pods/attach"],
    verbs: ["create", "delete", "get", "patch"],
  },
  // Commands the runner runs inside job containers (always required).
  {
    apiGroups: [CORE],
    resources: ["pods/exec"],
    verbs: ["create", "delete", "get", "patch"],
  },
  // Container logs: FF_KUBERNETES_HONOR_ENTRYPOINT, FF_WAIT_FOR_POD_TO_BE_REACHABLE,
  // FF_CONCRETE and CI_DEBUG_SERVICES (service logs in the job log), all of
  // which a job may set through its variables.
  { apiGroups: [CORE], resources: ["pods/log"], verbs: ["get", "list"] },
  // A per-job Secret with the job's registry credentials (image pull secret),
  // updated to be owned by the job pod and deleted with it (always required).
  {
    apiGroups: [CORE],
    resources: ["secrets"],
    verbs: ["create", "delete", "get", "update"],
  },
  // The runner checks that the job pods' service account exists before it
  // creates a pod (always required).
  { apiGroups: [CORE], resources: ["serviceaccounts"], verbs: ["get"] },
  // A ClusterIP Service per job service that declares `ports` in .gitlab-ci.yml
  // (service proxy); a job decides that, so the runner must be able to.
  { apiGroups: [CORE], resources: ["services"], verbs: ["create", "get"] },
];

export function managerServiceAccount(
  fleet: Fleet,
  cluster: KubernetesCluster,
): ServiceAccountManifest {
  return {
    apiVersion: "v1",
    kind: "ServiceAccount",
    metadata: namespacedMeta(fleet, cluster, KUBERNETES_NAMES.serviceAccount, ROLES.rbac),
  };
}

export function executorRole(fleet: Fleet, cluster: KubernetesCluster): RoleManifest {
  return {
    apiVersion: `${RBAC_API_GROUP}/v1`,
    kind: "Role",
    metadata: namespacedMeta(fleet, cluster, KUBERNETES_NAMES.role, ROLES.rbac),
    // Fresh arrays per call: callers may hand them to Pulumi, which types them mutable.
    rules: EXECUTOR_RULES.map((rule) => ({
      apiGroups: [...rule.apiGroups],
      resources: [...rule.resources],
      verbs: [...rule.verbs],
    })),
  };
}

/** Grants the Role to the manager's ServiceAccount, in the same namespace only. */
export function executorRoleBinding(fleet: Fleet, cluster: KubernetesCluster): RoleBindingManifest {
  return {
    apiVersion: `${RBAC_API_GROUP}/v1`,
    kind: "RoleBinding",
    metadata: namespacedMeta(fleet, cluster, KUBERNETES_NAMES.roleBinding, ROLES.rbac),
    roleRef: { apiGroup: RBAC_API_GROUP, kind: "Role", name: KUBERNETES_NAMES.role },
    subjects: [
      {
        kind: "ServiceAccount",
        name: KUBERNETES_NAMES.serviceAccount,
        namespace: cluster.namespace,
      },
    ],
  };
}
