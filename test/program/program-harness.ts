/**
 * Runs the real Pulumi program (index.ts) for an example stack under Pulumi's
 * mocks: the stack file's config plus fake tokens, marked secret the way the
 * Pulumi CLI marks them. Node's test runner gives each test file its own process,
 * so each file runs the program once.
 */
import * as pulumi from "@pulumi/pulumi";
import { loadFleet } from "../../components/config/load/load-fleet.js";
import { readStackFile } from "../../components/config/read/stack-file.js";
import type { Fleet } from "../../components/model/fleet.js";
import {
  outputValue,
  recordPulumiResources,
  type ProviderOutputs,
  type RecordedResource,
} from "../support/pulumi-mocks.js";

export const FAKE_KEY =
  "-----BEGIN PRIVATE KEY-----\nZmFrZS10ZXN0LWtleQ==\n-----END PRIVATE KEY-----\n";

/** The fake value of a cache credential: its config path, recognisable in any text. */
export function fakeCacheCredential(configPath: string): string {
  return `fake-cache-credential-${configPath.replace(/[^A-Za-z0-9]+/g, "-")}`;
}

export function fakeToken(runner: string): string {
  return `glrt-test-${runner}-0123456789`;
}

interface Named {
  name?: unknown;
  cache?: unknown;
  runners?: unknown;
  endpoint?: unknown;
  tls?: Record<string, unknown>;
}

/**
 * The stack's config values with a fake token for every runner, a fake key for tcp
 * hosts, and fake cache keys for each host or cluster whose S3 cache uses `access-key`.
 */
export function configWithSecrets(stack: string): Record<string, unknown> {
  const values = structuredClone(readStackFile(stack).values) as Record<string, unknown>;
  for (const key of ["dockerHosts", "kubernetesClusters"]) {
    for (const [index, target] of ((values[key] as Named[] | undefined) ?? []).entries()) {
      for (const runner of (target.runners as Named[] | undefined) ?? []) {
        (runner as Record<string, unknown>)["token"] = fakeToken(String(runner.name));
      }
      if (target.tls !== undefined) target.tls["clientKey"] = FAKE_KEY;
      const s3 = (target.cache as { s3?: Record<string, unknown> } | undefined)?.s3;
      if (s3?.["authenticationType"] === "access-key") {
        for (const secret of ["accessKey", "secretKey"]) {
          s3[secret] = fakeCacheCredential(`${key}[${index}].cache.s3.${secret}`);
        }
      }
    }
  }
  return values;
}

/** Pulumi's config map: structured values as JSON strings under `dind-runners:`. */
export function pulumiConfig(values: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(values).map(([key, value]) => [
      `dind-runners:${key}`,
      typeof value === "string" ? value : JSON.stringify(value),
    ]),
  );
}

export interface ProgramRun {
  readonly fleet: Fleet;
  readonly resources: readonly RecordedResource[];
  readonly outputs: Record<string, unknown>;
  /** Everything written to stdout/stderr and the console while the program ran. */
  readonly logs: string;
  /**
   * What the program threw, if it did (a RunError for bad config), or the
   * engine's error for the first registration it refused (a duplicate URN):
   * either fails `pulumi up`.
   */
  readonly error?: unknown;
}

/** Captures process output while `body` runs (Pulumi's log under mocks goes there). */
async function capturingLogs<T>(body: () => Promise<T>): Promise<{ value: T; logs: string }> {
  let logs = "";
  const stdout = process.stdout.write.bind(process.stdout);
  const stderr = process.stderr.write.bind(process.stderr);
  const capture = (chunk: string | Uint8Array): boolean => {
    logs += typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8");
    return true;
  };
  process.stdout.write = capture;
  process.stderr.write = capture;
  try {
    return { value: await body(), logs };
  } finally {
    process.stdout.write = stdout;
    process.stderr.write = stderr;
  }
}

/** Imports the program (index.ts) and resolves its stack outputs. */
async function runIndex(): Promise<{ outputs: Record<string, unknown>; error: unknown }> {
  let program: Record<string, unknown>;
  try {
    program = await import("../../index.js");
  } catch (error) {
    return { outputs: {}, error };
  }
  const resolved: Record<string, unknown> = {};
  for (const [name, output] of Object.entries(program)) {
    resolved[name] = await outputValue(pulumi.output(output));
  }
  // Let the last registrations reach the mock monitor.
  await new Promise((resolve) => setTimeout(resolve, 50));
  return { outputs: resolved, error: undefined };
}

export async function runProgram(
  stack: string,
  values: Record<string, unknown> = configWithSecrets(stack),
  secretKeys: readonly string[] = ["dind-runners:dockerHosts", "dind-runners:kubernetesClusters"],
  providerOutputs?: ProviderOutputs,
): Promise<ProgramRun> {
  const recorder = await recordPulumiResources(stack, providerOutputs);
  pulumi.runtime.setAllConfig(pulumiConfig(values), [...secretKeys]);
  const { value: outcome, logs } = await capturingLogs(() =>
    // A refused registration fails `pulumi up`; the outputs that depend on
    // the refused resource would never settle.
    Promise.race([
      runIndex(),
      recorder.refusal.then((message) => ({ outputs: {}, error: new Error(message) })),
    ]),
  );
  const loaded = loadFleet(readStackFile(stack), {
    requireSecrets: false,
    plaintextSecretsAllowed: false,
  });
  if (!loaded.ok) throw new Error(`stack ${stack} does not load`);
  const error =
    outcome.error ?? (recorder.refused.length > 0 ? new Error(recorder.refused[0]) : undefined);
  return {
    fleet: loaded.fleet,
    resources: recorder.resources,
    outputs: outcome.outputs,
    logs,
    ...(error === undefined ? {} : { error }),
  };
}
