import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Fleet } from "../../components/model/fleet.js";
import { configDigest } from "../../components/render/config-digest.js";
import { daemonJson } from "../../components/render/daemon-json.js";
import { prepareHostScript } from "../../components/render/host-preparation.js";
import { renderFleetFiles } from "../../components/render/render-fleet-files.js";
import { redactedSecretText } from "../../components/render/secret-text.js";
import { CA_PEM, fakeTokenText, varietyFleet } from "./fixtures.js";

function contentOf(fleet: Fleet, path: string): string | undefined {
  return renderFleetFiles(fleet, redactedSecretText).find((file) => file.path === path)?.content;
}

/** The same fleet with every list that stands for a set or map reversed, and hosts and clusters reversed. */
function reordered(fleet: Fleet): Fleet {
  const reverseRunner = <T extends Fleet["dockerHosts"][number]["runners"][number]>(
    runner: T,
  ): T => ({
    ...runner,
    dind: {
      ...runner.dind,
      insecureRegistries: [...runner.dind.insecureRegistries].reverse(),
      extraHosts: [...runner.dind.extraHosts].reverse(),
    },
  });
  return {
    ...fleet,
    dockerHosts: [...fleet.dockerHosts]
      .reverse()
      .map((host) => ({ ...host, runners: host.runners.map(reverseRunner) })),
    kubernetesClusters: [...fleet.kubernetesClusters]
      .reverse()
      .map((cluster) => ({ ...cluster, runners: cluster.runners.map(reverseRunner) })),
  };
}

describe("renderFleetFiles", () => {
  const fleet = varietyFleet();
  const files = renderFleetFiles(fleet, redactedSecretText);

  it("writes config.toml, one daemon.json per runner, the GitLab CA, host preparation, cluster manifests, the CI include, the monitoring files and the stack picture, sorted by path", () => {
    assert.deepEqual(
      files.map((file) => file.path),
      [
        "ci/include.yml",
        "docker-hosts/build-a/config.toml",
        "docker-hosts/build-a/dind/a-plain-all.json",
        "docker-hosts/build-a/dind/a-tls.json",
        "docker-hosts/build-a/gitlab-ca.crt",
        "docker-hosts/build-a/host-preparation/modules-load.d/overlay.conf",
        "docker-hosts/build-a/host-preparation/prepare-host.sh",
        "docker-hosts/build-b/config.toml",
        "docker-hosts/build-b/dind/b-vfs.json",
        "docker-hosts/build-b/gitlab-ca.crt",
        "kubernetes-clusters/k8s-a/config.toml",
        "kubernetes-clusters/k8s-a/dind/k-plain-all.json",
        "kubernetes-clusters/k8s-a/dind/k-tls.json",
        "kubernetes-clusters/k8s-a/manifests.yaml",
        "monitoring/file-sd-docker-hosts.json",
        "monitoring/grafana-dashboard.json",
        "monitoring/prometheus-rules.yml",
        "stack.md",
      ],
    );
  });

  it("writes each runner's daemon.json and the host files with their exact content", () => {
    const runner = fleet.dockerHosts[0]!.runners[0]!;
    assert.equal(contentOf(fleet, "docker-hosts/build-a/dind/a-tls.json"), daemonJson(runner.dind));
    assert.equal(contentOf(fleet, "docker-hosts/build-a/gitlab-ca.crt"), CA_PEM);
    assert.equal(
      contentOf(fleet, "docker-hosts/build-a/host-preparation/modules-load.d/overlay.conf"),
      "overlay\n",
    );
    assert.equal(
      contentOf(fleet, "docker-hosts/build-a/host-preparation/prepare-host.sh"),
      prepareHostScript(),
    );
  });

  it("writes no gitlab-ca.crt without a CA certificate", () => {
    const withoutCa = { ...fleet, gitlab: { url: fleet.gitlab.url } };
    assert.deepEqual(
      renderFleetFiles(withoutCa, redactedSecretText).filter((file) =>
        file.path.endsWith("gitlab-ca.crt"),
      ),
      [],
    );
  });

  it("is byte-identical when rendered twice", () => {
    assert.deepEqual(renderFleetFiles(varietyFleet(), redactedSecretText), files);
  });

  it("does not depend on the order of hosts, clusters, extra hosts or insecure registries", () => {
    const again = renderFleetFiles(reordered(fleet), redactedSecretText);
    assert.deepEqual(again, files);
    assert.equal(configDigest(again), configDigest(files));
  });

  it("puts a redaction marker where each token goes and never a token value", () => {
    const runners = [
      ...fleet.dockerHosts.flatMap((host) => host.runners),
      ...fleet.kubernetesClusters.flatMap((cluster) => cluster.runners),
    ];
    const everything = files.map((file) => file.content).join("\n");
    for (const runner of runners) {
      const token = fakeTokenText(runner.token);
      assert.ok(
        renderFleetFiles(fleet, fakeTokenText).some((file) => file.content.includes(token)),
        `the fake secretText puts ${token} in the output`,
      );
      assert.ok(!everything.includes(token), `${token} leaked into redacted output`);
      assert.ok(
        everything.includes(
          `token = "[redacted: Pulumi secret dind-runners:${runner.token.configPath}]"`,
        ),
        `marker for ${runner.token.configPath}`,
      );
    }
  });
});
