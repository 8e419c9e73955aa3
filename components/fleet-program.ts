/**
 * The Pulumi program: load and validate the stack config, then declare one
 * component per Docker host and per cluster. Validation finishes before the
 * first resource is declared, so bad input deploys nothing.
 */
import * as pulumi from "@pulumi/pulumi";
import { formatIssues } from "./config/messages/config-issue.js";
import { loadFleet } from "./config/load/load-fleet.js";
import { plaintextSecretIssues } from "./config/read/plaintext-secret-check.js";
import { PROJECT_NAMESPACE } from "./config/read/config-namespace.js";
import { rawConfigFromPulumi } from "./config/read/pulumi-config.js";
import { DockerRunnerHost } from "./docker/docker-runner-host.js";
import {
  declareManagedRunners,
  type ManagedRunnerOutputs,
  type ManagedRunners,
} from "./gitlab/managed-runners.js";
import { KubernetesRunner } from "./kubernetes/kubernetes-runner.js";
import { cacheSecrets } from "./model/cache.js";
import { fleetTargets, type ExecutorVariant, type Fleet, type Runner } from "./model/fleet.js";

/** One line of the `runners` stack output; nothing secret. */
export interface RunnerSummary {
  readonly name: string;
  readonly variant: ExecutorVariant;
  readonly target: string;
  readonly tags: readonly string[];
}

export interface FleetOutputs {
  readonly runners: readonly RunnerSummary[];
  readonly dockerHosts: Record<
    string,
    { containerId: pulumi.Output<string>; configDigest: pulumi.Output<string> }
  >;
  readonly kubernetesClusters: Record<
    string,
    {
      namespace: pulumi.Output<string>;
      deploymentName: pulumi.Output<string>;
      configDigest: pulumi.Output<string>;
    }
  >;
  /** Per managed runner (`gitlab.manageRunners`): its GitLab id and config path; absent otherwise. */
  readonly gitlabRunners?: ManagedRunnerOutputs;
}

/** Pulumi's own list of config keys holding a secure value (an SDK internal, read defensively). */
function pulumiSecretKeyCheck(): (topLevelKey: string) => boolean {
  const runtime = pulumi.runtime as unknown as { isConfigSecret?: (key: string) => boolean };
  const isConfigSecret = runtime.isConfigSecret;
  // Without the SDK's answer there is nothing to compare with; assume secret.
  if (typeof isConfigSecret !== "function") return () => true;
  return (key) => isConfigSecret(`${PROJECT_NAMESPACE}:${key}`);
}

export function loadFleetForDeployment(stack: string): {
  fleet: Fleet;
  secrets: ReadonlyMap<string, string>;
} {
  const loaded = loadFleet(rawConfigFromPulumi(pulumi.runtime.allConfig(), stack), {
    requireSecrets: true,
    plaintextSecretsAllowed: true,
  });
  if (!loaded.ok) throw new pulumi.RunError(formatIssues(loaded.issues, stack));
  const plaintext = plaintextSecretIssues(loaded.secrets.keys(), pulumiSecretKeyCheck());
  if (plaintext.length > 0) throw new pulumi.RunError(formatIssues(plaintext, stack));
  for (const warning of loaded.warnings)
    void pulumi.log.warn(`${warning.path}: ${warning.message}`);
  return { fleet: loaded.fleet, secrets: loaded.secrets };
}

export function deployFleet(stack: string): FleetOutputs {
  const { fleet, secrets } = loadFleetForDeployment(stack);
  const managed = managedRunnersOf(fleet, secrets);
  // Only tokens that have a value: a missing one is the component's clear error
  // (naming its config path), never an empty token in config.toml.
  // Cache credentials ride along, keyed by their own config paths: config.toml holds
  // them (render/cache-section.ts says why), so they take the tokens' way into it.
  const secretsFor = (runners: readonly Runner[]) =>
    Object.fromEntries(
      runners.flatMap((runner) => {
        const cacheCredentials = cacheSecrets(runner.cache).flatMap((ref) => {
          const value = secrets.get(ref.configPath);
          return value === undefined ? [] : [[ref.configPath, pulumi.secret(value)] as const];
        });
        const path = runner.token.configPath;
        const fromGitLab = managed?.tokens.get(path);
        if (fromGitLab !== undefined) return [[path, fromGitLab], ...cacheCredentials];
        const token = secrets.get(path);
        return [
          ...(token === undefined ? [] : [[path, pulumi.secret(token)] as const]),
          ...cacheCredentials,
        ];
      }),
    );

  const dockerHosts: FleetOutputs["dockerHosts"] = {};
  for (const host of fleet.dockerHosts) {
    const clientKey =
      host.endpoint.kind === "tcp"
        ? secrets.get(host.endpoint.tls.clientKey.configPath)
        : undefined;
    const component = new DockerRunnerHost(`docker-${host.name}`, {
      fleet,
      host,
      tokens: secretsFor(host.runners),
      ...(clientKey === undefined ? {} : { tlsClientKey: pulumi.secret(clientKey) }),
    });
    dockerHosts[host.name] = {
      containerId: component.containerId,
      configDigest: component.configDigest,
    };
  }

  const kubernetesClusters: FleetOutputs["kubernetesClusters"] = {};
  for (const cluster of fleet.kubernetesClusters) {
    const component = new KubernetesRunner(`k8s-${cluster.name}`, {
      fleet,
      cluster,
      tokens: secretsFor(cluster.runners),
    });
    kubernetesClusters[cluster.name] = {
      namespace: component.namespace,
      deploymentName: component.deploymentName,
      configDigest: component.configDigest,
    };
  }

  return {
    runners: runnerSummaries(fleet),
    dockerHosts,
    kubernetesClusters,
    ...(managed === undefined ? {} : { gitlabRunners: managed.outputs }),
  };
}

/** The fleet's GitLabRunner resources when `gitlab.manageRunners` is on. */
function managedRunnersOf(
  fleet: Fleet,
  secrets: ReadonlyMap<string, string>,
): ManagedRunners | undefined {
  const management = fleet.gitlab.runnerManagement;
  if (management === undefined) return undefined;
  const apiToken = secrets.get(management.apiToken.configPath);
  // loadFleet requires the token when manageRunners is on; this is a guard, not a check.
  if (apiToken === undefined) throw new Error(`internal: no ${management.apiToken.configPath}`);
  return declareManagedRunners(fleet, apiToken);
}

export function runnerSummaries(fleet: Fleet): readonly RunnerSummary[] {
  return fleetTargets(fleet).flatMap((target) =>
    target.runners.map((runner) => ({
      name: runner.name,
      variant: target.variant,
      target: target.name,
      tags: runner.tags,
    })),
  );
}
