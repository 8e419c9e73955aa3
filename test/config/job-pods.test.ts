/**
 * `jobPods:` of defaults and clusters: how each field resolves, and every
 * value GitLab Runner or Kubernetes would refuse reported at its config path.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { loadFleet } from "../../components/config/load/load-fleet.js";
import { readStackFile } from "../../components/config/read/stack-file.js";
import { DEFAULTS } from "../../components/model/defaults.js";
import { problemsOf, RENDER, validValues } from "./stack-values.js";

const LIMIT_BELOW_REQUEST =
  "Kubernetes refuses a pod whose limit is below its request, so every job would fail to start; raise the limit or lower the request";

describe("jobPods", () => {
  it("resolves each request and limit on its own: cluster, then defaults, then built-in", () => {
    const values = validValues();
    values.defaults["jobPods"] = {
      build: { memoryLimit: "6Gi", cpuLimit: "4" },
      nodeSelector: { "ci.example.com/pool": "dind" },
    };
    values.kubernetesClusters[0]!["jobPods"] = {
      build: { cpuLimit: "2" },
      tolerations: [{ key: "dedicated", value: "ci", effect: "NoSchedule" }, { key: "ci-only" }],
      allowedServices: ["postgres:16.4"],
    };
    const result = loadFleet({ environment: "test", values }, RENDER);
    assert.ok(result.ok);
    assert.deepEqual(result.fleet.kubernetesClusters[0]?.jobPods, {
      build: { ...DEFAULTS.kubernetes.jobPods.build, cpuLimit: "2", memoryLimit: "6Gi" },
      helper: DEFAULTS.kubernetes.jobPods.helper,
      services: DEFAULTS.kubernetes.jobPods.services,
      dindStorageSizeLimit: "20Gi",
      allowedServices: ["postgres:16.4"],
      nodeSelector: [{ key: "ci.example.com/pool", value: "dind" }],
      tolerations: [{ key: "dedicated", value: "ci", effect: "NoSchedule" }, { key: "ci-only" }],
    });
  });

  it("prod: a dedicated, tainted node pool and more room for builds", () => {
    const result = loadFleet(readStackFile("prod"), RENDER);
    assert.ok(result.ok);
    const jobPods = result.fleet.kubernetesClusters[0]?.jobPods;
    assert.equal(jobPods?.build.memoryLimit, "6Gi");
    assert.equal(jobPods?.dindStorageSizeLimit, "30Gi");
    assert.equal(jobPods?.services.ephemeralStorageLimit, "34Gi");
    assert.deepEqual(jobPods?.nodeSelector, [{ key: "ci.example.com/pool", value: "dind" }]);
    assert.deepEqual(jobPods?.tolerations, [
      { key: "ci.example.com/dedicated", value: "dind", effect: "NoSchedule" },
    ]);
  });

  it("a malformed quantity, at its path, wherever it is set", () => {
    const values = validValues();
    values.defaults["jobPods"] = { services: { memoryLimit: "8GB" } };
    values.kubernetesClusters[0]!["jobPods"] = {
      dindStorageSizeLimit: "20 Gi",
      helper: { cpuRequest: "0" },
    };
    assert.equal(
      problemsOf(values),
      [
        'stack "test": 3 errors',
        'error: defaults.jobPods.services.memoryLimit: expected a Kubernetes quantity such as 500m, 2, 512Mi, 1Gi or 20G, found "8GB"',
        'error: kubernetesClusters[0].jobPods.helper.cpuRequest: expected a quantity above zero, found "0"',
        'error: kubernetesClusters[0].jobPods.dindStorageSizeLimit: expected a Kubernetes quantity such as 500m, 2, 512Mi, 1Gi or 20G, found "20 Gi"',
      ].join("\n"),
    );
  });

  it("a limit below its request, with both values and where each was set", () => {
    const values = validValues();
    values.defaults["jobPods"] = { build: { memoryRequest: "5Gi" } };
    values.kubernetesClusters[0]!["jobPods"] = {
      build: { memoryLimit: "2Gi" },
      services: { cpuRequest: "2", cpuLimit: "1500m" },
      helper: { ephemeralStorageLimit: "200Mi" },
    };
    assert.equal(
      problemsOf(values),
      [
        'stack "test": 3 errors',
        `error: kubernetesClusters[0].jobPods.build.memoryLimit: memory limit "2Gi" is below the memory request "5Gi" (set at defaults.jobPods.build.memoryRequest) of the build container: ${LIMIT_BELOW_REQUEST}`,
        `error: kubernetesClusters[0].jobPods.helper.ephemeralStorageLimit: ephemeral-storage limit "200Mi" is below the ephemeral-storage request "256Mi" (the built-in default) of the helper container: ${LIMIT_BELOW_REQUEST}`,
        `error: kubernetesClusters[0].jobPods.services.cpuLimit: CPU limit "1500m" is below the CPU request "2" (set at kubernetesClusters[0].jobPods.services.cpuRequest) of the services containers: ${LIMIT_BELOW_REQUEST}`,
      ].join("\n"),
    );
    values.kubernetesClusters[0]!["jobPods"] = {
      build: { memoryLimit: "5Gi" },
      services: { cpuRequest: "1500m", cpuLimit: "1.5" },
      helper: { ephemeralStorageLimit: "256Mi" },
    };
    assert.equal(problemsOf(values), "ok");
  });

  it("node selector labels and tolerations Kubernetes would refuse, and a toleration given twice", () => {
    const values = validValues();
    values.kubernetesClusters[0]!["jobPods"] = {
      nodeSelector: { "ci pool": "dind", "ci.example.com/pool": "-dind" },
      tolerations: [
        { key: "dedicated", value: "ci", effect: "NoSchedul" },
        { key: "dedicated", value: "ci" },
        { value: "ci" },
      ],
      allowedServices: ["postgres 16"],
    };
    assert.equal(
      problemsOf(values),
      [
        'stack "test": 6 errors',
        'error: kubernetesClusters[0].jobPods.allowedServices[0]: expected an image name or glob pattern without spaces, found "postgres 16"',
        "error: kubernetesClusters[0].jobPods.nodeSelector[\"ci pool\"]: expected a label key ([prefix/]name: at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit, after an optional DNS subdomain and '/') as the key, found \"ci pool\"",
        "error: kubernetesClusters[0].jobPods.nodeSelector[\"ci.example.com/pool\"]: expected a label value (empty, or at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit), found \"-dind\"",
        'error: kubernetesClusters[0].jobPods.tolerations[0].effect: expected one of "NoSchedule", "PreferNoSchedule", "NoExecute", found "NoSchedul"',
        "error: kubernetesClusters[0].jobPods.tolerations[2].key: missing; expected a label key ([prefix/]name: at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit, after an optional DNS subdomain and '/')",
        'error: kubernetesClusters[0].jobPods.tolerations[1]: expected one toleration per key and value, found "dedicated=ci" again (first at kubernetesClusters[0].jobPods.tolerations[0]): GitLab Runner keys node_tolerations by key=value, so only one of them would apply',
      ].join("\n"),
    );
  });

  it("a dind storage size limit above the containers' ephemeral-storage limits, as a warning", () => {
    const values = validValues();
    values.kubernetesClusters[0]!["jobPods"] = { dindStorageSizeLimit: "40Gi" };
    assert.equal(
      problemsOf(values),
      [
        'stack "test": 1 warning',
        "warning: kubernetesClusters[0].jobPods.dindStorageSizeLimit: dind storage size limit \"40Gi\" is above the sum of the containers' ephemeral-storage limits (build 10Gi (the built-in default), helper 1Gi (the built-in default), services 24Gi (the built-in default)): the kubelet evicts a job pod once its disk use, this volume included, exceeds that sum, so jobs are evicted before dind's storage is full; raise jobPods.services.ephemeralStorageLimit",
      ].join("\n"),
    );
    values.kubernetesClusters[0]!["jobPods"] = {
      dindStorageSizeLimit: "40Gi",
      services: { ephemeralStorageLimit: "30Gi" },
    };
    assert.equal(problemsOf(values), "ok");
  });

  it("an unknown key of jobPods, with the likely intended one", () => {
    const values = validValues();
    values.kubernetesClusters[0]!["jobPods"] = { nodeSelecter: {} };
    assert.match(
      problemsOf(values),
      /kubernetesClusters\[0\]\.jobPods: unknown key "nodeSelecter" \(did you mean "nodeSelector"\?\)/,
    );
  });
});
