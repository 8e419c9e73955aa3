/**
 * Where secrets may come from. In a stack file only encrypted values
 * (`{ secure: ... }`) are acceptable: plaintext there ends up in git. In the Pulumi
 * runtime, Pulumi hands over decrypted values as plaintext, which is fine.
 * Messages describe what was found and never show any part of a secret.
 */
import { configError, configWarning, type ConfigIssue } from "../messages/config-issue.js";
import { childPath } from "../messages/config-path.js";
import { isPemPrivateKey } from "../grammars/gitlab-instance-fields.js";
import type { Salvaged } from "../schema/salvage.js";
import {
  RUNNER_AUTHENTICATION_TOKEN_PREFIX,
  RUNNER_REGISTRATION_TOKEN_PREFIX,
  type SecretValue,
} from "../grammars/secret-value.js";
import type { StackConfig } from "../schema/stack-config-schema.js";
import { allRunnersOf, targetsOf } from "../schema/stack-targets.js";

export interface SecretPolicy {
  /** A missing secret is an error (`pulumi up`) rather than a warning (`render`). */
  readonly requireSecrets: boolean;
  /** Plaintext secrets are acceptable: true for decrypted Pulumi config, false for stack files. */
  readonly plaintextSecretsAllowed: boolean;
}

export function secretIssues(
  config: Salvaged<StackConfig>,
  prunedPaths: ReadonlySet<string>,
  policy: SecretPolicy,
): readonly ConfigIssue[] {
  // A managed runner's token comes from GitLab (a token set anyway: managed-runner-checks.ts).
  const managed = config.gitlab?.manageRunners === true;
  const tokens = (managed ? [] : allRunnersOf(config)).map((entry) => ({
    path: childPath(entry.path, "token"),
    value: entry.runner.token,
  }));
  const clientKeys = targetsOf(config).flatMap((entry) =>
    entry.variant === "docker" && entry.target.tls !== undefined
      ? [
          {
            path: childPath(childPath(entry.path, "tls"), "clientKey"),
            value: entry.target.tls.clientKey,
          },
        ]
      : [],
  );
  return [
    ...tokens.flatMap(({ path, value }) =>
      prunedPaths.has(path) ? [] : tokenIssues(path, value, policy),
    ),
    ...clientKeys.flatMap(({ path, value }) =>
      prunedPaths.has(path) ? [] : clientKeyIssues(path, value, policy),
    ),
    ...(managed && !prunedPaths.has(API_TOKEN_PATH)
      ? apiTokenIssues(config.gitlab?.apiToken, policy)
      : []),
  ];
}

/** Config path of the GitLab access token of managed runners. */
export const API_TOKEN_PATH = "gitlab.apiToken";

function apiTokenIssues(
  token: Salvaged<SecretValue> | undefined,
  policy: SecretPolicy,
): readonly ConfigIssue[] {
  const setCommand = `pulumi config set --secret --path ${API_TOKEN_PATH} <token>`;
  if (token === undefined) {
    return [
      missingSecret(
        API_TOKEN_PATH,
        `expected a GitLab access token with the create_runner and manage_runner scopes (gitlab.manageRunners is true), set with: ${setCommand}`,
        policy,
      ),
    ];
  }
  if (typeof token !== "string" || policy.plaintextSecretsAllowed) return [];
  return [
    configError(
      API_TOKEN_PATH,
      `expected an encrypted value, found a plaintext access token: anyone who can read the stack file can use it; store it encrypted with: ${setCommand} (and revoke it in GitLab if the file was shared)`,
    ),
  ];
}

function tokenIssues(
  path: string,
  token: Salvaged<SecretValue> | undefined,
  policy: SecretPolicy,
): readonly ConfigIssue[] {
  const setCommand = `pulumi config set --secret --path '${path}' ${RUNNER_AUTHENTICATION_TOKEN_PREFIX}...`;
  if (token === undefined) {
    return [
      missingSecret(path, `expected a runner authentication token set with: ${setCommand}`, policy),
    ];
  }
  if (typeof token !== "string") return [];
  if (!token.startsWith(RUNNER_AUTHENTICATION_TOKEN_PREFIX)) {
    return [configError(path, notAnAuthenticationToken(token, setCommand))];
  }
  if (policy.plaintextSecretsAllowed) return [];
  return [
    configError(
      path,
      `expected an encrypted value, found a plaintext runner authentication token: anyone who can read the stack file can use it; store it encrypted with: ${setCommand} (and reset it in GitLab if the file was shared)`,
    ),
  ];
}

/** Registration tokens belong to the workflow GitLab removed; explain the one that replaced it. */
function notAnAuthenticationToken(token: string, setCommand: string): string {
  const found = token.startsWith(RUNNER_REGISTRATION_TOKEN_PREFIX)
    ? "a runner registration token"
    : `a value without the ${RUNNER_AUTHENTICATION_TOKEN_PREFIX} prefix`;
  return [
    `expected a runner authentication token (${RUNNER_AUTHENTICATION_TOKEN_PREFIX}...), found ${found};`,
    "registration tokens are deprecated and disabled by default since GitLab 17.",
    "Since GitLab 16 a runner is created in GitLab (Admin area, group or project: CI/CD > Runners > New runner, or POST /api/v4/user/runners),",
    `which shows its ${RUNNER_AUTHENTICATION_TOKEN_PREFIX} authentication token; set that with: ${setCommand}`,
  ].join(" ");
}

function clientKeyIssues(
  path: string,
  key: Salvaged<SecretValue> | undefined,
  policy: SecretPolicy,
): readonly ConfigIssue[] {
  const setCommand = `pulumi config set --secret --path '${path}' < client-key.pem`;
  if (key === undefined) {
    return [missingSecret(path, `expected the PEM client key set with: ${setCommand}`, policy)];
  }
  if (typeof key !== "string") return [];
  if (!policy.plaintextSecretsAllowed) {
    return [
      configError(
        path,
        `expected an encrypted value, found plaintext: anyone who can read the stack file can use the key; store it encrypted with: ${setCommand}`,
      ),
    ];
  }
  if (isPemPrivateKey(key)) return [];
  return [
    configError(
      path,
      "expected a PEM private key (-----BEGIN ... PRIVATE KEY----- ... -----END ... PRIVATE KEY-----), found text without one",
    ),
  ];
}

function missingSecret(path: string, message: string, policy: SecretPolicy): ConfigIssue {
  return policy.requireSecrets ? configError(path, message) : configWarning(path, message);
}
