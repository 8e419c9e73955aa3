import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  plaintextSecretIssues,
  topLevelKey,
} from "../../components/config/read/plaintext-secret-check.js";

describe("plaintextSecretIssues", () => {
  it("accepts secrets whose top-level key Pulumi marks as secret", () => {
    const secretKeys = new Set(["dockerHosts"]);
    assert.deepEqual(
      plaintextSecretIssues(
        ["dockerHosts[0].runners[0].token", "dockerHosts[1].tls.clientKey"],
        (k) => secretKeys.has(k),
      ),
      [],
    );
  });

  it("reports a token committed in plaintext, with the command that stores it as a secret", () => {
    const issues = plaintextSecretIssues(
      ["dockerHosts[0].runners[0].token", "kubernetesClusters[0].runners[0].token"],
      (key) => key === "dockerHosts",
    );
    assert.deepEqual(issues, [
      {
        path: "kubernetesClusters[0].runners[0].token",
        severity: "error",
        message:
          "expected a Pulumi secret, found a plaintext value in the stack file; remove it and set it with: pulumi config set --secret --path 'kubernetesClusters[0].runners[0].token' <value>",
      },
    ]);
  });

  it("finds the top-level key of a config path", () => {
    assert.equal(topLevelKey("dockerHosts[0].runners[1].token"), "dockerHosts");
    assert.equal(topLevelKey("gitlab.url"), "gitlab");
  });
});
