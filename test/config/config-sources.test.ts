/**
 * `npm run render` reads the stack file; `pulumi up` gets the same config from
 * the Pulumi runtime (the CLI passes it in PULUMI_CONFIG; the SDK's
 * runtime.allConfig() returns it). Both must accept exactly the same stacks: each
 * stack below is fed to both paths and must give the same result, valid or not.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { parse } from "yaml";
import { loadFleet, type LoadResult } from "../../components/config/load/load-fleet.js";
import { rawConfigFromPulumi } from "../../components/config/read/pulumi-config.js";
import { readStackFile } from "../../components/config/read/stack-file.js";
import { RENDER } from "./stack-values.js";

let dir = "";
before(() => {
  dir = mkdtempSync(join(tmpdir(), "dind-runners-sources-"));
});
after(() => rmSync(dir, { recursive: true, force: true }));

/**
 * What the Pulumi CLI hands the program for a stack file: every key as text, a
 * structured value (set with --path) as its JSON. The SDK reads it back through
 * PULUMI_CONFIG, as under `pulumi up`.
 */
function throughPulumiRuntime(stackYaml: string, environment: string): LoadResult {
  const config = (parse(stackYaml) as { config: Record<string, unknown> }).config;
  const passed = Object.fromEntries(
    Object.entries(config).map(([key, value]) => [
      key,
      typeof value === "string" ? value : JSON.stringify(value),
    ]),
  );
  pulumi.runtime.setAllConfig(passed, []);
  return loadFleet(rawConfigFromPulumi(pulumi.runtime.allConfig(), environment), RENDER);
}

function throughStackFile(stackYaml: string, environment: string): LoadResult {
  writeFileSync(join(dir, `Pulumi.${environment}.yaml`), stackYaml);
  return loadFleet(readStackFile(environment, dir), RENDER);
}

const HOSTS = [
  "  dind-runners:dockerHosts:",
  "    - name: build-1",
  "      endpoint: ssh://deploy@build-1.example.internal",
  "      concurrent: 8",
  "      runners:",
  "        - name: build-1-dind",
  "          tags: [dind]",
];

const STACKS: Readonly<Record<string, readonly string[]>> = {
  // `pulumi config set production true` and `pulumi config set gitlab '{"url": ...}'`
  "written-by-pulumi-config-set": [
    "config:",
    '  dind-runners:production: "true"',
    '  dind-runners:gitlab: \'{"url":"https://gitlab.example.com"}\'',
    ...HOSTS,
  ],
  // The same values set with --path: YAML booleans and maps.
  "written-with-path": [
    "config:",
    "  dind-runners:production: true",
    "  dind-runners:gitlab:",
    "    url: https://gitlab.example.com",
    ...HOSTS,
  ],
  // A nested "8" stays text in both: only top-level values are JSON text.
  "nested-text-number": [
    "config:",
    "  dind-runners:gitlab:",
    "    url: https://gitlab.example.com",
    ...HOSTS.map((line) => line.replace("concurrent: 8", 'concurrent: "8"')),
  ],
  "text-that-is-not-json": [
    "config:",
    "  dind-runners:production: yes please",
    "  dind-runners:gitlab: https://gitlab.example.com",
    ...HOSTS,
  ],
};

describe("render and pulumi up read a stack the same way", () => {
  for (const [name, lines] of Object.entries(STACKS)) {
    it(name, () => {
      const yaml = [...lines, ""].join("\n");
      assert.deepEqual(throughStackFile(yaml, name), throughPulumiRuntime(yaml, name));
    });
  }

  it("accepts what `pulumi config set` writes, with the same fleet as --path values", () => {
    const bySet = throughStackFile(
      [...(STACKS["written-by-pulumi-config-set"] ?? []), ""].join("\n"),
      "prod",
    );
    const byPath = throughStackFile(
      [...(STACKS["written-with-path"] ?? []), ""].join("\n"),
      "prod",
    );
    assert.ok(bySet.ok, JSON.stringify(bySet));
    assert.deepEqual(bySet, byPath);
    assert.equal(bySet.fleet.production, true);
  });

  it("refuses text where a nested number belongs, on both paths alike", () => {
    const result = throughStackFile(
      [...(STACKS["nested-text-number"] ?? []), ""].join("\n"),
      "nested",
    );
    const errors = result.ok ? [] : result.issues.filter((issue) => issue.severity === "error");
    assert.deepEqual(
      errors.map((issue) => `${issue.path}: ${issue.message}`),
      ['dockerHosts[0].concurrent: expected an integer from 1 to 1000, found "8"'],
    );
  });
});
