import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { childPath, formatConfigPath } from "../../components/config/messages/config-path.js";

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

  it("leave names with dashes bare, as TOML and Pulumi's path parser read them", () => {
    assert.equal(childPath('runners["a"]', "tls-ca-file"), 'runners["a"].tls-ca-file');
    assert.equal(childPath("sysctls", "net.ipv4.ip_forward"), 'sysctls["net.ipv4.ip_forward"]');
    assert.equal(childPath("labels", "1st"), 'labels["1st"]');
    assert.equal(childPath("labels", "-x"), 'labels["-x"]');
  });

  it("start at the root with the key alone", () => {
    assert.equal(childPath("", "gitlab"), "gitlab");
    assert.equal(formatConfigPath([]), "");
  });
});
