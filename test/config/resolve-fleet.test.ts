import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseStackConfig } from "../../components/config/schema/parse-stack-config.js";
import { resolveFleet, type ResolvedFleet } from "../../components/config/load/resolve-fleet.js";
import { DEFAULTS } from "../../components/model/defaults.js";
import { CERTIFICATE, ENCRYPTED, PRIVATE_KEY, validValues } from "./stack-values.js";

function resolve(values: Record<string, unknown>): ResolvedFleet {
  const parsed = parseStackConfig(values);
  assert.ok(parsed.config, JSON.stringify(parsed.issues, null, 2));
  return resolveFleet(parsed.config, "test");
}

describe("resolveFleet", () => {
  it("takes each field from the most specific level that sets it", () => {
    const values = validValues();
    values.defaults["limit"] = 1;
    values.defaults["jobTimeoutSeconds"] = 1200;
    values.defaults.dind["dockerVersion"] = "27.5.1";
    values.dockerHosts[0]!["limit"] = 2;
    values.dockerHosts[0]!["dind"] = { dockerVersion: "28.0.4" };
    values.dockerHosts[0]!.runners[0]!["limit"] = 3;
    const { fleet } = resolve(values);
    const [host0, host1] = fleet.dockerHosts;
    const runner0 = host0?.runners[0];
    const runner1 = host1?.runners[0];
    assert.deepEqual(
      [runner0?.limit, runner0?.jobTimeoutSeconds, runner0?.dind.dockerVersion],
      [3, 1200, "28.0.4"],
    );
    assert.deepEqual(
      [runner1?.limit, runner1?.jobTimeoutSeconds, runner1?.dind.dockerVersion],
      [1, 1200, "27.5.1"],
    );
  });

  it("replaces lists and maps whole, sorting registries and extra hosts", () => {
    const values = validValues();
    values.defaults.dind["insecureRegistries"] = ["z.example.com:5000", "a.example.com"];
    values.defaults.dind["extraHosts"] = {
      "z.example.com": "10.0.0.2",
      "a.example.com": "10.0.0.1",
    };
    values.dockerHosts[1]!.runners[0]!["dind"] = {
      insecureRegistries: ["only.example.com"],
      extraHosts: {},
    };
    const { fleet } = resolve(values);
    const inherited = fleet.dockerHosts[0]?.runners[0]?.dind;
    assert.deepEqual(inherited?.insecureRegistries, ["a.example.com", "z.example.com:5000"]);
    assert.deepEqual(inherited?.extraHosts, [
      { hostname: "a.example.com", ip: "10.0.0.1" },
      { hostname: "z.example.com", ip: "10.0.0.2" },
    ]);
    const overridden = fleet.dockerHosts[1]?.runners[0]?.dind;
    assert.deepEqual(overridden?.insecureRegistries, ["only.example.com"]);
    assert.deepEqual(overridden?.extraHosts, []);
  });

  it("derives the build image from the runner's own Docker version unless one is set", () => {
    const values = validValues();
    values.dockerHosts[0]!.runners[0]!["dind"] = { dockerVersion: "27.5.1" };
    values.kubernetesClusters[0]!["buildImage"] = "registry.example.com/tools/docker:28-cli";
    const { fleet } = resolve(values);
    assert.equal(fleet.dockerHosts[0]?.runners[0]?.buildImage, "docker:27.5.1-cli");
    assert.equal(
      fleet.dockerHosts[1]?.runners[0]?.buildImage,
      `docker:${DEFAULTS.dind.dockerVersion}-cli`,
    );
    assert.equal(
      fleet.kubernetesClusters[0]?.runners[0]?.buildImage,
      "registry.example.com/tools/docker:28-cli",
    );
  });

  it("resolves hostConfigDir per Docker host, the default where unset", () => {
    const values = validValues();
    values.dockerHosts[1]!["hostConfigDir"] = "/Users/me/dind-runners";
    const { fleet } = resolve(values);
    assert.deepEqual(
      fleet.dockerHosts.map((host) => host.hostConfigDir),
      ["/etc/dind-runners", "/Users/me/dind-runners"],
    );
  });

  it("resolves manager settings and the overlay module per host or cluster", () => {
    const values = validValues();
    values.defaults["listenAddress"] = "0.0.0.0:9252";
    values.defaults.dind["manageOverlayModule"] = false;
    values.dockerHosts[1]!["dind"] = { manageOverlayModule: true };
    values.kubernetesClusters[0]!["checkInterval"] = 10;
    const { fleet } = resolve(values);
    assert.deepEqual(
      fleet.dockerHosts.map((host) => host.manageOverlayModule),
      [false, true],
    );
    assert.deepEqual(fleet.kubernetesClusters[0]?.manager, {
      runnerImage: DEFAULTS.runnerImage,
      concurrent: DEFAULTS.concurrent,
      checkInterval: 10,
      shutdownTimeoutSeconds: DEFAULTS.shutdownTimeoutSeconds,
      listenAddress: "0.0.0.0:9252",
    });
    assert.equal(fleet.kubernetesClusters[0]?.namespace, DEFAULTS.kubernetes.namespace);
    assert.equal(fleet.kubernetesClusters[0]?.manageOverlayModule, false);
  });

  it("listens for metrics on loopback on a Docker host given only a port, on the pod IP on Kubernetes", () => {
    const values = validValues();
    values.defaults["listenAddress"] = ":9252";
    values.dockerHosts[1]!["listenAddress"] = "[::]:9300";
    const { fleet } = resolve(values);
    assert.deepEqual(
      fleet.dockerHosts.map((host) => host.manager.listenAddress),
      ["127.0.0.1:9252", "[::]:9300"],
    );
    assert.equal(fleet.kubernetesClusters[0]?.manager.listenAddress, ":9252");
    values.dockerHosts[1]!["listenAddress"] = "10.0.0.5:9252";
    assert.equal(resolve(values).fleet.dockerHosts[1]?.manager.listenAddress, "10.0.0.5:9252");
  });

  it("keeps the manager off job nodes unless a cluster sets managerAvoidsJobNodes: false", () => {
    const values = validValues();
    assert.equal(resolve(values).fleet.kubernetesClusters[0]?.managerAvoidsJobNodes, true);
    values.kubernetesClusters[0]!["managerAvoidsJobNodes"] = false;
    assert.equal(resolve(values).fleet.kubernetesClusters[0]?.managerAvoidsJobNodes, false);
    values.kubernetesClusters[0]!["managerAvoidsJobNodes"] = "no";
    assert.deepEqual(
      parseStackConfig(values).issues.map((issue) => [issue.path, issue.message]),
      [["kubernetesClusters[0].managerAvoidsJobNodes", 'expected true or false, found "no"']],
    );
  });

  it("drops the GitLab URL's trailing slash and keeps the CA certificate", () => {
    const values = validValues();
    values.gitlab["url"] = "https://example.com/gitlab/";
    values.gitlab["caCertificate"] = CERTIFICATE;
    const { fleet } = resolve(values);
    assert.deepEqual(fleet.gitlab, {
      url: "https://example.com/gitlab",
      caCertificate: CERTIFICATE,
    });
  });

  it("turns secrets into references and keeps known plaintext aside, by config path", () => {
    const values = validValues();
    values.dockerHosts[0]!.runners[0]!["token"] = "glrt-plaintext";
    values.dockerHosts[1]!["endpoint"] = "tcp://[fd00::2]:2376";
    values.dockerHosts[1]!["tls"] = {
      caCert: CERTIFICATE,
      clientCert: CERTIFICATE,
      clientKey: PRIVATE_KEY,
    };
    values.kubernetesClusters[0]!.runners[0]!["token"] = ENCRYPTED;
    const { fleet, secrets } = resolve(values);
    assert.deepEqual(fleet.dockerHosts[1]?.endpoint, {
      kind: "tcp",
      url: "tcp://[fd00::2]:2376",
      host: "fd00::2",
      port: 2376,
      tls: {
        caCert: CERTIFICATE,
        clientCert: CERTIFICATE,
        clientKey: { kind: "secret", configPath: "dockerHosts[1].tls.clientKey" },
      },
    });
    assert.deepEqual(
      secrets,
      new Map([
        ["dockerHosts[0].runners[0].token", "glrt-plaintext"],
        ["dockerHosts[1].tls.clientKey", PRIVATE_KEY],
      ]),
    );
    assert.ok(!JSON.stringify(fleet).includes("glrt-plaintext"));
  });

  it("gives the same output for the same input", () => {
    assert.equal(
      JSON.stringify(resolve(validValues()).fleet),
      JSON.stringify(resolve(validValues()).fleet),
    );
  });
});
