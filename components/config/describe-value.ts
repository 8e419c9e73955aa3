/**
 * How messages show a value that was found in the config. Long text is cut so a
 * pasted certificate does not flood the terminal. Secret fields use
 * {@link describeKind}, which never shows any part of the value.
 */

const MAX_SHOWN_LENGTH = 60;

/** `"text"`, `8`, `true`, `a list`, `a map`, `an empty value` or `nothing`. */
function describeFound(value: unknown): string {
  if (typeof value === "string") return quote(value);
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return describeKind(value);
}

/** The kind of a value without its content: safe for secrets. */
export function describeKind(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "an empty value";
  if (typeof value === "string") return value === "" ? "an empty string" : "a string";
  if (typeof value === "number") return "a number";
  if (typeof value === "boolean") return value ? "true" : "false";
  if (Array.isArray(value)) return value.length === 0 ? "an empty list" : "a list";
  if (typeof value === "object") return "a map";
  return `a ${typeof value}`;
}

function quote(text: string): string {
  const shown = text.length > MAX_SHOWN_LENGTH ? `${text.slice(0, MAX_SHOWN_LENGTH)}...` : text;
  return JSON.stringify(shown);
}

/** `expected <what>, found <value>`, or `missing; expected <what>` for an absent key. */
export function expectedFound(expected: string, found: unknown): string {
  if (found === undefined) return `missing; expected ${expected}`;
  return `expected ${expected}, found ${describeFound(found)}`;
}
