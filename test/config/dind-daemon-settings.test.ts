/**
 * The dind daemon settings (MTU, DNS, mirrors by Docker version) as `render`
 * and `pulumi up` load them: every level, exact messages with config paths.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { loadFleet } from "../../components/config/load/load-fleet.js";
import {
  CERTIFICATE,
  problemsOf,
  RENDER,
  TRUNCATED_CERTIFICATE,
  validValues,
} from "./stack-values.js";

describe("dind daemon settings", () => {
  it("resolve fleet < host or cluster < runner, and lists are replaced whole", () => {
    const values = validValues();
    values.defaults.dind["mtu"] = 1400;
    values.defaults.dind["dns"] = ["10.0.0.53"];
    values.defaults.dind["dnsSearch"] = ["example.internal"];
    values.kubernetesClusters[0]!["dind"] = { mtu: 1450 };
    values.dockerHosts[1]!.runners[0]!["dind"] = { mtu: 1360, dns: ["10.0.1.53", "10.0.2.53"] };
    const result = loadFleet({ environment: "test", values }, RENDER);
    assert.ok(result.ok);
    const [host1, host2] = result.fleet.dockerHosts;
    const settings = (dind: {
      mtu?: number;
      dns: readonly string[];
      dnsSearch: readonly string[];
    }) => [dind.mtu, dind.dns, dind.dnsSearch];
    assert.deepEqual(settings(host1!.runners[0]!.dind), [
      1400,
      ["10.0.0.53"],
      ["example.internal"],
    ]);
    assert.deepEqual(settings(host2!.runners[0]!.dind), [
      1360,
      ["10.0.1.53", "10.0.2.53"],
      ["example.internal"],
    ]);
    assert.deepEqual(settings(result.fleet.kubernetesClusters[0]!.runners[0]!.dind), [
      1450,
      ["10.0.0.53"],
      ["example.internal"],
    ]);
  });

  it("an MTU the kernel refuses, a fraction and a string", () => {
    const values = validValues();
    values.defaults.dind["mtu"] = 70_000;
    values.dockerHosts[0]!["dind"] = { mtu: 1400.5 };
    values.kubernetesClusters[0]!.runners[0]!["dind"] = { mtu: "1450" };
    assert.equal(
      problemsOf(values),
      [
        'stack "test": 3 errors',
        "error: defaults.dind.mtu: expected an MTU from 68 to 65535, found 70000; the kernel refuses other values for dind's bridge and veth interfaces, so dind fails to start or cannot start any container",
        "error: dockerHosts[0].dind.mtu: expected an MTU from 68 to 65535, found 1400.5; the kernel refuses other values for dind's bridge and veth interfaces, so dind fails to start or cannot start any container",
        'error: kubernetesClusters[0].runners[0].dind.mtu: expected an MTU from 68 to 65535, found "1450"',
      ].join("\n"),
    );
  });

  it("DNS servers that are names and search domains dockerd refuses", () => {
    const values = validValues();
    values.defaults.dind["dns"] = ["10.0.0.53", "dns.example.internal"];
    values.defaults.dind["dnsSearch"] = ["example.internal", "123"];
    assert.equal(
      problemsOf(values),
      [
        'stack "test": 2 errors',
        'error: defaults.dind.dns[1]: expected the IPv4 or IPv6 address of a DNS server, found "dns.example.internal"',
        'error: defaults.dind.dnsSearch[1]: expected a DNS search domain such as example.internal, found "123"',
      ].join("\n"),
    );
  });

  it("a mirror with a path on a runner whose Docker predates 25.0, wherever each was set", () => {
    const values = validValues();
    values.defaults.dind["registryMirrors"] = ["https://mirror.example.com/docker-hub"];
    values.dockerHosts[1]!["dind"] = { dockerVersion: "24.0.9" };
    assert.equal(
      problemsOf(values),
      [
        'stack "test": 1 error',
        'error: dockerHosts[1].runners[0].dind.registryMirrors[0]: expected a mirror URL without a path for Docker 24.0.9, found "https://mirror.example.com/docker-hub" (set at defaults.dind.registryMirrors; dockerVersion set at dockerHosts[1].dind.dockerVersion); dockerd before 25.0.0 refuses to start with "invalid mirror: path, query, or fragment at end of the URI": remove the path, or pin dockerVersion 25.0.0 or later',
      ].join("\n"),
    );
  });

  it("a mirror with a path on the default Docker 29, which accepts it", () => {
    const values = validValues();
    values.defaults.dind["registryMirrors"] = ["https://mirror.example.com/docker-hub"];
    assert.equal(problemsOf(values), "ok");
  });
});

describe("registry CA certificates", () => {
  it("resolve per runner, with the GitLab CA added for GitLab's registries unless the stack names them", () => {
    const other = `${CERTIFICATE}${CERTIFICATE}`;
    const values = validValues();
    values.gitlab["caCertificate"] = CERTIFICATE;
    values.defaults.dind["registryCertificates"] = { "registry.example.com:5000": other };
    values.kubernetesClusters[0]!.runners[0]!["dind"] = {
      registryCertificates: { "gitlab.example.com:5050": other },
    };
    const result = loadFleet({ environment: "test", values }, RENDER);
    assert.ok(result.ok);
    const registries = (index: number) =>
      [...result.fleet.dockerHosts, ...result.fleet.kubernetesClusters][
        index
      ]!.runners[0]!.dind.registryCertificates.map((certificate) => certificate.registry);
    assert.deepEqual(registries(0), [
      "gitlab.example.com",
      "gitlab.example.com:5050",
      "registry.example.com:5000",
    ]);
    assert.deepEqual(registries(2), ["gitlab.example.com", "gitlab.example.com:5050"]);
  });

  it("gitlab.registryHost moves the GitLab CA to the registry the stack names", () => {
    const values = validValues();
    values.gitlab["caCertificate"] = CERTIFICATE;
    values.gitlab["registryHost"] = "registry.example.com";
    const result = loadFleet({ environment: "test", values }, RENDER);
    assert.ok(result.ok);
    assert.deepEqual(
      result.fleet.dockerHosts[0]!.runners[0]!.dind.registryCertificates.map((c) => c.registry),
      ["gitlab.example.com", "registry.example.com"],
    );
  });

  it("a registry named with a scheme, a PEM that is not a certificate, a bad registryHost", () => {
    const values = validValues();
    values.gitlab["registryHost"] = "https://registry.example.com";
    values.defaults.dind["registryCertificates"] = {
      "https://registry.example.com": CERTIFICATE,
      "registry.example.com:5000": TRUNCATED_CERTIFICATE,
    };
    assert.equal(
      problemsOf(values),
      [
        'stack "test": 3 errors',
        'error: gitlab.registryHost: expected host[:port] without a scheme, found "https://registry.example.com"; dockerd looks the CA up by host and port: write "registry.example.com"',
        'error: defaults.dind.registryCertificates["https://registry.example.com"]: expected host[:port] without a scheme, found "https://registry.example.com"; dockerd looks the CA up by host and port: write "registry.example.com" as the key',
        'error: defaults.dind.registryCertificates["registry.example.com:5000"]: expected a PEM certificate that parses as X.509, found one that does not (the certificate: asn1 encoding routines::too long)',
      ].join("\n"),
    );
  });

  it("a registry that is both insecure and CA-trusted, set explicitly or through the GitLab CA", () => {
    const values = validValues();
    values.gitlab["caCertificate"] = CERTIFICATE;
    values.defaults.dind["registryCertificates"] = { "registry.example.com:5000": CERTIFICATE };
    values.defaults.dind["insecureRegistries"] = ["registry.example.com:5000"];
    values.kubernetesClusters[0]!["dind"] = { insecureRegistries: ["gitlab.example.com:5050"] };
    const dockerProblem = (host: number) =>
      `error: dockerHosts[${host}].runners[0].dind.insecureRegistries[0]: expected a registry that is either insecure or trusted with a CA, found "registry.example.com:5000" (set at defaults.dind.insecureRegistries) with a CA at defaults.dind.registryCertificates["registry.example.com:5000"]; dockerd skips certificate checks for an insecure registry and ignores its CA: remove it from insecureRegistries to have it verified`;
    assert.equal(
      problemsOf(values),
      [
        'stack "test": 3 errors',
        dockerProblem(0),
        dockerProblem(1),
        `error: kubernetesClusters[0].runners[0].dind.insecureRegistries[0]: expected a registry that is either insecure or trusted with a CA, found "gitlab.example.com:5050" (set at kubernetesClusters[0].dind.insecureRegistries) with a CA at gitlab.caCertificate, trusted for GitLab's registry gitlab.example.com:5050 (from gitlab.url); dockerd skips certificate checks for an insecure registry and ignores its CA: remove it from insecureRegistries to have it verified`,
      ].join("\n"),
    );
  });
});
