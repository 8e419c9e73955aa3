/**
 * Pulumi config keys are `<namespace>:<name>`; this program's keys live in the
 * project's namespace, `dind-runners:` (the `name` in Pulumi.yaml).
 */

export const PROJECT_NAMESPACE = "dind-runners";

/** Provider namespaces a stack may legitimately configure; this program ignores them. */
export const PROVIDER_NAMESPACES: ReadonlySet<string> = new Set(["docker", "kubernetes", "pulumi"]);

export interface ConfigKey {
  /** Undefined for a key without a `namespace:` prefix. */
  readonly namespace?: string;
  readonly name: string;
}

export function splitConfigKey(key: string): ConfigKey {
  const colon = key.indexOf(":");
  if (colon < 0) return { name: key };
  return { namespace: key.slice(0, colon), name: key.slice(colon + 1) };
}
