/**
 * Checks of the raw config tree, before the schema sees it, that apply to every
 * key and every string whatever its field:
 * - keys JavaScript objects treat specially (`__proto__`, `constructor`,
 *   `prototype`) are reported and left out, never silently dropped or obeyed;
 * - control characters are refused in every key and string: they hide in a
 *   terminal, break config.toml and YAML lines, and a token pasted with a line
 *   feed fails only at job time. PEM text is the one multi-line value.
 * Messages name the character and where it is, never the text: it may be a secret.
 */
import { configError, type ConfigIssue } from "../messages/config-issue.js";
import { childPath } from "../messages/config-path.js";

const RESERVED_KEYS: ReadonlySet<string> = new Set(["__proto__", "constructor", "prototype"]);

/** C0 and C1 controls, DEL, and the Unicode line and paragraph separators. */
function isControlCharacter(code: number): boolean {
  return code < 0x20 || (code >= 0x7f && code <= 0x9f) || code === 0x2028 || code === 0x2029;
}

const LINE_FEED = 0x0a;
const CARRIAGE_RETURN = 0x0d;
const PEM_TEXT = /^\s*-----BEGIN [A-Z0-9 ]+-----(\r?\n)/;

const CHARACTER_NAMES: ReadonlyMap<number, string> = new Map([
  [0x00, "a NUL character"],
  [0x09, "a tab"],
  [0x0a, "a line feed"],
  [0x0d, "a carriage return"],
  [0x1b, "an escape character"],
  [0x7f, "a delete character"],
]);

export interface RawValueCheck {
  /** The values without reserved keys and keys holding control characters. */
  readonly values: Readonly<Record<string, unknown>>;
  readonly issues: readonly ConfigIssue[];
}

export function checkRawValues(values: Readonly<Record<string, unknown>>): RawValueCheck {
  const issues: ConfigIssue[] = [];
  const cleaned = walk(values, "", issues);
  return { values: isRecord(cleaned) ? cleaned : {}, issues };
}

function walk(value: unknown, path: string, issues: ConfigIssue[]): unknown {
  if (typeof value === "string") {
    const problem = controlCharacterProblem(value);
    if (problem !== undefined) issues.push(configError(path, problem));
    return value;
  }
  if (Array.isArray(value))
    return value.map((item, index) => walk(item, childPath(path, index), issues));
  if (!isRecord(value)) return value;
  const entries: [string, unknown][] = [];
  for (const key of Object.keys(value)) {
    const keyPath = childPath(path, key);
    if (RESERVED_KEYS.has(key)) {
      issues.push(
        configError(
          keyPath,
          `unknown key ${JSON.stringify(key)}: no config key is named __proto__, constructor or prototype; remove it`,
        ),
      );
      continue;
    }
    const character = firstControlCharacter(key);
    if (character !== undefined) {
      issues.push(
        configError(keyPath, `expected a key without control characters, found ${character}`),
      );
      continue;
    }
    entries.push([key, walk(value[key], keyPath, issues)]);
  }
  // fromEntries defines own properties: no key can reach a prototype.
  return Object.fromEntries(entries);
}

/** What is wrong with the characters of a string value, or undefined. */
export function controlCharacterProblem(text: string): string | undefined {
  // PEM text is the one multi-line value: it may hold line ends (\n or \r\n).
  const pem = PEM_TEXT.test(text);
  const character = firstControlCharacter(text, pem);
  if (character === undefined) return undefined;
  const allowed = pem ? " (PEM text may hold line ends, no other control character)" : "";
  return `expected text without control characters, found ${character}${allowed}`;
}

/** `a line feed (U+000A) at character 9`, or undefined when there is none. */
function firstControlCharacter(text: string, lineEndsAllowed = false): string | undefined {
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (!isControlCharacter(code)) continue;
    const lineEnd =
      code === LINE_FEED || (code === CARRIAGE_RETURN && text.charCodeAt(index + 1) === LINE_FEED);
    if (lineEndsAllowed && lineEnd) continue;
    const hex = code.toString(16).toUpperCase().padStart(4, "0");
    const name = CHARACTER_NAMES.get(code) ?? "a control character";
    return `${name} (U+${hex}) at character ${index + 1}`;
  }
  return undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
