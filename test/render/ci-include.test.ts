/**
 * The docker-build include snippet: its exact text for a hand-built fleet, how
 * runners are grouped and named, and, expanded by gitlab-ci-local against
 * templates/docker-build, jobs that agree with the runner side rendered for the
 * same fleet (config.toml environment and services, daemon.json).
 */
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { loadFleet } from "../../components/config/load/load-fleet.js";
import { readStackFile } from "../../components/config/read/stack-file.js";
import type { Fleet, Runner } from "../../components/model/fleet.js";
import {
  ciIncludeGroups,
  ciIncludeSnippet,
  COMPONENT_VERSION,
  DEFAULT_DOCKER_BUILD_COMPONENT,
  dindFlags,
} from "../../components/render/ci-include.js";
import type { RunnerToml, ServiceToml } from "../../components/render/config-toml-model.js";
import { daemonJson } from "../../components/render/daemon-json.js";
import { managerConfigToml } from "../../components/render/config-toml.js";
import { redactedSecretText } from "../../components/render/secret-text.js";
import packageJson from "../../package.json";
import {
  type ExpandedJob,
  jobNames,
  jobOf,
  LOCAL_COMPONENT,
  previewPipeline,
} from "../templates/gitlab-ci-local.js";
import { dind, dockerHost, fleet, kubernetesCluster, runner, varietyFleet } from "./fixtures.js";
import { parseConfigToml, variable } from "./parse-config-toml.js";

/** Two Docker hosts and a cluster: a group across hosts, a plain runner, equal tags on both executors. */
function mixedFleet(): Fleet {
  return fleet({
    dockerHosts: [
      dockerHost("build-1", [
        runner("build-1-dind", { tags: ["dind", "linux"] }),
        runner("build-1-plain", { tags: ["dind", "plain"], dind: dind({ tls: false }) }),
      ]),
      dockerHost("build-2", [runner("build-2-dind", { tags: ["linux", "dind"] })]),
    ],
    kubernetesClusters: [
      kubernetesCluster("k8s-1", [
        runner("k8s-1-dind", {
          tags: ["dind", "linux"],
          dind: dind({
            insecureRegistries: ["registry.example.internal:5000"],
            registryMirrors: ["https://mirror.example.com"],
          }),
        }),
      ]),
    ],
  });
}

const MIXED_SNIPPET = `# docker-build includes for the runners of stack "test", written by
# \`npm run render -- --stack test\`: edit the stack config, not this file.
# Replace <group> in the component address with the group (namespace) that holds the
# dind-runners component project, or with the path of your mirror of it.
# Each entry adds one build job (<job-prefix>-build) that runs on the runners named above it.
# Keep the entries you need and add build inputs as you like (stage, needs, image, tag, context,
# dockerfile, push, cache, build-args, ...); keep the inputs below and the jobs' tags as they are:
# they match the runners.

include:
  # runners: build-1-dind (docker host build-1), build-2-dind (docker host build-2)
  - component: $CI_SERVER_FQDN/<group>/dind-runners/docker-build@0.1.0
    inputs:
      job-prefix: docker-dind-linux-docker
      executor: docker
      docker-version: 29.7.2
      tls: true
      dind-service: runner
      dind-flags: []
  # runners: build-1-plain (docker host build-1)
  - component: $CI_SERVER_FQDN/<group>/dind-runners/docker-build@0.1.0
    inputs:
      job-prefix: docker-dind-plain
      executor: docker
      docker-version: 29.7.2
      tls: false
      dind-service: runner
      dind-flags: []
  # runners: k8s-1-dind (kubernetes cluster k8s-1)
  # warning: runner build-1-dind (docker host build-1) also takes jobs with tags [dind, linux] but its daemon lacks --insecure-registry=registry.example.internal:5000, --registry-mirror=https://mirror.example.com; give the runners distinct tags.
  # warning: runner build-2-dind (docker host build-2) also takes jobs with tags [dind, linux] but its daemon lacks --insecure-registry=registry.example.internal:5000, --registry-mirror=https://mirror.example.com; give the runners distinct tags.
  - component: $CI_SERVER_FQDN/<group>/dind-runners/docker-build@0.1.0
    inputs:
      job-prefix: docker-dind-linux-kubernetes
      executor: kubernetes
      docker-version: 29.7.2
      tls: true
      dind-service: runner
      dind-flags: [--insecure-registry=registry.example.internal:5000, --registry-mirror=https://mirror.example.com]

# GitLab gives each build job only to runners that have all of its tags.
docker-dind-linux-docker-build:
  tags: [dind, linux]
docker-dind-plain-build:
  tags: [dind, plain]
docker-dind-linux-kubernetes-build:
  tags: [dind, linux]
`;

