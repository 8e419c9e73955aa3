/**
 * The stack config as the Pulumi runtime hands it over: every key with its
 * namespace, every value a string, structured values as JSON, secrets decrypted.
 * Pure: the caller passes `pulumi.runtime.allConfig()`.
 */
import { PROJECT_NAMESPACE, splitConfigKey } from "./config-namespace.js";
import { topLevelConfigValue, type RawStackConfig } from "./raw-stack-config.js";

/** Keys of other namespaces (providers, other projects) are ignored here; stack files report them. */
export function rawConfigFromPulumi(
  allConfig: Readonly<Record<string, string>>,
  environment: string,
): RawStackConfig {
  const entries = Object.entries(allConfig).flatMap(([key, text]) => {
    const { namespace, name } = splitConfigKey(key);
    return namespace === PROJECT_NAMESPACE ? [[name, topLevelConfigValue(text)] as const] : [];
  });
  // fromEntries defines own properties, so a "__proto__" key cannot change the prototype.
  return { environment, values: Object.fromEntries(entries) };
}
