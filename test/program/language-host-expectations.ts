/**
 * `pulumi up` of an example stack, started the way Pulumi's Node language host
 * starts it (test/support/language-host.ts: Pulumi.yaml's `main` and
 * `nodeargs`, the SDK's run entry with the engine's arguments, the config in
 * PULUMI_CONFIG) against an in-process engine over gRPC
 * (test/support/fake-pulumi-engine.ts). It must register exactly what the
 * mock-engine tests of the same stack check in detail (stack-expectations.ts),
 * with the same inputs, and export the same stack outputs.
 */
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import type { Struct } from "google-protobuf/google/protobuf/struct_pb.js";
import { startFakeEngine, type FakeEngine } from "../support/fake-pulumi-engine.js";
import { runAsLanguageHost, type LanguageHostRun } from "../support/language-host.js";
import { readProgramStart } from "../support/program-start.js";
import { withoutSecrets } from "../support/pulumi-mocks.js";
import { repeatedIdentities } from "../support/pulumi-urn.js";
import { REPO } from "../support/run-cli.js";
import { configWithSecrets, pulumiConfig, runProgram, type ProgramRun } from "./program-harness.js";

const PROJECT = "dind-runners";
/** The keys `pulumi config set --secret --path` marks secret in the example stacks. */
const SECRET_KEYS = [`${PROJECT}:dockerHosts`, `${PROJECT}:kubernetesClusters`];

/** Wire values as the SDK reads them back: secrets kept wrapped, everything else plain. */
function deserialized(wire: Record<string, unknown>): Record<string, unknown> {
  const struct = { toJavaScript: () => wire } as unknown as Struct;
  return pulumi.runtime.deserializeProperties(struct);
}

/** `<urn>::<id>` of a provider reference, down to `<name>::<id>` (URN formats differ). */
function providerRef(reference: string | undefined): string | undefined {
  return reference === undefined || reference === ""
    ? undefined
    : reference.split("::").slice(-2).join("::");
}

export async function startStack(
  stack: string,
  secretKeys: readonly string[] = SECRET_KEYS,
): Promise<{ engine: FakeEngine; run: LanguageHostRun }> {
  const main = join(REPO, readProgramStart(REPO).main);
  if (!existsSync(main))
    throw new Error(`${main} is missing: run \`npm run build\` (npm test does)`);
  const engine = await startFakeEngine(PROJECT, stack);
  const run = await runAsLanguageHost({
    projectRoot: REPO,
    project: PROJECT,
    organization: "dind-runners-test",
    stack,
    engineAddress: engine.address,
    config: pulumiConfig(configWithSecrets(stack)),
    secretKeys,
  });
  return { engine, run };
}

export function describeLanguageHostStart(stack: string): void {
  describe(`pulumi up of stack ${stack}, started as the Node language host starts it`, () => {
    let engine: FakeEngine;
    let run: LanguageHostRun;
    let mocked: ProgramRun;
    before(async () => {
      ({ engine, run } = await startStack(stack));
      mocked = await runProgram(stack);
      assert.equal(mocked.error, undefined);
    });
    after(() => engine.close());

    it("runs the program to the end without an error", () => {
      assert.equal(run.code, 0, `${run.command.join(" ")}\n${run.stderr}${run.stdout}`);
      assert.deepEqual(
        engine.logs.filter((log) => log.severity === "ERROR"),
        [],
      );
      assert.deepEqual(engine.unsupported, []);
    });

    it("registers the stack, with every component and provider below it", () => {
      const root = engine.rootUrn();
      assert.equal(
        root,
        `urn:pulumi:${stack}::${PROJECT}::pulumi:pulumi:Stack::${PROJECT}-${stack}`,
      );
      const stackResource = engine.registrations.find((r) => r.type === "pulumi:pulumi:Stack");
      assert.equal(stackResource?.urn, root);
      for (const registration of engine.registrations) {
        if (registration === stackResource) continue;
        assert.ok(
          registration.parent === root ||
            engine.registrations.some((r) => r.urn === registration.parent),
          `${registration.urn} has no registered parent`,
        );
      }
    });

    it("registers no two resources with the same type, name and parent (Pulumi refuses a repeated URN)", () => {
      assert.deepEqual(repeatedIdentities(engine.registrations), []);
      assert.deepEqual(repeatedIdentities(mocked.resources), []);
      assert.equal(
        new Set(engine.registrations.map((r) => r.urn)).size,
        engine.registrations.length,
      );
    });

    it("registers exactly the resources of the mock-engine run, with the same inputs and providers", () => {
      const viaLanguageHost = engine.registrations
        .filter((r) => r.type !== "pulumi:pulumi:Stack")
        .map((r) => ({
          type: r.type,
          name: r.name,
          provider: providerRef(r.provider),
          inputs: deserialized(r.inputs),
        }));
      const viaMocks = mocked.resources.map((r) => ({
        type: r.type,
        name: r.name,
        provider: providerRef(r.provider),
        inputs: r.inputs,
      }));
      const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);
      assert.deepEqual(viaLanguageHost.sort(byName), viaMocks.sort(byName));
    });

    it("exports the stack outputs of the mock-engine run", () => {
      const root = engine.rootUrn();
      assert.ok(root);
      const outputs = engine.outputs.get(root);
      assert.ok(outputs, "no outputs registered on the stack");
      // An undefined output (gitlabRunners without gitlab.manageRunners) is not registered.
      const expected = Object.fromEntries(
        Object.entries(mocked.outputs).filter(([, value]) => value !== undefined),
      );
      for (const name of ["dockerHosts", "kubernetesClusters", "runners"]) {
        assert.ok(name in outputs, `no stack output ${name}`);
      }
      assert.deepEqual(deserialized(outputs), expected);
    });

    it("keeps every runner token out of plain inputs, outputs and logs", () => {
      const plain = JSON.stringify(
        engine.registrations.map((r) => withoutSecrets(deserialized(r.inputs))),
      );
      const visible = [
        plain,
        JSON.stringify([...engine.outputs.values()].map((o) => withoutSecrets(deserialized(o)))),
        run.stdout,
        run.stderr,
        // The SDK's own DEBUG messages print each engine response whole, secret state
        // included (sdk/nodejs/runtime/resource.ts, "RegisterResource RPC finished");
        // Pulumi shows them only with --debug. Everything the program logs is checked.
        JSON.stringify(engine.logs.filter((log) => log.severity !== "DEBUG")),
      ];
      for (const text of visible) assert.doesNotMatch(text, /glrt-test-/);
    });
  });
}
