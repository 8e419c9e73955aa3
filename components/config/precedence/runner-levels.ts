/**
 * The precedence chain of one runner, most specific first: runner, its Docker host
 * or cluster, fleet defaults.
 */
import { childPath } from "../messages/config-path.js";
import type { SettingsLevel } from "./effective-setting.js";
import type { Salvaged } from "../schema/salvage.js";
import type {
  ManagerSettingsConfig,
  RunnerDindConfig,
  RunnerSettingsConfig,
} from "../schema/settings-schemas.js";
import type { StackConfig } from "../schema/stack-config-schema.js";
import type { RunnerEntry } from "../schema/stack-targets.js";

export interface RunnerLevels {
  /** Manager settings come from the host or cluster, then defaults. */
  readonly manager: readonly SettingsLevel<Salvaged<ManagerSettingsConfig>>[];
  readonly runner: readonly SettingsLevel<Salvaged<RunnerSettingsConfig>>[];
  readonly dind: readonly SettingsLevel<Salvaged<RunnerDindConfig>>[];
}

const DEFAULTS_PATH = "defaults";

export function runnerLevels(config: Salvaged<StackConfig>, entry: RunnerEntry): RunnerLevels {
  const { owner, runner } = entry;
  const defaults = config.defaults;
  return {
    manager: [
      { path: owner.path, settings: owner.target },
      { path: DEFAULTS_PATH, settings: defaults },
    ],
    runner: [
      { path: entry.path, settings: runner },
      { path: owner.path, settings: owner.target },
      { path: DEFAULTS_PATH, settings: defaults },
    ],
    dind: [
      { path: childPath(entry.path, "dind"), settings: runner.dind },
      { path: childPath(owner.path, "dind"), settings: owner.target.dind },
      { path: childPath(DEFAULTS_PATH, "dind"), settings: defaults?.dind },
    ],
  };
}
