import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { housekeepingContainerSpec } from "../../components/docker/housekeeping-container-spec.js";
import type { HousekeepingSettings } from "../../components/model/fleet.js";
import { housekeepingScript } from "../../components/render/housekeeping-script.js";
import { dind, dockerHost, fleet, runner } from "../render/fixtures.js";

const settings: HousekeepingSettings = {
  intervalSeconds: 1800,
  cacheVolumeDays: 7,
  exitedContainerHours: 12,
  imageDays: 10,
  minFreePercent: 15,
  dockerDataRoot: "/srv/docker",
};

describe("housekeepingContainerSpec", () => {
  it("runs the script unprivileged in the pinned CLI image with the engine socket, the data root read-only and its state directory", () => {
    const host = dockerHost(
      "build-1",
      [
        runner("build-1-a", { jobTimeoutSeconds: 7200 }),
        runner("build-1-b", { buildImage: "ruby:3.3", dind: dind({ dockerVersion: "28.5.2" }) }),
      ],
      { housekeeping: settings, hostConfigDir: "/srv/dind-runners" },
    );
    const spec = housekeepingContainerSpec(fleet({ dockerHosts: [host] }), host);
    assert.ok(spec);
    assert.equal(spec.name, "dind-runners-housekeeping");
    assert.equal(spec.image, "docker:29.7.2-cli");
    assert.equal(spec.privileged, false);
    assert.equal(spec.restart, "unless-stopped");
    assert.equal(spec.mustRun, true);
    assert.equal(spec.attach, false);
    assert.equal(spec.networkMode, undefined);
    assert.deepEqual(spec.mounts, [
      {
        type: "bind",
        source: "/var/run/docker.sock",
        target: "/var/run/docker.sock",
        readOnly: false,
      },
      { type: "bind", source: "/srv/docker", target: "/host-docker-root", readOnly: true },
    ]);
    assert.deepEqual(spec.volumes, [
      {
        hostPath: "/srv/dind-runners/housekeeping",
        containerPath: "/var/lib/dind-runners-housekeeping",
        readOnly: false,
      },
    ]);
    assert.deepEqual(spec.labels.at(-1), { label: "dind-runners.role", value: "housekeeping" });
    assert.deepEqual(spec.envs, [
      "HOUSEKEEPING_INTERVAL_SECONDS=1800",
      "HOUSEKEEPING_CACHE_VOLUME_DAYS=7",
      "HOUSEKEEPING_EXITED_CONTAINER_HOURS=12",
      "HOUSEKEEPING_IMAGE_DAYS=10",
      "HOUSEKEEPING_MIN_FREE_PERCENT=15",
      // The longest job (2 h) plus GitLab Runner's 5 minutes of cleanup.
      "HOUSEKEEPING_LONGEST_JOB_SECONDS=7500",
      "HOUSEKEEPING_KEEP_IMAGES=" +
        [
          "docker:28.5.2-cli",
          "docker:28.5.2-dind",
          "docker:29.7.2-cli",
          "docker:29.7.2-dind",
          "gitlab/gitlab-runner:v19.3.0",
          "registry.gitlab.com/gitlab-org/gitlab-runner/gitlab-runner-helper:*-v19.3.0",
          "ruby:3.3",
        ].join(" "),
      "HOUSEKEEPING_STATE_DIR=/var/lib/dind-runners-housekeeping",
      "HOUSEKEEPING_DATA_ROOT=/host-docker-root",
      // The labels of its metrics file.
      "HOUSEKEEPING_ENVIRONMENT=test",
      "HOUSEKEEPING_TARGET=build-1",
    ]);
    assert.deepEqual(spec.uploads, [
      { file: "/housekeeping/housekeeping.sh", content: housekeepingScript(), executable: true },
    ]);
    assert.deepEqual(
      [...(spec.entrypoints ?? []), ...(spec.command ?? [])],
      ["/bin/sh", "/housekeeping/housekeeping.sh"],
    );
  });

  it("is absent where the stack switches housekeeping off", () => {
    const host = dockerHost("build-1", [runner("build-1-a")]);
    assert.equal(housekeepingContainerSpec(fleet({ dockerHosts: [host] }), host), undefined);
  });
});