describe("ciIncludeSnippet", () => {
  it("renders one include per group of runners with equal settings, exactly", () => {
    assert.equal(ciIncludeSnippet(mixedFleet()), MIXED_SNIPPET);
  });

  it("references the component at the package version by default", () => {
    assert.equal(COMPONENT_VERSION, packageJson.version);
    assert.equal(
      DEFAULT_DOCKER_BUILD_COMPONENT,
      `$CI_SERVER_FQDN/<group>/dind-runners/docker-build@${packageJson.version}`,
    );
  });

  it("takes another component address and then asks for no replacement", () => {
    const snippet = ciIncludeSnippet(mixedFleet(), {
      component: "gitlab.example.com/platform/dind-runners/docker-build@1.4.0",
    });
    assert.ok(!snippet.includes("<group>"));
    assert.equal(
      snippet.match(
        /^ {2}- component: gitlab\.example\.com\/platform\/dind-runners\/docker-build@1\.4\.0$/gm,
      )?.length,
      3,
    );
  });

  it("is deterministic and does not depend on the order of a runner's tags", () => {
    const reordered = fleet({
      dockerHosts: [
        dockerHost("build-1", [runner("build-1-dind", { tags: ["linux", "dind"] })]),
        dockerHost("build-2", [runner("build-2-dind", { tags: ["dind", "linux", "dind"] })]),
      ],
    });
    assert.equal(ciIncludeSnippet(mixedFleet()), ciIncludeSnippet(mixedFleet()));
    assert.deepEqual(
      ciIncludeGroups(reordered).map((group) => [group.inputs["job-prefix"], group.tags]),
      [["docker-linux-dind", ["linux", "dind"]]],
    );
  });

  it("job prefixes: tags made name-safe, untagged runners, a counter for groups that still collide", () => {
    const prefixes = ciIncludeGroups(
      fleet({
        dockerHosts: [
          dockerHost("build-1", [
            runner("gpu", { tags: ["GPU Large", "x86_64"] }),
            runner("untagged", { tags: [] }),
            runner("tls", { tags: ["dind"] }),
            runner("plain", { tags: ["dind"], dind: dind({ tls: false }) }),
          ]),
        ],
      }),
    ).map((group) => group.inputs["job-prefix"]);
    assert.deepEqual(prefixes, [
      "docker-gpu-large-x86-64",
      "docker-untagged",
      "docker-dind-docker",
      "docker-dind-docker-2",
    ]);
  });

  it("dind flags: insecure registries sorted, then mirrors in their order", () => {
    assert.deepEqual(
      dindFlags(
        dind({
          insecureRegistries: ["registry.example.internal:5000", "10.0.0.9:5000"],
          registryMirrors: ["https://mirror-b.example.com", "http://10.0.0.8:5000"],
        }),
      ),
      [
        "--insecure-registry=10.0.0.9:5000",
        "--insecure-registry=registry.example.internal:5000",
        "--registry-mirror=https://mirror-b.example.com",
        "--registry-mirror=http://10.0.0.8:5000",
      ],
    );
  });

  it("dind flags: the MTU last, only when the stack sets one", () => {
    assert.deepEqual(
      dindFlags(dind({ mtu: 1400, registryMirrors: ["https://mirror.example.com"] })),
      ["--registry-mirror=https://mirror.example.com", "--mtu=1400"],
    );
    assert.deepEqual(dindFlags(dind()), []);
  });

  it("untagged runners get no tags for their job: GitLab refuses an empty tags list", () => {
    const snippet = ciIncludeSnippet(
      fleet({ dockerHosts: [dockerHost("build-1", [runner("untagged", { tags: [] })])] }),
    );
    assert.match(snippet, /job-prefix: docker-untagged\n/);
    assert.ok(!snippet.includes("tags:"), snippet);
  });

  it("warns when a runner with more tags would take the job but disagrees on TLS", () => {
    const groups = ciIncludeGroups(
      fleet({
        dockerHosts: [
          dockerHost("build-1", [
            runner("tls", { tags: ["dind"] }),
            runner("gpu-plain", { tags: ["dind", "gpu"], dind: dind({ tls: false }) }),
          ]),
        ],
      }),
    );
    assert.deepEqual(
      groups.map((group) => group.warnings),
      [
        [
          "runner gpu-plain (docker host build-1) also takes jobs with tags [dind] but has dind.tls false, so the job's DOCKER_HOST misses its daemon; give the runners distinct tags.",
        ],
        [],
      ],
    );
  });

  it("covers every runner of the example stacks exactly once, without warnings", () => {
    for (const environment of ["dev", "staging", "prod"]) {
      const stack = exampleFleet(environment);
      const grouped = ciIncludeGroups(stack).flatMap((group) =>
        group.runners.map((entry) => entry.runner.name),
      );
      assert.deepEqual(
        grouped.sort(),
        allRunners(stack)
          .map((r) => r.name)
          .sort(),
        environment,
      );
      assert.deepEqual(
        ciIncludeGroups(stack).flatMap((group) => group.warnings),
        [],
        environment,
      );
    }
  });
});

