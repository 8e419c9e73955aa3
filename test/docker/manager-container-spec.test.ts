import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { managerContainerSpec } from "../../components/docker/manager-container-spec.js";
import { dind, dockerHost, fleet, manager, runner } from "../render/fixtures.js";

describe("managerContainerSpec", () => {
  const host = dockerHost("build-1", [
    runner("build-1-a", { jobTimeoutSeconds: 3600 }),
    runner("build-1-b", { jobTimeoutSeconds: 10800 }),
  ]);
  const spec = managerContainerSpec(fleet({ dockerHosts: [host] }), host);

  it("runs the pinned runner image, unprivileged, restarted unless stopped", () => {
    assert.equal(spec.name, "dind-runners-manager");
    assert.equal(spec.image, "gitlab/gitlab-runner:v19.3.0");
    assert.equal(spec.privileged, false);
    assert.equal(spec.restart, "unless-stopped");
    assert.equal(spec.mustRun, true);
    assert.equal(spec.attach, false);
    assert.equal(spec.uploads, undefined);
    assert.equal(spec.volumes, undefined);
  });

  it("uses the host's network, so listen_address means the host's address", () => {
    assert.equal(spec.networkMode, "host");
    assert.equal(spec.envs, undefined);
  });

  it("restarts for a new metrics listen address, which GitLab Runner reads only at start", () => {
    const withMetrics = (listenAddress: string) => {
      const metricsHost = dockerHost("build-1", host.runners, {
        manager: manager({ listenAddress }),
      });
      return managerContainerSpec(fleet({ dockerHosts: [metricsHost] }), metricsHost);
    };
    assert.deepEqual(withMetrics(":9252").envs, ["LISTEN_ADDRESS=:9252"]);
    assert.notDeepEqual(withMetrics("127.0.0.1:9252"), withMetrics(":9252"));
  });

  it("binds the config directory (not the file) and the host's engine socket", () => {
    assert.deepEqual(spec.mounts, [
      {
        type: "bind",
        source: "/etc/dind-runners/gitlab-runner",
        target: "/etc/gitlab-runner",
        readOnly: false,
      },
      {
        type: "bind",
        source: "/var/run/docker.sock",
        target: "/var/run/docker.sock",
        readOnly: false,
      },
    ]);
  });

  it("binds the config directory under the host's own hostConfigDir", () => {
    const moved = { ...host, hostConfigDir: "/Users/me/dind-runners" };
    const mounts = managerContainerSpec(fleet({ dockerHosts: [moved] }), moved).mounts;
    assert.equal(mounts[0]?.source, "/Users/me/dind-runners/gitlab-runner");
  });

  it("stops with SIGQUIT and waits for the longest job plus 5 minutes of cleanup", () => {
    assert.equal(spec.stopSignal, "SIGQUIT");
    assert.equal(spec.stopTimeout, 10800 + 300);
  });

  it("carries the labels drift detection finds it by", () => {
    assert.deepEqual(spec.labels, [
      { label: "app.kubernetes.io/managed-by", value: "dind-runners" },
      { label: "dind-runners.environment", value: "test" },
      { label: "dind-runners.target", value: "build-1" },
      { label: "dind-runners.role", value: "manager" },
    ]);
  });

  it("does not change when only reloadable settings change (no replacement, no restart)", () => {
    const changed = dockerHost(
      "build-1",
      [
        runner("build-1-a", { jobTimeoutSeconds: 3600, limit: 7, tags: ["other"] }),
        runner("build-1-b", {
          jobTimeoutSeconds: 10800,
          requestConcurrency: 4,
          buildImage: "docker:28.5.2-cli-alpine",
          dind: dind({ insecureRegistries: ["10.0.0.9:5000"], tls: false }),
        }),
        runner("build-1-c", { jobTimeoutSeconds: 600 }),
      ],
      { manager: manager({ concurrent: 20, checkInterval: 10, shutdownTimeoutSeconds: 120 }) },
    );
    assert.deepEqual(
      managerContainerSpec(fleet({ dockerHosts: [changed], environment: "test" }), changed),
      spec,
    );
  });
});
