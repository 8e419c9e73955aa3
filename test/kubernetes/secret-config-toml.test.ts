import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { secretConfigToml } from "../../components/kubernetes/secret-config-toml.js";
import { managerConfigToml } from "../../components/render/config-toml.js";
import { fakeTokenText, smallKubernetesFleet } from "../render/fixtures.js";
import { outputValue, recordPulumiResources } from "../support/pulumi-mocks.js";

describe("secretConfigToml", () => {
  before(async () => {
    await recordPulumiResources();
  });

  const input = smallKubernetesFleet();
  const cluster = input.kubernetesClusters[0]!;
  const path = cluster.runners[0]!.token.configPath;

  it("renders config.toml with each runner's own token", async () => {
    const text = await outputValue(
      secretConfigToml(input, cluster, {
        [path]: pulumi.secret(fakeTokenText(cluster.runners[0]!.token)),
      }),
    );
    assert.equal(text, managerConfigToml(input, cluster, fakeTokenText));
  });

  it("is a secret even when the tokens were passed as plain strings", async () => {
    const output = secretConfigToml(input, cluster, { [path]: "glrt-plain" });
    assert.equal(await pulumi.isSecret(output), true);
    assert.match(await outputValue(output), /^token = "glrt-plain"$/m);
  });
});
