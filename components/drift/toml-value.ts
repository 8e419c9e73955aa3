/**
 * Values of a parsed config.toml (as `@iarna/toml` returns them) and the three
 * things drift detection asks of them: are two values the same, is a value
 * Go's zero value, and how to show one on one line. Pure.
 */

/** A table: `@iarna/toml` returns null-prototype objects, so only own keys count. */
export interface TomlTable {
  readonly [key: string]: TomlValue;
}

/** Anything `@iarna/toml` yields: integers beyond 2^53 come back as `bigint`. */
export type TomlValue =
  string | number | bigint | boolean | Date | readonly TomlValue[] | TomlTable;

export function isTable(value: TomlValue | undefined): value is TomlTable {
  return (
    typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Date)
  );
}

/** `Array.isArray` that keeps the element type (it narrows readonly arrays to `any[]`). */
export function isTomlArray(value: TomlValue | undefined): value is readonly TomlValue[] {
  return Array.isArray(value);
}

export function isArrayOfTables(value: TomlValue | undefined): value is readonly TomlTable[] {
  return isTomlArray(value) && value.length > 0 && value.every((item) => isTable(item));
}

/** Go's zero `time.Time`, which GitLab Runner writes for an unset timestamp. */
const GO_ZERO_TIME = "0001-01-01T00:00:00.000Z";

/**
 * Whether a value is what GitLab Runner (a Go program) writes for an unset field:
 * false, 0, "", an empty array, the zero time, or a table holding only such values.
 * Decoding such a key gives the same struct as leaving it out.
 */
export function isZeroValue(value: TomlValue): boolean {
  if (typeof value === "boolean") return !value;
  if (typeof value === "number") return value === 0;
  if (typeof value === "bigint") return value === 0n;
  if (typeof value === "string") return value === "";
  if (value instanceof Date) return value.toISOString() === GO_ZERO_TIME;
  if (isTomlArray(value)) return value.length === 0;
  return Object.values(value).every(isZeroValue);
}

/** Equal as data: table key order, comments and formatting never matter. */
export function sameValue(a: TomlValue, b: TomlValue): boolean {
  return formatTomlValue(a) === formatTomlValue(b);
}

/** What a hidden value prints as. */
export const MASKED = "<masked>";

/**
 * One-line TOML-like text of a value with table keys sorted, so the same data
 * always prints the same way: `"text"`, `4`, `true`, `["a", "b"]`, `{ a = 1, b = "x" }`.
 * Entries of nested tables whose key `hide` accepts print as `<masked>`.
 */
export function formatTomlValue(value: TomlValue, hide: (key: string) => boolean = never): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number") return formatNumber(value);
  if (typeof value === "bigint" || typeof value === "boolean") return String(value);
  if (value instanceof Date) return value.toISOString();
  if (isTomlArray(value)) return `[${value.map((item) => formatTomlValue(item, hide)).join(", ")}]`;
  const table: TomlTable = value;
  const entries = sortedKeys(table).map((key) => {
    const shown = hide(key) ? MASKED : formatTomlValue(table[key] as TomlValue, hide);
    return `${formatKey(key)} = ${shown}`;
  });
  return entries.length === 0 ? "{}" : `{ ${entries.join(", ")} }`;
}

function never(): boolean {
  return false;
}

function formatNumber(value: number): string {
  if (Number.isNaN(value)) return "nan";
  if (!Number.isFinite(value)) return value > 0 ? "inf" : "-inf";
  return String(value);
}

/** Keys in code-unit order: independent of locale, so reports are byte-identical everywhere. */
export function sortedKeys(table: TomlTable): string[] {
  return Object.keys(table).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** A key as TOML writes it: bare when it can be, quoted otherwise. */
export function formatKey(key: string): string {
  return /^[A-Za-z0-9_-]+$/.test(key) ? key : JSON.stringify(key);
}
