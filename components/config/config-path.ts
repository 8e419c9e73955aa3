/**
 * Config paths in the syntax of `pulumi config set --path`: `a.b[0].c`, with
 * keys that are not plain identifiers quoted: `extraHosts["registry.example.com"]`.
 * A path printed in a message can be pasted into that command as is.
 */

const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;

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
