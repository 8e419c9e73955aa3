/**
 * The stack config as the Pulumi runtime hands it over: every key with its
 * namespace, every value a string, structured values as JSON, secrets decrypted.
 * Pure: the caller passes `pulumi.runtime.allConfig()`.
 */
import { PROJECT_NAMESPACE, splitConfigKey } from "./config-namespace.js";
import type { RawStackConfig } from "./raw-stack-config.js";

/** Keys of other namespaces (providers, other projects) are ignored here; stack files report them. */
export function rawConfigFromPulumi(
  allConfig: Readonly<Record<string, string>>,
  environment: string,
): RawStackConfig {
  const entries = Object.entries(allConfig).flatMap(([key, text]) => {
    const { namespace, name } = splitConfigKey(key);
    return namespace === PROJECT_NAMESPACE ? [[name, parseConfigValue(text)] as const] : [];
  });
  // fromEntries defines own properties, so a "__proto__" key cannot change the prototype.
  return { environment, values: Object.fromEntries(entries) };
}

/** Structured config arrives as JSON text; anything that is not JSON is a plain string. */
function parseConfigValue(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
