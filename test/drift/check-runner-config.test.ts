import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { checkRunnerConfig, type DriftTarget } from "../../components/drift/check-runner-config.js";
import type { HousekeepingState } from "../../components/drift/docker-housekeeping-state.js";
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

  describe("with a housekeeping container", () => {
    const live = 'concurrent = 4\n[[runners]]\nname = "a"\ntoken = "glrt-x"\n';
    const withHousekeeping = (state: () => Promise<HousekeepingState>): DriftTarget => ({
      ...target(() => Promise.resolve({ status: "found", source: SOURCE, text: live })),
      readHousekeeping: state,
    });

    it("stays in sync while it runs, and is drift when it does not", async () => {
      const running = { status: "running", source: "container dind-runners-housekeeping" } as const;
      const inSync = await checkRunnerConfig(withHousekeeping(() => Promise.resolve(running)));
      assert.equal(inSync.status, "in-sync");
      assert.deepEqual(inSync.housekeeping, running);
      const stopped = {
        status: "not-running",
        source: "container dind-runners-housekeeping",
        state: "exited",
      } as const;
      const drift = await checkRunnerConfig(withHousekeeping(() => Promise.resolve(stopped)));
      assert.equal(drift.status, "drift");
      assert.deepEqual(drift.differences, []);
      assert.deepEqual(drift.housekeeping, stopped);
    });

    it("is an error when the engine cannot say", async () => {
      const check = await checkRunnerConfig(
        withHousekeeping(() => Promise.reject(new LiveReadError("the engine said no"))),
      );
      assert.equal(check.status, "error");
      assert.equal(check.error, "the engine said no");
    });
  });
});
