/**
 * Semantic comparison of a desired (rendered) config.toml with the live one a
 * runner manager reads. Pure: text in, differences out.
 *
 * Both files are parsed, so comments, formatting and key order never count.
 * `[[runners]]` entries are matched by `name`. What GitLab Runner writes itself
 * is listed as ignored, never as drift:
 * - `id`, `token_obtained_at`, `token_expires_at` of a runner (set when the
 *   runner authenticates or rotates its token);
 * - a rotated `token`: the desired side only holds a redaction marker, so a live
 *   `glrt-` token cannot be told apart from the deployed one without the secret.
 *   What *is* detectable without the secret is reported: a missing token and a
 *   token that is not a `glrt-` runner authentication token;
 * - any other secret of a runner (the cache's `AccessKey`, `SecretKey`,
 *   `SessionToken`, `PrivateKey`, `AccountKey`) whose desired side is a
 *   redaction marker: present and a non-empty string live is all that can be
 *   verified without the secret, so it is listed as `secret-unverifiable`;
 *   missing or not a string is drift, shown masked;
 * - keys holding Go's zero value (false, 0, "", [], zero time, empty tables)
 *   present on one side only: GitLab Runner writes them for every unset field
 *   when it saves config.toml after a token rotation, and they decode exactly
 *   like an absent key.
 * `.runner_system_id` is a separate file and never read.
 *
 * Values under secret-looking keys (`token`, `*password*`, `*secret*`, `*Key`)
 * are never shown.
 */
import TOML from "@iarna/toml";
import {
  formatTomlValue,
  isArrayOfTables,
  isTable,
  isTomlArray,
  isZeroValue,
  MASKED,
  sameValue,
  type TomlTable,
  type TomlValue,
} from "./toml-value.js";
import { REDACTION_MARKER_PREFIX } from "../render/secret-text.js";
import { childPath } from "../config/messages/config-path.js";

/** One difference that matters: the live manager behaves differently from what was deployed. */
export interface ConfigDifference {
  /** TOML path, e.g. `concurrent` or `runners["prod-1-dind"].docker.volumes`. */
  readonly path: string;
  /** `added`: only in the live file; `removed`: only in the desired file; `changed`: both, different. */
  readonly kind: "changed" | "added" | "removed";
  /** Desired value on one line (`<masked>` for secrets); absent for added keys and whole runners. */
  readonly desired?: string;
  /** Live value on one line (`<masked>` for secrets); absent for removed keys and whole runners. */
  readonly live?: string;
  /** Why this is reported when the values alone do not say it (whole runners, tokens). */
  readonly note?: string;
}

/** Why a difference is not drift. */
export type IgnoreReason =
  "runner-managed" | "zero-value" | "token-unverifiable" | "secret-unverifiable";

export interface IgnoredDifference {
  readonly path: string;
  readonly reason: IgnoreReason;
}

export type RunnerConfigComparison =
  | {
      readonly parsed: true;
      readonly differences: readonly ConfigDifference[];
      readonly ignored: readonly IgnoredDifference[];
    }
  /** The live file is not valid TOML: GitLab Runner cannot load it either. */
  | { readonly parsed: false; readonly line: number; readonly column: number };

/** Keys of a `[[runners]]` entry that GitLab Runner sets itself. */
export const RUNNER_MANAGED_KEYS: readonly string[] = [
  "id",
  "token_obtained_at",
  "token_expires_at",
];

/** Prefix of every GitLab runner authentication token. */
export const RUNNER_TOKEN_PREFIX = "glrt-";

/** `redactedSecretText` writes `[redacted: Pulumi secret dind-runners:<configPath>]`. */
function isRedactionMarker(value: TomlValue): boolean {
  return (
    typeof value === "string" && value.startsWith(REDACTION_MARKER_PREFIX) && value.endsWith("]")
  );
}

/** A runner is matched by its name, so its path names it: `runners["prod-1-dind"]`. */
function runnerPath(name: string): string {
  return `runners[${JSON.stringify(name)}]`;
}

/** Whether a key's value must never be printed. */
export function isSecretKey(key: string): boolean {
  return /token|password|secret/i.test(key) || /key$/i.test(key);
}

export function compareRunnerConfig(desiredText: string, liveText: string): RunnerConfigComparison {
  // The desired file comes from our own renderer: failing to parse it is a bug, not drift.
  const desired: TomlTable = TOML.parse(desiredText);
  let live: TomlTable;
  try {
    live = TOML.parse(liveText);
  } catch (error) {
    // Only the position: the parser's message quotes the file, which holds tokens.
    const position = error as { line?: unknown; col?: unknown };
    return {
      parsed: false,
      line: typeof position.line === "number" ? position.line + 1 : 0,
      column: typeof position.col === "number" ? position.col + 1 : 0,
    };
  }
  const collector = new Collector();
  compareTables(omit(desired, ["runners"]), omit(live, ["runners"]), "", collector);
  compareRunners(desired["runners"], live["runners"], collector);
  return { parsed: true, differences: collector.differences, ignored: collector.ignored };
}

class Collector {
  readonly differences: ConfigDifference[] = [];
  readonly ignored: IgnoredDifference[] = [];

  differ(difference: ConfigDifference): void {
    this.differences.push(difference);
  }

  ignore(path: string, reason: IgnoreReason): void {
    this.ignored.push({ path, reason });
  }
}

