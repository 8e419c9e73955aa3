/**
 * `dockerHosts[*].housekeeping`: on by default with the built-in values, each
 * field on its own, switched off by `enabled: false`, and every bad value
 * reported at once with its config path.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { loadFleet } from "../../components/config/load/load-fleet.js";
import { DEFAULTS } from "../../components/model/defaults.js";
import type { Fleet } from "../../components/model/fleet.js";
import { problemsOf, RENDER, validValues } from "./stack-values.js";

function fleetOf(values: Record<string, unknown>): Fleet {
  const result = loadFleet({ environment: "test", values }, RENDER);
  assert.ok(result.ok, "the stack is valid");
  return result.fleet;
}

describe("housekeeping settings of a Docker host", () => {
  it("are on with the built-in defaults when the host says nothing", () => {
    assert.deepEqual(fleetOf(validValues()).dockerHosts[0]?.housekeeping, {
      intervalSeconds: 3600,
      cacheVolumeDays: 14,
      exitedContainerHours: 24,
      imageDays: 14,
      minFreePercent: 10,
      dockerDataRoot: "/var/lib/docker",
    });
    assert.equal(DEFAULTS.housekeeping.enabled, true);
  });

  it("take each field the host sets and the defaults for the others", () => {
    const values = validValues();
    values.dockerHosts[1]!["housekeeping"] = {
      intervalMinutes: 15,
      cacheVolumeDays: 3,
      dockerDataRoot: "/srv/docker",
    };
    const hosts = fleetOf(values).dockerHosts;
    assert.deepEqual(hosts[1]?.housekeeping, {
      intervalSeconds: 900,
      cacheVolumeDays: 3,
      exitedContainerHours: 24,
      imageDays: 14,
      minFreePercent: 10,
      dockerDataRoot: "/srv/docker",
    });
    assert.equal(hosts[0]?.housekeeping?.cacheVolumeDays, 14);
  });

  it("are absent when the host switches housekeeping off", () => {
    const values = validValues();
    values.dockerHosts[0]!["housekeeping"] = { enabled: false };
    const host = fleetOf(values).dockerHosts[0];
    assert.ok(host !== undefined && !("housekeeping" in host));
  });

  it("report every bad value at once with its config path", () => {
    const values = validValues();
    values.dockerHosts[0]!["housekeeping"] = {
      enabled: "yes",
      intervalMinutes: 0,
      cacheVolumeDays: 1.5,
      exitedContainerHours: -1,
      imageDays: 4000,
      minFreePercent: 95,
      dockerDataRoot: "var/lib/docker",
      keepDays: 3,
    };
    values.dockerHosts[1]!["housekeeping"] = "daily";
    values.kubernetesClusters[0]!["housekeeping"] = {};
    const form =
      'an absolute directory path such as /etc/dind-runners (segments of letters, digits, ".", "_", "-", "@" and "+"; no "." or ".." segments, no trailing "/")';
    assert.equal(
      problemsOf(values),
      [
        'stack "test": 10 errors',
        'error: dockerHosts[0].housekeeping.enabled: expected true or false, found "yes"',
        "error: dockerHosts[0].housekeeping.intervalMinutes: expected an integer from 1 to 1440, found 0",
        "error: dockerHosts[0].housekeeping.cacheVolumeDays: expected an integer from 1 to 3650, found 1.5",
        "error: dockerHosts[0].housekeeping.exitedContainerHours: expected an integer from 1 to 87600, found -1",
        "error: dockerHosts[0].housekeeping.imageDays: expected an integer from 1 to 3650, found 4000",
        "error: dockerHosts[0].housekeeping.minFreePercent: expected an integer from 0 to 90, found 95",
        `error: dockerHosts[0].housekeeping.dockerDataRoot: expected ${form}, found "var/lib/docker"`,
        'error: dockerHosts[0].housekeeping: unknown key "keepDays"',
        'error: dockerHosts[1].housekeeping: expected a map of housekeeping settings, e.g. { cacheVolumeDays: 7 }, found "daily"',
        'error: kubernetesClusters[0]: unknown key "housekeeping"',
      ].join("\n"),
    );
  });
});
