/**
 * The schema of a stack's configuration: every key of the `dind-runners:`
 * namespace of `stacks/Pulumi.<env>.yaml`. Objects are strict: an unknown key is an
 * error, so a typo never silently falls back to a default.
 *
 * The stack config reference (docs/configuration.md) is generated from this schema (and
 * settings-schemas.ts). Every field says what it means and its default through
 * requiredField / defaultingTo (a value from DEFAULTS) / optionalField. After
 * adding or changing a field, run `npm run docs:config` and commit docs/configuration.md;
 * test/docs/config-reference.test.ts fails until the page and schema agree.
 *
 * The schema only validates; it never transforms or fills in defaults. Defaults and
 * precedence are applied by resolve-fleet.ts, which needs to know what was unset.
 */
import { z } from "zod";
import { DEFAULTS } from "../../model/defaults.js";
import {
  boundedInteger,
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
  optionalField,
  pemCertificateSchema,
  requiredField,
  runnerDescriptionSchema,
  secretSchema,
  tagsSchema,
} from "./field-schemas.js";
import { expectedFound } from "../messages/describe-value.js";
import { housekeepingSchema } from "./housekeeping-schema.js";
import { jobPodsSchema } from "./job-pod-schemas.js";
import { monitoringSchema } from "./monitoring-schema.js";
import {
  managerSettingsShape,
  runnerDindSchema,
  runnerSettingsShape,
  targetDindSchema,
} from "./settings-schemas.js";

export const runnerSchema = z.strictObject({
  name: requiredField(nameSchema, "Runner name, unique across the fleet (config.toml `name`)."),
  tags: requiredField(
    tagsSchema,
    "The runner's tags in GitLab (set there by `pulumi up` with `gitlab.manageRunners`), at least one and at most 49 (a CI job takes at most 49), each at most 255 characters (GitLab's limits); also used by the render summary and the CI include.",
  ),
  token: optionalField(
    secretSchema("a runner authentication token"),
    "`glrt-` runner authentication token, a Pulumi secret: `pulumi config set --secret --path '<path>.token' glrt-...`.",
    "required by `pulumi up` (a warning for `render`); forbidden with `gitlab.manageRunners`, where GitLab issues it",
  ),
  description: optionalField(
    runnerDescriptionSchema,
    "Managed runners only: the runner's description in GitLab, one line of at most 1024 characters.",
    "`<name> (dind-runners <environment>)`",
  ),
  rotateToken: optionalField(
    nonEmptyText("any non-empty text, e.g. the date of the rotation"),
    "Managed runners only: any text; changing it resets the runner's token in GitLab and redeploys config.toml.",
    "none (the token is never reset)",
  ),
  ...runnerSettingsShape,
  dind: optionalField(
    runnerDindSchema,
    "Docker-in-Docker settings of this runner (dind settings below, without manageOverlayModule).",
    "the host's or cluster's",
  ),
});

const runnersSchema = listOf(runnerSchema, "runners").min(1, {
  error: (issue) => expectedFound("at least one runner", issue.input),
});

/** Client TLS material for a `tcp://` endpoint. */
export const dockerTlsSchema = z.strictObject({
  caCert: requiredField(
    pemCertificateSchema,
    "PEM of the CA that signed the Docker daemon's certificate.",
  ),
  clientCert: requiredField(pemCertificateSchema, "PEM of the client certificate."),
  clientKey: optionalField(
    secretSchema("a PEM client key"),
    "PEM of the client key, a Pulumi secret.",
    "required by `pulumi up`",
  ),
});

export const dockerHostSchema = z.strictObject({
  name: requiredField(nameSchema, "Host name, unique among Docker hosts (a DNS label)."),
  endpoint: requiredField(
    dockerEndpointSchema,
    "How Pulumi reaches the host's Docker engine: `unix:///var/run/docker.sock`, `ssh://user@host[:port]` or `tcp://host:port`; one host per engine.",
  ),
  tls: optionalField(
    dockerTlsSchema,
    "Client TLS material: `caCert`, `clientCert`, `clientKey`; for `tcp://` endpoints only.",
    "required for `tcp://`",
  ),
  hostConfigDir: defaultingTo(
    hostDirectorySchema,
    DEFAULTS.hostConfigDir,
    "Absolute host directory for config.toml, the GitLab CA and the daemon.json files (created on first deploy); segments of at most 255 bytes, at most 3756 bytes in all (room for the files below it within Linux's PATH_MAX).",
  ),
  ...managerSettingsShape,
  ...runnerSettingsShape,
  dind: optionalField(
    targetDindSchema,
    "Docker-in-Docker settings of this host's runners.",
    "`defaults.dind`",
  ),
  housekeeping: optionalField(
    housekeepingSchema,
    "Removal of GitLab Runner's unused cache volumes, exited containers and images on this host (housekeeping settings below).",
    "on, with the built-in defaults",
  ),
  runners: requiredField(runnersSchema, "The runners this host's manager serves, at least one."),
});

