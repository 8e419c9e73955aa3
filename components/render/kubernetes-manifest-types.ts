/**
 * The Kubernetes objects this product deploys to a cluster, as plain data.
 *
 * Property names ARE the Kubernetes API's field names, so one object is both a
 * YAML document of `npm run render` and the arguments of the matching typed
 * resource of @pulumi/kubernetes. Only the fields we set are modelled.
 *
 * Arrays are mutable on purpose: @pulumi/kubernetes types its inputs with
 * mutable arrays, and a readonly array is not assignable to them. Every call
 * of the builders returns fresh objects, so no caller shares an array.
 */
import type { IPodMonitor } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PodMonitor";
import type { IPrometheusRule } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule";
import type { GITLAB_CA_FILE_NAME } from "../model/names.js";
import type { CONFIG_TOML_FILE_NAME } from "./manager-config-file.js";
import type { RUNNER_SYSTEM_ID_FILE_NAME } from "./runner-system-id.js";

export interface ObjectMeta {
  readonly name: string;
  /** Absent only on cluster-scoped objects (the Namespace). */
  readonly namespace?: string;
  readonly labels: Readonly<Record<string, string>>;
}

export interface NamespaceManifest {
  readonly apiVersion: "v1";
  readonly kind: "Namespace";
  readonly metadata: ObjectMeta;
}

export interface ServiceAccountManifest {
  readonly apiVersion: "v1";
  readonly kind: "ServiceAccount";
  readonly metadata: ObjectMeta;
}

export interface PolicyRule {
  /** `""` is the core API group. */
  readonly apiGroups: string[];
  readonly resources: string[];
  readonly verbs: string[];
}

export interface RoleManifest {
  readonly apiVersion: "rbac.authorization.k8s.io/v1";
  readonly kind: "Role";
  readonly metadata: ObjectMeta;
  readonly rules: PolicyRule[];
}

export interface RoleBindingManifest {
  readonly apiVersion: "rbac.authorization.k8s.io/v1";
  readonly kind: "RoleBinding";
  readonly metadata: ObjectMeta;
  readonly roleRef: {
    readonly apiGroup: "rbac.authorization.k8s.io";
    readonly kind: "Role";
    readonly name: string;
  };
  readonly subjects: {
    readonly kind: "ServiceAccount";
    readonly name: string;
    readonly namespace: string;
  }[];
}

/** Files of the manager's config directory: config.toml, the GitLab CA when set, and the runner system ID. */
export type ManagerConfigFiles<T> = { readonly [CONFIG_TOML_FILE_NAME]: T } & {
  readonly [GITLAB_CA_FILE_NAME]?: string;
} & { readonly [RUNNER_SYSTEM_ID_FILE_NAME]: string };

/** The Secret holding config.toml; `T` is its text (a string in render, a secret Output in Pulumi). */
export interface ConfigSecretManifest<T> {
  readonly apiVersion: "v1";
  readonly kind: "Secret";
  readonly metadata: ObjectMeta;
  readonly type: "Opaque";
  readonly stringData: ManagerConfigFiles<T>;
}

export interface ConfigMapManifest {
  readonly apiVersion: "v1";
  readonly kind: "ConfigMap";
  readonly metadata: ObjectMeta;
  readonly data: Readonly<Record<string, string>>;
}

export interface SecurityContext {
  readonly privileged?: boolean;
  readonly allowPrivilegeEscalation?: boolean;
  readonly capabilities?: { readonly drop: string[] };
  readonly readOnlyRootFilesystem?: boolean;
  readonly runAsNonRoot?: boolean;
  readonly runAsUser?: number;
  readonly runAsGroup?: number;
}

export interface PodSecurityContext {
  readonly runAsNonRoot: boolean;
  readonly runAsUser: number;
  readonly runAsGroup: number;
  readonly fsGroup?: number;
  readonly seccompProfile: { readonly type: "RuntimeDefault" };
}

export interface VolumeMount {
  readonly name: string;
  readonly mountPath: string;
  readonly readOnly?: boolean;
}

export interface Volume {
  readonly name: string;
  readonly secret?: { readonly secretName: string; readonly defaultMode: number };
  readonly emptyDir?: Record<string, never>;
  readonly hostPath?: {
    readonly path: string;
    readonly type: "Directory" | "DirectoryOrCreate";
  };
}

