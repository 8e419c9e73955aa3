/**
 * One runner in GitLab, created, updated and retired by `pulumi up` through the
 * REST API (a Pulumi dynamic resource over gitlab-runner-provider.ts):
 * - create: `POST /user/runners`; the `glrt-` token is a secret output;
 * - settings (description, tags, run untagged, locked, paused, access level,
 *   maximum timeout): updated in place with `PUT /runners/:id`;
 * - scope or GitLab instance: replaced (the new runner first, then the old one deleted);
 * - `rotateToken` changed, or an expiring token past its renewal share
 *   (token-renewal.ts): `POST /runners/:id/reset_authentication_token`;
 * - delete (`pulumi destroy`, or the runner left the stack): `DELETE /runners/:id`.
 */
import * as pulumi from "@pulumi/pulumi";
import { gitlabRunnerProvider } from "./gitlab-runner-provider.js";
import { runnerSettingsProblems } from "./runner-settings.js";
import type { RunnerScope, RunnerSettings } from "../model/managed-runner.js";

export interface GitLabRunnerArgs {
  /** https URL of the GitLab instance (`gitlab.url`); required. */
  readonly gitlabUrl: string;
  /** Access token with the create_runner and manage_runner scopes (`gitlab.apiToken`), a secret; required. */
  readonly apiToken: pulumi.Input<string>;
  /** PEM of the instance's CA (`gitlab.caCertificate`); default: Node's trusted CAs. */
  readonly caCertificate?: string;
  /** Runner name from the stack config, for messages; required. */
  readonly runnerName: string;
  /** Config path of the runner, e.g. `dockerHosts[0].runners[1]`, for messages; required. */
  readonly configPath: string;
  /** Instance, group or project the runner belongs to; a change replaces the runner; required. */
  readonly scope: RunnerScope;
  /**
   * Settings GitLab keeps for the runner; updated in place; required. A description over
   * 1024 characters, more than 50 tags or a tag over 255 characters is refused before any
   * request (components/model/gitlab-limits.ts).
   */
  readonly settings: RunnerSettings;
  /** Any text; changing it resets the runner's token; default: none (never reset). */
  readonly rotateToken?: string;
  /** Share of an expiring token's lifetime after which `pulumi up` resets it (0 to 1); required. */
  readonly tokenRenewalShare: number;
}

/** Serialized once per program run (Pulumi caches the text per provider object). */
const PROVIDER = gitlabRunnerProvider();

export class GitLabRunner extends pulumi.dynamic.Resource {
  /** GitLab's numeric id of the runner. */
  declare public readonly runnerId: pulumi.Output<number>;
  /** The runner's `glrt-` authentication token, a secret. */
  declare public readonly token: pulumi.Output<string>;
  /** When the token expires (ISO time), or null when the instance sets no expiry. */
  declare public readonly tokenExpiresAt: pulumi.Output<string | null>;
  /** When `pulumi up` obtained the token (ISO time). */
  declare public readonly tokenObtainedAt: pulumi.Output<string | null>;

  /** @throws pulumi.RunError (shown without a stack trace) naming every setting GitLab would refuse. */
  constructor(name: string, args: GitLabRunnerArgs, opts?: pulumi.CustomResourceOptions) {
    const problems = runnerSettingsProblems(args.settings, args.configPath);
    if (problems.length > 0) {
      throw new pulumi.RunError(
        `GitLabRunner ${name}: GitLab would refuse these settings:\n${problems.map((problem) => `  ${problem.reason}`).join("\n")}`,
      );
    }
    super(
      PROVIDER,
      name,
      {
        gitlabUrl: args.gitlabUrl,
        apiToken: pulumi.secret(args.apiToken),
        caCertificate: args.caCertificate ?? null,
        runnerName: args.runnerName,
        configPath: args.configPath,
        scope: args.scope,
        settings: args.settings,
        rotateToken: args.rotateToken ?? null,
        tokenRenewalShare: args.tokenRenewalShare,
        runnerId: undefined,
        namespaceId: undefined,
        token: undefined,
        tokenExpiresAt: undefined,
        tokenObtainedAt: undefined,
      },
      {
        ...opts,
        additionalSecretOutputs: ["token", "apiToken", ...(opts?.additionalSecretOutputs ?? [])],
      },
      "gitlab",
      "GitLabRunner",
    );
  }
}
