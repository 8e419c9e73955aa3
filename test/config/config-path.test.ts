import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { childPath, formatConfigPath } from "../../components/config/config-path.js";

describe("config paths", () => {
  it("are written as pulumi config set --path expects them", () => {
    assert.equal(
      formatConfigPath(["dockerHosts", 1, "runners", 0, "dind", "insecureRegistries", 0]),
      "dockerHosts[1].runners[0].dind.insecureRegistries[0]",
    );
  });

  it("quote keys that are not plain identifiers", () => {
    assert.equal(
      formatConfigPath(["defaults", "dind", "extraHosts", "registry.example.com"]),
      'defaults.dind.extraHosts["registry.example.com"]',
    );
    assert.equal(childPath("", "dind-runner:gitlab"), '["dind-runner:gitlab"]');
  });

  it("start at the root with the key alone", () => {
    assert.equal(childPath("", "gitlab"), "gitlab");
    assert.equal(formatConfigPath([]), "");
  });
});