function exampleFleet(environment: string): Fleet {
  const loaded = loadFleet(readStackFile(environment), {
    requireSecrets: false,
    plaintextSecretsAllowed: false,
  });
  assert.ok(loaded.ok, `stack ${environment} should load`);
  return loaded.fleet;
}

function allRunners(stack: Fleet): Runner[] {
  return [...stack.dockerHosts, ...stack.kubernetesClusters].flatMap((target) => target.runners);
}

/** The runner's `[[runners]]` entry of its host's or cluster's rendered config.toml. */
function runnerToml(stack: Fleet, wanted: Runner): RunnerToml {
  const host = stack.dockerHosts.find((candidate) => candidate.runners.includes(wanted));
  const cluster = stack.kubernetesClusters.find((candidate) => candidate.runners.includes(wanted));
  const text =
    host !== undefined
      ? managerConfigToml(stack, host, redactedSecretText)
      : cluster !== undefined
        ? managerConfigToml(stack, cluster, redactedSecretText)
        : assert.fail(`runner ${wanted.name} is on no host or cluster`);
  const entry = parseConfigToml(text).runners.find((candidate) => candidate.name === wanted.name);
  assert.ok(entry, `config.toml has runner ${wanted.name}`);
  return entry;
}

function runnerServices(entry: RunnerToml): readonly ServiceToml[] {
  return entry.executor === "docker" ? (entry.docker.services ?? []) : entry.kubernetes.services;
}

const CONNECTION_NAMES = [
  "DOCKER_HOST",
  "DOCKER_TLS_CERTDIR",
  "DOCKER_TLS_VERIFY",
  "DOCKER_CERT_PATH",
];

/** Asserts that a job expanded from the snippet works on a runner rendered for the same fleet. */
function assertJobMatchesRunner(job: ExpandedJob, stack: Fleet, wanted: Runner): void {
  const entry = runnerToml(stack, wanted);
  const where = `job for runner ${wanted.name}`;
  const jobVariables = job.variables ?? {};

  // The connection: exactly the runner environment's connection variables (job variables
  // override it at run time, so a pipeline-level value cannot), never DOCKER_TLS_CERTDIR with
  // TLS (it would reach a dind the job declares and put its certificates next to ours). The
  // client treats an empty DOCKER_TLS_VERIFY or DOCKER_CERT_PATH as unset.
  for (const name of CONNECTION_NAMES) {
    assert.equal(
      jobVariables[name] || undefined,
      variable(entry.environment, name) || undefined,
      `${where}: ${name}`,
    );
  }
  // The job's backend is the runner's (the template checks it again at run time).
  assert.equal(jobVariables["DIND_BUILD_BACKEND"], wanted.backend.kind, `${where}: backend`);
  assert.deepEqual(job.services, [], `${where}: declares no service`);
  const backend = wanted.backend;
  switch (backend.kind) {
    case "dind":
      assertDindJob(job, entry, wanted, where);
      break;
    case "socket":
      // The host engine through the bound socket: no service, no daemon flags.
      assert.deepEqual(runnerServices(entry), [], `${where}: no service`);
      assert.equal(jobVariables["DIND_FLAGS"], "[]\n", `${where}: dind flags`);
      break;
    case "buildkit":
      // The runner's BUILDKIT_HOST reaches the job: the job must not set its own.
      assert.equal(jobVariables["BUILDKIT_HOST"], undefined, `${where}: BUILDKIT_HOST`);
      assert.equal(
        variable(entry.environment, "BUILDKIT_HOST"),
        "tcp://buildkitd:1234",
        `${where}: BUILDKIT_HOST`,
      );
      assert.deepEqual(
        runnerServices(entry).map((service) => [service.name, service.alias]),
        [[backend.image, "buildkitd"]],
        `${where}: the runner's BuildKit service`,
      );
      assert.equal(jobVariables["DIND_FLAGS"], "[]\n", `${where}: dind flags`);
      break;
  }

  // GitLab gives the job to this runner: the runner has every tag of the job.
  assert.deepEqual(
    [...(job.tags ?? [])].sort(),
    [...new Set(wanted.tags)].sort(),
    `${where}: tags`,
  );
}

