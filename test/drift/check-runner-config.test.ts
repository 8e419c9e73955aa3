import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { checkRunnerConfig, type DriftTarget } from "../../components/drift/check-runner-config.js";
import { LiveReadError, type LiveConfigRead } from "../../components/drift/live-config.js";
import { dockerHost } from "../render/fixtures.js";

const DESIRED =
  'concurrent = 4\n\n[[runners]]\n  name = "a"\n  token = "[redacted: Pulumi secret dind-runners:dockerHosts[0].runners[0].token]"\n';
const SOURCE = "container dind-runners-manager:/etc/gitlab-runner/config.toml";

function target(read: () => Promise<LiveConfigRead>): DriftTarget {
  return {
    target: dockerHost("local", []),
    location: "unix:///var/run/docker.sock",
    desiredConfigToml: DESIRED,
    readLive: read,
  };
}

const BASE = { variant: "docker", name: "local", location: "unix:///var/run/docker.sock" };

describe("checkRunnerConfig", () => {
  it("is in sync when only runner-managed values differ", async () => {
    const live = 'concurrent = 4\n[[runners]]\nname = "a"\nid = 7\ntoken = "glrt-x"\n';
    assert.deepEqual(
      await checkRunnerConfig(
        target(() => Promise.resolve({ status: "found", source: SOURCE, text: live })),
      ),
      {
        ...BASE,
        status: "in-sync",
        live: "found",
        source: SOURCE,
        differences: [],
        ignored: [
          { path: 'runners["a"].id', reason: "runner-managed" },
          { path: 'runners["a"].token', reason: "token-unverifiable" },
        ],
      },
    );
  });

  it("is drift when the file or the manager is missing, or the file is not TOML", async () => {
    const missingFile = await checkRunnerConfig(
      target(() => Promise.resolve({ status: "missing-file", source: SOURCE })),
    );
    assert.deepEqual(missingFile, {
      ...BASE,
      status: "drift",
      live: "missing-file",
      source: SOURCE,
      differences: [],
      ignored: [],
    });
    const noManager = await checkRunnerConfig(
      target(() => Promise.resolve({ status: "missing-manager", source: "no container named x" })),
    );
    assert.deepEqual(noManager, {
      ...BASE,
      status: "drift",
      live: "missing-manager",
      source: "no container named x",
      differences: [],
      ignored: [],
    });
    const broken = await checkRunnerConfig(
      target(() =>
        Promise.resolve({ status: "found", source: SOURCE, text: "concurrent = = 4\n" }),
      ),
    );
    assert.deepEqual(broken, {
      ...BASE,
      status: "drift",
      live: "unparseable",
      source: SOURCE,
      syntaxErrorAt: { line: 1, column: 15 },
      differences: [],
      ignored: [],
    });
  });

  it("turns a read failure into an error check instead of throwing", async () => {
    const failed = await checkRunnerConfig(
      target(() =>
        Promise.reject(
          new LiveReadError(
            "cannot reach the Docker engine at unix:///x.sock: connect ENOENT /x.sock",
          ),
        ),
      ),
    );
    assert.deepEqual(failed, {
      ...BASE,
      status: "error",
      differences: [],
      ignored: [],
      error: "cannot reach the Docker engine at unix:///x.sock: connect ENOENT /x.sock",
    });
  });
});
