import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DRIFT_USAGE, parseDriftArgs } from "../../components/cli/drift-args.js";

describe("parseDriftArgs", () => {
  it("needs only --stack and defaults the rest", () => {
    assert.deepEqual(parseDriftArgs(["--stack", "prod"]), {
      ok: true,
      args: {
        stack: "prod",
        pulumiStack: "prod",
        stacksDir: "stacks",
        skipPulumi: false,
        skipRunners: false,
        skipGitlab: false,
        concurrency: 8,
        tlsKeyFiles: new Map(),
      },
    });
  });

  it("reads every option, in both --flag value and --flag=value forms", () => {
    const parsed = parseDriftArgs([
      "--stack=staging",
      "--json",
      "out/drift.json",
      "--skip-pulumi",
      "--skip-gitlab",
      "--stacks-dir",
      "fixtures",
      "--pulumi-stack",
      "acme/dind-runners/staging",
      "--tls-key",
      "build-stg-2=/keys/stg-2.pem",
      "--tls-key=b=/k/b.pem",
      "--concurrency",
      "3",
      "--metrics-file",
      "/var/lib/node_exporter/textfile/drift-staging.prom",
    ]);
    assert.deepEqual(parsed, {
      ok: true,
      args: {
        stack: "staging",
        pulumiStack: "acme/dind-runners/staging",
        stacksDir: "fixtures",
        jsonFile: "out/drift.json",
        metricsFile: "/var/lib/node_exporter/textfile/drift-staging.prom",
        skipPulumi: true,
        skipRunners: false,
        skipGitlab: true,
        concurrency: 3,
        tlsKeyFiles: new Map([
          ["build-stg-2", "/keys/stg-2.pem"],
          ["b", "/k/b.pem"],
        ]),
      },
    });
    const toStdout = parseDriftArgs(["--stack", "dev", "--json", "-"]);
    assert.equal(toStdout.ok ? toStdout.args.jsonFile : toStdout.error, "-");
  });

  it("rejects what it cannot use, with one line each", () => {
    const cases: [string[], string][] = [
      [[], "--stack <env> is required"],
      [["--stack"], "--stack needs a value"],
      [["--stack", "--skip-pulumi"], "--stack needs a value"],
      [["--stack", "a", "--stack", "b"], "--stack given twice"],
      [["--stack", "a", "--verbose"], 'unknown argument "--verbose"'],
      [["--stack", "a", "--metrics-file", "-"], '--metrics-file needs a file name, got "-"'],
      [["--stack", "a", "--tls-key", "nohost"], '--tls-key needs <host>=<file>, got "nohost"'],
      [["--stack", "a", "--tls-key", "h=1", "--tls-key", "h=2"], "--tls-key given twice for h"],
      [
        ["--stack", "a", "--concurrency", "0"],
        '--concurrency needs a whole number from 1 to 256, got "0"',
      ],
      [
        ["--stack", "a", "--concurrency", "2.5"],
        '--concurrency needs a whole number from 1 to 256, got "2.5"',
      ],
      [
        ["--stack", "a", "--skip-pulumi", "--skip-runners", "--skip-gitlab"],
        "--skip-pulumi, --skip-runners and --skip-gitlab together leave nothing to check",
      ],
    ];
    for (const [argv, error] of cases)
      assert.deepEqual(parseDriftArgs(argv), { ok: false, error }, argv.join(" "));
  });

  it("answers --help with the usage text", () => {
    assert.deepEqual(parseDriftArgs(["--stack", "a", "--help"]), {
      ok: false,
      error: DRIFT_USAGE,
      help: true,
    });
    assert.ok(DRIFT_USAGE.startsWith("usage: npm run drift -- --stack <env> [options]\n"));
  });
});
