import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  PulumiCheckError,
  type PulumiDriftSource,
} from "../../components/drift/automation-drift-source.js";
import { driftExitCode } from "../../components/drift/drift-report.js";
import { driftTargets } from "../../components/drift/drift-targets.js";
import { runDriftCheck } from "../../components/drift/run-drift-check.js";
import type { Fleet } from "../../components/model/fleet.js";
import { FLEET, NO_DRIFT, options } from "./fleet-fixture.js";

describe("runDriftCheck", () => {
  it("checks every manager even when some cannot be reached, and exits 1", async () => {
    const report = await runDriftCheck({
      stack: "staging",
      pulumi: { source: NO_DRIFT, stackName: "staging" },
      managers: driftTargets(FLEET, options()),
    });
    assert.deepEqual(
      report.runners?.map((check) => [check.name, check.status, check.error]),
      [
        [
          "build-stg-2",
          "error",
          "needs the TLS client key (the Pulumi secret dind-runners:dockerHosts[0].tls.clientKey): pass --tls-key build-stg-2=<file> or set DIND_RUNNERS_TLS_KEY_BUILD_STG_2 to the PEM, e.g. DIND_RUNNERS_TLS_KEY_BUILD_STG_2=\"$(pulumi config get --stack staging --path 'dockerHosts[0].tls.clientKey')\"",
        ],
        [
          "local",
          "error",
          "cannot reach the Docker engine at unix:///nonexistent/docker.sock: connect ENOENT /nonexistent/docker.sock",
        ],
        ["k8s", "in-sync", undefined],
      ],
    );
    assert.equal(report.pulumi.status, "in-sync");
    assert.equal(driftExitCode(report), 1);
  });

  it("exits 2 on Pulumi drift alone, 0 when nothing drifted, and 1 when Pulumi fails", async () => {
    const k8sOnly: Fleet = { ...FLEET, dockerHosts: [] };
    const drifted: PulumiDriftSource = {
      check: () =>
        Promise.resolve({
          changeSummary: { refresh: { same: 2, update: 1 }, preview: { same: 3 } },
          resources: [
            {
              phase: "refresh",
              type: "docker:index/container:Container",
              name: "m",
              urn: "urn:m",
              op: "update",
              properties: ["envs"],
            },
          ],
        }),
    };
    const managers = driftTargets(k8sOnly, options());
    assert.equal(
      driftExitCode(
        await runDriftCheck({ stack: "s", pulumi: { source: drifted, stackName: "s" }, managers }),
      ),
      2,
    );
    assert.equal(
      driftExitCode(
        await runDriftCheck({ stack: "s", pulumi: { source: NO_DRIFT, stackName: "s" }, managers }),
      ),
      0,
    );
    const failing: PulumiDriftSource = {
      check: () =>
        Promise.reject(new PulumiCheckError(`pulumi stack "s": no stack named 's' found`)),
    };
    const report = await runDriftCheck({ stack: "s", pulumi: { source: failing, stackName: "s" } });
    assert.deepEqual(report, {
      stack: "s",
      pulumi: { status: "error", error: `pulumi stack "s": no stack named 's' found` },
    });
    assert.equal(driftExitCode(report), 1);
    const crashing: PulumiDriftSource = { check: () => Promise.reject(new Error("boom")) };
    assert.deepEqual(
      (await runDriftCheck({ stack: "s", pulumi: { source: crashing, stackName: "s" } })).pulumi,
      {
        status: "error",
        error: 'pulumi stack "s": boom',
      },
    );
  });

  it("skips the levels it is not given", async () => {
    assert.deepEqual(await runDriftCheck({ stack: "s" }), {
      stack: "s",
      pulumi: { status: "skipped" },
    });
  });

  it("reads at most `concurrency` managers at once, reports them in target order with their times", async () => {
    const hosts = Array.from({ length: 7 }, (_, i) => ({
      ...FLEET.dockerHosts[1]!,
      name: `h-${i}`,
    }));
    let running = 0;
    let most = 0;
    const managers = hosts.map((target, i) => ({
      target,
      location: `unix:///h-${i}.sock`,
      desiredConfigToml: "concurrent = 4\n",
      readLive: async () => {
        running += 1;
        most = Math.max(most, running);
        // Later hosts answer sooner, so completion order differs from target order.
        await new Promise((resolve) => setTimeout(resolve, 5 * (7 - i)));
        running -= 1;
        return { status: "found" as const, source: "s", text: "concurrent = 4\n" };
      },
    }));
    const timed: string[] = [];
    const report = await runDriftCheck({
      stack: "s",
      managers,
      concurrency: 3,
      onChecked: (check, milliseconds) => {
        assert.ok(milliseconds >= 0);
        timed.push(check.name);
      },
    });
    assert.equal(most, 3);
    assert.deepEqual(
      report.runners?.map((check) => [check.name, check.status]),
      hosts.map((host) => [host.name, "in-sync"]),
    );
    assert.deepEqual([...timed].sort(), hosts.map((host) => host.name).sort());
  });
});
