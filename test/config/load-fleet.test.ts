import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { loadFleet } from "../../components/config/load/load-fleet.js";
import { readStackFile } from "../../components/config/read/stack-file.js";
import { DEFAULTS } from "../../components/model/defaults.js";
import type { Fleet, Runner } from "../../components/model/fleet.js";
import {
  CERTIFICATE,
  ENCRYPTED,
  problemsOf,
  PULUMI_UP,
  RENDER,
  validValues,
} from "./stack-values.js";

function loadExample(environment: string) {
  const result = loadFleet(readStackFile(environment), RENDER);
  assert.ok(result.ok, result.ok ? "" : JSON.stringify(result.issues, null, 2));
  return result;
}

function runnerNamed(fleet: Fleet, name: string): Runner {
  const runners = [...fleet.dockerHosts, ...fleet.kubernetesClusters].flatMap((t) => t.runners);
  const runner = runners.find((candidate) => candidate.name === name);
  assert.ok(runner, `no runner ${name}`);
  return runner;
}

const TOKEN_WARNING = (path: string) =>
  `warning: ${path}: expected a runner authentication token set with: pulumi config set --secret --path '${path}' glrt-...`;

describe("loadFleet on the example stacks", () => {
  it("dev: one local host with one runner, every default applied", () => {
    const { fleet, secrets, warnings } = loadExample("dev");
    assert.deepEqual(fleet, {
      environment: "dev",
      production: false,
      gitlab: { url: "https://gitlab.example.com" },
      dockerHosts: [
        {
          variant: "docker",
          name: "local",
          endpoint: {
            kind: "unix",
            url: "unix:///var/run/docker.sock",
            socketPath: "/var/run/docker.sock",
          },
          manager: {
            runnerImage: DEFAULTS.runnerImage,
            concurrent: DEFAULTS.concurrent,
            checkInterval: DEFAULTS.checkInterval,
            shutdownTimeoutSeconds: DEFAULTS.shutdownTimeoutSeconds,
          },
          hostConfigDir: DEFAULTS.hostConfigDir,
          manageOverlayModule: true,
          runners: [
            {
              name: "local-dind",
              tags: ["dind", "dev"],
              token: { kind: "secret", configPath: "dockerHosts[0].runners[0].token" },
              limit: DEFAULTS.limit,
              requestConcurrency: DEFAULTS.requestConcurrency,
              jobTimeoutSeconds: DEFAULTS.jobTimeoutSeconds,
              buildImage: `docker:${DEFAULTS.dind.dockerVersion}-cli`,
              cache: { type: "none" },
              dind: {
                dockerVersion: DEFAULTS.dind.dockerVersion,
                tls: true,
                storageDriver: "overlay2",
                insecureRegistries: [],
                registryMirrors: [],
                dns: [],
                dnsSearch: [],
                registryCertificates: [],
                extraHosts: [],
                privilegeMode: "services-only",
              },
              backend: { kind: "dind" },
            },
            {
              name: "local-socket",
              tags: ["socket", "dev"],
              token: { kind: "secret", configPath: "dockerHosts[0].runners[1].token" },
              limit: DEFAULTS.limit,
              requestConcurrency: DEFAULTS.requestConcurrency,
              jobTimeoutSeconds: DEFAULTS.jobTimeoutSeconds,
              buildImage: `docker:${DEFAULTS.dind.dockerVersion}-cli`,
              cache: { type: "none" },
              // No daemon of ours: no registry settings, whatever the defaults say.
              dind: {
                dockerVersion: DEFAULTS.dind.dockerVersion,
                tls: true,
                storageDriver: "overlay2",
                insecureRegistries: [],
                registryMirrors: [],
                dns: [],
                dnsSearch: [],
                registryCertificates: [],
                extraHosts: [],
                privilegeMode: "services-only",
              },
              backend: { kind: "socket" },
            },
          ],
        },
      ],
      kubernetesClusters: [],
    });
    assert.deepEqual(secrets, new Map());
    assert.deepEqual(
      warnings.map((w) => `${w.severity}: ${w.path}: ${w.message}`),
      [
        TOKEN_WARNING("dockerHosts[0].runners[0].token"),
        TOKEN_WARNING("dockerHosts[0].runners[1].token"),
      ],
    );
  });

  it("staging: self-managed GitLab CA, an ssh host and a tcp host with TLS material, a buildkit cluster", () => {
    const { fleet, warnings } = loadExample("staging");
    assert.match(fleet.gitlab.caCertificate ?? "", /^-----BEGIN CERTIFICATE-----\n/);
    // dind trusts the GitLab CA for the GitLab host and its registry on port 5050.
    for (const runner of fleet.dockerHosts.flatMap((host) => host.runners)) {
      assert.deepEqual(runner.dind.registryCertificates, [
        {
          registry: "gitlab.staging.example.internal",
          caCertificate: fleet.gitlab.caCertificate,
        },
        {
          registry: "gitlab.staging.example.internal:5050",
          caCertificate: fleet.gitlab.caCertificate,
        },
      ]);
      assert.deepEqual(
        [runner.dind.dns, runner.dind.dnsSearch],
        [["10.30.0.53"], ["staging.example.internal"]],
      );
    }
    const [sshHost, tcpHost] = fleet.dockerHosts;
    assert.deepEqual(sshHost?.endpoint, {
      kind: "ssh",
      url: "ssh://deploy@build-stg-1.example.internal",
      user: "deploy",
      host: "build-stg-1.example.internal",
    });
    assert.equal(tcpHost?.endpoint.kind, "tcp");
    assert.ok(tcpHost.endpoint.kind === "tcp");
    assert.equal(tcpHost.endpoint.host, "build-stg-2.example.internal");
    assert.equal(tcpHost.endpoint.port, 2376);
    assert.match(tcpHost.endpoint.tls.clientCert, /-----END CERTIFICATE-----\n$/);
    assert.deepEqual(tcpHost.endpoint.tls.clientKey, {
      kind: "secret",
      configPath: "dockerHosts[1].tls.clientKey",
    });
    assert.equal(sshHost?.manageOverlayModule, true);
    assert.equal(tcpHost.manageOverlayModule, false);
    assert.equal(sshHost?.manager.concurrent, 6);
    assert.equal(runnerNamed(fleet, "stg-1-dind").limit, 4);
    assert.deepEqual(runnerNamed(fleet, "stg-2-dind").dind.registryMirrors, [
      "https://mirror.staging.example.internal",
    ]);
    // The cluster's runner builds with rootless BuildKit, which gets the mirror and the GitLab CA.
    const buildkit = runnerNamed(fleet, "stg-k8s-buildkit");
    assert.deepEqual(buildkit.backend, {
      kind: "buildkit",
      image: "moby/buildkit:v0.32.2-rootless",
      cacheMaxUsedSpace: "10GB",
    });
    assert.deepEqual(buildkit.dind.registryMirrors, ["https://mirror.staging.example.internal"]);
    assert.deepEqual(
      buildkit.dind.registryCertificates.map((certificate) => certificate.registry),
      ["gitlab.staging.example.internal", "gitlab.staging.example.internal:5050"],
    );
    assert.equal(fleet.kubernetesClusters[0]?.manageOverlayModule, false);
    assert.deepEqual(
      warnings.map((w) => w.path),
      [
        "dockerHosts[0].cache.s3.accessKey",
        "dockerHosts[0].cache.s3.secretKey",
        "dockerHosts[0].runners[0].token",
        "dockerHosts[1].tls.clientKey",
        "dockerHosts[1].cache.s3.accessKey",
        "dockerHosts[1].cache.s3.secretKey",
        "dockerHosts[1].runners[0].token",
        "kubernetesClusters[0].runners[0].token",
      ],
    );
  });

  it("prod: each level overrides the one below it, lists replaced whole", () => {
    const { fleet } = loadExample("prod");
    assert.equal(fleet.production, true);
    const [prod1, prod2] = fleet.dockerHosts;
    assert.deepEqual(prod1?.manager, {
      runnerImage: "gitlab/gitlab-runner:v19.3.0",
      concurrent: 8,
      checkInterval: DEFAULTS.checkInterval,
      shutdownTimeoutSeconds: 60,
      // defaults.listenAddress ":9252": loopback on a Docker host, the pod IP on Kubernetes.
      listenAddress: "127.0.0.1:9252",
    });
    assert.equal(fleet.kubernetesClusters[0]?.manager.listenAddress, ":9252");
    assert.equal(prod2?.manager.concurrent, 12);
    assert.deepEqual(prod2?.endpoint, {
      kind: "ssh",
      url: "ssh://deploy@build-prod-2.example.internal:2222",
      user: "deploy",
      host: "build-prod-2.example.internal",
      port: 2222,
    });

    const prod1Dind = runnerNamed(fleet, "prod-1-dind");
    assert.deepEqual(
      [prod1Dind.limit, prod1Dind.requestConcurrency, prod1Dind.jobTimeoutSeconds],
      [4, 2, 5400],
    );
    const large = runnerNamed(fleet, "prod-1-dind-large");
    assert.deepEqual([large.limit, large.jobTimeoutSeconds], [2, 10800]);
    assert.deepEqual(large.tags, ["dind", "prod", "large"]);

    const prodRegistryCa = runnerNamed(fleet, "prod-2-dind").dind.registryCertificates[0]
      ?.caCertificate;
    assert.match(
      prodRegistryCa ?? "",
      /^-----BEGIN CERTIFICATE-----\n[^]+\n-----END CERTIFICATE-----\n$/,
    );
    const mirror = runnerNamed(fleet, "prod-2-dind-mirror");
    assert.deepEqual(mirror.dind, {
      dockerVersion: "29.7.2",
      tls: true,
      storageDriver: "overlay2",
      insecureRegistries: ["10.20.0.16:5000"],
      registryMirrors: ["https://mirror.prod.example.internal"],
      mtu: 1400,
      dns: [],
      dnsSearch: [],
      registryCertificates: [
        {
          registry: "registry.prod.example.internal:5000",
          caCertificate: prodRegistryCa,
        },
      ],
      extraHosts: [{ hostname: "registry.prod.example.internal", ip: "10.20.0.15" }],
      privilegeMode: "services-only",
    });
    assert.deepEqual(runnerNamed(fleet, "prod-2-dind").dind.insecureRegistries, []);

    const [cluster] = fleet.kubernetesClusters;
    assert.equal(cluster?.namespace, "gitlab-runner-dind");
    assert.equal(cluster?.context, "prod-cluster");
    assert.equal(cluster?.manager.concurrent, 10);
    assert.equal(cluster?.manageOverlayModule, DEFAULTS.dind.manageOverlayModule);
    const k8s = runnerNamed(fleet, "k8s-prod-dind");
    assert.deepEqual([k8s.requestConcurrency, k8s.limit, k8s.jobTimeoutSeconds], [4, 4, 5400]);
    assert.equal(k8s.buildImage, "docker:29.7.2-cli");
    assert.equal(k8s.dind.mtu, 1400);
    assert.deepEqual(k8s.token, {
      kind: "secret",
      configPath: "kubernetesClusters[0].runners[0].token",
    });
  });
});