function compareRunners(
  desiredValue: TomlValue | undefined,
  liveValue: TomlValue | undefined,
  out: Collector,
): void {
  const desired = runnerEntries(desiredValue);
  const live = runnerEntries(liveValue);
  const liveByName = new Map<string, TomlTable>();
  const liveExtra: { path: string; note: string }[] = [];
  live.forEach((runner, index) => {
    const name = runner["name"];
    if (typeof name !== "string") {
      liveExtra.push({ path: childPath("runners", index), note: "runner without a name" });
    } else if (liveByName.has(name)) {
      liveExtra.push({ path: runnerPath(name), note: "second runner with this name" });
    } else {
      liveByName.set(name, runner);
    }
  });
  const desiredNames = new Set<string>();
  for (const runner of desired) {
    const name = runner["name"] as string;
    desiredNames.add(name);
    const match = liveByName.get(name);
    if (match === undefined) {
      out.differ({
        path: runnerPath(name),
        kind: "removed",
        note: "runner missing from the live config",
      });
    } else {
      compareRunner(runner, match, runnerPath(name), out);
    }
  }
  for (const [name] of liveByName) {
    if (!desiredNames.has(name)) {
      out.differ({
        path: runnerPath(name),
        kind: "added",
        note: "runner not in the desired config",
      });
    }
  }
  for (const extra of liveExtra) out.differ({ path: extra.path, kind: "added", note: extra.note });
}

/** `[[runners]]` as a list of tables; anything else (absent, wrong type) counts as no runners. */
function runnerEntries(value: TomlValue | undefined): readonly TomlTable[] {
  return isTomlArray(value) ? value.filter((item) => isTable(item)) : [];
}

function compareRunner(desired: TomlTable, live: TomlTable, path: string, out: Collector): void {
  compareTables(desired, live, path, out, (key, a, b, keyPath) => {
    if (key === "token") {
      compareToken(a, b, keyPath, out);
      return true;
    }
    if (!RUNNER_MANAGED_KEYS.includes(key)) return false;
    if (a === undefined || b === undefined || !sameValue(a, b))
      out.ignore(keyPath, "runner-managed");
    return true;
  });
}

function omit(table: TomlTable, keys: readonly string[]): TomlTable {
  return Object.fromEntries(Object.entries(table).filter(([key]) => !keys.includes(key)));
}

function compareToken(
  desired: TomlValue | undefined,
  live: TomlValue | undefined,
  path: string,
  out: Collector,
): void {
  if (desired === undefined && live === undefined) return;
  if (live === undefined) {
    out.differ({
      path,
      kind: "removed",
      desired: MASKED,
      note: "the runner has no authentication token",
    });
    return;
  }
  if (desired === undefined) {
    out.differ({ path, kind: "added", live: MASKED });
    return;
  }
  if (isRedactionMarker(desired)) {
    if (typeof live !== "string" || !live.startsWith(RUNNER_TOKEN_PREFIX)) {
      out.differ({
        path,
        kind: "changed",
        desired: MASKED,
        live: MASKED,
        note: `live token is not a ${RUNNER_TOKEN_PREFIX} runner authentication token`,
      });
    } else {
      out.ignore(path, "token-unverifiable");
    }
    return;
  }
  // The caller knew the plaintext: compare it, still without printing it.
  if (!sameValue(desired, live))
    out.differ({ path, kind: "changed", desired: MASKED, live: MASKED });
}

/** Handles a key itself and returns true, or returns false for the generic comparison. */
type KeyHandler = (
  key: string,
  desired: TomlValue | undefined,
  live: TomlValue | undefined,
  path: string,
) => boolean;

function compareTables(
  desired: TomlTable,
  live: TomlTable,
  path: string,
  out: Collector,
  handle: KeyHandler = () => false,
): void {
  const keys = [...new Set([...Object.keys(desired), ...Object.keys(live)])].sort((a, b) =>
    a < b ? -1 : a > b ? 1 : 0,
  );
  for (const key of keys) {
    const keyPath = childPath(path, key);
    if (handle(key, desired[key], live[key], keyPath)) continue;
    compareValues(desired[key], live[key], keyPath, isSecretKey(key), out);
  }
}

function compareValues(
  desired: TomlValue | undefined,
  live: TomlValue | undefined,
  path: string,
  secret: boolean,
  out: Collector,
): void {
  const show = (value: TomlValue): string =>
    secret ? MASKED : formatTomlValue(value, isSecretKey);
  if (desired === undefined && live === undefined) return;
  // A table on one side only: compare leaf by leaf, so zero-valued leaves are recognised.
  if (isTable(desired) && live === undefined) return compareTables(desired, {}, path, out);
  if (isTable(live) && desired === undefined) return compareTables({}, live, path, out);
  if (live === undefined) {
    if (isZeroValue(desired as TomlValue)) return out.ignore(path, "zero-value");
    return out.differ({ path, kind: "removed", desired: show(desired as TomlValue) });
  }
  if (desired === undefined) {
    if (isZeroValue(live)) return out.ignore(path, "zero-value");
    return out.differ({ path, kind: "added", live: show(live) });
  }
  if (isRedactionMarker(desired)) {
    if (typeof live === "string" && live !== "") return out.ignore(path, "secret-unverifiable");
    return out.differ({ path, kind: "changed", desired: MASKED, live: MASKED });
  }
  if (isTable(desired) && isTable(live)) return compareTables(desired, live, path, out);
  if (isArrayOfTables(desired) && isArrayOfTables(live)) {
    const length = Math.max(desired.length, live.length);
    for (let index = 0; index < length; index++) {
      const itemPath = childPath(path, index);
      const a = desired[index];
      const b = live[index];
      if (a !== undefined && b !== undefined) compareTables(a, b, itemPath, out);
      else if (a !== undefined) out.differ({ path: itemPath, kind: "removed", desired: show(a) });
      else if (b !== undefined) out.differ({ path: itemPath, kind: "added", live: show(b) });
    }
    return;
  }
  if (!sameValue(desired, live)) {
    out.differ({ path, kind: "changed", desired: show(desired), live: show(live) });
  }
}
