/**
 * The classic ways a Docker-in-Docker job fails, and the rendered output that
 * prevents each one, asserted on a representative fleet: a Docker host and a
 * cluster, each with a TLS runner that pushes to a self-signed registry only
 * reachable through an extra host entry and a plain-tcp runner.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Fleet, Runner } from "../../components/model/fleet.js";
import type { ConfigToml } from "../../components/render/config-toml-model.js";
import { managerConfigToml } from "../../components/render/config-toml.js";
import { kubernetesManifests } from "../../components/render/kubernetes-manifests.js";
import { renderFleetFiles } from "../../components/render/render-fleet-files.js";
import { redactedSecretText } from "../../components/render/secret-text.js";
import { CA_PEM, dind, dockerHost, fleet, kubernetesCluster, runner } from "./fixtures.js";
import {
  dockerRunnerAt,
  kubernetesRunnerAt,
  parseConfigToml,
  variable,
} from "./parse-config-toml.js";

const REGISTRY = "registry.example.internal:5000";
const REGISTRY_HOST = { hostname: "registry.example.internal", ip: "10.20.0.15" };
const WITH_REGISTRY = dind({ insecureRegistries: [REGISTRY], extraHosts: [REGISTRY_HOST] });
const PLAIN = dind({ tls: false });

const FLEET: Fleet = fleet({
  dockerHosts: [
    dockerHost("build-1", [
      runner("tls", { dind: WITH_REGISTRY }),
      runner("plain", { dind: PLAIN }),
    ]),
  ],
  kubernetesClusters: [
    kubernetesCluster("k8s-1", [
      runner("k-tls", { dind: WITH_REGISTRY }),
      runner("k-plain", { dind: PLAIN }),
    ]),
  ],
});
const HOST = FLEET.dockerHosts[0]!;
const CLUSTER = FLEET.kubernetesClusters[0]!;
const DOCKER: ConfigToml = parseConfigToml(managerConfigToml(FLEET, HOST, redactedSecretText));
const K8S: ConfigToml = parseConfigToml(managerConfigToml(FLEET, CLUSTER, redactedSecretText));
const FILES = new Map(
  renderFleetFiles(FLEET, redactedSecretText).map((file) => [file.path, file.content]),
);
const DIND_IMAGE = "docker:29.7.2-dind";

function daemonConfig(path: string): Record<string, unknown> {
  const content = FILES.get(path);
  assert.ok(content !== undefined, `${path} is rendered`);
  return JSON.parse(content) as Record<string, unknown>;
}

/** Each runner of the fleet with its rendered entry's environment and dind service. */
const RUNNERS: readonly {
  readonly model: Runner;
  readonly environment: readonly string[];
  readonly service: {
    readonly environment: readonly string[];
    readonly command?: readonly string[];
  };
}[] = [
  ...HOST.runners.map((model, i) => {
    const entry = dockerRunnerAt(DOCKER, i);
    return { model, environment: entry.environment, service: (entry.docker.services ?? [])[0]! };
  }),
  ...CLUSTER.runners.map((model, i) => {
    const entry = kubernetesRunnerAt(K8S, i);
    return { model, environment: entry.environment, service: entry.kubernetes.services[0]! };
  }),
];

