/**
 * Paths into nested data, one syntax for every message and report: `a.b[0].c`,
 * with keys that are not plain names quoted: `extraHosts["registry.example.com"]`.
 * It is the syntax of `pulumi config set --path` (a stack-config path printed in
 * a message can be pasted into that command as is), and drift reports use it for
 * config.toml paths too (`runners["prod-1"].docker.tls-ca-file`).
 */

/**
 * Letters, digits, `_` and `-`, not starting with a digit or `-`: a TOML bare key
 * that Pulumi's property-path parser also reads as one key (it takes anything up
 * to the next `.` or `[`; sdk/go/common/resource/properties_path.go).
 */
const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** The path of `key` (an object key or a list index) inside `parent` ("" is the root). */
export function childPath(parent: string, key: string | number): string {
  if (typeof key === "number") return `${parent}[${key}]`;
  if (!PLAIN_KEY.test(key)) return `${parent}[${JSON.stringify(key)}]`;
  return parent === "" ? key : `${parent}.${key}`;
}

/** Formats a list of path segments, as zod reports them, as a config path. */
export function formatConfigPath(segments: readonly PropertyKey[]): string {
  return segments.reduce<string>(
    (path, segment) => childPath(path, typeof segment === "number" ? segment : String(segment)),
    "",
  );
}
