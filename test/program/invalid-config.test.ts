/**
 * `pulumi up` with a broken stack config: the program stops with a RunError
 * (which Pulumi prints without a stack trace) listing every problem, before it
 * declares any resource.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { configWithSecrets, runProgram } from "./program-harness.js";

describe("pulumi up of an invalid stack", () => {
  it("lists every problem with its path and declares nothing", async () => {
    const values = configWithSecrets("prod");
    const defaults = values["defaults"] as { dind: Record<string, unknown> };
    defaults.dind["insecureRegistries"] = ["https://registry.prod.example.internal:5000"];
    defaults.dind["dockerVersion"] = "latest";
    const run = await runProgram("prod", values);
    const error = run.error;
    assert.ok(pulumi.RunError.isInstance(error), `expected a RunError, got ${String(error)}`);
    assert.deepEqual(run.resources, [], "no resource may be declared");
    assert.equal(
      error.message.split("\n").slice(0, 3).join("\n"),
      [
        'stack "prod": 2 errors',
        'error: defaults.dind.dockerVersion: expected a pinned Docker version x.y.z such as 29.7.2, found "latest"; a tag like this moves with every Docker release; pin a version',
        'error: defaults.dind.insecureRegistries[0]: expected host[:port] without a scheme, found "https://registry.prod.example.internal:5000"; dockerd refuses to start with a scheme here: write "registry.prod.example.internal:5000"',
      ].join("\n"),
    );
  });
});
