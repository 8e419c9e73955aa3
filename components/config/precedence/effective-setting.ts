/**
 * The value a runner actually gets for a cascading setting, and where it was set,
 * for checks that must name the line to edit. Levels are given most specific first
 * (runner, host or cluster, defaults); the first level that sets the field wins.
 */
import { childPath } from "../messages/config-path.js";

export interface SettingsLevel<Settings> {
  /** Config path of the level, e.g. `dockerHosts[0].dind`. */
  readonly path: string;
  readonly settings: Settings | undefined;
}

export interface EffectiveSetting<Value> {
  readonly value: Value;
  /** Config path of the field that set the value; absent for the built-in default. */
  readonly setAt?: string;
}

/**
 * The effective value of `key`, or undefined when it cannot be known because the
 * level that would decide it was invalid (and is already reported).
 */
export function effectiveSetting<Settings extends object, Key extends keyof Settings & string>(
  levels: readonly SettingsLevel<Settings>[],
  key: Key,
  builtInDefault: NonNullable<Settings[Key]>,
  prunedPaths: ReadonlySet<string>,
): EffectiveSetting<NonNullable<Settings[Key]>> | undefined {
  for (const level of levels) {
    const path = childPath(level.path, key);
    if (prunedPaths.has(level.path) || prunedPaths.has(path)) return undefined;
    const value = level.settings?.[key];
    if (value !== undefined && value !== null) return { value, setAt: path };
  }
  return { value: builtInDefault };
}

/** ` (set at <path>)` when the value comes from elsewhere than `reportedAt`. */
export function originNote(setting: EffectiveSetting<unknown>, reportedAt: string): string {
  if (setting.setAt === undefined) return " (the built-in default)";
  return setting.setAt === reportedAt ? "" : ` (set at ${setting.setAt})`;
}
