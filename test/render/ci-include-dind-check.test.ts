/**
 * The dind-check include snippet (components/render/ci-include-dind-check.ts):
 * its exact text for a hand-built fleet, and, expanded by gitlab-ci-local with
 * GitLab's CI schema on against templates/dind-check, check jobs whose tags and
 * expectations are those of the runners they check, for every example stack and
 * for several stacks' snippets in one pipeline (as the fleet component runs them).
 */
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { loadFleet } from "../../components/config/load/load-fleet.js";
import { readStackFile } from "../../components/config/read/stack-file.js";
import type { Fleet } from "../../components/model/fleet.js";
import { compareCodePoints } from "../../components/render/compare-code-points.js";
import {
  dindCheckGroups,
  dindCheckIncludeSnippet,
  dindCheckPipeline,
} from "../../components/render/ci-include-dind-check.js";
import { jobNames, jobOf, LOCAL_COMPONENT, previewPipeline } from "../templates/gitlab-ci-local.js";
import {
  CA_PEM,
  dind,
  dockerHost,
  fleet,
  kubernetesCluster,
  runner,
  varietyFleet,
} from "./fixtures.js";

/** A host with two tag sets and a cluster whose runner shares the first host's tags. */
function mixedFleet(): Fleet {
  return fleet({
    dockerHosts: [
      dockerHost("build-1", [
        runner("build-1-dind", {
          tags: ["dind", "linux"],
          dind: dind({
            mtu: 1450,
            extraHosts: [{ hostname: "registry.internal", ip: "10.0.0.5" }],
            insecureRegistries: ["registry.internal:5000"],
            registryCertificates: [{ registry: "registry.example.com", caCertificate: CA_PEM }],
            registryMirrors: ["http://mirror.internal:5001"],
          }),
        }),
        runner("build-1-plain", { tags: ["plain"], dind: dind({ tls: false }) }),
      ]),
    ],
    kubernetesClusters: [
      kubernetesCluster("k8s-1", [runner("k8s-1-dind", { tags: ["linux", "dind"] })]),
    ],
  });
}

const MIXED_SNIPPET = `# dind-check canaries for the runners of stack "test", written by
# \`npm run render -- --stack test\`: edit the stack config, not this file.
# Replace <group> in the component address with the group (namespace) that holds the
# dind-runners component project; the fleet component does that itself.
# Each entry checks the runners named above it against what the stack declares for them.

include:
  # runners: build-1-dind (docker host build-1)
  - component: $CI_SERVER_FQDN/<group>/dind-runners/dind-check@0.1.0
    inputs:
      job-prefix: dind-check-test-dind-linux
      executor: docker
      backend: dind
      docker-version: 29.7.2
      tls: true
      storage-driver: overlay2
      mtu: 1450
      extra-hosts: [registry.internal:10.0.0.5]
      insecure-registries: [registry.internal:5000]
      ca-registries: [registry.example.com]
      registry-mirrors: [http://mirror.internal:5001]
      cache: false
  # runners: build-1-plain (docker host build-1)
  - component: $CI_SERVER_FQDN/<group>/dind-runners/dind-check@0.1.0
    inputs:
      job-prefix: dind-check-test-plain
      executor: docker
      backend: dind
      docker-version: 29.7.2
      tls: false
      storage-driver: overlay2
      extra-hosts: []
      insecure-registries: []
      ca-registries: []
      registry-mirrors: []
      cache: false
  # runners: k8s-1-dind (kubernetes cluster k8s-1)
  - component: $CI_SERVER_FQDN/<group>/dind-runners/dind-check@0.1.0
    inputs:
      job-prefix: dind-check-test-linux-dind
      executor: kubernetes
      backend: dind
      docker-version: 29.7.2
      tls: true
      storage-driver: overlay2
      extra-hosts: []
      insecure-registries: []
      ca-registries: []
      registry-mirrors: []
      cache: false

# Each canary runs on the runners of its tags, as their build jobs do.
dind-check-test-dind-linux-check:
  tags: [dind, linux]
dind-check-test-dind-linux-cache-read:
  tags: [dind, linux]
dind-check-test-plain-check:
  tags: [plain]
dind-check-test-plain-cache-read:
  tags: [plain]
dind-check-test-linux-dind-check:
  tags: [linux, dind]
dind-check-test-linux-dind-cache-read:
  tags: [linux, dind]
`;

function exampleFleet(environment: string): Fleet {
  const loaded = loadFleet(readStackFile(environment), {
    requireSecrets: false,
    plaintextSecretsAllowed: false,
  });
  assert.ok(loaded.ok, `stack ${environment} should load`);
  return loaded.fleet;
}

