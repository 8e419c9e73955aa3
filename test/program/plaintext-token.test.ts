/**
 * A token committed to the stack file without `--secret` arrives in `pulumi up`
 * just like a decrypted one; the program tells them apart by Pulumi's list of
 * secret keys and refuses to deploy.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { runProgram, configWithSecrets } from "./program-harness.js";

describe("pulumi up with a token stored in plaintext", () => {
  it("refuses, naming the path and the command that stores it as a secret", async () => {
    const run = await runProgram("dev", configWithSecrets("dev"), []);
    const error = run.error;
    assert.ok(pulumi.RunError.isInstance(error), `expected a RunError, got ${String(error)}`);
    assert.deepEqual(run.resources, [], "no resource may be declared");
    assert.equal(
      error.message,
      [
        'stack "dev": 2 errors',
        "error: dockerHosts[0].runners[0].token: expected a Pulumi secret, found a plaintext value in the stack file; remove it and set it with: pulumi config set --secret --path 'dockerHosts[0].runners[0].token' <value>",
        "error: dockerHosts[0].runners[1].token: expected a Pulumi secret, found a plaintext value in the stack file; remove it and set it with: pulumi config set --secret --path 'dockerHosts[0].runners[1].token' <value>",
      ].join("\n"),
    );
    assert.doesNotMatch(error.message, /glrt-test/);
  });
});
