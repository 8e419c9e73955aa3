import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { redactedSecretText } from "../../components/render/secret-text.js";
import { secretRef } from "./fixtures.js";

describe("redactedSecretText", () => {
  it("names the Pulumi secret by its stack-config path", () => {
    assert.equal(
      redactedSecretText(secretRef("dockerHosts[1].runners[0].token")),
      "[redacted: Pulumi secret dind-runners:dockerHosts[1].runners[0].token]",
    );
  });
});
