/**
 * `--metrics-file` replaces only a file drift wrote (marker on its first
 * line), atomically, leaving no temporary file behind.
 */
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import {
  checkMetricsFile,
  METRICS_FILE_MARKER,
  writeMetricsFile,
} from "../../components/cli/metrics-file.js";

const dir = mkdtempSync(join(tmpdir(), "metrics-file-"));
after(() => rmSync(dir, { recursive: true, force: true }));

describe("metrics file", () => {
  it("writes a new file with the marker first, and replaces it on the next run", async () => {
    const path = join(dir, "drift.prom");
    await writeMetricsFile(path, "a 1\n");
    assert.equal(readFileSync(path, "utf8"), `${METRICS_FILE_MARKER}\na 1\n`);
    await writeMetricsFile(path, "a 2\n");
    assert.equal(readFileSync(path, "utf8"), `${METRICS_FILE_MARKER}\na 2\n`);
    assert.deepEqual(readdirSync(dir), ["drift.prom"]);
  });

  it("refuses a file it did not write, and leaves it as it was", async () => {
    const path = join(dir, "node.prom");
    writeFileSync(path, "node_thing 1\n");
    assert.deepEqual(checkMetricsFile(path), {
      ok: false,
      reason:
        "it exists and does not start with the marker line of a previous run (not written by drift)",
    });
    await assert.rejects(writeMetricsFile(path, "a 1\n"), {
      message: `drift: refusing --metrics-file ${JSON.stringify(path)}: it exists and does not start with the marker line of a previous run (not written by drift); nothing was written`,
    });
    assert.equal(readFileSync(path, "utf8"), "node_thing 1\n");
  });

  it("refuses a directory and a missing parent directory", () => {
    mkdirSync(join(dir, "sub"));
    assert.deepEqual(checkMetricsFile(join(dir, "sub")), {
      ok: false,
      reason: "it exists and is not a regular file",
    });
    assert.deepEqual(checkMetricsFile(join(dir, "nowhere", "x.prom")), {
      ok: false,
      reason: `its directory ${join(dir, "nowhere")} does not exist`,
    });
  });
});
