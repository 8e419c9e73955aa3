/**
 * `dind.backend` as `render` and `pulumi up` load it: resolution at every level,
 * and the refusals with their config paths (socket on Kubernetes, socket in
 * production, settings a backend cannot apply, BuildKit on an old runner).
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { loadFleet } from "../../components/config/load/load-fleet.js";
import { problemsOf, RENDER, validValues } from "./stack-values.js";

describe("build backends", () => {
  it("default to dind, and resolve fleet < host or cluster < runner", () => {
    const values = validValues();
    values.defaults.dind["backend"] = "buildkit";
    values.dockerHosts[0]!["dind"] = { backend: "dind" };
    values.dockerHosts[1]!.runners[0]!["dind"] = { backend: "socket" };
    const result = loadFleet({ environment: "test", values }, RENDER);
    assert.ok(result.ok, JSON.stringify(result));
    assert.deepEqual(
      [
        ...result.fleet.dockerHosts.flatMap((host) => host.runners),
        ...result.fleet.kubernetesClusters.flatMap((cluster) => cluster.runners),
      ].map((runner) => [runner.name, runner.backend]),
      [
        ["build-1-dind", { kind: "dind" }],
        ["build-2-dind", { kind: "socket" }],
        [
          "k8s-1-dind",
          {
            kind: "buildkit",
            image: "moby/buildkit:v0.32.2-rootless",
            cacheMaxUsedSpace: "10GB",
          },
        ],
      ],
    );
    const plain = loadFleet({ environment: "test", values: validValues() }, RENDER);
    assert.ok(plain.ok);
    assert.deepEqual(plain.fleet.dockerHosts[0]!.runners[0]!.backend, { kind: "dind" });
  });

  it("pin the BuildKit release and cache bound from the stack", () => {
    const values = validValues();
    values.kubernetesClusters[0]!.runners[0]!["dind"] = {
      backend: "buildkit",
      buildkitVersion: "0.31.1",
      buildkitCacheMaxUsedSpace: "40GB",
    };
    const result = loadFleet({ environment: "test", values }, RENDER);
    assert.ok(result.ok);
    assert.deepEqual(result.fleet.kubernetesClusters[0]!.runners[0]!.backend, {
      kind: "buildkit",
      image: "moby/buildkit:v0.31.1-rootless",
      cacheMaxUsedSpace: "40GB",
    });
  });

  it("refuses an unknown backend, a moving BuildKit tag and a cache bound BuildKit would read differently", () => {
    const values = validValues();
    values.dockerHosts[0]!.runners[0]!["dind"] = {
      backend: "kaniko",
      buildkitVersion: "latest",
      buildkitCacheMaxUsedSpace: "10%",
    };
    assert.equal(
      problemsOf(values),
      [
        'stack "test": 3 errors',
        'error: dockerHosts[0].runners[0].dind.backend: expected one of "dind", "socket", "buildkit", found "kaniko"',
        'error: dockerHosts[0].runners[0].dind.buildkitVersion: expected a pinned BuildKit release x.y.z such as 0.32.2, found "latest"',
        'error: dockerHosts[0].runners[0].dind.buildkitCacheMaxUsedSpace: expected a whole number with MB, GB or TB, such as 10GB, found "10%"',
      ].join("\n"),
    );
  });

  it("refuses socket on Kubernetes, where it is set", () => {
    const values = validValues();
    values.kubernetesClusters[0]!["dind"] = { backend: "socket" };
    assert.equal(
      problemsOf(values),
      [
        'stack "test": 1 error',
        'error: kubernetesClusters[0].runners[0].dind.backend: expected "dind" or "buildkit" on Kubernetes, found "socket" (set at kubernetesClusters[0].dind.backend): a job pod has no Docker engine of the node to bind (nodes run containerd or CRI-O), and binding one would make every job root on the node',
      ].join("\n"),
    );
  });

  it("refuses socket in a production stack unless it opts in", () => {
    const values = validValues();
    values["production"] = true;
    values.dockerHosts[0]!.runners[0]!["dind"] = { backend: "socket" };
    assert.equal(
      problemsOf(values),
      [
        'stack "test": 1 error',
        'error: dockerHosts[0].runners[0].dind.backend: expected "dind" or "buildkit" in a production stack, found "socket": every job of a socket runner is root on the host and sees every other job\'s containers; accept that with dockerHosts[0].runners[0].dind.allowSocketInProduction: true',
      ].join("\n"),
    );
    values.dockerHosts[0]!.runners[0]!["dind"] = {
      backend: "socket",
      allowSocketInProduction: true,
    };
    assert.equal(problemsOf(values), "ok");
  });

  it("refuses daemon settings on a socket runner and warns about inherited ones", () => {
    const values = validValues();
    values.defaults.dind["registryMirrors"] = ["https://mirror.example.com"];
    values.dockerHosts[0]!.runners[0]!["dind"] = {
      backend: "socket",
      insecureRegistries: ["registry.internal:5000"],
      mtu: 1450,
      privilegeMode: "all",
      storageDriver: "vfs",
      tls: false,
    };
    assert.equal(
      problemsOf(values),
      [
        'stack "test": 5 errors, 1 warning',
        'error: dockerHosts[0].runners[0].dind.tls: expected no tls on a runner with backend "socket", found false: the host\'s own Docker daemon serves socket jobs with its own settings; jobs reach it through its unix socket, without TLS; remove it',
        'error: dockerHosts[0].runners[0].dind.storageDriver: expected no storageDriver on a runner with backend "socket", found "vfs": the host\'s own Docker daemon serves socket jobs with its own settings; remove it',
        'error: dockerHosts[0].runners[0].dind.insecureRegistries: expected no insecureRegistries on a runner with backend "socket", found ["registry.internal:5000"]: the host\'s own Docker daemon serves socket jobs with its own settings (its daemon.json insecure-registries); remove it',
        'error: dockerHosts[0].runners[0].dind.mtu: expected no mtu on a runner with backend "socket", found 1450: the host\'s own Docker daemon serves socket jobs with its own settings (its daemon.json mtu); remove it',
        'error: dockerHosts[0].runners[0].dind.privilegeMode: expected no privilegeMode on a runner with backend "socket", found "all": socket runs nothing privileged; the socket already makes every job root on the host; remove it',
        'warning: dockerHosts[0].runners[0].dind.registryMirrors: registryMirrors (set at defaults.dind.registryMirrors) does not apply to this runner, whose backend is "socket": the host\'s own Docker daemon serves socket jobs with its own settings (its daemon.json registry-mirrors); it is ignored here',
      ].join("\n"),
    );
  });

  it("refuses what BuildKit cannot apply, MTU on Kubernetes included", () => {
    const values = validValues();
    values.kubernetesClusters[0]!.runners[0]!["dind"] = {
      backend: "buildkit",
      mtu: 1450,
      dns: ["10.0.0.53"],
    };
    values.dockerHosts[0]!.runners[0]!["dind"] = { backend: "buildkit", mtu: 1450 };
    assert.equal(
      problemsOf(values),
      [
        'stack "test": 2 errors',
        'error: kubernetesClusters[0].runners[0].dind.dns: expected no dns on a runner with backend "buildkit", found ["10.0.0.53"]: BuildKit\'s RUN steps use the service\'s own network and resolv.conf; remove it',
        "error: kubernetesClusters[0].runners[0].dind.mtu: expected no mtu on a runner with backend \"buildkit\", found 1450: on Kubernetes BuildKit's RUN steps use the pod's network, whose MTU the cluster's network plugin sets; remove it",
      ].join("\n"),
    );
  });

  it("refuses buildkit on a cluster whose runner is older than 18.11", () => {
    const values = validValues();
    values.kubernetesClusters[0]!["runnerImage"] = "gitlab/gitlab-runner:v18.10.2";
    values.kubernetesClusters[0]!.runners[0]!["dind"] = { backend: "buildkit" };
    assert.equal(
      problemsOf(values),
      [
        'stack "test": 1 error',
        'error: kubernetesClusters[0].runners[0].dind.backend: expected a cluster whose runnerImage is GitLab Runner 18.11.0 or later for "buildkit", found "gitlab/gitlab-runner:v18.10.2": older runners ignore the service container\'s seccomp_profile and app_armor_profile, and rootless BuildKit cannot start under the default profiles',
      ].join("\n"),
    );
  });

  it("gives a socket runner no registry settings or CAs of its own", () => {
    const values = validValues();
    values.gitlab["caCertificate"] = undefined;
    values.defaults.dind["insecureRegistries"] = ["registry.internal:5000"];
    values.dockerHosts[0]!.runners[0]!["dind"] = { backend: "socket" };
    const result = loadFleet({ environment: "test", values }, RENDER);
    assert.ok(result.ok);
    const socket = result.fleet.dockerHosts[0]!.runners[0]!.dind;
    assert.deepEqual(
      [socket.insecureRegistries, socket.registryMirrors, socket.registryCertificates, socket.mtu],
      [[], [], [], undefined],
    );
    assert.deepEqual(result.fleet.dockerHosts[1]!.runners[0]!.dind.insecureRegistries, [
      "registry.internal:5000",
    ]);
  });
});
