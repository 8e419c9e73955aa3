/**
 * Runs the duplicate-URN fixture program under the mocks harness and prints,
 * as one JSON line, what the harness refused, the URNs it registered and the
 * errors the program failed with (the SDK's rejections of the refused
 * resource's outputs, which fail a `pulumi up`). A child process: those
 * rejections are the program's, not a test's.
 *
 * Usage: node --import tsx test/program/duplicate-urn-child.ts
 */
import { join } from "node:path";
import { recordPulumiResources } from "../support/pulumi-mocks.js";
import { REPO } from "../support/run-cli.js";

export interface DuplicateUrnReport {
  readonly refused: readonly string[];
  readonly urns: readonly string[];
  readonly programErrors: readonly string[];
}

async function main(): Promise<void> {
  const programErrors = new Set<string>();
  process.on("unhandledRejection", (reason) => {
    programErrors.add(reason instanceof Error ? reason.message : String(reason));
  });
  const recorder = await recordPulumiResources("test");
  await import(join(REPO, "test", "program", "fixtures", "duplicate-urn", "index.cjs"));
  await recorder.refusal;
  // Let the SDK settle the refused resource's outputs.
  await new Promise((resolve) => setTimeout(resolve, 100));
  const report: DuplicateUrnReport = {
    refused: recorder.refused,
    urns: recorder.resources.map((resource) => resource.urn),
    programErrors: [...programErrors],
  };
  process.stdout.write(JSON.stringify(report) + "\n");
}

void main();
