import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseRenderArgs, RENDER_USAGE } from "../../components/cli/render-args.js";

describe("parseRenderArgs", () => {
  it("defaults the output to out/<stack> and the stacks to stacks/", () => {
    assert.deepEqual(parseRenderArgs(["--stack", "prod"]), {
      ok: true,
      args: { stack: "prod", outDir: "out/prod", stacksDir: "stacks" },
    });
  });

  it("accepts --flag=value and every option", () => {
    assert.deepEqual(parseRenderArgs(["--stack=dev", "--out", "/tmp/x", "--stacks-dir=s"]), {
      ok: true,
      args: { stack: "dev", outDir: "/tmp/x", stacksDir: "s" },
    });
  });

  it("requires --stack", () => {
    assert.deepEqual(parseRenderArgs([]), { ok: false, error: "--stack <env> is required" });
  });

  it("names a flag without a value, an unknown argument and a repeated flag", () => {
    assert.deepEqual(parseRenderArgs(["--stack"]), { ok: false, error: "--stack needs a value" });
    assert.deepEqual(parseRenderArgs(["--stack", "--out", "x"]), {
      ok: false,
      error: "--stack needs a value",
    });
    assert.deepEqual(parseRenderArgs(["prod"]), { ok: false, error: 'unknown argument "prod"' });
    assert.deepEqual(parseRenderArgs(["--stack", "a", "--stack", "b"]), {
      ok: false,
      error: "--stack given twice",
    });
  });

  it("answers --help with the usage", () => {
    assert.deepEqual(parseRenderArgs(["--help"]), { ok: false, error: RENDER_USAGE, help: true });
  });
});
