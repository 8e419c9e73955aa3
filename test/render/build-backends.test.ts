/**
 * What each build backend renders: the exact executor sections and job
 * environment of `socket` and `buildkit` runners on both executors, their
 * build-service files (no daemon.json for socket, a buildkitd.toml for
 * buildkit), and no privileged flag anywhere for either.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parse as parseToml } from "@iarna/toml";
import { configWriterSpec } from "../../components/docker/config-writer-spec.js";
import { ciIncludeGroups } from "../../components/render/ci-include.js";
import { buildServiceConfigFile } from "../../components/render/build-service-config.js";
import { managerConfigToml } from "../../components/render/config-toml.js";
import {
  clusterPodSecurityLevel,
  kubernetesManifests,
  podSecurityLevel,
} from "../../components/render/kubernetes-manifests.js";
import { renderFleetFiles } from "../../components/render/render-fleet-files.js";
import { redactedSecretText } from "../../components/render/secret-text.js";
import {
  backendsFleet,
  BUILDKIT_BACKEND,
  CA_PEM,
  kubernetesCluster,
  registryDind,
  runner,
} from "./fixtures.js";
import { dockerRunnerAt, kubernetesRunnerAt, parseConfigToml } from "./parse-config-toml.js";

const FLEET = backendsFleet();
const HOST = FLEET.dockerHosts[0]!;
const CLUSTER = FLEET.kubernetesClusters[0]!;
const DOCKER_TOML = managerConfigToml(FLEET, HOST, redactedSecretText);
const KUBERNETES_TOML = managerConfigToml(FLEET, CLUSTER, redactedSecretText);

const BUILDKITD_TOML = [
  "# Rendered by dind-runners: edit the stack config, not this file.",
  "",
  "[worker.oci]",
  "gc = true",
  'maxUsedSpace = "10GB"',
  "",
  '[registry."10.0.0.8:5000"]',
  "http = true",
  "",
  '[registry."10.0.0.9:5000"]',
  "http = true",
  "insecure = true",
  "",
  '[registry."docker.io"]',
  'mirrors = [ "mirror.example.internal", "10.0.0.8:5000/hub" ]',
  "",
  '[registry."registry.example.internal:5050"]',
  'ca = [ "/etc/docker/certs.d/registry.example.internal:5050/ca.crt" ]',
  "",
].join("\n");

const BUILDKIT_COMMAND = (host: string) => [
  "--addr",
  `tcp://${host}:1234`,
  "--config",
  "/etc/buildkit/buildkitd.toml",
  "--oci-worker-no-process-sandbox",
];

describe("socket backend", () => {
  it("binds the host engine's socket into the job: no service, nothing privileged, no daemon settings", () => {
    const entry = dockerRunnerAt(parseConfigToml(DOCKER_TOML), 0);
    assert.equal(entry.name, "build-1-socket");
    assert.deepEqual(entry.environment, ["DOCKER_HOST=unix:///var/run/docker.sock"]);
    assert.equal(entry.feature_flags, undefined);
    assert.deepEqual(entry.docker, {
      image: "docker:29.7.2-cli",
      tls_verify: false,
      privileged: false,
      volumes: ["/var/run/docker.sock:/var/run/docker.sock", "/cache"],
    });
  });

  it("has no file of its own on the host: the host's daemon keeps its own configuration", () => {
    const socket = HOST.runners[0]!;
    assert.equal(buildServiceConfigFile(socket), undefined);
    const paths = renderFleetFiles(FLEET, redactedSecretText).map((file) => file.path);
    assert.deepEqual(
      paths.filter((path) => path.startsWith("docker-hosts/build-1/")),
      [
        "docker-hosts/build-1/config.toml",
        "docker-hosts/build-1/dind/build-1-buildkit.buildkitd.toml",
        "docker-hosts/build-1/registry-certificates/build-1-buildkit/registry.example.internal_5050.crt",
      ],
    );
  });
});

describe("buildkit backend", () => {
  it("on a Docker host: the rootless BuildKit service, unprivileged, unconfined only for services, on the job's own network", () => {
    const entry = dockerRunnerAt(parseConfigToml(DOCKER_TOML), 1);
    assert.equal(entry.name, "build-1-buildkit");
    assert.deepEqual(entry.environment, ["BUILDKIT_HOST=tcp://buildkitd:1234"]);
    assert.deepEqual(entry.feature_flags, { FF_NETWORK_PER_BUILD: true });
    assert.deepEqual(entry.docker, {
      image: "docker:29.7.2-cli",
      tls_verify: false,
      privileged: false,
      services_privileged: false,
      services_security_opt: ["seccomp=unconfined", "apparmor=unconfined"],
      volumes: [
        "/cache",
        "/etc/dind-runners/dind/build-1-buildkit.buildkitd.toml:/etc/buildkit/buildkitd.toml:ro",
        "/etc/dind-runners/certs.d/build-1-buildkit:/etc/docker/certs.d:ro",
      ],
      network_mtu: 1450,
      extra_hosts: ["registry.example.internal:10.0.0.9"],
      services: [
        {
          name: "moby/buildkit:v0.32.2-rootless",
          alias: "buildkitd",
          command: BUILDKIT_COMMAND("0.0.0.0"),
          environment: ["HEALTHCHECK_TCP_PORT=1234"],
        },
      ],
    });
  });

  it("on Kubernetes: the service's own security context, BuildKit on the pod's loopback, its state on a bounded volume", () => {
    const entry = kubernetesRunnerAt(parseConfigToml(KUBERNETES_TOML), 0);
    assert.deepEqual(entry.environment, ["BUILDKIT_HOST=tcp://buildkitd:1234"]);
    const { kubernetes } = entry;
    assert.equal(kubernetes.privileged, undefined);
    assert.deepEqual(kubernetes.allowed_services, ["moby/buildkit:v0.32.2-rootless"]);
    assert.deepEqual(kubernetes.service_container_security_context, {
      privileged: false,
      run_as_user: 1000,
      run_as_group: 1000,
      seccomp_profile: { type: "Unconfined" },
      app_armor_profile: { type: "Unconfined" },
    });
    assert.deepEqual(kubernetes.services, [
      {
        name: "moby/buildkit:v0.32.2-rootless",
        alias: "buildkitd",
        command: BUILDKIT_COMMAND("127.0.0.1"),
        environment: ["HEALTHCHECK_TCP_PORT=1234"],
      },
    ]);
    assert.deepEqual(kubernetes.volumes, {
      empty_dir: [
        {
          name: "buildkit-state",
          mount_path: "/home/user/.local/share/buildkit",
          size_limit: "20Gi",
        },
      ],
      config_map: [
        {
          name: "dind-daemon-config",
          mount_path: "/etc/buildkit/buildkitd.toml",
          sub_path: "k8s-1-buildkit.buildkitd.toml",
        },
        {
          name: "dind-registry-certificates",
          mount_path: "/etc/docker/certs.d",
          read_only: true,
          items: {
            "k8s-1-buildkit.registry.example.internal_5050.crt":
              "registry.example.internal:5050/ca.crt",
          },
        },
      ],
    });
    assert.deepEqual(kubernetes.host_aliases, [
      { ip: "10.0.0.9", hostnames: ["registry.example.internal"] },
    ]);
  });

  it("renders the stack's mirrors, insecure registries and CAs, and the cache bound, into buildkitd.toml", () => {
    const file = buildServiceConfigFile(HOST.runners[1]!);
    assert.deepEqual(file, {
      fileName: "build-1-buildkit.buildkitd.toml",
      content: BUILDKITD_TOML,
    });
    // Valid TOML, and the same file for the cluster's runner, under its own key.
    assert.ok(parseToml(BUILDKITD_TOML));
    const manifests = kubernetesManifests(FLEET, CLUSTER, "CONFIG");
    const configMap = manifests.find(
      (object) => object.kind === "ConfigMap" && object.metadata.name === "dind-daemon-config",
    );
    assert.deepEqual(configMap && "data" in configMap ? configMap.data : undefined, {
      "k8s-1-buildkit.buildkitd.toml": BUILDKITD_TOML,
    });
  });

  it("leaves out the registry tables when the stack has none", () => {
    const bare = buildServiceConfigFile(runner("bare", { backend: BUILDKIT_BACKEND }));
    assert.equal(
      bare?.content,
      '# Rendered by dind-runners: edit the stack config, not this file.\n\n[worker.oci]\ngc = true\nmaxUsedSpace = "10GB"\n',
    );
  });

  it("is written to the host by the config writer, next to the registry CAs", () => {
    const files = new Map(
      HOST.runners.flatMap((entry) => {
        const file = buildServiceConfigFile(entry);
        return file === undefined ? [] : [[entry.name, file] as const];
      }),
    );
    const spec = configWriterSpec(FLEET, HOST, { configToml: "CONFIG", serviceConfigs: files });
    assert.deepEqual(
      (spec.uploads ?? []).map((upload) => [upload.file, upload.content]),
      [
        ["/staging/gitlab-runner/config.toml", "CONFIG"],
        ["/staging/dind/build-1-buildkit.buildkitd.toml", BUILDKITD_TOML],
        ["/staging/certs.d/build-1-buildkit/registry.example.internal:5050/ca.crt", CA_PEM],
      ],
    );
  });
});

describe("privileges of the non-dind backends", () => {
  it("no privileged flag is true anywhere in their config.toml, and no privileged object is deployed for them", () => {
    for (const text of [DOCKER_TOML, KUBERNETES_TOML]) {
      assert.doesNotMatch(text, /privileged = true/);
      assert.doesNotMatch(text, /allowed_privileged_services/);
    }
    const objects = JSON.stringify(kubernetesManifests(FLEET, CLUSTER, "CONFIG"));
    assert.doesNotMatch(objects, /"privileged":true/);
    assert.equal(objects.includes("dind-overlay-module"), false);
  });

  it("namespace Pod Security level: privileged for dind and for rootless BuildKit (Unconfined profiles break baseline)", () => {
    assert.equal(podSecurityLevel("dind"), "privileged");
    assert.equal(podSecurityLevel("buildkit"), "privileged");
    assert.throws(() => podSecurityLevel("socket"), {
      message: "internal: backend socket on Kubernetes",
    });
    assert.equal(clusterPodSecurityLevel(CLUSTER), "privileged");
    const namespace = kubernetesManifests(FLEET, CLUSTER, "CONFIG")[0]!;
    assert.deepEqual(
      Object.entries(namespace.metadata.labels).filter(([key]) => key.startsWith("pod-security")),
      [
        ["pod-security.kubernetes.io/enforce", "privileged"],
        ["pod-security.kubernetes.io/audit", "baseline"],
        ["pod-security.kubernetes.io/warn", "privileged"],
      ],
    );
  });

  it("a dind runner next to buildkit ones keeps its privileged service", () => {
    const mixed = kubernetesCluster("mixed", [
      runner("mixed-dind"),
      runner("mixed-buildkit", { dind: registryDind(), backend: BUILDKIT_BACKEND }),
    ]);
    const text = managerConfigToml(
      { ...FLEET, kubernetesClusters: [mixed] },
      mixed,
      redactedSecretText,
    );
    const config = parseConfigToml(text);
    assert.deepEqual(kubernetesRunnerAt(config, 0).kubernetes.service_container_security_context, {
      privileged: true,
    });
    assert.equal(
      kubernetesRunnerAt(config, 1).kubernetes.service_container_security_context?.privileged,
      false,
    );
  });
});

describe("the docker-build include of non-dind runners", () => {
  it("names the backend and passes no daemon flags; a dind runner's entry stays as it was", () => {
    const groups = ciIncludeGroups(FLEET);
    assert.deepEqual(
      groups.map((group) => [group.inputs, group.tags, group.warnings]),
      [
        [
          {
            "job-prefix": "docker-socket",
            executor: "docker",
            "docker-version": "29.7.2",
            tls: true,
            "dind-service": "runner",
            backend: "socket",
            "dind-flags": [],
          },
          ["socket"],
          [],
        ],
        [
          {
            "job-prefix": "docker-buildkit",
            executor: "docker",
            "docker-version": "29.7.2",
            tls: true,
            "dind-service": "runner",
            backend: "buildkit",
            "dind-flags": [],
          },
          ["buildkit"],
          [],
        ],
        [
          {
            "job-prefix": "docker-dind",
            executor: "kubernetes",
            "docker-version": "29.7.2",
            tls: true,
            "dind-service": "runner",
            backend: "buildkit",
            "dind-flags": [],
          },
          ["dind"],
          [],
        ],
      ],
    );
  });

  it("warns when a runner of another backend also takes the group's jobs", () => {
    const shared = {
      ...FLEET,
      kubernetesClusters: [
        kubernetesCluster("k8s-1", [
          runner("k8s-dind", { tags: ["build"] }),
          runner("k8s-buildkit", { tags: ["build", "fast"], backend: BUILDKIT_BACKEND }),
        ]),
      ],
    };
    const [dindGroup] = ciIncludeGroups({ ...shared, dockerHosts: [] });
    assert.deepEqual(dindGroup?.warnings, [
      "runner k8s-buildkit (kubernetes cluster k8s-1) also takes jobs with tags [build] but has dind.backend buildkit, so the job stops at its backend check there; give the runners distinct tags.",
    ]);
  });
});
