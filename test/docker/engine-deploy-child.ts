/**
 * One `pulumi up` of the real program (index.ts) against the real Docker
 * engine: Pulumi's mocks with test/support/engine-provider.ts as the Docker
 * provider, the stack config read from stdin, the provider state kept in a
 * file between runs. One process per deploy, because index.ts declares its
 * resources when it is first imported; and a failing deploy surfaces as an
 * unhandled rejection (as in `pulumi up`, whose handler prints it).
 *
 * Usage: node --import tsx test/docker/engine-deploy-child.ts < request.json
 * Prints one JSON line: {@link DeployReport}.
 */
import { text } from "node:stream/consumers";
import * as pulumi from "@pulumi/pulumi";
import { engine } from "../support/docker-test-engine.js";
import { EngineProvider, type AppliedOperation } from "../support/engine-provider.js";
import { captureLoggedErrors, outputValue } from "../support/pulumi-mocks.js";
import { pulumiConfig } from "../program/program-harness.js";

export interface DeployRequest {
  readonly stack: string;
  /** The `dind-runners:` config values, tokens in plaintext (marked secret as the CLI does). */
  readonly values: Record<string, unknown>;
  /** Provider state between deploys of one scenario. */
  readonly statePath: string;
}

export interface DeployReport {
  /** What happened to each resource, in the order the provider saw it. */
  readonly operations: readonly AppliedOperation[];
  /** What the program logged as errors under a resource (`pulumi.log.error`). */
  readonly logged: readonly string[];
  /** Messages of the errors that made the deploy fail; empty when it succeeded. */
  readonly errors: readonly string[];
  /** The stack outputs of a successful deploy. */
  readonly outputs: Record<string, unknown>;
}

/** Longest a deploy may take; the manager's graceful stop is the slow part. */
const DEPLOY_TIMEOUT_MS = 120_000;

async function deploy(request: DeployRequest): Promise<DeployReport> {
  // Messages as they read when the error is reported (the Pulumi SDK later
  // prefixes the message of the same error object where it passes through
  // serialization); `pulumi up`'s handler reports an error once, when first seen.
  const errors = new Map<unknown, string>();
  let failed: (error: unknown) => void = () => undefined;
  const failure = new Promise<void>((resolve) => {
    failed = (error) => {
      if (!errors.has(error)) {
        errors.set(error, error instanceof Error ? error.message : String(error));
      }
      resolve();
    };
  });
  process.on("unhandledRejection", failed);
  const logged = captureLoggedErrors();
  process.on("uncaughtException", failed);

  const provider = new EngineProvider(engine, request.statePath);
  await pulumi.runtime.setMocks(provider.mocks(), "dind-runners", request.stack, false);
  pulumi.runtime.setAllConfig(pulumiConfig(request.values), [
    "dind-runners:dockerHosts",
    "dind-runners:kubernetesClusters",
  ]);

  const outputs: Record<string, unknown> = {};
  const program = async (): Promise<void> => {
    const exported = (await import("../../index.js")) as Record<string, unknown>;
    for (const [name, output] of Object.entries(exported)) {
      outputs[name] = await outputValue(pulumi.output(output));
    }
  };
  const timeout = new Promise<void>((resolve) =>
    setTimeout(() => {
      failed(new Error(`the deploy did not finish within ${DEPLOY_TIMEOUT_MS / 1000} s`));
      resolve();
    }, DEPLOY_TIMEOUT_MS).unref(),
  );
  await Promise.race([program().catch(failed), failure, timeout]);
  await provider.settled();
  const succeeded = errors.size === 0 && logged.length === 0;
  await provider.finish(succeeded);
  return {
    operations: provider.operations,
    logged: [...logged],
    errors: [...new Set(errors.values())],
    outputs: succeeded ? outputs : {},
  };
}

async function main(): Promise<void> {
  const request = JSON.parse(await text(process.stdin)) as DeployRequest;
  const report = await deploy(request);
  process.stdout.write(JSON.stringify(report) + "\n");
  process.exit(0);
}

if (require.main === module) void main();