/** A dind runner's job: TLS, the runner's dind service, the daemon flags it checks. */
function assertDindJob(job: ExpandedJob, entry: RunnerToml, wanted: Runner, where: string): void {
  const jobVariables = job.variables ?? {};
  if (wanted.dind.tls) {
    assert.equal(jobVariables["DOCKER_CERT_PATH"], "/dind-runners-certs/client", `${where}: TLS`);
    assert.equal(jobVariables["DOCKER_TLS_CERTDIR"], undefined, `${where}: TLS`);
  }

  // The runner starts dind (reached as `docker`) at the job's Docker version; the job
  // starts none. Without an explicit alias GitLab Runner derives it from the image's
  // repository name (helpers/container/services SplitNameAndVersion).
  const version = /^docker:(.+)-cli$/.exec(job.image?.name ?? "")?.[1];
  assert.deepEqual(
    runnerServices(entry).map((service) => [
      service.name,
      service.alias ?? service.name.split(":")[0],
    ]),
    [[`docker:${version ?? "?"}-dind`, "docker"]],
    `${where}: the runner's dind service`,
  );

  // The daemon flags the job checks are exactly the daemon's insecure registries, mirrors and MTU.
  const daemon = JSON.parse(daemonJson(wanted.dind)) as {
    "insecure-registries": string[];
    "registry-mirrors": string[];
    mtu?: number;
  };
  const checked = JSON.parse(jobVariables["DIND_FLAGS"] ?? "null") as string[];
  assert.deepEqual(
    checked,
    [
      ...daemon["insecure-registries"].map((registry) => `--insecure-registry=${registry}`),
      ...daemon["registry-mirrors"].map((mirror) => `--registry-mirror=${mirror}`),
      ...(daemon.mtu === undefined ? [] : [`--mtu=${daemon.mtu}`]),
    ],
    `${where}: dind flags`,
  );
}

describe("ciIncludeSnippet expanded by gitlab-ci-local matches the runner side", () => {
  const fleets: readonly (readonly [string, () => Fleet])[] = [
    ["hand-built mixed fleet", mixedFleet],
    ["hand-built variety fleet", varietyFleet],
    ["stack dev", () => exampleFleet("dev")],
    ["stack staging", () => exampleFleet("staging")],
    ["stack prod", () => exampleFleet("prod")],
  ];
  const previews = new Map<string, Readonly<Record<string, unknown>>>();

  before(async () => {
    const expanded = await Promise.all(
      fleets.map(([, build]) =>
        previewPipeline(ciIncludeSnippet(build(), { component: LOCAL_COMPONENT("docker-build") })),
      ),
    );
    fleets.forEach(([name], index) => previews.set(name, expanded[index] ?? {}));
  });

  for (const [name, build] of fleets) {
    it(`${name}: one build job per group, each agreeing with every runner of its group`, () => {
      const stack = build();
      const pipeline = previews.get(name) ?? {};
      const groups = ciIncludeGroups(stack);
      assert.deepEqual(
        jobNames(pipeline),
        groups.map((group) => `${group.inputs["job-prefix"]}-build`),
      );
      for (const group of groups) {
        const job = jobOf(pipeline, `${group.inputs["job-prefix"]}-build`);
        for (const entry of group.runners) assertJobMatchesRunner(job, stack, entry.runner);
      }
    });
  }
});