export const kubernetesClusterSchema = z.strictObject({
  name: requiredField(nameSchema, "Cluster name, unique among clusters (a DNS label)."),
  context: requiredField(
    nonEmptyText("a kubeconfig context name"),
    "kubeconfig context Pulumi's Kubernetes provider uses.",
  ),
  namespace: defaultingTo(
    nameSchema,
    DEFAULTS.kubernetes.namespace,
    "Namespace of the manager and the job pods; one cluster entry per context and namespace.",
  ),
  ...managerSettingsShape,
  ...runnerSettingsShape,
  dind: optionalField(
    targetDindSchema,
    "Docker-in-Docker settings of this cluster's runners.",
    "`defaults.dind`",
  ),
  jobPods: optionalField(
    jobPodsSchema,
    "Requests, limits, storage, allowed services and placement of this cluster's job pods (job pod settings below).",
    "`defaults.jobPods`",
  ),
  managerAvoidsJobNodes: defaultingTo(
    flag,
    DEFAULTS.kubernetes.managerAvoidsJobNodes,
    "Keep the manager pod and GitLab Runner job pods (of any namespace) on different nodes (required pod anti-affinity on `job.runner.gitlab.com/pod`), so no job, root on its node through dind, reads the runner tokens; `false` only for a single-node cluster.",
  ),
  monitoring: optionalField(
    monitoringSchema,
    "How Prometheus scrapes this cluster's manager: `{ prometheusOperator: true }` when the cluster runs the Prometheus Operator, to deploy a `PodMonitor` and a `PrometheusRule` (needs `listenAddress`; docs/observability.md).",
    "no Prometheus Operator objects",
  ),
  runners: requiredField(runnersSchema, "The runners this cluster's manager serves, at least one."),
});

/** Fleet-wide defaults: the least specific level of every cascading setting. */
export const fleetDefaultsSchema = z.strictObject({
  ...managerSettingsShape,
  ...runnerSettingsShape,
  dind: optionalField(
    targetDindSchema,
    "Fleet-wide Docker-in-Docker settings.",
    "the built-in defaults",
  ),
  jobPods: optionalField(
    jobPodsSchema,
    "Job pod settings of every Kubernetes cluster (job pod settings below).",
    "the built-in defaults",
  ),
});

export const gitlabSchema = z.strictObject(
  {
    url: requiredField(
      gitlabUrlSchema,
      "`https://` URL of the GitLab instance (a trailing slash is dropped).",
    ),
    caCertificate: optionalField(
      pemCertificateSchema,
      "PEM of the CA of a self-managed instance; rendered as `gitlab-ca.crt` next to config.toml and referenced by `tls-ca-file`.",
      "the system's trusted CAs",
    ),
    manageRunners: defaultingTo(
      flag,
      DEFAULTS.manageRunners,
      "Create, update and delete every runner in GitLab through its REST API on `pulumi up` (then runners have no `token`); false: runners and tokens made by hand.",
    ),
    apiToken: optionalField(
      secretSchema("a GitLab access token"),
      "Access token (scopes `create_runner` and `manage_runner`, plus `read_api` for scopes by path), a Pulumi secret: `pulumi config set --secret --path gitlab.apiToken`.",
      "required by `pulumi up` with `manageRunners`",
    ),
    renewTokensAtPercent: defaultingTo(
      boundedInteger(10, 90),
      DEFAULTS.managedRunner.renewTokensAtPercent,
      "Managed runners only: `pulumi up` resets a runner token that expires once this percentage of its lifetime has passed (10 to 90), and redeploys config.toml with the new one.",
    ),
    registryHost: optionalField(
      certificateRegistrySchema,
      "`host[:port]` of GitLab's container registry, trusted with `caCertificate` inside dind.",
      "`<gitlab host>:5050`",
    ),
  },
  { error: onWrongType("a map with the GitLab url, e.g. { url: https://gitlab.example.com }") },
);

export const stackConfigSchema = z.strictObject({
  production: defaultingTo(
    flag,
    DEFAULTS.production,
    "Marks a production stack, where stricter rules apply (`privilegeMode: all` is refused).",
  ),
  gitlab: requiredField(gitlabSchema, "The GitLab instance every runner of the fleet talks to."),
  defaults: optionalField(
    fleetDefaultsSchema,
    "Fleet-wide manager, runner and `dind` settings: the least specific level.",
    "the built-in defaults",
  ),
  dockerHosts: optionalField(
    listOf(dockerHostSchema, "Docker hosts"),
    "Docker hosts, each running one runner manager.",
    "none (a stack needs at least one host or cluster)",
  ),
  kubernetesClusters: optionalField(
    listOf(kubernetesClusterSchema, "Kubernetes clusters"),
    "Kubernetes clusters, each running one runner manager.",
    "none (a stack needs at least one host or cluster)",
  ),
});

export type StackConfig = z.output<typeof stackConfigSchema>;
export type FleetDefaultsConfig = z.output<typeof fleetDefaultsSchema>;
export type DockerHostConfig = z.output<typeof dockerHostSchema>;
export type KubernetesClusterConfig = z.output<typeof kubernetesClusterSchema>;
export type RunnerConfig = z.output<typeof runnerSchema>;
