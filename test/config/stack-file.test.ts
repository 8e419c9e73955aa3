import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { describe, it } from "node:test";
import { formatIssues } from "../../components/config/messages/config-issue.js";
import { loadFleet } from "../../components/config/load/load-fleet.js";
import {
  availableStacks,
  DEFAULT_STACKS_DIR,
  readStackFile,
} from "../../components/config/read/stack-file.js";
import { RENDER, stackFileError } from "./stack-values.js";

const FIXTURES = join(__dirname, "fixtures", "stacks");
/** How messages show a path: relative to the working directory. */
const shown = (path: string) => relative(process.cwd(), path);

const readError = stackFileError;

describe("readStackFile", () => {
  it("reads the dind-runners: keys of a stack without their prefix", () => {
    assert.deepEqual(readStackFile("dev"), {
      environment: "dev",
      values: {
        gitlab: { url: "https://gitlab.example.com" },
        dockerHosts: [
          {
            name: "local",
            endpoint: "unix:///var/run/docker.sock",
            runners: [
              { name: "local-dind", tags: ["dind", "dev"] },
              { name: "local-socket", tags: ["socket", "dev"], dind: { backend: "socket" } },
            ],
          },
        ],
      },
      issues: [],
    });
  });

  it("keeps encrypted values as they are and ignores provider namespaces", () => {
    const raw = readStackFile("encrypted", FIXTURES);
    assert.deepEqual(raw.issues, []);
    assert.deepEqual(Object.keys(raw.values), ["gitlab", "dockerHosts"]);
    const result = loadFleet(raw, RENDER);
    assert.ok(result.ok);
    assert.deepEqual(result.warnings, []);
    assert.deepEqual(result.secrets, new Map());
    assert.equal(result.fleet.gitlab.url, "https://gitlab.example.com");
  });

  it("reports every mistake of a broken stack file at once, each with its path", () => {
    const result = loadFleet(readStackFile("broken", FIXTURES), RENDER);
    assert.ok(!result.ok);
    const paths = result.issues.map((issue) => issue.path);
    for (const path of [
      "dind-runner:production",
      "defaults.dind.insecureRegistries[0]",
      'defaults.dind.extraHosts["registry.example.com"]',
      "dockerHosts[0].runners[0].dind.dockerVersion",
      "dockerHosts[0].runners[0].token",
      "dockerHosts[1].runners[0]",
      "dockerHosts[1].runners[0].name",
    ]) {
      assert.ok(paths.includes(path), `${path} not reported`);
    }
    assert.equal(
      formatIssues(result.issues, "broken"),
      [
        'stack "broken": 7 errors, 1 warning',
        'error: dind-runner:production: unknown config namespace "dind-runner"; this program reads dind-runners: keys (did you mean "dind-runners:production"?)',
        'error: defaults.dind.insecureRegistries[0]: expected host[:port] without a scheme, found "https://registry.example.com"; dockerd refuses to start with a scheme here: write "registry.example.com"',
        'error: defaults.dind.extraHosts["registry.example.com"]: expected an IPv4 or IPv6 address, found "10.0.0.300"',
        'error: dockerHosts[0].runners[0].dind.dockerVersion: expected a pinned Docker version x.y.z such as 29.7.2, found "latest"; a tag like this moves with every Docker release; pin a version',
        "error: dockerHosts[0].runners[0].token: expected a runner authentication token (glrt-...), found a runner registration token; registration tokens are deprecated and disabled by default since GitLab 17. Since GitLab 16 a runner is created in GitLab (Admin area, group or project: CI/CD > Runners > New runner, or POST /api/v4/user/runners), which shows its glrt- authentication token; set that with: pulumi config set --secret --path 'dockerHosts[0].runners[0].token' glrt-...",
        'error: dockerHosts[1].runners[0]: unknown key "tokn" (did you mean "token"?)',
        'error: dockerHosts[1].runners[0].name: duplicate runner name "build-dind", first used at dockerHosts[0].runners[0].name; runner names must be unique across the fleet',
        "warning: dockerHosts[1].runners[0].token: expected a runner authentication token set with: pulumi config set --secret --path 'dockerHosts[1].runners[0].token' glrt-...",
      ].join("\n"),
    );
    assert.ok(!formatIssues(result.issues).includes("RegistrationToken"));
  });

  it("lists the available stacks when the file does not exist", () => {
    assert.equal(
      readError("qa", FIXTURES),
      [
        'stack "qa": 1 error',
        `error: stack file ${shown(join(FIXTURES, "Pulumi.qa.yaml"))} not found; available stacks: bad-dind, beyond-limits, broken, encrypted, no-config, plain-dind`,
      ].join("\n"),
    );
    assert.deepEqual(availableStacks(DEFAULT_STACKS_DIR), ["dev", "prod", "staging"]);
  });

  it("reports a file without a config: map", () => {
    assert.equal(
      readError("no-config", FIXTURES),
      [
        'stack "no-config": 1 error',
        `error: ${shown(join(FIXTURES, "Pulumi.no-config.yaml"))}: expected a top-level "config:" map of dind-runners: keys, found nothing`,
      ].join("\n"),
    );
  });

  it("reports YAML syntax errors with their line and column", () => {
    const dir = mkdtempSync(join(tmpdir(), "dind-runners-stacks-"));
    try {
      const file = join(dir, "Pulumi.bad.yaml");
      writeFileSync(
        file,
        [
          "config:",
          "  dind-runners:gitlab:",
          "    url: https://gitlab.example.com",
          "  dind-runners:gitlab:",
          "    url: https://gitlab.example.org",
          "  dind-runners:dockerHosts: [",
          "",
        ].join("\n"),
      );
      // The temporary directory is outside the working directory: shown absolute.
      assert.equal(
        readError("bad", dir),
        [
          'stack "bad": 2 errors',
          `error: ${file}:4:3: invalid YAML: Map keys must be unique`,
          `error: ${file}:7:1: invalid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]`,
        ].join("\n"),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("refuses an environment name that could leave the stacks directory", () => {
    assert.equal(
      readError("../secrets", FIXTURES),
      [
        'stack "../secrets": 1 error',
        'error: expected a stack name of letters, digits, "_", "." and "-", found "../secrets"',
      ].join("\n"),
    );
  });

  it("reports keys without a namespace", () => {
    const dir = mkdtempSync(join(tmpdir(), "dind-runners-stacks-"));
    try {
      writeFileSync(
        join(dir, "Pulumi.flat.yaml"),
        "config:\n  gitlab:\n    url: https://g.example.com\n",
      );
      assert.deepEqual(readStackFile("flat", dir).issues, [
        {
          path: "gitlab",
          severity: "error",
          message: 'config key without a namespace; write "dind-runners:gitlab"',
        },
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
