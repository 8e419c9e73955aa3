/**
 * Secret config values. In a stack file a secret is `{ secure: "<ciphertext>" }`
 * (written by `pulumi config set --secret`), which this program cannot decrypt and
 * never needs to. In the Pulumi runtime, Pulumi hands over the decrypted plaintext.
 */

/** An encrypted value as it appears in a stack file. */
export interface SecureValue {
  readonly secure: string;
}

/** A secret field's value: encrypted, or plaintext (only acceptable from decrypted Pulumi config). */
export type SecretValue = SecureValue | string;

function isSecureValue(value: unknown): value is SecureValue {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  const secure: unknown = (value as { secure?: unknown }).secure;
  return keys.length === 1 && typeof secure === "string" && secure !== "";
}

export function isSecretValue(value: unknown): value is SecretValue {
  return (typeof value === "string" && value !== "") || isSecureValue(value);
}

/** Prefix of GitLab runner authentication tokens (GitLab 16+). */
export const RUNNER_AUTHENTICATION_TOKEN_PREFIX = "glrt-";

/** Prefix of legacy runner registration tokens. */
export const RUNNER_REGISTRATION_TOKEN_PREFIX = "GR1348941";
