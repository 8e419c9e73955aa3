/**
 * How messages show a value that was found in the config. Every message that
 * echoes user input goes through {@link quoted}: long text is cut so a pasted
 * certificate does not flood the terminal, credentials inside URLs are masked, and
 * control characters are escaped. Secret fields use {@link describeKind}, which
 * never shows any part of the value; maps and lists are described, never printed.
 */

/** About how much of a found value a message shows. */
export const MAX_SHOWN_LENGTH = 60;
/** Keys named when describing a map. */
const MAX_SHOWN_KEYS = 3;

/**
 * `scheme://user:password@` or `scheme://token@`: the part before `@` in a URL's
 * authority. ssh keeps a bare user name (`ssh://deploy@host` holds no secret).
 */
const URL_USER_INFO = /\b([a-z][a-z0-9+.-]*:\/\/)([^\s/?#@]*)@/gi;

/** `url` with its password (or, outside ssh, its whole user part) replaced by `***`. */
export function withoutCredentials(text: string): string {
  return text.replace(URL_USER_INFO, (_, scheme: string, userInfo: string) => {
    const colon = userInfo.indexOf(":");
    if (colon >= 0) return `${scheme}${userInfo.slice(0, colon)}:***@`;
    return scheme.toLowerCase() === "ssh://" ? `${scheme}${userInfo}@` : `${scheme}***@`;
  });
}

/** Text found in the config, as a message shows it: quoted, escaped, masked, cut. */
export function quoted(text: string): string {
  const safe = withoutCredentials(text);
  const shown = safe.length > MAX_SHOWN_LENGTH ? `${safe.slice(0, MAX_SHOWN_LENGTH)}...` : safe;
  return JSON.stringify(shown);
}

/** `"text"`, `8`, `true`, `a list of 2 entries`, `a map with keys "a", "b"`, `an empty value` or `nothing`. */
function describeFound(value: unknown): string {
  if (typeof value === "string") return quoted(value);
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (Array.isArray(value) && value.length > 0) {
    return `a list of ${value.length} ${value.length === 1 ? "entry" : "entries"}`;
  }
  if (isMap(value)) {
    const keys = Object.keys(value);
    if (keys.length === 0) return "an empty map";
    const shown = keys.slice(0, MAX_SHOWN_KEYS).map(quoted).join(", ");
    const more = keys.length > MAX_SHOWN_KEYS ? `, ... (${keys.length} keys)` : "";
    return `a map with key${keys.length === 1 ? "" : "s"} ${shown}${more}`;
  }
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

/** `expected <what>, found <value>`, or `missing; expected <what>` for an absent key. */
export function expectedFound(expected: string, found: unknown): string {
  if (found === undefined) return `missing; expected ${expected}`;
  return `expected ${expected}, found ${describeFound(found)}`;
}

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
