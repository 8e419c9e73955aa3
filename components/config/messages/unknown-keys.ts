/**
 * Messages for keys a strict object does not know, with the likeliest fix: the
 * same key one level down (`tls` on a runner means `dind.tls`), where a misplaced
 * key belongs, or a close spelling.
 */
import { closestWord } from "./did-you-mean.js";
import { quoted } from "./describe-value.js";

/** Keys valid elsewhere in the stack config, and where they belong. */
const MISPLACED_KEY_HINTS: Readonly<Record<string, string>> = {
  manageOverlayModule:
    "it is a Docker host or cluster setting: set it in the host's or cluster's dind, or in defaults.dind",
  runnerImage: managerSettingHint("runnerImage"),
  concurrent: `${managerSettingHint("concurrent")}; a runner's own cap is limit`,
  checkInterval: managerSettingHint("checkInterval"),
  shutdownTimeoutSeconds: managerSettingHint("shutdownTimeoutSeconds"),
  listenAddress: managerSettingHint("listenAddress"),
  token: "tokens belong to runners: set it in runners[n].token",
};

function managerSettingHint(key: string): string {
  return `${key} is a runner-manager setting: set it on the Docker host or cluster, or in defaults`;
}

/** What an object schema knows: its own keys and, per nested object key, that object's keys. */
export interface KnownKeys {
  readonly keys: readonly string[];
  readonly nested: ReadonlyMap<string, readonly string[]>;
}

export function unknownKeysMessage(unknown: readonly string[], known: KnownKeys): string {
  const described = unknown.map((key) => {
    const hint = unknownKeyHint(key, known);
    return `${quoted(key)}${hint === undefined ? "" : ` (${hint})`}`;
  });
  return `unknown key${unknown.length === 1 ? "" : "s"} ${described.join(", ")}`;
}

function unknownKeyHint(key: string, known: KnownKeys): string | undefined {
  for (const [parent, keys] of known.nested) {
    if (keys.includes(key)) return `did you mean "${parent}.${key}"?`;
  }
  // Own keys only: `constructor` or `__proto__` must not find Object's own members.
  if (Object.hasOwn(MISPLACED_KEY_HINTS, key)) return MISPLACED_KEY_HINTS[key];
  const suggestion = closestWord(key, known.keys);
  return suggestion === undefined ? undefined : `did you mean "${suggestion}"?`;
}