/** The items of an array input as the job's variable holds them (list text), as check.sh reads them. */
function listItems(text: string | undefined): string[] {
  return [...(text ?? "").matchAll(/"([^"]*)"/g)].map((match) => match[1] ?? "");
}

describe("dindCheckIncludeSnippet", () => {
  it("writes one canary per tag set, with the runner's expectations and the stack in each job name", () => {
    assert.equal(dindCheckIncludeSnippet(mixedFleet()), MIXED_SNIPPET);
  });

  it("uses the component address it is given", () => {
    const text = dindCheckIncludeSnippet(mixedFleet(), {
      component: "gitlab.example.com/platform/dind-runners/dind-check@1.2.3",
    });
    assert.match(
      text,
      /^ {2}- component: gitlab\.example\.com\/platform\/dind-runners\/dind-check@1\.2\.3$/m,
    );
    assert.doesNotMatch(text, /<group>/);
  });
});

describe("dindCheckIncludeSnippet expanded by gitlab-ci-local", () => {
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
        previewPipeline(
          dindCheckIncludeSnippet(build(), { component: LOCAL_COMPONENT("dind-check") }),
        ),
      ),
    );
    fleets.forEach(([name], index) => previews.set(name, expanded[index] ?? {}));
  });

  for (const [name, build] of fleets) {
    it(`${name}: a check job per tag set on the runners' tags, expecting their settings`, () => {
      const stack = build();
      const pipeline = previews.get(name) ?? {};
      const groups = dindCheckGroups(stack);
      assert.deepEqual(
        jobNames(pipeline),
        groups.flatMap((group) => [
          `${group.inputs["job-prefix"]}-check`,
          `${group.inputs["job-prefix"]}-cache-read`,
        ]),
      );
      for (const group of groups) {
        const job = jobOf(pipeline, `${group.inputs["job-prefix"]}-check`);
        assert.deepEqual(job.tags, group.tags.length > 0 ? group.tags : undefined);
        for (const { runner: member } of group.runners) {
          const variables = job.variables ?? {};
          const backend = member.backend.kind;
          assert.equal(variables["DIND_CHECK_BACKEND"], backend, member.name);
          if (backend === "dind") {
            assert.equal(variables["DIND_CHECK_TLS"], String(member.dind.tls), member.name);
            assert.equal(
              variables["DOCKER_HOST"],
              member.dind.tls ? "tcp://docker:2376" : "tcp://docker:2375",
            );
            assert.equal(variables["DIND_CHECK_STORAGE_DRIVER"], member.dind.storageDriver);
            assert.equal(variables["DIND_CHECK_MTU"], String(member.dind.mtu ?? 1500));
            assert.deepEqual(
              listItems(variables["DIND_CHECK_MIRRORS"]),
              member.dind.registryMirrors,
            );
          } else {
            // The host engine's socket, or no Docker daemon at all; dind-only lists left out.
            assert.equal(
              variables["DOCKER_HOST"],
              backend === "socket" ? "unix:///var/run/docker.sock" : "",
              member.name,
            );
            assert.deepEqual(listItems(variables["DIND_CHECK_MIRRORS"]), []);
            assert.deepEqual(listItems(variables["DIND_CHECK_INSECURE_REGISTRIES"]), []);
            assert.deepEqual(listItems(variables["DIND_CHECK_CA_REGISTRIES"]), []);
          }
          assert.deepEqual(
            listItems(variables["DIND_CHECK_EXTRA_HOSTS"]),
            [...member.dind.extraHosts]
              .sort((a, b) => compareCodePoints(a.hostname, b.hostname))
              .map((host) => `${host.hostname}:${host.ip}`),
          );
          const cached = member.cache.type !== "none";
          assert.equal(variables["DIND_CHECK_CACHE"], String(cached), member.name);
          assert.deepEqual(jobOf(pipeline, `${group.inputs["job-prefix"]}-cache-read`).rules, [
            { when: cached ? "always" : "never" },
          ]);
        }
      }
    });
  }

  it("dindCheckPipeline: the three example stacks' canaries in one pipeline, as the fleet component runs them", async () => {
    const stacks = ["dev", "staging", "prod"].map(exampleFleet);
    const pipeline = await previewPipeline(
      dindCheckPipeline(stacks, { component: LOCAL_COMPONENT("dind-check") }),
    );
    assert.deepEqual(
      jobNames(pipeline),
      stacks.flatMap((stack) =>
        dindCheckGroups(stack).flatMap((group) => [
          `${group.inputs["job-prefix"]}-check`,
          `${group.inputs["job-prefix"]}-cache-read`,
        ]),
      ),
    );
  });
});
