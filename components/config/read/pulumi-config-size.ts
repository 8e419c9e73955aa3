/**
 * How big a stack's config is when Pulumi hands it to the program. The Node
 * language host passes the whole config in one environment variable,
 * PULUMI_CONFIG: Go's json.Marshal of `<namespace>:config:<name>` -> value text
 * (`constructConfig` in sdk/nodejs/cmd/pulumi-language-nodejs/main.go), and
 * Linux refuses a single environment string above 128 KiB (MAX_ARG_STRLEN), so
 * `pulumi up` then fails before the program starts (pulumi/pulumi#8680). Pure.
 */
import { configError, configWarning, type ConfigIssue } from "../messages/config-issue.js";
import { PROJECT_NAMESPACE } from "./config-namespace.js";

/** Above this, render warns: the fleet is close to the limit. */
export const CONFIG_SIZE_WARNING_BYTES = 96 * 1024;
/** Above this, render refuses: the margin left under Linux's 128 KiB is too small to rely on. */
export const CONFIG_SIZE_ERROR_BYTES = 120 * 1024;

/** An encrypted stack-file value. */
function isSecure(value: unknown): value is { secure: string } {
  return (
    typeof value === "object" &&
    value !== null &&
    Object.keys(value).length === 1 &&
    typeof (value as { secure?: unknown }).secure === "string"
  );
}

/** Encrypted values counted at their ciphertext's length: never shorter than the decrypted text. */
function withCiphertexts(value: unknown): unknown {
  if (isSecure(value)) return value.secure;
  if (Array.isArray(value)) return value.map(withCiphertexts);
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(
      Object.entries(value).map(([key, entry]) => [key, withCiphertexts(entry)]),
    );
  }
  return value;
}

/** Go's encoding/json escapes these even in strings (HTML safety); each becomes `\u00XX`. */
function goJson(value: unknown): string {
  return JSON.stringify(value).replace(
    /[<>&\u2028\u2029]/g,
    (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

/** Bytes of `PULUMI_CONFIG=<json>` for the `dind-runners:` keys of a stack file (values as read). */
export function pulumiConfigBytes(values: Readonly<Record<string, unknown>>): number {
  const config = Object.fromEntries(
    Object.entries(values).map(([name, value]) => {
      const plain = withCiphertexts(value);
      return [
        `${PROJECT_NAMESPACE}:config:${name}`,
        typeof plain === "string" ? plain : JSON.stringify(plain),
      ];
    }),
  );
  return Buffer.byteLength(`PULUMI_CONFIG=${goJson(config)}`, "utf8");
}

const SPLIT_ADVICE =
  "split the fleet across stacks, e.g. stacks/Pulumi.prod-a.yaml and stacks/Pulumi.prod-b.yaml " +
  'each with part of dockerHosts and kubernetesClusters (docs/operations.md "Large fleets")';

/** A warning above 96 KiB, an error above 120 KiB, nothing below. */
export function configSizeIssue(
  values: Readonly<Record<string, unknown>>,
): ConfigIssue | undefined {
  const bytes = pulumiConfigBytes(values);
  const size =
    `the stack config is ${(bytes / 1024).toFixed(1)} KiB as Pulumi passes it to the program ` +
    "(the environment variable PULUMI_CONFIG, secrets counted at their encrypted length)";
  if (bytes > CONFIG_SIZE_ERROR_BYTES) {
    return configError(
      "",
      `${size}, above the 120 KiB this project allows: Linux refuses one environment variable ` +
        `above 128 KiB and pulumi up would fail before the program starts (pulumi/pulumi#8680); ` +
        SPLIT_ADVICE,
    );
  }
  if (bytes > CONFIG_SIZE_WARNING_BYTES) {
    return configWarning(
      "",
      `${size}, close to the 128 KiB Linux allows one environment variable (pulumi/pulumi#8680; ` +
        `render refuses above 120 KiB); before the fleet grows further, ${SPLIT_ADVICE}`,
    );
  }
  return undefined;
}
