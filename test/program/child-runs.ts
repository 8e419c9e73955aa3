/**
 * Runs of the program in child processes, for tests that compare two `pulumi up`s
 * of one stack (index.ts declares its resources on first import, so a process
 * runs the program once: test/program/program-child.ts).
 */
import assert from "node:assert/strict";
import type { RecordedResource } from "../support/pulumi-mocks.js";
import { runJsonChild } from "../support/json-child.js";
import type { ChildRun } from "./program-child.js";

/** Runs the program for `stack` with `values` as its config, in a child process. */
export function runInChild(stack: string, values: Record<string, unknown>): Promise<ChildRun> {
  return runJsonChild<ChildRun>(
    ["--import", "tsx", "test/program/program-child.ts", stack],
    JSON.stringify(values),
  );
}

/** The inputs of the resource `name` of a run; fails the test when the run declared none. */
export function resourceInputs(run: ChildRun, name: string): RecordedResource["inputs"] {
  const found = run.resources.find((r) => r.name === name);
  assert.ok(found, `no resource ${name}`);
  return found.inputs;
}
