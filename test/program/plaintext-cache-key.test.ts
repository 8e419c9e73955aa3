/**
 * A cache credential committed to the stack file without `--secret` arrives in
 * `pulumi up` like a decrypted one; as with tokens, Pulumi's list of secret keys
 * tells them apart, and the program refuses to deploy without showing the value.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { runProgram, configWithSecrets } from "./program-harness.js";

describe("pulumi up with a cache key stored in plaintext", () => {
  it("refuses, naming each path and the command that stores it as a secret", async () => {
    const values = configWithSecrets("dev");
    values["defaults"] = {
      cache: {
        type: "s3",
        s3: { bucketName: "dev-cache", accessKey: "AKIAPLAIN", secretKey: "plain-secret" },
      },
    };
    // The tokens are secrets (their key is listed); `defaults` holds no secure value.
    const run = await runProgram("dev", values, ["dind-runners:dockerHosts"]);
    const error = run.error;
    assert.ok(pulumi.RunError.isInstance(error), `expected a RunError, got ${String(error)}`);
    assert.deepEqual(run.resources, [], "no resource may be declared");
    assert.equal(
      error.message,
      [
        'stack "dev": 2 errors',
        "error: defaults.cache.s3.accessKey: expected a Pulumi secret, found a plaintext value in the stack file; remove it and set it with: pulumi config set --secret --path 'defaults.cache.s3.accessKey' <value>",
        "error: defaults.cache.s3.secretKey: expected a Pulumi secret, found a plaintext value in the stack file; remove it and set it with: pulumi config set --secret --path 'defaults.cache.s3.secretKey' <value>",
      ].join("\n"),
    );
    assert.doesNotMatch(`${error.message}\n${run.logs}`, /AKIAPLAIN|plain-secret/);
  });
});
