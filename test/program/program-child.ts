/**
 * Runs the program once for a stack with the config values read from stdin
 * (JSON) and prints what it declared as one JSON line. Tests that compare two
 * runs use one child process per run: index.ts declares its resources when it
 * is first imported, so a process runs the program only once.
 *
 * Usage: node --import tsx test/program/program-child.ts <stack> < values.json
 */
import { text } from "node:stream/consumers";
import type { RecordedResource } from "../support/pulumi-mocks.js";
import { runProgram } from "./program-harness.js";

export interface ChildRun {
  readonly resources: readonly RecordedResource[];
  readonly error?: string;
}

async function main(stack: string): Promise<void> {
  const values = JSON.parse(await text(process.stdin)) as Record<string, unknown>;
  const run = await runProgram(stack, values);
  const report: ChildRun = {
    resources: run.resources,
    ...(run.error === undefined
      ? {}
      : { error: run.error instanceof Error ? run.error.message : JSON.stringify(run.error) }),
  };
  process.stdout.write(JSON.stringify(report) + "\n");
}

if (require.main === module) void main(process.argv[2] ?? "dev");
