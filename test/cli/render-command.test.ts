/**
 * `npm run render` as a user runs it (a child process): what it writes, what it
 * prints, and that bad input writes nothing and shows no stack trace.
 */
import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { readdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { after, before, describe, it } from "node:test";
import { generatedStackValues } from "../support/generated-stack.js";
import { REPO, runCli, type CliRun } from "../support/run-cli.js";
import { RENDER_MARKER_FILE, RENDER_MARKER_TEXT } from "../../components/cli/output-directory.js";
import { loadFleet } from "../../components/config/load/load-fleet.js";
import { readStackFile } from "../../components/config/read/stack-file.js";
import { renderFleetFiles } from "../../components/render/render-fleet-files.js";
import { redactedSecretText } from "../../components/render/secret-text.js";

const BROKEN_STACKS = join(REPO, "test", "config", "fixtures", "stacks");
let scratch = "";

before(() => {
  scratch = mkdtempSync(join(tmpdir(), "render-command-"));
});
after(() => rmSync(scratch, { recursive: true, force: true }));

function render(...args: string[]): Promise<CliRun> {
  return runCli("render-command", args);
}

async function filesUnder(dir: string): Promise<Map<string, string>> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files = new Map<string, string>();
  for (const entry of entries.filter((e) => e.isFile())) {
    const path = join(entry.parentPath, entry.name);
    files.set(relative(dir, path), readFileSync(path, "utf8"));
  }
  return files;
}

