import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  configSizeIssue,
  pulumiConfigBytes,
} from "../../components/config/read/pulumi-config-size.js";
import { generatedStackValues } from "../support/generated-stack.js";

/** A fleet of `hosts` x 5 runners whose tokens are 100-character ciphertexts, as in a stack file. */
function stack(hosts: number): Record<string, unknown> {
  return generatedStackValues({ hosts, runnersPerHost: 5, clusters: 1 }, () => ({
    secure: `v1:${"c".repeat(97)}`,
  }));
}

describe("pulumiConfigBytes", () => {
  it("counts PULUMI_CONFIG as the language host builds it: namespaced keys, JSON text values, Go's escaping", () => {
    const values = { gitlab: { url: "https://a&b" }, note: "<x>" };
    const expected =
      'PULUMI_CONFIG={"dind-runners:config:gitlab":"{\\"url\\":\\"https://a\\u0026b\\"}",' +
      '"dind-runners:config:note":"\\u003cx\\u003e"}';
    assert.equal(pulumiConfigBytes(values), Buffer.byteLength(expected));
  });

  it("counts an encrypted value at its ciphertext's length", () => {
    assert.equal(
      pulumiConfigBytes({ token: { secure: "v1:abc" } }),
      pulumiConfigBytes({ token: "v1:abc" }),
    );
    assert.equal(
      pulumiConfigBytes({ hosts: [{ token: { secure: "v1:abcdef" } }] }),
      pulumiConfigBytes({ hosts: [{ token: "v1:abcdef" }] }),
    );
  });
});

describe("configSizeIssue", () => {
  it("says nothing for the example-sized fleets", () => {
    assert.equal(configSizeIssue(stack(50)), undefined);
  });

  it("warns above 96 KiB, naming the size and how to split the fleet", () => {
    const values = stack(95);
    const kib = (pulumiConfigBytes(values) / 1024).toFixed(1);
    assert.ok(Number(kib) > 96 && Number(kib) <= 120, kib);
    assert.deepEqual(configSizeIssue(values), {
      path: "",
      severity: "warning",
      message:
        `the stack config is ${kib} KiB as Pulumi passes it to the program (the environment ` +
        "variable PULUMI_CONFIG, secrets counted at their encrypted length), close to the 128 KiB " +
        "Linux allows one environment variable (pulumi/pulumi#8680; render refuses above 120 KiB); " +
        "before the fleet grows further, split the fleet across stacks, e.g. " +
        "stacks/Pulumi.prod-a.yaml and stacks/Pulumi.prod-b.yaml each with part of dockerHosts and " +
        'kubernetesClusters (docs/operations.md "Large fleets")',
    });
  });

  it("is an error above 120 KiB", () => {
    const values = stack(130);
    const kib = (pulumiConfigBytes(values) / 1024).toFixed(1);
    assert.ok(Number(kib) > 120, kib);
    const issue = configSizeIssue(values);
    assert.equal(issue?.severity, "error");
    assert.equal(
      issue?.message,
      `the stack config is ${kib} KiB as Pulumi passes it to the program (the environment ` +
        "variable PULUMI_CONFIG, secrets counted at their encrypted length), above the 120 KiB this " +
        "project allows: Linux refuses one environment variable above 128 KiB and pulumi up would " +
        "fail before the program starts (pulumi/pulumi#8680); split the fleet across stacks, e.g. " +
        "stacks/Pulumi.prod-a.yaml and stacks/Pulumi.prod-b.yaml each with part of dockerHosts and " +
        'kubernetesClusters (docs/operations.md "Large fleets")',
    );
  });
});
