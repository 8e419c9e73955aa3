/**
 * `gitlab.apiToken` committed to the stack file without `--secret` arrives in
 * `pulumi up` like a decrypted one; the program tells them apart by Pulumi's
 * list of secret keys and refuses to deploy, as for runner tokens.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { configWithSecrets, runProgram } from "./program-harness.js";

describe("pulumi up with the GitLab API token stored in plaintext", () => {
  it("refuses, naming the path and the command that stores it as a secret", async () => {
    const values = configWithSecrets("dev") as {
      gitlab: Record<string, unknown>;
      dockerHosts: { runners: Record<string, unknown>[] }[];
    };
    values.gitlab["manageRunners"] = true;
    values.gitlab["apiToken"] = "glpat-plaintext-0123456789";
    for (const host of values.dockerHosts) {
      for (const runner of host.runners) {
        delete runner["token"];
        runner["scope"] = "instance";
      }
    }
    const run = await runProgram("dev", values, ["dind-runners:dockerHosts"]);
    const error = run.error;
    assert.ok(pulumi.RunError.isInstance(error), `expected a RunError, got ${String(error)}`);
    assert.deepEqual(run.resources, [], "no resource may be declared");
    assert.equal(
      error.message,
      [
        'stack "dev": 1 error',
        "error: gitlab.apiToken: expected a Pulumi secret, found a plaintext value in the stack file; remove it and set it with: pulumi config set --secret --path 'gitlab.apiToken' <value>",
      ].join("\n"),
    );
    assert.ok(!error.message.includes("glpat-plaintext") && !run.logs.includes("glpat-plaintext"));
  });
});