describe("loadFleet reports bad input with its config path", () => {
  it("an insecure registry with a scheme", () => {
    const values = validValues();
    values.dockerHosts[1]!.runners[0]!["dind"] = {
      insecureRegistries: ["https://registry.example.com"],
    };
    assert.equal(
      problemsOf(values),
      [
        'stack "test": 1 error',
        'error: dockerHosts[1].runners[0].dind.insecureRegistries[0]: expected host[:port] without a scheme, found "https://registry.example.com"; dockerd refuses to start with a scheme here: write "registry.example.com"',
      ].join("\n"),
    );
  });

  it("a hostConfigDir that is relative, climbs out with .., or would split a Docker bind; all at once", () => {
    const values = validValues();
    values.dockerHosts[0]!["hostConfigDir"] = "etc/dind-runners";
    values.dockerHosts[1]!["hostConfigDir"] = "/srv/../etc";
    values.dockerHosts.push({
      name: "build-3",
      endpoint: "unix:///var/run/docker.sock",
      hostConfigDir: "/srv/dind:runners",
      runners: [{ name: "build-3-dind", tags: ["dind"], token: ENCRYPTED }],
    });
    values.dockerHosts.push({
      name: "build-4",
      endpoint: "ssh://deploy@build-4.example.internal",
      hostConfigDir: "/",
      runners: [{ name: "build-4-dind", tags: ["dind"], token: ENCRYPTED }],
    });
    const form =
      'an absolute directory path such as /etc/dind-runners (segments of letters, digits, ".", "_", "-", "@" and "+"; no "." or ".." segments, no trailing "/")';
    assert.equal(
      problemsOf(values),
      [
        'stack "test": 4 errors',
        `error: dockerHosts[0].hostConfigDir: expected ${form}, found "etc/dind-runners"`,
        `error: dockerHosts[1].hostConfigDir: expected ${form} without "." or ".." segments, found "/srv/../etc"`,
        `error: dockerHosts[2].hostConfigDir: expected ${form}, found "/srv/dind:runners"`,
        'error: dockerHosts[3].hostConfigDir: expected a directory below /, found "/"; the product creates gitlab-runner/ and dind/ in it',
      ].join("\n"),
    );
  });

  it("hostConfigDir belongs to Docker hosts only", () => {
    const values = validValues();
    values.kubernetesClusters[0]!["hostConfigDir"] = "/srv/dind-runners";
    assert.equal(
      problemsOf(values),
      'stack "test": 1 error\nerror: kubernetesClusters[0]: unknown key "hostConfigDir"',
    );
  });

  it("a runner name used twice in the fleet, at the second use", () => {
    const values = validValues();
    values.kubernetesClusters[0]!.runners[0]!["name"] = "build-1-dind";
    assert.equal(
      problemsOf(values),
      [
        'stack "test": 1 error',
        'error: kubernetesClusters[0].runners[0].name: duplicate runner name "build-1-dind", first used at dockerHosts[0].runners[0].name; runner names must be unique across the fleet',
      ].join("\n"),
    );
  });

  it("a Docker host name used twice; a cluster may share a host's name", () => {
    const values = validValues();
    values.dockerHosts[1]!["name"] = "build-1";
    values.kubernetesClusters[0]!["name"] = "build-1";
    assert.equal(
      problemsOf(values),
      [
        'stack "test": 1 error',
        'error: dockerHosts[1].name: duplicate Docker host name "build-1", first used at dockerHosts[0].name; Docker host names must be unique among Docker hosts',
      ].join("\n"),
    );
  });

  it("an extra host whose value is not an IP address", () => {
    const values = validValues();
    values.defaults.dind["extraHosts"] = {
      "registry.example.com": "10.0.0.300",
      "mirror.example.com": "fd00::1",
    };
    assert.equal(
      problemsOf(values),
      [
        'stack "test": 1 error',
        'error: defaults.dind.extraHosts["registry.example.com"]: expected an IPv4 or IPv6 address, found "10.0.0.300"',
      ].join("\n"),
    );
  });

  it("a moving dind tag instead of a pinned Docker version", () => {
    const values = validValues();
    values.dockerHosts[0]!["dind"] = { dockerVersion: "latest" };
    assert.equal(
      problemsOf(values),
      [
        'stack "test": 1 error',
        'error: dockerHosts[0].dind.dockerVersion: expected a pinned Docker version x.y.z such as 29.7.2, found "latest"; a tag like this moves with every Docker release; pin a version',
      ].join("\n"),
    );
  });

  it("a Docker version YAML read as a number", () => {
    const values = validValues();
    values.defaults.dind["dockerVersion"] = 28.5;
    assert.equal(
      problemsOf(values),
      [
        'stack "test": 1 error',
        "error: defaults.dind.dockerVersion: expected a pinned Docker version x.y.z such as 29.7.2, found 28.5",
      ].join("\n"),
    );
  });

  it("a legacy registration token, explaining the runner-creation workflow without echoing it", () => {
    const values = validValues();
    values.dockerHosts[0]!.runners[0]!["token"] = "GR1348941xYzSecretPart";
    values.dockerHosts[1]!.runners[0]!["token"] = "abcdefSecretPart";
    const problems = problemsOf(values, PULUMI_UP);
    const workflow =
      "registration tokens are deprecated and disabled by default since GitLab 17. Since GitLab 16 a runner is created in GitLab (Admin area, group or project: CI/CD > Runners > New runner, or POST /api/v4/user/runners), which shows its glrt- authentication token; set that with: pulumi config set --secret --path";
    assert.equal(
      problems,
      [
        'stack "test": 2 errors',
        `error: dockerHosts[0].runners[0].token: expected a runner authentication token (glrt-...), found a runner registration token; ${workflow} 'dockerHosts[0].runners[0].token' glrt-...`,
        `error: dockerHosts[1].runners[0].token: expected a runner authentication token (glrt-...), found a value without the glrt- prefix; ${workflow} 'dockerHosts[1].runners[0].token' glrt-...`,
      ].join("\n"),
    );
    assert.ok(!problems.includes("SecretPart"));
  });

  it("a plaintext runner token in a stack file, without echoing it", () => {
    const values = validValues();
    values.dockerHosts[0]!.runners[0]!["token"] = "glrt-SecretPart";
    const problems = problemsOf(values, RENDER);
    assert.equal(
      problems,
      [
        'stack "test": 1 error',
        "error: dockerHosts[0].runners[0].token: expected an encrypted value, found a plaintext runner authentication token: anyone who can read the stack file can use it; store it encrypted with: pulumi config set --secret --path 'dockerHosts[0].runners[0].token' glrt-... (and reset it in GitLab if the file was shared)",
      ].join("\n"),
    );
    assert.ok(!problems.includes("SecretPart"));
  });

  it("accepts a plaintext glrt- token from decrypted Pulumi config and keeps it aside", () => {
    const values = validValues();
    values.dockerHosts[0]!.runners[0]!["token"] = "glrt-decrypted";
    const result = loadFleet({ environment: "test", values }, PULUMI_UP);
    assert.ok(result.ok);
    assert.deepEqual(
      result.secrets,
      new Map([["dockerHosts[0].runners[0].token", "glrt-decrypted"]]),
    );
    assert.deepEqual(result.fleet.dockerHosts[0]?.runners[0]?.token, {
      kind: "secret",
      configPath: "dockerHosts[0].runners[0].token",
    });
  });

  it("a missing token: a warning when rendering, an error for pulumi up", () => {
    const values = validValues();
    delete values.dockerHosts[0]!.runners[0]!["token"];
    const message =
      "dockerHosts[0].runners[0].token: expected a runner authentication token set with: pulumi config set --secret --path 'dockerHosts[0].runners[0].token' glrt-...";
    assert.equal(problemsOf(values, RENDER), `stack "test": 1 warning\nwarning: ${message}`);
    assert.equal(problemsOf(values, PULUMI_UP), `stack "test": 1 error\nerror: ${message}`);
  });

  it("a secret that is neither encrypted nor text, without showing it", () => {
    const values = validValues();
    values.dockerHosts[0]!.runners[0]!["token"] = { secret: "glrt-SecretPart" };
    values.dockerHosts[1]!.runners[0]!["token"] = "";
    const problems = problemsOf(values);
    assert.equal(
      problems,
      [
        'stack "test": 2 errors',
        "error: dockerHosts[0].runners[0].token: expected a runner authentication token (an encrypted { secure: ... } value), found a map",
        "error: dockerHosts[1].runners[0].token: expected a runner authentication token (an encrypted { secure: ... } value), found an empty string",
      ].join("\n"),
    );
  });

  it("an unknown key, with the likely intended key", () => {
    const values = validValues();
    const runner = values.dockerHosts[0]!.runners[0]!;
    runner["tokn"] = runner["token"];
    delete runner["token"];
    values.dockerHosts[1]!.runners[0]!["tls"] = false;
    values.kubernetesClusters[0]!.runners[0]!["dind"] = { manageOverlayModule: false };
    values.defaults["concurent"] = 2;
    assert.equal(
      problemsOf(values, PULUMI_UP),
      [
        'stack "test": 5 errors',
        'error: defaults: unknown key "concurent" (did you mean "concurrent"?)',
        'error: dockerHosts[0].runners[0]: unknown key "tokn" (did you mean "token"?)',
        "error: dockerHosts[0].runners[0].token: expected a runner authentication token set with: pulumi config set --secret --path 'dockerHosts[0].runners[0].token' glrt-...",
        'error: dockerHosts[1].runners[0]: unknown key "tls" (did you mean "dind.tls"?)',
        `error: kubernetesClusters[0].runners[0].dind: unknown key "manageOverlayModule" (it is a Docker host or cluster setting: set it in the host's or cluster's dind, or in defaults.dind)`,
      ].join("\n"),
    );
  });

  it("several unknown keys of one object in one line", () => {
    const values = validValues();
    values.gitlab["token"] = "x";
    values.gitlab["ca"] = "y";
    assert.equal(
      problemsOf(values),
      [
        'stack "test": 1 error',
        'error: gitlab: unknown keys "token" (tokens belong to runners: set it in runners[n].token), "ca"',
      ].join("\n"),
    );
  });

  it("a tcp endpoint without TLS material, TLS material on ssh, and plain tcp", () => {
    const values = validValues();
    values.dockerHosts[0]!["endpoint"] = "tcp://build-1.example.internal:2376";
    values.dockerHosts[1]!["tls"] = {
      caCert: CERTIFICATE,
      clientCert: CERTIFICATE,
      clientKey: ENCRYPTED,
    };
    values.dockerHosts.push({
      name: "build-3",
      endpoint: "tcp://build-3.example.internal:2375",
      runners: [{ name: "build-3-dind", tags: ["dind"], token: ENCRYPTED }],
    });
    assert.equal(
      problemsOf(values),
      [
        'stack "test": 3 errors',
        "error: dockerHosts[0].tls: missing; expected caCert, clientCert and clientKey for tcp://build-1.example.internal:2376: Docker's API over tcp must use TLS client certificates",
        "error: dockerHosts[1].tls: expected no tls for ssh://deploy@build-2.example.internal, found a tls map; tls applies to tcp:// endpoints only",
        `error: dockerHosts[2].endpoint: expected tcp://host:2376 with tls, found "tcp://build-3.example.internal:2375": port 2375 is Docker's API without TLS, and plain tcp is not supported (anyone on the network would control the host); use tcp://host:2376 with tls, or ssh://user@host`,
      ].join("\n"),
    );
  });

  it("a client key in plaintext in a stack file, or missing", () => {
    const values = validValues();
    const tls = { caCert: CERTIFICATE, clientCert: CERTIFICATE };
    values.dockerHosts[0]!["endpoint"] = "tcp://build-1.example.internal:2376";
    values.dockerHosts[0]!["tls"] = { ...tls, clientKey: "-----BEGIN EC PRIVATE KEY-----..." };
    values.dockerHosts[1]!["endpoint"] = "tcp://build-2.example.internal:2376";
    values.dockerHosts[1]!["tls"] = tls;
    assert.equal(
      problemsOf(values),
      [
        'stack "test": 1 error, 1 warning',
        "error: dockerHosts[0].tls.clientKey: expected an encrypted value, found plaintext: anyone who can read the stack file can use the key; store it encrypted with: pulumi config set --secret --path 'dockerHosts[0].tls.clientKey' < client-key.pem",
        "warning: dockerHosts[1].tls.clientKey: expected the PEM client key set with: pulumi config set --secret --path 'dockerHosts[1].tls.clientKey' < client-key.pem",
      ].join("\n"),
    );
  });

  it("a GitLab URL over http", () => {
    const values = validValues();
    values.gitlab["url"] = "http://gitlab.example.com";
    assert.equal(
      problemsOf(values),
      [
        'stack "test": 1 error',
        'error: gitlab.url: expected an https URL such as https://gitlab.example.com, found "http://gitlab.example.com"; runners send their authentication token to this URL, so it must be https',
      ].join("\n"),
    );
  });

  it("privileged job containers in a production stack, reported per runner with its origin", () => {
    const values = validValues();
    values["production"] = true;
    values.dockerHosts[0]!["dind"] = { privilegeMode: "all" };
    assert.equal(
      problemsOf(values),
      [
        'stack "test": 1 error',
        'error: dockerHosts[0].runners[0].dind.privilegeMode: expected "services-only" in a production stack, found "all" (set at dockerHosts[0].dind.privilegeMode): "all" runs every job container privileged, so any job can take over its host; only the dind service needs privileges',
      ].join("\n"),
    );
    values["production"] = false;
    assert.equal(problemsOf(values), "ok");
  });

  it("dind without TLS on Kubernetes, wherever it was set, even where a Docker host may have it", () => {
    const values = validValues();
    values.defaults.dind["tls"] = false;
    values.defaults.dind["allowUnauthenticatedApi"] = true;
    values.kubernetesClusters[0]!.runners.push({
      name: "k8s-1-plain",
      tags: ["dind"],
      token: ENCRYPTED,
      dind: { tls: false },
    });
    assert.equal(
      problemsOf(values),
      [
        'stack "test": 2 errors',
        "error: kubernetesClusters[0].runners[0].dind.tls: expected true on Kubernetes, found false (set at defaults.dind.tls): without TLS the dind service listens on the pod IP, reachable from the whole cluster network, and serves an unauthenticated, root-equivalent Docker API",
        "error: kubernetesClusters[0].runners[1].dind.tls: expected true on Kubernetes, found false: without TLS the dind service listens on the pod IP, reachable from the whole cluster network, and serves an unauthenticated, root-equivalent Docker API",
      ].join("\n"),
    );
    values.kubernetesClusters[0]!["dind"] = { tls: true };
    values.kubernetesClusters[0]!.runners.pop();
    assert.equal(problemsOf(values), "ok");
  });

  it("dind without TLS on a Docker host unless the stack accepts the unauthenticated API, production included", () => {
    const values = validValues();
    values["production"] = true;
    values.dockerHosts[0]!["dind"] = { tls: false };
    values.dockerHosts[1]!.runners[0]!["dind"] = { tls: false };
    assert.equal(
      problemsOf(values),
      [
        'stack "test": 2 errors',
        "error: dockerHosts[0].runners[0].dind.tls: expected true on a Docker host, found false (set at dockerHosts[0].dind.tls): without TLS the dind service serves an unauthenticated, root-equivalent Docker API on port 2375; keep tls: true, or accept that with dockerHosts[0].dind.allowUnauthenticatedApi: true (each job then gets a network of its own, so other jobs on the host cannot reach it)",
        "error: dockerHosts[1].runners[0].dind.tls: expected true on a Docker host, found false: without TLS the dind service serves an unauthenticated, root-equivalent Docker API on port 2375; keep tls: true, or accept that with dockerHosts[1].runners[0].dind.allowUnauthenticatedApi: true (each job then gets a network of its own, so other jobs on the host cannot reach it)",
      ].join("\n"),
    );
    values.dockerHosts[0]!["dind"] = { tls: false, allowUnauthenticatedApi: true };
    values.dockerHosts[1]!.runners[0]!["dind"] = { tls: false, allowUnauthenticatedApi: true };
    assert.equal(problemsOf(values), "ok");
    values.dockerHosts[0]!["dind"] = { tls: false, allowUnauthenticatedApi: "yes" };
    assert.equal(
      problemsOf(values),
      [
        'stack "test": 1 error',
        'error: dockerHosts[0].dind.allowUnauthenticatedApi: expected true or false, found "yes"',
      ].join("\n"),
    );
  });

  it("the vfs storage driver and a limit above concurrent, as warnings", () => {
    const values = validValues();
    values.dockerHosts[0]!["concurrent"] = 2;
    values.defaults["limit"] = 3;
    values.kubernetesClusters[0]!.runners[0]!["dind"] = { storageDriver: "vfs" };
    const result = loadFleet({ environment: "test", values }, RENDER);
    assert.ok(result.ok);
    assert.equal(
      problemsOf(values),
      [
        'stack "test": 2 warnings',
        "warning: dockerHosts[0].runners[0].limit: limit 3 (set at defaults.limit) is above the Docker host's concurrent 2 (set at dockerHosts[0].concurrent), which caps all its runners together; this runner never runs more than 2 jobs at once",
        'warning: kubernetesClusters[0].runners[0].dind.storageDriver: storage driver "vfs" copies every image layer in full: builds are slow and use much more disk; prefer "overlay2" wherever the kernel supports overlay (Linux 4.0 or later; manageOverlayModule loads the module)',
      ].join("\n"),
    );
  });

  it("a host without runners, and a stack without hosts or clusters", () => {
    const values = validValues();
    values.dockerHosts[0]!.runners = [];
    Reflect.deleteProperty(values.dockerHosts[1]!, "runners");
    assert.equal(
      problemsOf(values),
      [
        'stack "test": 2 errors',
        "error: dockerHosts[0].runners: expected at least one runner, found an empty list",
        "error: dockerHosts[1].runners: missing; expected a list of runners",
      ].join("\n"),
    );
    assert.equal(
      problemsOf({ gitlab: { url: "https://gitlab.example.com" }, dockerHosts: [] }),
      [
        'stack "test": 1 error',
        "error: expected at least one Docker host (dockerHosts) or Kubernetes cluster (kubernetesClusters), found none",
      ].join("\n"),
    );
  });

  it("numbers out of bounds, bad names, tags and enums", () => {
    const values = validValues();
    values.defaults["requestConcurrency"] = 0;
    values.defaults["jobTimeoutSeconds"] = 1.5;
    values.dockerHosts[0]!["name"] = "Build_1";
    values.dockerHosts[0]!.runners[0]!["tags"] = ["dind", " spaced"];
    values.dockerHosts[0]!.runners[0]!["limit"] = -1;
    values.kubernetesClusters[0]!["dind"] = { storageDriver: "btrfs", privilegeMode: "some" };
    assert.equal(
      problemsOf(values),
      [
        'stack "test": 7 errors',
        "error: defaults.requestConcurrency: expected an integer from 1 to 100, found 0",
        "error: defaults.jobTimeoutSeconds: expected an integer from 600 to 2592000, found 1.5",
        'error: dockerHosts[0].name: expected a name of lowercase letters, digits and "-" that starts and ends with a letter or digit, at most 63 characters, found "Build_1"',
        'error: dockerHosts[0].runners[0].tags[1]: expected a tag without commas or surrounding spaces, found " spaced"',
        "error: dockerHosts[0].runners[0].limit: expected an integer from 0 to 1000, found -1",
        'error: kubernetesClusters[0].dind.storageDriver: expected one of "overlay2", "vfs", found "btrfs"',
        'error: kubernetesClusters[0].dind.privilegeMode: expected one of "services-only", "all", found "some"',
      ].join("\n"),
    );
  });

  it("reports many problems at once, schema and cross-field alike, grouped by place", () => {
    const values = validValues();
    values["production"] = true;
    values.gitlab["url"] = "https://gitlab.example.com/";
    const host0 = values.dockerHosts[0]!;
    host0["concurrent"] = 0;
    host0.runners[0]!["name"] = "k8s-1-dind";
    host0.runners[0]!["dind"] = { privilegeMode: "all", registryMirrors: ["mirror.example.com"] };
    values.dockerHosts[1]!["endpoint"] = "tcp://build-2.example.internal:2375";
    values.dockerHosts[1]!.runners[0]!["limt"] = 3;
    values.kubernetesClusters[0]!["dind"] = { tls: false, storageDriver: "vfs" };
    assert.equal(
      problemsOf(values),
      [
        'stack "test": 7 errors, 1 warning',
        "error: dockerHosts[0].concurrent: expected an integer from 1 to 1000, found 0",
        'error: dockerHosts[0].runners[0].dind.registryMirrors[0]: expected an http or https URL such as https://mirror.example.com, found "mirror.example.com"',
        'error: dockerHosts[0].runners[0].dind.privilegeMode: expected "services-only" in a production stack, found "all": "all" runs every job container privileged, so any job can take over its host; only the dind service needs privileges',
        `error: dockerHosts[1].endpoint: expected tcp://host:2376 with tls, found "tcp://build-2.example.internal:2375": port 2375 is Docker's API without TLS, and plain tcp is not supported (anyone on the network would control the host); use tcp://host:2376 with tls, or ssh://user@host`,
        'error: dockerHosts[1].runners[0]: unknown key "limt" (did you mean "limit"?)',
        'error: kubernetesClusters[0].runners[0].name: duplicate runner name "k8s-1-dind", first used at dockerHosts[0].runners[0].name; runner names must be unique across the fleet',
        "error: kubernetesClusters[0].runners[0].dind.tls: expected true on Kubernetes, found false (set at kubernetesClusters[0].dind.tls): without TLS the dind service listens on the pod IP, reachable from the whole cluster network, and serves an unauthenticated, root-equivalent Docker API",
        'warning: kubernetesClusters[0].runners[0].dind.storageDriver: storage driver "vfs" (set at kubernetesClusters[0].dind.storageDriver) copies every image layer in full: builds are slow and use much more disk; prefer "overlay2" wherever the kernel supports overlay (Linux 4.0 or later; manageOverlayModule loads the module)',
      ].join("\n"),
    );
  });

  it("does not blame a default when the runner's own override is invalid", () => {
    const values = validValues();
    values.kubernetesClusters[0]!["dind"] = { tls: false };
    values.kubernetesClusters[0]!.runners[0]!["dind"] = { tls: "yes" };
    assert.equal(
      problemsOf(values),
      [
        'stack "test": 1 error',
        'error: kubernetesClusters[0].runners[0].dind.tls: expected true or false, found "yes"',
      ].join("\n"),
    );
  });

  it("never throws on values of the wrong shape", () => {
    assert.equal(
      problemsOf({ gitlab: [], dockerHosts: "build-1", kubernetesClusters: [null, 3] }),
      [
        'stack "test": 4 errors',
        "error: gitlab: expected a map with the GitLab url, e.g. { url: https://gitlab.example.com }, found an empty list",
        'error: dockerHosts: expected a list of Docker hosts, found "build-1"',
        "error: kubernetesClusters[0]: expected a map, found an empty value",
        "error: kubernetesClusters[1]: expected a map, found 3",
      ].join("\n"),
    );
  });

  it("rejects an environment name that is not a stack name", () => {
    const result = loadFleet({ environment: "../prod", values: validValues() }, RENDER);
    assert.deepEqual(result, {
      ok: false,
      issues: [
        {
          path: "",
          severity: "error",
          message: 'expected a stack name of letters, digits, "_", "." and "-", found "../prod"',
        },
      ],
    });
  });
});
