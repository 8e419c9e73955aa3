import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { describeLanguageHostStart, startStack } from "./language-host-expectations.js";

describeLanguageHostStart("dev");

describe("pulumi up of stack dev with a token Pulumi does not list as secret", () => {
  it("fails, naming the path, and registers nothing but the stack", async () => {
    const { engine, run } = await startStack("dev", []);
    try {
      assert.notEqual(run.code, 0);
      const errors = engine.logs
        .filter((log) => log.severity === "ERROR")
        .map((log) => log.message);
      assert.ok(
        errors.some((message) =>
          message.includes(
            "error: dockerHosts[0].runners[0].token: expected a Pulumi secret, found a plaintext value in the stack file",
          ),
        ),
        errors.join("\n"),
      );
      assert.deepEqual(
        engine.registrations.map((r) => r.type),
        ["pulumi:pulumi:Stack"],
      );
      assert.doesNotMatch(JSON.stringify(engine.logs) + run.stdout + run.stderr, /glrt-test-/);
    } finally {
      await engine.close();
    }
  });
});
