/**
 * What is left of an invalid stack config once every invalid value is cut out.
 * Cross-field checks run on it, so a duplicate runner name is reported together
 * with a typo elsewhere in the same runner, instead of one fix-and-rerun at a time.
 *
 * This works because the schema only validates and never transforms: every value
 * that remains after pruning is exactly what the schema would have returned.
 */
import { formatConfigPath } from "../messages/config-path.js";

/**
 * A deeply partial config: any field may be missing because it was invalid; list
 * entries may be `undefined` so the indices of the others (and their paths) stay put.
 */
export type Salvaged<T> = T extends string | number | boolean
  ? T
  : T extends readonly (infer Element)[]
    ? readonly (Salvaged<Element> | undefined)[]
    : { readonly [Key in keyof T]?: Salvaged<T[Key]> };

export interface SalvagedValue<T> {
  readonly value: Salvaged<T>;
  /** Config paths of the values that were cut out. */
  readonly prunedPaths: ReadonlySet<string>;
}

/** A location zod reported a problem at; `keysOnly` marks unknown keys, which leave the object usable. */
export interface InvalidLocation {
  readonly path: readonly PropertyKey[];
  readonly keysOnly: boolean;
}

/**
 * Copies `input` without the values at the invalid locations. The caller asserts
 * that `T` is the schema's output type; unknown keys are left in place because
 * nothing reads them.
 */
export function salvage<T>(input: unknown, invalid: readonly InvalidLocation[]): SalvagedValue<T> {
  const root: { value: unknown } = { value: structuredClone(input) };
  const prunedPaths = new Set<string>();
  for (const location of invalid) {
    if (location.keysOnly) continue;
    if (cutOut(root, ["value", ...location.path])) prunedPaths.add(formatConfigPath(location.path));
  }
  const value = isRecord(root.value) ? root.value : {};
  return { value: value as Salvaged<T>, prunedPaths };
}

/** Removes the value at `path` (a list entry becomes `undefined`); false if there was none. */
function cutOut(root: unknown, path: readonly PropertyKey[]): boolean {
  const parentPath = path.slice(0, -1);
  const key = path.at(-1);
  const parent = parentPath.reduce<unknown>(
    (node, segment) => (isRecord(node) || Array.isArray(node) ? valueAt(node, segment) : undefined),
    root,
  );
  if (key === undefined) return false;
  if (Array.isArray(parent) && typeof key === "number" && key < parent.length) {
    parent[key] = undefined;
    return true;
  }
  if (isRecord(parent) && typeof key === "string" && Object.hasOwn(parent, key)) {
    delete parent[key];
    return true;
  }
  return false;
}

function valueAt(node: Record<string, unknown> | unknown[], segment: PropertyKey): unknown {
  if (Array.isArray(node)) return typeof segment === "number" ? node[segment] : undefined;
  return typeof segment === "string" && Object.hasOwn(node, segment) ? node[segment] : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
