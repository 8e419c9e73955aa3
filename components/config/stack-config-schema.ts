/**
 * The schema of a stack's configuration: every key of the `dind-runners:`
 * namespace of `stacks/Pulumi.<env>.yaml`. Objects are strict: an unknown key is an
 * error, so a typo never silently falls back to a default.
 *
 * The schema only validates; it never transforms or fills in defaults. Defaults and
 * precedence are applied by resolve-fleet.ts, which needs to know what was unset.
 */
import { z } from "zod";
import { DEFAULTS } from "../model/defaults.js";
import {
  certificateRegistrySchema,
  defaultingTo,
  dockerEndpointSchema,
  flag,
  gitlabUrlSchema,
  hostDirectorySchema,
  listOf,
  nameSchema,
  nonEmptyText,
  onWrongType,
  pemCertificateSchema,
  runnerDescriptionSchema,
  secretSchema,
  tagsSchema,
} from "./field-schemas.js";
import { expectedFound } from "./describe-value.js";
import { jobPodsSchema } from "./job-pod-schemas.js";
import {
  managerSettingsShape,
  runnerDindSchema,
  runnerSettingsShape,
  targetDindSchema,
} from "./settings-schemas.js";

export const runnerSchema = z.strictObject({
  /** Runner name, unique across the fleet (config.toml `name`); required. */
  name: nameSchema,
  /** The runner's tags in GitLab (set there by `pulumi up` with `gitlab.manageRunners`), at least one; required. */
  tags: tagsSchema,
  /** `glrt-` runner authentication token, set with `pulumi config set --secret`; required by `pulumi up` unless `gitlab.manageRunners` (then forbidden: GitLab issues it). */
  token: secretSchema("a runner authentication token").optional(),
  /** Managed runners only: the runner's description in GitLab; default `<name> (dind-runners <environment>)`. */
  description: runnerDescriptionSchema.optional(),
  /** Managed runners only: any text; changing it resets the runner's token in GitLab and redeploys config.toml; default: none (never reset). */
  rotateToken: nonEmptyText("any non-empty text, e.g. the date of the rotation").optional(),
  ...runnerSettingsShape,
  /** Docker-in-Docker overrides of this runner; default: the host's or cluster's. */
  dind: runnerDindSchema.optional(),
});

const runnersSchema = listOf(runnerSchema, "runners").min(1, {
  error: (issue) => expectedFound("at least one runner", issue.input),
});

/** Client TLS material for a `tcp://` endpoint. */
export const dockerTlsSchema = z.strictObject({
  /** PEM of the CA that signed the Docker daemon's certificate; required. */
  caCert: pemCertificateSchema,
  /** PEM of the client certificate; required. */
  clientCert: pemCertificateSchema,
  /** PEM of the client key, a Pulumi secret; required by `pulumi up`. */
  clientKey: secretSchema("a PEM client key").optional(),
});

export const dockerHostSchema = z.strictObject({
  /** Host name, unique among Docker hosts; required. */
  name: nameSchema,
  /** How Pulumi reaches the host's Docker engine: unix://, ssh://user@host[:port] or tcp://host:port; required. */
  endpoint: dockerEndpointSchema,
  /** Client TLS material; required for tcp:// endpoints, forbidden otherwise. */
  tls: dockerTlsSchema.optional(),
  /** Absolute host directory for config.toml, the GitLab CA and daemon.json files (created on first deploy); default {@link DEFAULTS.hostConfigDir}. */
  hostConfigDir: defaultingTo(hostDirectorySchema, DEFAULTS.hostConfigDir),
  ...managerSettingsShape,
  ...runnerSettingsShape,
  /** Docker-in-Docker settings of this host's runners; default: `defaults.dind`. */
  dind: targetDindSchema.optional(),
  /** The runners this host's manager serves, at least one; required. */
  runners: runnersSchema,
});

export const kubernetesClusterSchema = z.strictObject({
  /** Cluster name, unique among clusters; required. */
  name: nameSchema,
  /** kubeconfig context Pulumi's Kubernetes provider uses; required. */
  context: nonEmptyText("a kubeconfig context name"),
  /** Namespace of the manager and the job pods; default {@link DEFAULTS.kubernetes.namespace}. */
  namespace: defaultingTo(nameSchema, DEFAULTS.kubernetes.namespace),
  ...managerSettingsShape,
  ...runnerSettingsShape,
  /** Docker-in-Docker settings of this cluster's runners; default: `defaults.dind`. */
  dind: targetDindSchema.optional(),
  /** Requests, limits, storage, allowed services and placement of this cluster's job pods; default: `defaults.jobPods`. */
  jobPods: jobPodsSchema.optional(),
  /** The runners this cluster's manager serves, at least one; required. */
  runners: runnersSchema,
});

/** Fleet-wide defaults: the least specific level of every cascading setting. */
export const fleetDefaultsSchema = z.strictObject({
  ...managerSettingsShape,
  ...runnerSettingsShape,
  /** Fleet-wide Docker-in-Docker settings; default: the built-in `DEFAULTS.dind`. */
  dind: targetDindSchema.optional(),
  /** Job pod settings of every Kubernetes cluster; default: the built-in `DEFAULTS.kubernetes.jobPods`. */
  jobPods: jobPodsSchema.optional(),
});

export const gitlabSchema = z.strictObject(
  {
    /** https URL of the GitLab instance (a trailing slash is dropped); required. */
    url: gitlabUrlSchema,
    /** PEM of the CA of a self-managed instance; default: the system's trusted CAs. */
    caCertificate: pemCertificateSchema.optional(),
    /** Create, update and delete every runner in GitLab through its REST API on `pulumi up` (then runners have no `token`); default false: hand-made runners and tokens. */
    manageRunners: defaultingTo(flag, false),
    /** Access token (scopes `create_runner` and `manage_runner`, plus `read_api` for scopes by path), set with `pulumi config set --secret --path gitlab.apiToken`; required by `pulumi up` with `manageRunners`. */
    apiToken: secretSchema("a GitLab access token").optional(),
    /** `host[:port]` of GitLab's container registry, trusted with `caCertificate` inside dind; default `<gitlab host>:5050`. */
    registryHost: certificateRegistrySchema.optional(),
  },
  { error: onWrongType("a map with the GitLab url, e.g. { url: https://gitlab.example.com }") },
);

export const stackConfigSchema = z.strictObject({
  /** Marks a production stack, where stricter rules apply (no `privilegeMode: all`); default false. */
  production: defaultingTo(flag, false),
  /** The GitLab instance every runner of the fleet talks to; required. */
  gitlab: gitlabSchema,
  /** Fleet-wide defaults of every cascading setting; default: the built-in DEFAULTS. */
  defaults: fleetDefaultsSchema.optional(),
  /** Docker hosts, each running one runner manager; default none (but at least one host or cluster). */
  dockerHosts: listOf(dockerHostSchema, "Docker hosts").optional(),
  /** Kubernetes clusters, each running one runner manager; default none (but at least one host or cluster). */
  kubernetesClusters: listOf(kubernetesClusterSchema, "Kubernetes clusters").optional(),
});

export type StackConfig = z.output<typeof stackConfigSchema>;
export type FleetDefaultsConfig = z.output<typeof fleetDefaultsSchema>;
export type DockerHostConfig = z.output<typeof dockerHostSchema>;
export type KubernetesClusterConfig = z.output<typeof kubernetesClusterSchema>;
export type RunnerConfig = z.output<typeof runnerSchema>;
