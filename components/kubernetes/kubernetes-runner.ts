/**
 * Deploys one Kubernetes cluster of the fleet: the objects of
 * {@link kubernetesManifests}, each as a typed resource of @pulumi/kubernetes,
 * through a provider bound to the cluster's kubeconfig context.
 *
 * config.toml is rendered with the real runner tokens inside an Output that is
 * a Pulumi secret from end to end; every plain output is computed from the
 * redacted rendering.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { Fleet, KubernetesCluster } from "../model/fleet.js";
import { KUBERNETES_NAMES } from "../model/names.js";
import { managerTerminationGraceSeconds } from "../render/kubernetes-manager-deployment.js";
import type { KubernetesKind } from "../render/kubernetes-manifest-types.js";
import { kubernetesManifests, type KubernetesManifest } from "../render/kubernetes-manifests.js";
import { targetConfigDigest } from "../render/target-config-digest.js";
import { requireCacheSecrets, requireTokens } from "../render/runner-tokens.js";
import { secretConfigToml } from "./secret-config-toml.js";

export interface KubernetesRunnerArgs {
  /** The resolved fleet the cluster belongs to (GitLab URL and CA, environment); required. */
  readonly fleet: Fleet;
  /** The cluster to deploy, one of `fleet.kubernetesClusters`; required. */
  readonly cluster: KubernetesCluster;
  /** Runner tokens keyed by their config path (`kubernetesClusters[0].runners[1].token`), as secrets; required, one per runner. */
  readonly tokens: Readonly<Record<string, pulumi.Input<string>>>;
}

/**
 * The role part of a child's name, per kind of object: with the object's own
 * name it names the child (see {@link childName}).
 */
const KIND_ROLES = {
  Namespace: "namespace",
  ServiceAccount: "service-account",
  Role: "role",
  RoleBinding: "role-binding",
  Secret: "secret",
  ConfigMap: "configmap",
  Deployment: "deployment",
  DaemonSet: "daemonset",
  Service: "service",
  PodMonitor: "podmonitor",
  PrometheusRule: "prometheusrule",
} as const satisfies Record<KubernetesKind, string>;

/**
 * Names of the children before they were named after their object, when
 * there was one object per kind: `<component>-<suffix>`. Each object that held
 * such a name gets it as an alias, so existing stacks rename it in place
 * instead of deleting and recreating it (a new Namespace would take every
 * object in it along). The registry CA ConfigMap never had a name of its own:
 * it collided with the daemon config one, and Pulumi refused the stack; nor
 * did the kinds added since (the metrics Service and the Prometheus Operator
 * objects).
 */
const LEGACY_SUFFIXES: Readonly<
  Partial<Record<KubernetesKind, { suffix: string; object?: string }>>
> = {
  Namespace: { suffix: "namespace" },
  ServiceAccount: { suffix: "service-account" },
  Role: { suffix: "role" },
  RoleBinding: { suffix: "role-binding" },
  Secret: { suffix: "config" },
  ConfigMap: { suffix: "daemon-config", object: KUBERNETES_NAMES.daemonConfigMap },
  Deployment: { suffix: "manager" },
  DaemonSet: { suffix: "overlay-module" },
};

/**
 * Pulumi name of the child declaring one object: the component's name, the
 * kind's role and the object's name. Pulumi refuses two resources with the
 * same URN (type, name and parent; pulumi/pulumi step_generator.go
 * generateURN), and Kubernetes two objects of one kind with the same name in
 * one namespace, so objects the API server accepts never collide here.
 */
export function childName(
  component: string,
  manifest: { kind: KubernetesKind; metadata: { name: string } },
): string {
  return `${component}-${KIND_ROLES[manifest.kind]}-${manifest.metadata.name}`;
}

/** The child's name before {@link childName}, for objects that had one; see {@link LEGACY_SUFFIXES}. */
export function legacyChildName(
  component: string,
  manifest: { kind: KubernetesKind; metadata: { name: string } },
): string | undefined {
  const legacy = LEGACY_SUFFIXES[manifest.kind];
  if (legacy === undefined) return undefined;
  if (legacy.object !== undefined && legacy.object !== manifest.metadata.name) return undefined;
  return `${component}-${legacy.suffix}`;
}

/** The options naming a child: its former name as an alias, where it had one. */
function renamed(
  component: string,
  manifest: { kind: KubernetesKind; metadata: { name: string } },
): pulumi.CustomResourceOptions {
  const legacy = legacyChildName(component, manifest);
  return legacy === undefined ? {} : { aliases: [{ name: legacy }] };
}

export class KubernetesRunner extends pulumi.ComponentResource {
  /** The namespace of the manager and the job pods. */
  public readonly namespace: pulumi.Output<string>;
  /** Name of the manager Deployment. */
  public readonly deploymentName: pulumi.Output<string>;
  /** sha256 of this cluster's rendered files with secrets redacted: changes whenever what is deployed changes. */
  public readonly configDigest: pulumi.Output<string>;