export interface Container {
  readonly name: string;
  readonly image: string;
  readonly imagePullPolicy: "IfNotPresent";
  readonly command?: string[];
  readonly args?: string[];
  readonly env?: { readonly name: string; readonly value: string }[];
  readonly ports?: {
    readonly name: string;
    readonly containerPort: number;
    readonly protocol: "TCP";
  }[];
  readonly resources: {
    readonly requests: { readonly cpu: string; readonly memory: string };
  };
  readonly securityContext: SecurityContext;
  readonly volumeMounts?: VolumeMount[];
  readonly lifecycle?: { readonly preStop: { readonly exec: { readonly command: string[] } } };
}

/** A pod's toleration of a node taint. */
export interface PodToleration {
  readonly key: string;
  readonly operator: "Equal" | "Exists";
  readonly value?: string;
  readonly effect?: "NoSchedule" | "PreferNoSchedule" | "NoExecute";
}

/** A pod anti-affinity term on pods carrying a label, whatever its value. */
export interface PodAffinityTerm {
  readonly labelSelector: {
    readonly matchExpressions: { readonly key: string; readonly operator: "Exists" }[];
  };
  /** `{}`: pods of every namespace. */
  readonly namespaceSelector: Readonly<Record<string, never>>;
  readonly topologyKey: string;
}

export interface PodAffinity {
  readonly podAntiAffinity: {
    readonly requiredDuringSchedulingIgnoredDuringExecution: PodAffinityTerm[];
  };
}

export interface PodSpec {
  readonly serviceAccountName?: string;
  readonly automountServiceAccountToken: boolean;
  readonly nodeSelector?: Readonly<Record<string, string>>;
  readonly affinity?: PodAffinity;
  readonly tolerations?: PodToleration[];
  readonly securityContext?: PodSecurityContext;
  readonly terminationGracePeriodSeconds?: number;
  readonly initContainers?: Container[];
  readonly containers: Container[];
  readonly volumes: Volume[];
}

export interface PodTemplate {
  readonly metadata: { readonly labels: Readonly<Record<string, string>> };
  readonly spec: PodSpec;
}

export interface DeploymentManifest {
  readonly apiVersion: "apps/v1";
  readonly kind: "Deployment";
  readonly metadata: ObjectMeta;
  readonly spec: {
    readonly replicas: number;
    readonly strategy: { readonly type: "Recreate" };
    readonly selector: { readonly matchLabels: Readonly<Record<string, string>> };
    readonly template: PodTemplate;
  };
}

export interface DaemonSetManifest {
  readonly apiVersion: "apps/v1";
  readonly kind: "DaemonSet";
  readonly metadata: ObjectMeta;
  readonly spec: {
    readonly selector: { readonly matchLabels: Readonly<Record<string, string>> };
    readonly template: PodTemplate;
  };
}

/** A ClusterIP Service in front of the manager's `metrics` port. */
export interface ServiceManifest {
  readonly apiVersion: "v1";
  readonly kind: "Service";
  readonly metadata: ObjectMeta;
  readonly spec: {
    readonly type: "ClusterIP";
    readonly selector: Readonly<Record<string, string>>;
    readonly ports: { name: string; port: number; targetPort: string; protocol: "TCP" }[];
  };
}

/**
 * Prometheus Operator objects, typed by the operator's own CRD models
 * (@kubernetes-models/prometheus-operator, generated from its CRDs), with
 * the metadata every object of ours carries.
 */
export type PodMonitorManifest = IPodMonitor & { readonly metadata: ObjectMeta };
export type PrometheusRuleManifest = IPrometheusRule & { readonly metadata: ObjectMeta };

/** One object of a cluster; `kind` tells which. `T` is the config.toml text of the Secret. */
export type KubernetesManifest<T> =
  | NamespaceManifest
  | ServiceAccountManifest
  | RoleManifest
  | RoleBindingManifest
  | ConfigSecretManifest<T>
  | ConfigMapManifest
  | DeploymentManifest
  | DaemonSetManifest
  | ServiceManifest
  | PodMonitorManifest
  | PrometheusRuleManifest;

export type KubernetesKind = KubernetesManifest<unknown>["kind"];