describe("dind failures the rendered output prevents", () => {
  for (const { model, environment, service } of RUNNERS) {
    it(`prevents 'Cannot connect to the Docker daemon at tcp://docker:2375': ${model.name}: the job's DOCKER_HOST and TLS variables agree with the dind service's TLS mode`, () => {
      if (model.dind.tls) {
        assert.equal(variable(environment, "DOCKER_HOST"), "tcp://docker:2376");
        assert.equal(variable(environment, "DOCKER_TLS_VERIFY"), "1");
        assert.equal(variable(environment, "DOCKER_CERT_PATH"), "/dind-runners-certs/client");
        assert.deepEqual(service.environment, [
          "DOCKER_TLS_CERTDIR=/dind-runners-certs",
          "HEALTHCHECK_TCP_PORT=2376",
          "DOCKER_DRIVER=overlay2",
        ]);
        assert.equal(service.command, undefined);
      } else {
        assert.equal(variable(environment, "DOCKER_HOST"), "tcp://docker:2375");
        assert.equal(variable(environment, "DOCKER_TLS_CERTDIR"), "");
        assert.equal(variable(environment, "DOCKER_TLS_VERIFY"), undefined);
        assert.equal(variable(environment, "DOCKER_CERT_PATH"), undefined);
        assert.deepEqual(service.environment, [
          "DOCKER_TLS_CERTDIR=",
          "HEALTHCHECK_TCP_PORT=2375",
          "DOCKER_DRIVER=overlay2",
        ]);
        // Docker >= 27 does not listen on tcp without TLS unless told so explicitly.
        assert.deepEqual(service.command, ["--tls=false"]);
      }
    });

    it(`prevents 'x509: certificate signed by unknown authority' from a job's own docker:dind service: ${model.name}: no DOCKER_TLS_CERTDIR in the job environment, which GitLab Runner passes on to every service`, () => {
      // A job dind then generates into the image default /certs, not into ours.
      if (model.dind.tls) assert.equal(variable(environment, "DOCKER_TLS_CERTDIR"), undefined);
      for (const entry of environment) assert.doesNotMatch(entry, /=\/certs(\/|$)/);
    });

    it(`prevents a job's first docker command racing dind's start-up: ${model.name}: the dind service sets HEALTHCHECK_TCP_PORT, so the runner waits for dockerd's port`, () => {
      assert.equal(
        variable(service.environment, "HEALTHCHECK_TCP_PORT"),
        model.dind.tls ? "2376" : "2375",
      );
    });
  }

  it("prevents 'Cannot connect to the Docker daemon at tcp://docker:2375': docker: the job shares the runner's client certificate directory with dind exactly when TLS is on", () => {
    assert.ok(dockerRunnerAt(DOCKER, 0).docker.volumes.includes("/dind-runners-certs/client"));
    assert.ok(!dockerRunnerAt(DOCKER, 1).docker.volumes.includes("/dind-runners-certs/client"));
  });

  it("prevents 'x509: certificate signed by unknown authority' from a job's own docker:dind service: docker: no volume at GitLab's /certs/client, where such a dind writes", () => {
    for (const i of [0, 1]) {
      for (const volume of dockerRunnerAt(DOCKER, i).docker.volumes) {
        assert.doesNotMatch(volume, /(^|:)\/certs(\/|:|$)/);
      }
    }
  });

  it("prevents 'Cannot connect to the Docker daemon at tcp://docker:2375' and 'x509: certificate signed by unknown authority': kubernetes: the job pod shares an in-memory /dind-runners-certs/client with dind exactly when TLS is on, not GitLab's /certs/client", () => {
    const certs = (i: number) =>
      kubernetesRunnerAt(K8S, i).kubernetes.volumes.empty_dir?.filter(
        (volume) => volume.name === "docker-certs",
      );
    assert.deepEqual(certs(0), [
      { name: "docker-certs", mount_path: "/dind-runners-certs/client", medium: "Memory" },
    ]);
    assert.deepEqual(certs(1), []);
  });

  it("keeps images a job names from running privileged (root on the node): kubernetes: allowed_services holds only the pinned dind image; GitLab Runner also admits its internal images, the build image and the helper", () => {
    // service_container_security_context makes every service privileged, so
    // this list, with the internal images GitLab Runner admits whatever it
    // says (executors/kubernetes/kubernetes.go verifyAllowedImages:
    // `[runners.kubernetes] image` and the helper image), decides which
    // images those are. The README's security section names all of them.
    for (const i of [0, 1]) {
      const k8s = kubernetesRunnerAt(K8S, i).kubernetes;
      assert.deepEqual(k8s.allowed_services, [DIND_IMAGE]);
      assert.equal(k8s.image, DIND_IMAGE.replace(/-dind$/, "-cli"));
    }
  });

  it("prevents unbounded disk use and overlay2 on overlayfs: kubernetes: dind's /var/lib/docker is an emptyDir on node disk with a size limit", () => {
    for (const i of [0, 1]) {
      const storage = kubernetesRunnerAt(K8S, i).kubernetes.volumes.empty_dir?.filter(
        (volume) => volume.mount_path === "/var/lib/docker",
      );
      assert.deepEqual(storage, [
        { name: "dind-storage", mount_path: "/var/lib/docker", size_limit: "20Gi" },
      ]);
    }
  });

  it("prevents BestEffort job pods (evicted first) and jobs exhausting their node: kubernetes: build, helper and service containers have requests and memory and ephemeral-storage limits", () => {
    const k8s = kubernetesRunnerAt(K8S, 0).kubernetes;
    assert.deepEqual(
      {
        build: [k8s.cpu_request, k8s.memory_request, k8s.memory_limit, k8s.ephemeral_storage_limit],
        helper: [
          k8s.helper_cpu_request,
          k8s.helper_memory_request,
          k8s.helper_memory_limit,
          k8s.helper_ephemeral_storage_limit,
        ],
        services: [
          k8s.service_cpu_request,
          k8s.service_memory_request,
          k8s.service_memory_limit,
          k8s.service_ephemeral_storage_limit,
        ],
      },
      {
        build: ["500m", "1Gi", "4Gi", "10Gi"],
        helper: ["100m", "128Mi", "512Mi", "1Gi"],
        services: ["1", "2Gi", "8Gi", "24Gi"],
      },
    );
  });

  it("prevents a new runner manager in GitLab at every manager pod start: kubernetes: the config Secret carries a stable .runner_system_id next to config.toml, in the form GitLab Runner accepts, and the manager reads config.toml from that mounted directory", () => {
    const manifests = kubernetesManifests(FLEET, CLUSTER, "CONFIG");
    const secret = manifests.find((manifest) => manifest.kind === "Secret");
    const deployment = manifests.find((manifest) => manifest.kind === "Deployment");
    assert.ok(secret?.kind === "Secret" && deployment?.kind === "Deployment");
    const id = secret.stringData[".runner_system_id"];
    // GitLab Runner ignores (and replaces) anything else: system_id_state.go loadFromFile.
    assert.match(id, /^[sr]_[0-9a-zA-Z]{12}$/);
    const afterChange = kubernetesManifests(FLEET, CLUSTER, "OTHER CONFIG").find(
      (manifest) => manifest.kind === "Secret",
    );
    assert.ok(afterChange?.kind === "Secret");
    assert.equal(afterChange.stringData[".runner_system_id"], id, "a config change keeps the ID");
    const pod = deployment.spec.template.spec;
    const container = pod.containers[0]!;
    assert.deepEqual(container.args?.slice(0, 3), [
      "run",
      "--config",
      "/etc/gitlab-runner/config.toml",
    ]);
    const mount = container.volumeMounts?.find((m) => m.mountPath === "/etc/gitlab-runner");
    assert.deepEqual(
      pod.volumes.find((volume) => volume.name === mount?.name)?.secret?.secretName,
      secret.metadata.name,
    );
  });

  it("prevents job code from calling the Kubernetes API: kubernetes: automount_service_account_token = false", () => {
    for (const i of [0, 1]) {
      assert.equal(kubernetesRunnerAt(K8S, i).kubernetes.automount_service_account_token, false);
    }
  });

  it("prevents 'lookup registry.example.internal: no such host': docker: extra_hosts (given to the dind service container too) resolve the registry", () => {
    assert.deepEqual(dockerRunnerAt(DOCKER, 0).docker.extra_hosts, [
      "registry.example.internal:10.20.0.15",
    ]);
  });

  it("prevents 'lookup registry.example.internal: no such host': kubernetes: host_aliases of the job pod resolve the registry in every container", () => {
    assert.deepEqual(kubernetesRunnerAt(K8S, 0).kubernetes.host_aliases, [
      { ip: "10.20.0.15", hostnames: ["registry.example.internal"] },
    ]);
  });

  it("prevents 'x509: certificate is not valid': the runner's daemon.json lists the registry as insecure", () => {
    assert.deepEqual(daemonConfig("docker-hosts/build-1/dind/tls.json")["insecure-registries"], [
      REGISTRY,
    ]);
    assert.deepEqual(
      daemonConfig("kubernetes-clusters/k8s-1/dind/k-tls.json")["insecure-registries"],
      [REGISTRY],
    );
  });

  it("prevents 'x509: certificate is not valid': docker: that daemon.json is bound from the host path deployment writes it to", () => {
    assert.ok(
      dockerRunnerAt(DOCKER, 0).docker.volumes.includes(
        "/etc/dind-runners/dind/tls.json:/etc/docker/daemon.json:ro",
      ),
    );
  });

  it("prevents 'x509: certificate is not valid': kubernetes: that daemon.json is mounted from the runner's key of the ConfigMap", () => {
    assert.deepEqual(kubernetesRunnerAt(K8S, 0).kubernetes.volumes.config_map, [
      { name: "dind-daemon-config", mount_path: "/etc/docker/daemon.json", sub_path: "k-tls.json" },
    ]);
  });

  it("prevents 'x509: certificate is not valid': no daemon option is repeated as a dind flag, which would stop dockerd from starting", () => {
    for (const { service } of RUNNERS) {
      for (const argument of service.command ?? []) {
        assert.doesNotMatch(argument, /insecure-registry|registry-mirror|storage-driver/);
      }
    }
  });

  it("prevents slow builds on the vfs storage driver: every dind daemon.json asks for overlay2", () => {
    const daemonFiles = [...FILES.keys()].filter((path) => /\/dind\/[^/]+\.json$/.test(path));
    assert.equal(daemonFiles.length, 4);
    for (const path of daemonFiles) {
      assert.equal(daemonConfig(path)["storage-driver"], "overlay2", path);
    }
  });

  it("prevents a job's DOCKER_DRIVER (an old recipe's `overlay`) from replacing daemon.json's driver: none in the job environment, pinned last in the dind service's own", () => {
    // dockerd prefers $DOCKER_DRIVER over daemon.json, and GitLab Runner puts the
    // job's variables first and the service's own last in the service's env.
    for (const { environment, service } of RUNNERS) {
      assert.equal(variable(environment, "DOCKER_DRIVER"), undefined);
      assert.equal(service.environment.at(-1), "DOCKER_DRIVER=overlay2");
    }
  });

  it("prevents slow builds on the vfs storage driver: the host preparation loads the overlay module and persists it across reboots", () => {
    const script = FILES.get("docker-hosts/build-1/host-preparation/prepare-host.sh");
    assert.ok(script !== undefined);
    assert.match(script, /^\s*host_modprobe overlay \|\|$/m);
    assert.match(script, /^conf="\$modules_load_dir\/overlay\.conf"$/m);
    assert.equal(
      FILES.get("docker-hosts/build-1/host-preparation/modules-load.d/overlay.conf"),
      "overlay\n",
    );
  });

  it("prevents privileged job containers (root on the host for every job): docker: only services are privileged, and only the pinned dind image", () => {
    for (const i of [0, 1]) {
      const docker = dockerRunnerAt(DOCKER, i).docker;
      assert.equal(docker.privileged, false);
      assert.equal(docker.services_privileged, true);
      assert.deepEqual(docker.allowed_privileged_services, [DIND_IMAGE]);
      assert.deepEqual(
        (docker.services ?? []).map((service) => service.name),
        [DIND_IMAGE],
      );
    }
  });

  it("prevents privileged job containers (root on the host for every job): kubernetes: no pod-wide privileged flag, only the service containers' security context", () => {
    for (const i of [0, 1]) {
      const k8s = kubernetesRunnerAt(K8S, i).kubernetes;
      assert.equal(k8s.privileged, undefined);
      assert.deepEqual(k8s.service_container_security_context, { privileged: true });
    }
  });
});

