/**
 * Stacks that used to render with exit 0 and fail only at deploy or job time,
 * one per rule their consumer (Docker, dockerd, GitLab Runner, Kubernetes)
 * applies. Each asserts the full message a user sees.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { formatIssues } from "../../components/config/messages/config-issue.js";
import { loadFleet } from "../../components/config/load/load-fleet.js";
import { ENCRYPTED, problemsOf, PULUMI_UP, validValues } from "./stack-values.js";

const lines = (...text: string[]) => text.join("\n");

describe("stacks refused by the rules of their consumers", () => {
  it("image references Docker's reference grammar refuses, in every image setting", () => {
    const values = validValues();
    values.defaults["buildImage"] = "Docker:28-cli";
    values.defaults["runnerImage"] = "gitlab/gitlab-runner:v19.3.0:alpine";
    values.dockerHosts[0]!.runners[0]!["buildImage"] =
      "registry.example.com/tools/docker@sha256:abc";
    assert.equal(
      problemsOf(values),
      lines(
        'stack "test": 3 errors',
        'error: defaults.runnerImage: expected a pinned GitLab Runner image such as gitlab/gitlab-runner:v19.3.0 (tag v<x.y.z> or alpine-v<x.y.z>, or an @sha256: digest), found "gitlab/gitlab-runner:v19.3.0:alpine"; it has more than one :tag',
        'error: defaults.buildImage: expected an image reference such as docker:29.7.2-cli ([registry[:port]/]path[:tag][@digest], the path in lowercase), found "Docker:28-cli"; the repository path must be lowercase: "Docker"',
        'error: dockerHosts[0].runners[0].buildImage: expected an image reference such as docker:29.7.2-cli ([registry[:port]/]path[:tag][@digest], the path in lowercase), found "registry.example.com/tools/docker@sha256:abc"; the digest is not sha256:<64 lowercase hex digits>',
      ),
    );
  });

  it("GitLab and mirror URLs in the https:host form", () => {
    const values = validValues();
    values.gitlab["url"] = "https:gitlab.example.com";
    values.defaults.dind["registryMirrors"] = ["https:mirror.example.com"];
    assert.equal(
      problemsOf(values),
      lines(
        'stack "test": 2 errors',
        'error: gitlab.url: expected an https URL such as https://gitlab.example.com, found "https:gitlab.example.com"; write "https://gitlab.example.com" (with "//")',
        'error: defaults.dind.registryMirrors[0]: expected an http or https URL such as https://mirror.example.com, found "https:mirror.example.com"; write "https://mirror.example.com" (with "//")',
      ),
    );
  });

  it("names Kubernetes refuses: capitals in a host alias, a stack name that is no label value", () => {
    const values = validValues();
    values.defaults.dind["extraHosts"] = { "Registry.Example.com": "10.0.0.5" };
    const result = loadFleet({ environment: "-staging", values }, PULUMI_UP);
    assert.ok(!result.ok);
    assert.equal(
      formatIssues(result.issues, "-staging"),
      lines(
        'stack "-staging": 2 errors',
        'error: expected a stack name Kubernetes accepts as a label value (at most 63 characters, starting and ending with a letter or digit), found "-staging"; it labels every object this stack creates in its clusters',
        'error: defaults.dind.extraHosts["Registry.Example.com"]: expected a lowercase hostname (RFC 1123: a-z, 0-9, "-" inside labels, labels joined by "."), found "Registry.Example.com"; write "registry.example.com" (hostnames are not case-sensitive, and Kubernetes hostAliases refuse capitals)',
      ),
    );
  });

  it("two Docker hosts on one engine, two clusters in one namespace", () => {
    const values = validValues();
    values.dockerHosts[1]!["endpoint"] = "ssh://ops@BUILD-1.example.internal:22";
    values.kubernetesClusters.push({
      name: "k8s-2",
      context: "cluster-1",
      namespace: "gitlab-runner",
      runners: [{ name: "k8s-2-dind", tags: ["dind"], token: ENCRYPTED }],
    });
    assert.equal(
      problemsOf(values),
      lines(
        'stack "test": 2 errors',
        `error: dockerHosts[1].endpoint: duplicate Docker endpoint "ssh://ops@BUILD-1.example.internal:22", the same engine as dockerHosts[0].endpoint; two Docker hosts on one engine would overwrite each other's runner manager and config directory: declare the engine once, with all its runners`,
        `error: kubernetesClusters[1]: duplicate context "cluster-1" and namespace "gitlab-runner", first used at kubernetesClusters[0]; two clusters in one namespace would overwrite each other's objects: declare it once, with all its runners, or give each its own namespace`,
      ),
    );
  });

  it("control characters in any string or key, never echoing the value", () => {
    const values = validValues();
    values.dockerHosts[0]!.runners[0]!["token"] = "glrt-secret-value\n";
    values.dockerHosts[1]!.runners[0]!["tags"] = ["dind\u001b[31m"];
    values.kubernetesClusters[0]!["context"] = "cluster-1\u0000";
    values.defaults.dind["extraHosts"] = { "registry\tx": "10.0.0.5" };
    assert.equal(
      problemsOf(values, PULUMI_UP),
      lines(
        'stack "test": 4 errors',
        'error: defaults.dind.extraHosts["registry\\tx"]: expected a key without control characters, found a tab (U+0009) at character 9',
        "error: dockerHosts[0].runners[0].token: expected text without control characters, found a line feed (U+000A) at character 18",
        "error: dockerHosts[1].runners[0].tags[0]: expected text without control characters, found an escape character (U+001B) at character 5",
        "error: kubernetesClusters[0].context: expected text without control characters, found a NUL character (U+0000) at character 10",
      ),
    );
  });

  it("a PEM block that does not parse as a certificate", () => {
    const values = validValues();
    values.gitlab["caCertificate"] =
      "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n";
    assert.equal(
      problemsOf(values),
      lines(
        'stack "test": 1 error',
        "error: gitlab.caCertificate: expected a PEM certificate that parses as X.509, found one that does not (the certificate: asn1 encoding routines::too long)",
      ),
    );
  });

  it("keys named __proto__, constructor or prototype, at any depth, reported instead of dropped", () => {
    // JSON.parse (the Pulumi runtime's values) and yaml both keep "__proto__" as an own key.
    const values = JSON.parse(
      JSON.stringify(validValues()).replace(
        '"name":"build-1-dind"',
        '"__proto__":{"privilegeMode":"all"},"name":"build-1-dind"',
      ),
    ) as Record<string, unknown>;
    Object.defineProperty(values, "constructor", { value: "x", enumerable: true });
    assert.equal(
      problemsOf(values),
      lines(
        'stack "test": 2 errors',
        'error: constructor: unknown key "constructor": no config key is named __proto__, constructor or prototype; remove it',
        'error: dockerHosts[0].runners[0].__proto__: unknown key "__proto__": no config key is named __proto__, constructor or prototype; remove it',
      ),
    );
  });

  it("limits of GitLab, Linux and the dind image: every one at its path, at once", () => {
    const values = validValues();
    values.gitlab["manageRunners"] = true;
    values.gitlab["apiToken"] = ENCRYPTED;
    values.defaults["scope"] = "instance";
    for (const target of [...values.dockerHosts, ...values.kubernetesClusters]) {
      for (const runner of target.runners) delete runner["token"];
    }
    values.defaults["runnerImage"] = "gitlab/gitlab-runner:v16.9.1";
    values.dockerHosts[0]!["hostConfigDir"] = `/srv/${"a".repeat(10_000)}`;
    values.dockerHosts[1]!["hostConfigDir"] = `/srv/${`${"b".repeat(200)}/`.repeat(20)}c`;
    values.dockerHosts[0]!.runners[0]!["description"] = "d".repeat(1025);
    values.dockerHosts[1]!.runners[0]!["tags"] = Array.from({ length: 51 }, (_, i) => `t${i}`);
    values.kubernetesClusters[0]!.runners[0]!["tags"] = ["dind", "x".repeat(256)];
    values.kubernetesClusters[0]!["dind"] = { storageDriver: "fuse-overlayfs" };
    const cut = (character: string) => `"${character.repeat(60)}..."`;
    assert.equal(
      problemsOf(values),
      lines(
        'stack "test": 7 errors',
        'error: defaults.runnerImage: expected GitLab Runner 16.10.0 or later, found "gitlab/gitlab-runner:v16.9.1" (version 16.9.1); older runners silently ignore config.toml keys this product renders: automount_service_account_token (16.10, so job pods would get a ServiceAccount token), the dind health check HEALTHCHECK_TCP_PORT on Kubernetes (16.9, so jobs would start before dind listens) and services_privileged (15.10, so dind would run unprivileged and fail)',
        `error: dockerHosts[0].hostConfigDir: expected path segments of at most 255 bytes, found ${cut("a")} (10000 bytes) in "/srv/${"a".repeat(55)}..."; Linux refuses a longer file name (NAME_MAX 255, ENAMETOOLONG)`,
        `error: dockerHosts[0].runners[0].description: expected a one-line description of at most 1024 characters, found ${cut("d")} (1025 characters); GitLab refuses a longer description (Ci::Runner), so pulumi up would stop at this runner after changing the runners before it`,
        `error: dockerHosts[1].hostConfigDir: expected a path of at most 3756 bytes, found "/srv/${"b".repeat(55)}..." (4026 bytes); Linux refuses a path above 4095 bytes (PATH_MAX 4096 with its NUL), and the deepest file written below this directory (certs.d/<runner>/<registry>/ca.crt) adds up to 339 bytes`,
        "error: dockerHosts[1].runners[0].tags: expected at most 49 tags, found 51 different tags; the CI include gives a job all of its runner's tags and GitLab refuses a job with 50 or more (Ci::Config::Entry::Tags), beyond the 50 a runner may have (Ci::Runner)",
        'error: kubernetesClusters[0].dind.storageDriver: expected one of "overlay2", "vfs", found "fuse-overlayfs"; the docker:<version>-dind image has no fuse-overlayfs binary (only the rootless variant ships one), so dockerd cannot set up the driver and dind never starts: use "overlay2" (the default; manageOverlayModule loads the kernel\'s overlay module), or "vfs" on a kernel without overlay support',
        `error: kubernetesClusters[0].runners[0].tags[1]: expected a tag of at most 255 characters, found ${cut("x")} (256 characters); GitLab keeps no longer tag name (Ci::Tag), so no runner can have it`,
      ),
    );
  });
});
