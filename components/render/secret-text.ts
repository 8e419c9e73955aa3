/**
 * How a renderer turns a secret reference into text. Renderers never see
 * plaintext on their own: `pulumi up` passes a function that returns the
 * secret's value inside an Output, `npm run render` passes
 * {@link redactedSecretText} so rendered files can be read, diffed and
 * committed without leaking a token.
 */
import type { SecretRef } from "../model/fleet.js";

export type SecretText = (ref: SecretRef) => string;

/** Prefix of every redaction marker; drift detection recognises markers by it. */
export const REDACTION_MARKER_PREFIX = "[redacted: Pulumi secret dind-runners:";

/** `[redacted: Pulumi secret dind-runners:<configPath>]`: says which secret goes here, never its value. */
export const redactedSecretText: SecretText = (ref) =>
  `${REDACTION_MARKER_PREFIX}${ref.configPath}]`;