  constructor(name: string, args: KubernetesRunnerArgs, opts?: pulumi.ComponentResourceOptions) {
    super("dind-runners:kubernetes:KubernetesRunner", name, {}, opts);
    const { fleet, cluster, tokens } = args;

    // Checked before anything is created, so a missing token deploys nothing.
    requireTokens(`kubernetes cluster ${cluster.name}`, cluster, tokens);
    requireCacheSecrets(`kubernetes cluster ${cluster.name}`, cluster, tokens);

    // Mutable Secrets and ConfigMaps: a config change is then an in-place
    // update the kubelet propagates to the mounted files, instead of the
    // provider's default delete-and-recreate under the same name.
    const provider = new k8s.Provider(
      `${name}-provider`,
      { context: cluster.context, enableSecretMutable: true, enableConfigMapMutable: true },
      { parent: this },
    );

    const configToml = secretConfigToml(fleet, cluster, tokens);

    const [namespaceManifest, ...namespaced] = kubernetesManifests(fleet, cluster, configToml);
    if (namespaceManifest?.kind !== "Namespace") {
      throw new Error("kubernetesManifests must list the Namespace first");
    }
    const namespace = new k8s.core.v1.Namespace(
      childName(name, namespaceManifest),
      namespaceManifest,
      {
        parent: this,
        provider,
        ...renamed(name, namespaceManifest),
      },
    );

    // Everything else lives in the namespace. The manager waits for its
    // identity, permissions and configuration, so its first pod starts with
    // all of them; it is created last among them (manifest order).
    const created: pulumi.CustomResource[] = [];
    let deployment: k8s.apps.v1.Deployment | undefined;
    for (const manifest of namespaced) {
      const options: pulumi.CustomResourceOptions =
        manifest.kind === "Deployment"
          ? {
              parent: this,
              provider,
              dependsOn: [namespace, ...created],
              customTimeouts: managerRolloutTimeouts(cluster),
            }
          : { parent: this, provider, dependsOn: [namespace] };
      const resource = createResource(childName(name, manifest), manifest, {
        ...options,
        ...renamed(name, manifest),
      });
      if (resource instanceof k8s.apps.v1.Deployment) deployment = resource;
      created.push(resource);
    }
    if (deployment === undefined) {
      throw new Error("kubernetesManifests must list the manager Deployment");
    }

    this.namespace = namespace.metadata.name;
    this.deploymentName = deployment.metadata.name;
    this.configDigest = pulumi.output(targetConfigDigest(fleet, cluster));
    this.registerOutputs({
      namespace: this.namespace,
      deploymentName: this.deploymentName,
      configDigest: this.configDigest,
    });
  }
}

/** Time for the manager's pod to start after an image pull. */
const MANAGER_START_SECONDS = 600;

/**
 * Pulumi waits until an updated Deployment's new pod is ready (10 minutes by
 * default). With Recreate, the new manager starts only after the old one has
 * drained its running jobs, which may take the whole termination grace period.
 */
function managerRolloutTimeouts(cluster: KubernetesCluster): pulumi.CustomTimeouts {
  const seconds = managerTerminationGraceSeconds(cluster) + MANAGER_START_SECONDS;
  return { create: `${MANAGER_START_SECONDS}s`, update: `${seconds}s` };
}

/** The typed resource of one manifest; the manifest object is its arguments as is. */
function createResource(
  name: string,
  manifest: KubernetesManifest<pulumi.Output<string>>,
  options: pulumi.CustomResourceOptions,
): pulumi.CustomResource {
  switch (manifest.kind) {
    case "Namespace":
      return new k8s.core.v1.Namespace(name, manifest, options);
    case "ServiceAccount":
      return new k8s.core.v1.ServiceAccount(name, manifest, options);
    case "Role":
      return new k8s.rbac.v1.Role(name, manifest, options);
    case "RoleBinding":
      return new k8s.rbac.v1.RoleBinding(name, manifest, options);
    case "Secret":
      return new k8s.core.v1.Secret(name, manifest, options);
    case "ConfigMap":
      return new k8s.core.v1.ConfigMap(name, manifest, options);
    case "Deployment":
      return new k8s.apps.v1.Deployment(name, manifest, options);
    case "DaemonSet":
      return new k8s.apps.v1.DaemonSet(name, manifest, options);
    case "Service":
      return new k8s.core.v1.Service(name, manifest, options);
    // Prometheus Operator objects: custom resources of its CRDs, which the
    // cluster must have (the stack says so with monitoring.prometheusOperator).
    case "PodMonitor":
    case "PrometheusRule":
      return new k8s.apiextensions.CustomResource(name, manifest, options);
    default: {
      const unexpected: never = manifest;
      throw new Error(`unexpected manifest ${JSON.stringify(unexpected)}`);
    }
  }
}
