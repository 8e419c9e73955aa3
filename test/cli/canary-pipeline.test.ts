/**
 * `npm run canary-pipeline`: its arguments, and what it prints for the example
 * stacks or a broken one (the pipeline on stdout, problems on stderr, nothing half-way).
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import {
  CANARY_PIPELINE_USAGE,
  parseCanaryPipelineArgs,
} from "../../components/cli/canary-pipeline-args.js";
import { canaryPipelineMain } from "../../components/cli/canary-pipeline-main.js";

async function main(
  argv: readonly string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const code = await canaryPipelineMain(argv, {
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
  });
  return { code, stdout, stderr };
}

describe("parseCanaryPipelineArgs", () => {
  it("takes repeated stacks, the component and the stacks directory", () => {
    assert.deepEqual(
      parseCanaryPipelineArgs([
        "--stack",
        "dev",
        "--stack=prod",
        "--component",
        "a/b/dind-check@1",
        "--stacks-dir",
        "s",
      ]),
      {
        ok: true,
        args: { stacks: ["dev", "prod"], component: "a/b/dind-check@1", stacksDir: "s" },
      },
    );
    assert.deepEqual(parseCanaryPipelineArgs(["--stack", "dev"]), {
      ok: true,
      args: { stacks: ["dev"], stacksDir: "stacks" },
    });
  });

  it("requires a stack, refuses one given twice, and prints its usage on --help", () => {
    assert.deepEqual(parseCanaryPipelineArgs([]), {
      ok: false,
      error: "at least one --stack <env> is required",
    });
    assert.deepEqual(parseCanaryPipelineArgs(["--stack", "dev", "--stack", "dev"]), {
      ok: false,
      error: "--stack dev is given twice",
    });
    assert.deepEqual(parseCanaryPipelineArgs(["--help"]), {
      ok: false,
      error: CANARY_PIPELINE_USAGE,
      help: true,
    });
  });
});

describe("canaryPipelineMain", () => {
  it("prints one pipeline with the canaries of every stack given, at the component given", async () => {
    const result = await main([
      "--stack",
      "dev",
      "--stack",
      "prod",
      "--component",
      "gitlab.example.com/p/dind-runners/dind-check@abc",
    ]);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stderr, "");
    assert.match(
      result.stdout,
      /^# dind-check canaries of the stacks dev, prod, written by `npm run canary-pipeline`\.\n/,
    );
    assert.match(result.stdout, /^ {6}job-prefix: dind-check-dev-dind-dev$/m);
    assert.match(result.stdout, /^ {6}job-prefix: dind-check-prod-dind-prod-kubernetes$/m);
    assert.equal(
      result.stdout.match(
        /^ {2}- component: gitlab\.example\.com\/p\/dind-runners\/dind-check@abc$/gm,
      )?.length,
      // dev: its dind and its socket runner; prod: four tag sets.
      6,
    );
  });

  it("reports every broken stack at once, with its config path, and prints no pipeline", async () => {
    const dir = mkdtempSync(join(tmpdir(), "dind-runners-canary-stacks-"));
    try {
      writeFileSync(
        join(dir, "Pulumi.bad.yaml"),
        "config:\n  dind-runners:gitlab:\n    url: https://gitlab.example.com\n  dind-runners:dockerHosts:\n    - name: h\n      endpoint: unix:///var/run/docker.sock\n      runners:\n        - name: r\n          token: plain\n          dind:\n            mtu: 20\n",
      );
      const result = await main(["--stack", "bad", "--stack", "missing", "--stacks-dir", dir]);
      assert.equal(result.code, 1);
      assert.equal(result.stdout, "");
      assert.match(result.stderr, /^stack "bad": /m);
      assert.match(result.stderr, /dockerHosts\[0\]\.runners\[0\]\.dind\.mtu/);
      assert.match(
        result.stderr,
        /^stack "missing": 1 error\nerror: stack file .*Pulumi\.missing\.yaml not found/m,
      );
      assert.match(result.stderr, /no pipeline was printed\.\n$/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("names a usage error", async () => {
    assert.deepEqual(await main([]), {
      code: 1,
      stdout: "",
      stderr: "canary-pipeline: at least one --stack <env> is required\n",
    });
  });
});
