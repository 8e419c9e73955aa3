/**
 * `npm run drift` as a user runs it (a child process): what it prints and its
 * exit code when it cannot check. Needs no Docker engine and no Pulumi CLI.
 */
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { METRICS_FILE_MARKER } from "../../components/cli/metrics-file.js";
import { runCli, type CliRun } from "../support/run-cli.js";

let scratch = "";

before(() => {
  scratch = mkdtempSync(join(tmpdir(), "drift-command-"));
  mkdirSync(join(scratch, "empty-path"));
  writeFileSync(
    join(scratch, "Pulumi.lonely.yaml"),
    [
      "config:",
      "  dind-runners:gitlab:",
      "    url: https://gitlab.example.com",
      "  dind-runners:dockerHosts:",
      "    - name: lonely",
      `      endpoint: unix://${join(scratch, "missing.sock")}`,
      "      runners:",
      "        - name: lonely-dind",
      "          tags: [dind]",
      "",
    ].join("\n"),
  );
  writeFileSync(
    join(scratch, "Pulumi.broken.yaml"),
    "config:\n  dind-runners:gitlab:\n    url: http://gitlab.example.com\n",
  );
});

after(() => rmSync(scratch, { recursive: true, force: true }));

/** Runs the drift command with PATH holding nothing (no pulumi, no kubectl). */
function drift(...args: string[]): Promise<CliRun> {
  return runCli("drift-command", ["--stacks-dir", scratch, ...args], {
    ...process.env,
    PATH: join(scratch, "empty-path"),
  });
}

describe("npm run drift", () => {
  it("stops with one line when the Pulumi CLI is not on PATH (exit 1)", async () => {
    assert.deepEqual(await drift("--stack", "lonely"), {
      code: 1,
      stdout: "",
      stderr:
        "drift: the Pulumi CLI (pulumi) is not on PATH: install it (https://www.pulumi.com/docs/install/) or pass --skip-pulumi to check only the runner configs\n",
    });
  });

  it("lists every stack-config problem and checks nothing (exit 1)", async () => {
    const run = await drift("--stack", "broken", "--skip-pulumi");
    assert.equal(run.code, 1);
    assert.equal(run.stdout, "");
    const lines = run.stderr.trimEnd().split("\n");
    assert.match(lines[0] ?? "", /^stack "broken": \d+ errors?$/);
    assert.ok(
      lines.some((line) => line.startsWith("error: gitlab.url: ")),
      run.stderr,
    );
    assert.equal(lines.at(-1), "nothing was checked.");
  });

  it("rejects bad usage with one line (exit 1)", async () => {
    assert.deepEqual(await drift("--skip-pulumi"), {
      code: 1,
      stdout: "",
      stderr: "drift: --stack <env> is required\n",
    });
  });

  it("prints only the JSON report with --json - (exit 1 when a host cannot be reached)", async () => {
    const socket = join(scratch, "missing.sock");
    const run = await drift("--stack", "lonely", "--skip-pulumi", "--json", "-");
    // Only the time the host took goes to stderr; stdout is the JSON document alone.
    assert.match(run.stderr, /^drift: read docker host lonely in \d+\.\d\d s\n$/);
    assert.deepEqual(JSON.parse(run.stdout), {
      schemaVersion: 2,
      stack: "lonely",
      result: "incomplete",
      exitCode: 1,
      skipped: ["pulumi", "gitlab"],
      pulumi: { status: "skipped" },
      runners: [
        {
          variant: "docker",
          name: "lonely",
          location: `unix://${socket}`,
          status: "error",
          differences: [],
          ignored: [],
          error: `cannot reach the Docker engine at unix://${socket}: connect ENOENT ${socket}`,
        },
      ],
      gitlab: {
        status: "skipped",
        reason:
          "gitlab.manageRunners is off: runners made by hand are not compared with GitLab, and when their tokens expire cannot be told (GitLab's runner API does not show it)",
      },
    });
    assert.equal(run.code, 1);
  });

  it("writes --metrics-file with the result, even when a host cannot be reached", async () => {
    const file = join(scratch, "drift-lonely.prom");
    const run = await drift("--stack", "lonely", "--skip-pulumi", "--metrics-file", file);
    assert.equal(run.code, 1);
    const lines = readFileSync(file, "utf8").split("\n");
    assert.equal(lines[0], METRICS_FILE_MARKER);
    assert.ok(
      lines.includes(
        'dind_runners_drift_status{dind_runners_environment="lonely",result="incomplete"} 1',
      ),
      lines.join("\n"),
    );
    assert.ok(
      lines.some((line) =>
        /^dind_runners_drift_last_run_timestamp_seconds\{dind_runners_environment="lonely"\} \d+(\.\d+)?$/.test(
          line,
        ),
      ),
      lines.join("\n"),
    );
  });

  it("refuses a --metrics-file it did not write before checking anything (exit 1)", async () => {
    const file = join(scratch, "someone-elses.prom");
    writeFileSync(file, "node_custom 1\n");
    assert.deepEqual(await drift("--stack", "lonely", "--skip-pulumi", "--metrics-file", file), {
      code: 1,
      stdout: "",
      stderr: `drift: refusing --metrics-file ${JSON.stringify(file)}: it exists and does not start with the marker line of a previous run (not written by drift); nothing was written\n`,
    });
    assert.equal(readFileSync(file, "utf8"), "node_custom 1\n");
  });
});
