/**
 * The GitLab side of `gitlab.manageRunners`: one {@link GitLabRunner} per
 * runner of the fleet, whose token (a secret) is what config.toml gets.
 */
import * as pulumi from "@pulumi/pulumi";
import type { Fleet, Runner } from "../model/fleet.js";
import { GitLabRunner } from "./gitlab-runner.js";

/** Per managed runner, by name: its GitLab id (drift reads it), config path and token expiry (a stack output). */
export type ManagedRunnerOutputs = Record<
  string,
  {
    readonly runnerId: pulumi.Output<number>;
    readonly configPath: string;
    readonly tokenExpiresAt: pulumi.Output<string | null>;
  }
>;

export interface ManagedRunners {
  /** Each runner's token, a secret, keyed by its token config path like hand-made tokens. */
  readonly tokens: ReadonlyMap<string, pulumi.Output<string>>;
  readonly outputs: ManagedRunnerOutputs;
}

/**
 * Declares the fleet's GitLab runners. Top-level resources named after the
 * runner (unique in the fleet), so moving a runner to another host or cluster
 * keeps it, and its token, in GitLab.
 */
export function declareManagedRunners(fleet: Fleet, apiToken: string): ManagedRunners {
  const tokens = new Map<string, pulumi.Output<string>>();
  const outputs: Record<string, ManagedRunnerOutputs[string]> = {};
  const runners: readonly Runner[] = [
    ...fleet.dockerHosts.flatMap((host) => host.runners),
    ...fleet.kubernetesClusters.flatMap((cluster) => cluster.runners),
  ];
  for (const runner of runners) {
    const registration = runner.registration;
    if (registration === undefined) continue;
    const resource = new GitLabRunner(`gitlab-runner-${runner.name}`, {
      gitlabUrl: fleet.gitlab.url,
      apiToken: pulumi.secret(apiToken),
      ...(fleet.gitlab.caCertificate === undefined
        ? {}
        : { caCertificate: fleet.gitlab.caCertificate }),
      runnerName: runner.name,
      configPath: registration.configPath,
      scope: registration.scope,
      settings: registration.settings,
      ...(registration.rotateToken === undefined ? {} : { rotateToken: registration.rotateToken }),
      tokenRenewalShare: registration.tokenRenewalShare,
    });
    tokens.set(runner.token.configPath, pulumi.secret(resource.token));
    outputs[runner.name] = {
      runnerId: resource.runnerId,
      configPath: registration.configPath,
      tokenExpiresAt: resource.tokenExpiresAt,
    };
  }
  return { tokens, outputs };
}