describe("a registry behind a private CA: 'x509: certificate signed by unknown authority' prevented without marking it insecure", () => {
  const registry = "registry.example.internal:5000";
  const trusting = dind({
    registryCertificates: [{ registry, caCertificate: CA_PEM }],
  });
  const input: Fleet = fleet({
    dockerHosts: [dockerHost("build-1", [runner("ca", { dind: trusting }), runner("none")])],
    kubernetesClusters: [
      kubernetesCluster("k8s-1", [runner("k-ca", { dind: trusting }), runner("k-none")]),
    ],
  });
  const docker = parseConfigToml(
    managerConfigToml(input, input.dockerHosts[0]!, redactedSecretText),
  );
  const k8s = parseConfigToml(
    managerConfigToml(input, input.kubernetesClusters[0]!, redactedSecretText),
  );
  const files = new Map(
    renderFleetFiles(input, redactedSecretText).map((file) => [file.path, file.content]),
  );

  it("docker: binds the runner's certs.d tree read-only at /etc/docker/certs.d, only for runners with CAs", () => {
    assert.ok(
      dockerRunnerAt(docker, 0).docker.volumes.includes(
        "/etc/dind-runners/certs.d/ca:/etc/docker/certs.d:ro",
      ),
    );
    assert.equal(
      dockerRunnerAt(docker, 1).docker.volumes.some((volume) => volume.includes("certs.d")),
      false,
    );
    assert.equal(
      files.get("docker-hosts/build-1/registry-certificates/ca/registry.example.internal_5000.crt"),
      CA_PEM,
    );
  });

  it("kubernetes: mounts the runner's keys of the CA ConfigMap at <host:port>/ca.crt in /etc/docker/certs.d", () => {
    assert.deepEqual(kubernetesRunnerAt(k8s, 0).kubernetes.volumes.config_map, [
      { name: "dind-daemon-config", mount_path: "/etc/docker/daemon.json", sub_path: "k-ca.json" },
      {
        name: "dind-registry-certificates",
        mount_path: "/etc/docker/certs.d",
        read_only: true,
        items: {
          "k-ca.registry.example.internal_5000.crt": "registry.example.internal:5000/ca.crt",
        },
      },
    ]);
    assert.equal(kubernetesRunnerAt(k8s, 1).kubernetes.volumes.config_map.length, 1);
    const manifests = files.get("kubernetes-clusters/k8s-1/manifests.yaml") ?? "";
    assert.match(
      manifests,
      /kind: ConfigMap\nmetadata:\n {2}name: dind-registry-certificates\n[^]*?data:\n {2}k-ca\.registry\.example\.internal_5000\.crt: \|\n {4}-----BEGIN CERTIFICATE-----/,
    );
  });
});