describe("npm run render", () => {
  for (const stack of ["dev", "staging", "prod"]) {
    it(`writes exactly the rendered file set of ${stack}, secrets redacted`, async () => {
      const out = join(scratch, stack);
      const run = await render("--stack", stack, "--out", out);
      assert.equal(run.code, 0, run.stderr);
      const loaded = loadFleet(readStackFile(stack), {
        requireSecrets: false,
        plaintextSecretsAllowed: false,
      });
      assert.ok(loaded.ok);
      const expected = new Map<string, string>([
        ...renderFleetFiles(loaded.fleet, redactedSecretText).map(
          (f) => [f.path, f.content] as const,
        ),
        [RENDER_MARKER_FILE, RENDER_MARKER_TEXT],
      ]);
      assert.deepEqual(await filesUnder(out), expected);
      assert.match(
        run.stdout,
        new RegExp(`^stack "${stack}".*: ${expected.size - 1} files written to `),
      );
    });
  }

  it("prints one summary line per host, cluster and runner", async () => {
    const run = await render("--stack", "prod", "--out", join(scratch, "summary"));
    const lines = run.stdout.split("\n");
    assert.ok(
      lines.includes(
        "  kubernetes cluster k8s-prod (context prod-cluster, namespace gitlab-runner-dind)",
      ),
    );
    assert.ok(
      lines.includes(
        "    runner prod-2-dind-mirror [dind, prod, mirror]: docker:29.7.2-dind, tls, overlay2, privileged services-only, mtu 1400, insecure registries 10.20.0.16:5000, CA-trusted registries registry.prod.example.internal:5000, cache s3://dind-runners-cache-prod/prod (shared)",
      ),
    );
  });

  it("names each runner's cache bucket and path in the summary, never a credential", async () => {
    const run = await render("--stack", "staging", "--out", join(scratch, "summary-staging"));
    const lines = run.stdout.split("\n");
    assert.ok(
      lines.includes(
        "    runner stg-1-dind [dind, staging]: docker:29.7.2-dind, tls, overlay2, privileged services-only, CA-trusted registries gitlab.staging.example.internal, gitlab.staging.example.internal:5050, cache s3://dind-runners-cache/staging at minio.staging.example.internal:9000 (shared)",
      ),
      run.stdout,
    );
  });

  it("replaces the output directory whole: files of a previous render do not linger", async () => {
    const out = join(scratch, "replace");
    mkdirSync(join(out, "docker-hosts", "gone"), { recursive: true });
    writeFileSync(join(out, RENDER_MARKER_FILE), RENDER_MARKER_TEXT);
    writeFileSync(join(out, "docker-hosts", "gone", "config.toml"), "stale");
    const run = await render("--stack", "dev", "--out", out);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(existsSync(join(out, "docker-hosts", "gone")), false);
    assert.equal(existsSync(join(out, "docker-hosts", "local", "config.toml")), true);
  });

  it("lists every problem of a broken stack with its path, writes nothing, shows no stack trace", async () => {
    const out = join(scratch, "broken");
    const run = await render("--stack", "broken", "--stacks-dir", BROKEN_STACKS, "--out", out);
    assert.equal(run.code, 1);
    assert.equal(run.stdout, "");
    for (const path of [
      "defaults.dind.insecureRegistries[0]: expected host[:port] without a scheme",
      'defaults.dind.extraHosts["registry.example.com"]: expected an IPv4 or IPv6 address',
      "dockerHosts[0].runners[0].dind.dockerVersion: expected a pinned Docker version",
      "dockerHosts[0].runners[0].token: expected a runner authentication token (glrt-...), found a runner registration token",
      'dockerHosts[1].runners[0]: unknown key "tokn"',
      'dockerHosts[1].runners[0].name: duplicate runner name "build-dind"',
    ]) {
      assert.ok(run.stderr.includes(`error: ${path}`), `missing "${path}" in:\n${run.stderr}`);
    }
    assert.match(run.stderr, /^stack "broken": 7 errors, 1 warning\n/);
    assert.match(run.stderr, /\nnothing was written\.\n$/);
    assert.doesNotMatch(run.stderr, /\n\s+at /, "no stack trace");
    assert.doesNotMatch(run.stderr, /GR1348941exampleRegistrationToken/, "no token echoed");
    assert.equal(existsSync(out), false);
  });

  it("refuses dind values dockerd would refuse (MTU, mirror path, a PEM that is no certificate) with their paths, writes nothing", async () => {
    const out = join(scratch, "bad-dind");
    const run = await render("--stack", "bad-dind", "--stacks-dir", BROKEN_STACKS, "--out", out);
    assert.equal(run.code, 1);
    assert.equal(run.stdout, "");
    assert.equal(
      run.stderr,
      [
        'stack "bad-dind": 3 errors, 1 warning',
        "error: gitlab.caCertificate: expected a PEM certificate that parses as X.509, found one that does not (the certificate: asn1 encoding routines::too long)",
        "error: defaults.dind.mtu: expected an MTU from 68 to 65535, found 70000; the kernel refuses other values for dind's bridge and veth interfaces, so dind fails to start or cannot start any container",
        'error: dockerHosts[0].runners[0].dind.registryMirrors[0]: expected a mirror URL without a path for Docker 24.0.9, found "https://mirror.example.com/docker-hub" (dockerVersion set at dockerHosts[0].runners[0].dind.dockerVersion); dockerd before 25.0.0 refuses to start with "invalid mirror: path, query, or fragment at end of the URI": remove the path, or pin dockerVersion 25.0.0 or later',
        "warning: dockerHosts[0].runners[0].token: expected a runner authentication token set with: pulumi config set --secret --path 'dockerHosts[0].runners[0].token' glrt-...",
        "nothing was written.",
        "",
      ].join("\n"),
    );
    assert.equal(existsSync(out), false);
  });

  it("refuses plain-tcp dind on a Docker host unless the stack accepts the unauthenticated API, production included, writes nothing", async () => {
    const out = join(scratch, "plain-dind");
    const run = await render("--stack", "plain-dind", "--stacks-dir", BROKEN_STACKS, "--out", out);
    assert.equal(run.code, 1);
    assert.equal(run.stdout, "");
    assert.equal(
      run.stderr,
      [
        'stack "plain-dind": 1 error, 2 warnings',
        "error: dockerHosts[0].runners[0].dind.tls: expected true on a Docker host, found false (set at dockerHosts[0].dind.tls): without TLS the dind service serves an unauthenticated, root-equivalent Docker API on port 2375; keep tls: true, or accept that with dockerHosts[0].dind.allowUnauthenticatedApi: true (each job then gets a network of its own, so other jobs on the host cannot reach it)",
        "warning: dockerHosts[0].runners[0].token: expected a runner authentication token set with: pulumi config set --secret --path 'dockerHosts[0].runners[0].token' glrt-...",
        "warning: dockerHosts[0].runners[1].token: expected a runner authentication token set with: pulumi config set --secret --path 'dockerHosts[0].runners[1].token' glrt-...",
        "nothing was written.",
        "",
      ].join("\n"),
    );
    assert.equal(existsSync(out), false);
  });

  it("refuses values beyond GitLab's, Linux's, GitLab Runner's and the dind image's limits, each with its path, writes nothing", async () => {
    const out = join(scratch, "beyond-limits");
    const run = await render(
      "--stack",
      "beyond-limits",
      "--stacks-dir",
      BROKEN_STACKS,
      "--out",
      out,
    );
    const cut = (character: string) => `"${character.repeat(60)}..."`;
    assert.equal(run.code, 1);
    assert.equal(run.stdout, "");
    assert.equal(
      run.stderr,
      [
        'stack "beyond-limits": 6 errors, 1 warning',
        'error: defaults.runnerImage: expected GitLab Runner 16.10.0 or later, found "gitlab/gitlab-runner:v16.9.1" (version 16.9.1); older runners silently ignore config.toml keys this product renders: automount_service_account_token (16.10, so job pods would get a ServiceAccount token), the dind health check HEALTHCHECK_TCP_PORT on Kubernetes (16.9, so jobs would start before dind listens) and services_privileged (15.10, so dind would run unprivileged and fail)',
        'error: defaults.dind.storageDriver: expected one of "overlay2", "vfs", found "fuse-overlayfs"; the docker:<version>-dind image has no fuse-overlayfs binary (only the rootless variant ships one), so dockerd cannot set up the driver and dind never starts: use "overlay2" (the default; manageOverlayModule loads the kernel\'s overlay module), or "vfs" on a kernel without overlay support',
        `error: dockerHosts[0].hostConfigDir: expected path segments of at most 255 bytes, found ${cut("h")} (256 bytes) in "/srv/${"h".repeat(55)}..."; Linux refuses a longer file name (NAME_MAX 255, ENAMETOOLONG)`,
        "error: dockerHosts[0].runners[0].tags: expected at most 49 tags, found 51 different tags; the CI include gives a job all of its runner's tags and GitLab refuses a job with 50 or more (Ci::Config::Entry::Tags), beyond the 50 a runner may have (Ci::Runner)",
        `error: dockerHosts[0].runners[0].description: expected a one-line description of at most 1024 characters, found ${cut("d")} (1025 characters); GitLab refuses a longer description (Ci::Runner), so pulumi up would stop at this runner after changing the runners before it`,
        `error: dockerHosts[0].runners[1].tags[1]: expected a tag of at most 255 characters, found ${cut("x")} (256 characters); GitLab keeps no longer tag name (Ci::Tag), so no runner can have it`,
        "warning: gitlab.apiToken: expected a GitLab access token with the create_runner and manage_runner scopes (gitlab.manageRunners is true), set with: pulumi config set --secret --path gitlab.apiToken <token>",
        "nothing was written.",
        "",
      ].join("\n"),
    );
    assert.equal(existsSync(out), false);
  });

  it("leaves a previous render untouched when the stack is invalid", async () => {
    const out = join(scratch, "kept");
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, RENDER_MARKER_FILE), RENDER_MARKER_TEXT);
    writeFileSync(join(out, "config.toml"), "previous render");
    const run = await render("--stack", "broken", "--stacks-dir", BROKEN_STACKS, "--out", out);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /\nnothing was written\.\n$/);
    assert.equal(readFileSync(join(out, "config.toml"), "utf8"), "previous render");
  });

  it("names a missing stack and the stacks that exist, without a stack trace", async () => {
    const run = await render("--stack", "nope", "--out", join(scratch, "nope"));
    assert.equal(run.code, 1);
    assert.match(run.stderr, /^stack "nope": 1 error\n/);
    assert.match(run.stderr, /dev, prod, staging/);
    assert.doesNotMatch(run.stderr, /\n\s+at /);
  });

  it("explains its usage on a bad argument", async () => {
    const run = await render("--stak", "prod");
    assert.equal(run.code, 1);
    assert.equal(run.stderr, 'render: unknown argument "--stak"\n');
  });

  it("refuses a stack config too big for Pulumi to pass to the program, writing nothing", async () => {
    const stacksDir = join(scratch, "large-stacks");
    mkdirSync(stacksDir);
    const values = generatedStackValues({ hosts: 130, runnersPerHost: 5, clusters: 1 }, () => ({
      secure: `v1:${"c".repeat(97)}`,
    }));
    const config = Object.fromEntries(
      Object.entries(values).map(([key, value]) => [`dind-runners:${key}`, value]),
    );
    writeFileSync(join(stacksDir, "Pulumi.large.yaml"), JSON.stringify({ config }));
    const out = join(scratch, "large");
    const run = await render("--stack", "large", "--stacks-dir", stacksDir, "--out", out);
    assert.equal(run.code, 1);
    assert.match(
      run.stderr,
      /^stack "large": 1 error\nerror: the stack config is 1\d\d\.\d KiB as Pulumi passes it to the program .* split the fleet across stacks, .*\nnothing was written\.\n$/,
    );
    assert.equal(existsSync(out), false);
  });
});
