/**
 * Runner-config drift of one runner manager (a Docker host or a cluster): read
 * its live config.toml, compare it with the desired render. Never throws: a
 * manager that cannot be read becomes an `error` check, so one unreachable host
 * does not hide what the others show.
 */
import {
  compareRunnerConfig,
  type ConfigDifference,
  type IgnoredDifference,
} from "./compare-runner-config.js";
import type { ExecutorVariant, ManagerTarget } from "../model/fleet.js";
import type { HousekeepingState } from "./docker-housekeeping-state.js";
import type { LiveConfigRead } from "./live-config.js";

/** One runner manager to check: a host or cluster of the fleet, and how to reach it. */
export interface DriftTarget {
  /** The Docker host or cluster, from the stack config. */
  readonly target: ManagerTarget;
  /** Where it is: the Docker endpoint URL, or `context <c>, namespace <n>`. */
  readonly location: string;
  /** config.toml as `pulumi up` would deploy it, secrets redacted. */
  readonly desiredConfigToml: string;
  /** Reads the live config.toml; throws LiveReadError when it cannot. */
  readonly readLive: () => Promise<LiveConfigRead>;
  /** Looks at the host's housekeeping container; absent where none is deployed (clusters, switched off). */
  readonly readHousekeeping?: () => Promise<HousekeepingState>;
}

/** What was found on the manager. */
export type LiveState = "found" | "missing-file" | "missing-manager" | "unparseable";

export interface RunnerConfigCheck {
  readonly variant: ExecutorVariant;
  readonly name: string;
  readonly location: string;
  /** `error`: could not be checked (see `error`). */
  readonly status: "in-sync" | "drift" | "error";
  /** Absent when the check failed before anything was found. */
  readonly live?: LiveState;
  /** Where the live config was read or looked for. */
  readonly source?: string;
  /** 1-based position of the first TOML syntax error when `live` is `unparseable`. */
  readonly syntaxErrorAt?: { readonly line: number; readonly column: number };
  readonly differences: readonly ConfigDifference[];
  readonly ignored: readonly IgnoredDifference[];
  /** The housekeeping container, where one is deployed; anything but running is drift. */
  readonly housekeeping?: HousekeepingState;
  readonly error?: string;
}

export async function checkRunnerConfig(target: DriftTarget): Promise<RunnerConfigCheck> {
  const check = await checkConfigToml(target);
  if (check.status === "error" || target.readHousekeeping === undefined) return check;
  let housekeeping: HousekeepingState;
  try {
    housekeeping = await target.readHousekeeping();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { ...check, status: "error", error: message };
  }
  return {
    ...check,
    ...(housekeeping.status === "running" ? {} : { status: "drift" }),
    housekeeping,
  };
}

async function checkConfigToml(target: DriftTarget): Promise<RunnerConfigCheck> {
  const { variant, name } = target.target;
  const base = { variant, name, location: target.location };
  let read: LiveConfigRead;
  try {
    read = await target.readLive();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { ...base, status: "error", differences: [], ignored: [], error: message };
  }
  if (read.status !== "found") {
    return {
      ...base,
      status: "drift",
      live: read.status,
      source: read.source,
      differences: [],
      ignored: [],
    };
  }
  const comparison = compareRunnerConfig(target.desiredConfigToml, read.text);
  if (!comparison.parsed) {
    return {
      ...base,
      status: "drift",
      live: "unparseable",
      source: read.source,
      syntaxErrorAt: { line: comparison.line, column: comparison.column },
      differences: [],
      ignored: [],
    };
  }
  return {
    ...base,
    status: comparison.differences.length > 0 ? "drift" : "in-sync",
    live: "found",
    source: read.source,
    differences: comparison.differences,
    ignored: comparison.ignored,
  };
}
