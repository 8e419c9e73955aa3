/**
 * Prometheus' own rule checker, `promtool` (Debian's `prometheus` package,
 * installed by .ci/run): the alert rules are proven by the program that will
 * load them, not by a stand-in. Without it the tests skip, by name; under CI
 * (CI=true), where .ci/run installs it, they fail instead.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import type { TestContext } from "node:test";
import { findExecutable } from "../../components/drift/find-executable.js";

export const PROMTOOL_MISSING =
  "promtool is not on PATH: install Debian's prometheus package (apt-get install prometheus)";

/** The path of promtool, or undefined. */
export function promtoolPath(): string | undefined {
  return findExecutable("promtool", process.env["PATH"]);
}

/** Skips the test when promtool is missing (fails under CI); returns its path otherwise. */
export function requirePromtool(t: TestContext): string | undefined {
  const path = promtoolPath();
  if (path !== undefined) return path;
  if (process.env["CI"] === "true") assert.fail(`promtool required under CI: ${PROMTOOL_MISSING}`);
  t.skip(PROMTOOL_MISSING);
  return undefined;
}

export interface PromtoolResult {
  readonly status: number | null;
  /** stdout and stderr together, as promtool prints its findings on both. */
  readonly output: string;
}

export function runPromtool(path: string, args: readonly string[], cwd: string): PromtoolResult {
  const result = spawnSync(path, args, { cwd, encoding: "utf8" });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}
