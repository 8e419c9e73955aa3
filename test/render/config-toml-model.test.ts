/**
 * Every key path of every config.toml we render must be one GitLab Runner
 * 19.x defines (the allowlist and its sources: test/support/gitlab-runner-keys.ts).
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { loadFleet } from "../../components/config/load/load-fleet.js";
import { readStackFile } from "../../components/config/read/stack-file.js";
import type { Fleet } from "../../components/model/fleet.js";
import { managerConfigToml } from "../../components/render/config-toml.js";
import { redactedSecretText } from "../../components/render/secret-text.js";
import { backendsFleet, smallDockerFleet, smallKubernetesFleet, varietyFleet } from "./fixtures.js";
import { unknownKeyPaths } from "../support/gitlab-runner-keys.js";

function renderedConfigs(fleet: Fleet): [string, string][] {
  return [
    ...fleet.dockerHosts.map((host): [string, string] => [
      `${fleet.environment}: docker host ${host.name}`,
      managerConfigToml(fleet, host, redactedSecretText),
    ]),
    ...fleet.kubernetesClusters.map((cluster): [string, string] => [
      `${fleet.environment}: kubernetes cluster ${cluster.name}`,
      managerConfigToml(fleet, cluster, redactedSecretText),
    ]),
  ];
}

function stackFleet(environment: string): Fleet {
  const loaded = loadFleet(readStackFile(environment), {
    requireSecrets: false,
    plaintextSecretsAllowed: false,
  });
  assert.ok(loaded.ok, `stack ${environment} should load`);
  return loaded.fleet;
}

describe("config.toml keys", () => {
  const fleets = [
    varietyFleet(),
    backendsFleet(),
    smallDockerFleet(),
    smallDockerFleet({ tls: false, privilegeMode: "all" }),
    smallKubernetesFleet(),
    smallKubernetesFleet({ tls: false, privilegeMode: "all" }),
    ...["dev", "staging", "prod"].map(stackFleet),
  ];
  for (const [what, text] of fleets.flatMap(renderedConfigs)) {
    it(`${what}: every key path is one GitLab Runner 19.x defines`, () => {
      assert.deepEqual(unknownKeyPaths(text), []);
    });
  }

  it("the check sees a misspelt or misplaced key", () => {
    assert.deepEqual(
      unknownKeyPaths(
        '[[runners]]\nname = "r"\n[runners.docker]\nprivilegd = true\n' +
          '[runners.kubernetes]\nvolumes = ["/certs/client"]\n',
      ),
      ["runners[].docker.privilegd", "runners[].kubernetes.volumes"],
    );
  });
});
