/**
 * templates/fleet/template.yml as the project holding the Pulumi program sees
 * it: jobs per stack from the array inputs (parallel:matrix), which of them run
 * in merge request, default-branch and scheduled pipelines (rules evaluated by
 * gitlab-ci-local with the matrix values), environments, interruptibility, the
 * OIDC token, caches and resource groups, all with GitLab's CI JSON schema on;
 * then the expanded scripts run: the settings check, the Pulumi CLI install
 * (stub curl, real sha256sum and tar) and the drift exit codes.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync, chmodSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import {
  type ExpandedJob,
  gitlabCiLocal,
  jobNames,
  jobOf,
  listJobs,
  type ListedJob,
  LOCAL_COMPONENT,
  previewPipeline,
} from "./gitlab-ci-local.js";
import { runScript, SHELLS } from "./job-script.js";

const fixture = (name: string): string => readFileSync(join(__dirname, "fixtures", name), "utf8");

const DEFAULTS = fixture("fleet-defaults.gitlab-ci.yml");
const CUSTOM = fixture("fleet-custom.gitlab-ci.yml");

/** `name: when` of every job instance that runs (when is not never). */
function running(jobs: readonly ListedJob[]): Record<string, string> {
  return Object.fromEntries(
    jobs.filter((job) => job.when !== "never").map((job) => [job.name, job.when]),
  );
}

/** The npm cache and the Pulumi CLI cache (gitlab-ci-local writes out the default policy and when). */
const CACHES = (prefix: string, version: string) =>
  [
    { key: { prefix: `${prefix}-npm`, files: ["package-lock.json"] }, paths: [".npm/"] },
    { key: `${prefix}-pulumi-${version}`, paths: [".pulumi-cli/"] },
  ].map((cache) => ({ ...cache, policy: "pull-push", when: "on_success" }));

describe("fleet component, expanded by gitlab-ci-local (schema validation on)", () => {
  let defaults: Readonly<Record<string, unknown>>;
  let custom: Readonly<Record<string, unknown>>;
  let mergeRequest: readonly ListedJob[];
  let defaultBranch: readonly ListedJob[];
  let otherBranch: readonly ListedJob[];
  let driftSchedule: readonly ListedJob[];
  let otherSchedule: readonly ListedJob[];
  let customDefaultBranch: readonly ListedJob[];
  let customSchedule: readonly ListedJob[];
  let canarySchedule: readonly ListedJob[];

  /** The jobs that run Pulumi (the canary jobs are checked on their own below). */
  const pulumiJobs = (pipeline: Readonly<Record<string, unknown>>): string[] =>
    jobNames(pipeline).filter((name) => !name.includes("-canary"));

  before(async () => {
    const schedule = { CI_PIPELINE_SOURCE: "schedule", CI_COMMIT_BRANCH: "main" };
    [
      defaults,
      custom,
      mergeRequest,
      defaultBranch,
      otherBranch,
      driftSchedule,
      otherSchedule,
      customDefaultBranch,
      customSchedule,
      canarySchedule,
    ] = await Promise.all([
      previewPipeline(DEFAULTS),
      previewPipeline(CUSTOM),
      // GitLab sets no CI_COMMIT_BRANCH in merge request pipelines.
      listJobs(DEFAULTS, {
        variables: { CI_PIPELINE_SOURCE: "merge_request_event", CI_COMMIT_BRANCH: "" },
      }),
      listJobs(DEFAULTS, { variables: { CI_COMMIT_BRANCH: "main" } }),
      listJobs(DEFAULTS, { variables: { CI_COMMIT_BRANCH: "feature" } }),
      listJobs(DEFAULTS, { variables: { ...schedule, FLEET_DRIFT: "true" } }),
      listJobs(DEFAULTS, { variables: schedule }),
      listJobs(CUSTOM, { variables: { CI_COMMIT_BRANCH: "main" } }),
      listJobs(CUSTOM, { variables: { ...schedule, RUNNERS_DRIFT: "1" } }),
      listJobs(DEFAULTS, { variables: { ...schedule, FLEET_CANARY: "1" } }),
    ]);
  });

  it("defaults: jobs named after job-prefix fleet, stages from inputs", () => {
    assert.deepEqual(jobNames(defaults), [
      "fleet-preview",
      "fleet-up",
      "fleet-up-protected",
      "fleet-drift",
      "fleet-canary-render",
      "fleet-canary",
      "fleet-canary-protected-render",
      "fleet-canary-protected",
    ]);
    const stages = jobNames(defaults).map((name) => jobOf(defaults, name).stage);
    assert.deepEqual(stages, [
      "test",
      "deploy",
      "deploy",
      "test",
      ".post",
      ".post",
      ".post",
      ".post",
    ]);
  });

  it("one job per stack: matrices from environments and protected-environments", () => {
    const matrix = (name: string) => jobOf(defaults, name).parallel?.matrix;
    assert.deepEqual(matrix("fleet-preview"), [{ STACK: ["dev", "staging"] }, { STACK: ["prod"] }]);
    assert.deepEqual(matrix("fleet-up"), [{ STACK: ["dev", "staging"] }]);
    assert.deepEqual(matrix("fleet-up-protected"), [{ STACK: ["prod"] }]);
    assert.deepEqual(matrix("fleet-drift"), [{ STACK: ["dev", "staging"] }, { STACK: ["prod"] }]);
  });

  it("merge request pipelines: pulumi preview for every stack, nothing else", () => {
    assert.deepEqual(running(mergeRequest), {
      "fleet-preview: [dev]": "on_success",
      "fleet-preview: [staging]": "on_success",
      "fleet-preview: [prod]": "on_success",
    });
  });

  it("default branch: pulumi up for environments, a manual pulumi up for protected ones, each followed by its canaries", () => {
    assert.deepEqual(running(defaultBranch), {
      "fleet-up: [dev]": "on_success",
      "fleet-up: [staging]": "on_success",
      "fleet-up-protected: [prod]": "manual",
      "fleet-canary-render": "on_success",
      "fleet-canary": "on_success",
      "fleet-canary-protected-render": "on_success",
      "fleet-canary-protected": "on_success",
    });
    assert.deepEqual(running(otherBranch), {});
  });

  it("scheduled pipelines: the drift check for every stack only when the schedule sets FLEET_DRIFT", () => {
    assert.deepEqual(running(driftSchedule), {
      "fleet-drift: [dev]": "on_success",
      "fleet-drift: [staging]": "on_success",
      "fleet-drift: [prod]": "on_success",
    });
    assert.deepEqual(running(otherSchedule), {});
    assert.deepEqual(jobOf(defaults, "fleet-drift").rules, [
      { if: '$CI_PIPELINE_SOURCE == "schedule" && $FLEET_DRIFT' },
    ]);
  });

  it("environments: preview prepares, up deploys, drift verifies the stack's environment", () => {
    const environment = (name: string) => jobOf(defaults, name).environment;
    assert.deepEqual(environment("fleet-preview"), { name: "$STACK", action: "prepare" });
    assert.deepEqual(environment("fleet-up"), { name: "$STACK" });
    assert.deepEqual(environment("fleet-up-protected"), { name: "$STACK" });
    assert.deepEqual(environment("fleet-drift"), { name: "$STACK", action: "verify" });
  });

  it("interruptible: previews and drift checks yes, deployments never", () => {
    assert.deepEqual(
      pulumiJobs(defaults).map((name) => [name, jobOf(defaults, name).interruptible]),
      [
        ["fleet-preview", true],
        ["fleet-up", false],
        ["fleet-up-protected", false],
        ["fleet-drift", true],
      ],
    );
  });

  it("every job: pinned image, no services, its own before_script, caches, one resource group per stack, no ID token", () => {
    for (const name of pulumiJobs(defaults)) {
      const job: ExpandedJob & { cache?: unknown } = jobOf(defaults, name);
      assert.deepEqual(job.image, { name: "node:22.23.2-bookworm" }, name);
      assert.deepEqual(job.services, [], name);
      assert.equal(job.inherit, undefined, name);
      assert.equal(job.id_tokens, undefined, name);
      assert.equal(job.resource_group, "fleet-$STACK", name);
      assert.deepEqual(job.cache, CACHES("fleet", "3.270.0"), name);
      assert.equal(job.variables?.["PULUMI_CLI_VERSION"], "3.270.0", name);
      assert.equal(job.variables?.["PULUMI_CLI_SHA256"], "", name);
      const steps = job.before_script ?? [];
      assert.equal(steps.length, 4, name);
      assert.match(steps[0] ?? "", /PULUMI_CONFIG_PASSPHRASE_FILE/, name);
      assert.match(steps[1] ?? "", /sha256sum -c -/, name);
      assert.doesNotMatch(steps.join("\n"), /\| *(ba)?sh\b/, `${name}: nothing piped into a shell`);
      assert.equal(steps[2], "npm ci", name);
      // Pulumi runs the compiled program (Pulumi.yaml main: build/index.js).
      assert.equal(steps[3], "npm run build", name);
    }
  });

  it("timeout: 4h for pulumi up (a manager's graceful stop waits for running jobs), the project's default elsewhere", () => {
    assert.deepEqual(
      pulumiJobs(defaults).map((name) => [name, jobOf(defaults, name).timeout]),
      [
        ["fleet-preview", undefined],
        ["fleet-up", "4h"],
        ["fleet-up-protected", "4h"],
        ["fleet-drift", undefined],
      ],
    );
    assert.deepEqual(
      pulumiJobs(custom).map((name) => [name, jobOf(custom, name).timeout]),
      [
        ["runners-preview", undefined],
        ["runners-up", "3h 30m"],
        ["runners-up-protected", "3h 30m"],
        ["runners-drift", undefined],
      ],
    );
  });

  it("an up-timeout GitLab cannot read is refused", async () => {
    await assert.rejects(
      gitlabCiLocal(
        `include:\n  - component: ${LOCAL_COMPONENT("fleet")}\n    inputs:\n      up-timeout: forever\n`,
        ["--preview"],
      ),
      /`up-timeout` input: `forever` does not match required regex/,
    );
  });

  it("pulumi preview and up target the matrix stack", () => {
    assert.deepEqual(jobOf(defaults, "fleet-preview").script, [
      'pulumi preview --stack "$STACK" --non-interactive --diff',
    ]);
    for (const name of ["fleet-up", "fleet-up-protected"]) {
      assert.deepEqual(jobOf(defaults, name).script, [
        'pulumi up --stack "$STACK" --yes --non-interactive --diff',
      ]);
    }
  });

  it("the drift job keeps its JSON report as an artifact even when it fails", () => {
    const drift = jobOf(defaults, "fleet-drift");
    assert.deepEqual(drift.artifacts, {
      when: "always",
      paths: ["drift-$STACK.json"],
      expire_in: "30 days",
    });
    assert.match(
      drift.script?.[0] ?? "",
      /npm run drift -- --stack "\$STACK" --json "drift-\$STACK\.json" {2}\|\| status=\$\?/,
    );
  });

  it("canary schedules: every stack's canaries, and nothing else, when the schedule sets FLEET_CANARY", () => {
    assert.deepEqual(running(canarySchedule), {
      "fleet-canary-render": "on_success",
      "fleet-canary": "on_success",
    });
    assert.deepEqual(jobOf(defaults, "fleet-canary-render").rules, [
      {
        if: '$CI_PIPELINE_SOURCE == "schedule" && $FLEET_CANARY',
        variables: { CANARY_STACKS: '["dev","staging"] ["prod"]\n' },
      },
      { if: '$CI_PIPELINE_SOURCE == "schedule"', when: "never" },
      {
        if: "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH",
        variables: { CANARY_STACKS: '["dev","staging"]\n' },
      },
    ]);
    assert.deepEqual(jobOf(defaults, "fleet-canary-protected-render").rules, [
      { if: '$CI_PIPELINE_SOURCE == "schedule"', when: "never" },
      { if: "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH", variables: { CANARY_STACKS: '["prod"]\n' } },
    ]);
  });

  it("canaries: rendered after the ups, run as a child pipeline whose failure fails this one", () => {
    const render = jobOf(defaults, "fleet-canary-render");
    assert.deepEqual(render.needs, [{ job: "fleet-up", artifacts: false, optional: true }]);
    assert.deepEqual(render.image, { name: "node:22.23.2-bookworm" });
    assert.deepEqual(render.before_script, ["npm ci"]);
    assert.equal(
      render.variables?.["CANARY_COMPONENT"],
      "$CI_SERVER_FQDN/$CI_PROJECT_PATH/dind-check@$CI_COMMIT_SHA",
    );
    assert.deepEqual(render.artifacts, { paths: ["canary-pipeline.yml"], expire_in: "7 days" });
    assert.deepEqual(jobOf(defaults, "fleet-canary-protected-render").needs, [
      { job: "fleet-up-protected", artifacts: false, optional: false },
    ]);
    const trigger = jobOf(defaults, "fleet-canary") as ExpandedJob & { trigger?: unknown };
    assert.deepEqual(trigger.trigger, {
      include: [{ artifact: "canary-pipeline.yml", job: "fleet-canary-render" }],
      strategy: "depend",
    });
    assert.deepEqual(trigger.needs, [
      { job: "fleet-canary-render", artifacts: true, optional: false },
    ]);
  });

  it("custom inputs: prefix, stages, stacks, image, Pulumi version and checksum, ID token, setup commands, drift variable and options", () => {
    assert.deepEqual(pulumiJobs(custom), [
      "runners-preview",
      "runners-up",
      "runners-up-protected",
      "runners-drift",
    ]);
    assert.deepEqual(
      pulumiJobs(custom).map((name) => jobOf(custom, name).stage),
      ["plan", "apply", "apply", "check"],
    );
    const drift: ExpandedJob & { cache?: unknown } = jobOf(custom, "runners-drift");
    assert.deepEqual(drift.image, { name: "node:22.23.2-trixie" });
    assert.equal(drift.resource_group, "runners-$STACK");
    assert.deepEqual(drift.cache, CACHES("runners", "3.273.0"));
    assert.deepEqual(drift.id_tokens, {
      PULUMI_OIDC_TOKEN: { aud: "urn:pulumi:org:acme" },
    });
    assert.equal(drift.variables?.["PULUMI_CLI_VERSION"], "3.273.0");
    assert.equal(drift.variables?.["PULUMI_CLI_SHA256"], "ab".repeat(32));
    assert.deepEqual(drift.before_script?.slice(2), [
      'eval "$(ssh-agent -s)"',
      'ssh-add "$SSH_DEPLOY_KEY"',
      "npm ci",
      "npm run build",
    ]);
    assert.match(
      drift.script?.[0] ?? "",
      /--json "drift-\$STACK\.json" --skip-runners \|\| status/,
    );
    assert.deepEqual(running(customDefaultBranch), {
      "runners-up: [dev]": "on_success",
      "runners-up-protected: [staging]": "manual",
      "runners-up-protected: [prod]": "manual",
      "runners-canary-render": "on_success",
      "runners-canary": "on_success",
      "runners-canary-protected-render": "on_success",
      "runners-canary-protected": "on_success",
    });
    assert.deepEqual(running(customSchedule), {
      "runners-drift: [dev]": "on_success",
      "runners-drift: [staging]": "on_success",
      "runners-drift: [prod]": "on_success",
    });
  });
});

describe("fleet scripts", () => {
  let steps: readonly string[];
  let script: readonly string[];
  let work: string;
  const VERSION = "3.270.0";
  const TARBALL = `pulumi-v${VERSION}-linux-x64.tar.gz`;
  let tarball: Buffer;
  let sha256: string;

  before(async () => {
    const drift = jobOf(await previewPipeline(DEFAULTS), "fleet-drift");
    steps = drift.before_script ?? [];
    script = drift.script ?? [];
    // A release tarball as Pulumi lays it out: pulumi/pulumi and its plugins.
    work = mkdtempSync(join(tmpdir(), "dind-runners-pulumi-release-"));
    mkdirSync(join(work, "pulumi"));
    writeFileSync(join(work, "pulumi", "pulumi"), `#!/bin/sh\necho "v${VERSION}"\n`);
    chmodSync(join(work, "pulumi", "pulumi"), 0o755);
    execFileSync("tar", ["-czf", join(work, TARBALL), "-C", work, "pulumi"]);
    tarball = readFileSync(join(work, TARBALL));
    sha256 =
      execFileSync("sha256sum", [join(work, TARBALL)], { encoding: "utf8" }).split(" ")[0] ?? "";
  });
  after(() => rmSync(work, { recursive: true, force: true }));

  /** A curl that serves the release files and records each URL. */
  const curlStub = (served: Readonly<Record<string, string>>) =>
    `#!/bin/sh\nurl=""; out=""\nwhile [ $# -gt 0 ]; do case "$1" in -o) out=$2; shift ;; -*) ;; *) url=$1 ;; esac; shift; done\necho "$url" >> "$STUB_DIR/curl.log"\ncase "$url" in\n${Object.entries(
      served,
    )
      .map(([suffix, path]) => `  *${suffix}) cp "${path}" "$out" ;;`)
      .join(
        "\n",
      )}\n  *) echo "curl: (22) The requested URL returned error: 404" >&2; exit 22 ;;\nesac\n`;

  const BACKEND = { PULUMI_BACKEND_URL: "s3://state/dind-runners", STACK: "prod" };

  for (const shell of SHELLS) {
    describe(shell.name, () => {
      it("settings check: a backend is required", async () => {
        const result = await runScript(shell, [steps[0] ?? ""], { STACK: "prod" });
        assert.equal(result.code, 1);
        assert.equal(
          result.stderr,
          "error: set the CI/CD variable PULUMI_BACKEND_URL (self-managed backend) or PULUMI_ACCESS_TOKEN (Pulumi Cloud); see docs/ci-components.md (fleet) in the dind-runners project.\n",
        );
      });

      it("settings check: the passphrase when the stack or a self-managed backend needs it", async () => {
        const salted = { "stacks/Pulumi.prod.yaml": "encryptionsalt: v1:abc\nconfig: {}\n" };
        const kms = {
          "stacks/Pulumi.prod.yaml": "secretsprovider: awskms://alias/x\nconfig: {}\n",
        };
        const cloud = { PULUMI_ACCESS_TOKEN: "pul-x", STACK: "prod" };
        const run = (env: Record<string, string>, files: Record<string, string> = {}) =>
          runScript(shell, [steps[0] ?? ""], env, {}, { files });
        const bySalt = await run(cloud, salted);
        assert.equal(bySalt.code, 1);
        assert.equal(
          bySalt.stderr,
          "error: stack prod needs the passphrase of its secrets (stacks/Pulumi.prod.yaml has an encryptionsalt): set the masked CI/CD variable PULUMI_CONFIG_PASSPHRASE, or PULUMI_CONFIG_PASSPHRASE_FILE (a File variable).\n",
        );
        const byBackend = await run(BACKEND);
        assert.equal(byBackend.code, 1);
        assert.match(
          byBackend.stderr,
          /the self-managed backend PULUMI_BACKEND_URL encrypts secrets with a passphrase unless stacks\/Pulumi\.prod\.yaml names a secretsprovider/,
        );
        assert.equal((await run(cloud)).code, 0);
        assert.equal((await run(BACKEND, kms)).code, 0);
        assert.equal((await run({ ...BACKEND, PULUMI_CONFIG_PASSPHRASE: "p" }, salted)).code, 0);
        const missingFile = await run({
          ...BACKEND,
          PULUMI_CONFIG_PASSPHRASE_FILE: "/nonexistent/passphrase",
        });
        assert.equal(missingFile.code, 1);
        assert.equal(
          missingFile.stderr,
          "error: PULUMI_CONFIG_PASSPHRASE_FILE names /nonexistent/passphrase, which cannot be read.\n",
        );
      });

      it("Pulumi CLI: downloaded once, checked against the release checksums, then taken from the cache", async () => {
        const checksums = join(work, "checksums.txt");
        writeFileSync(
          checksums,
          `${"0".repeat(64)}  pulumi-v${VERSION}-linux-arm64.tar.gz\n${sha256}  ${TARBALL}\n`,
        );
        const curl = curlStub({
          [TARBALL]: join(work, TARBALL),
          [`pulumi-${VERSION}-checksums.txt`]: checksums,
        });
        const env = { PULUMI_CLI_VERSION: VERSION, PULUMI_CLI_SHA256: "" };
        const fresh = await runScript(shell, [steps[1] ?? ""], env, {}, { stubs: { curl } });
        assert.equal(fresh.code, 0, fresh.stderr);
        assert.equal(fresh.stdout, `v${VERSION}\n`);
        assert.deepEqual(fresh.stubLogs["curl"] ?? [], [
          `https://get.pulumi.com/releases/sdk/${TARBALL}`,
          `https://github.com/pulumi/pulumi/releases/download/v${VERSION}/pulumi-${VERSION}-checksums.txt`,
        ]);
        // The next job finds both files in its cache: no download, the same check.
        const cached = await runScript(
          shell,
          [steps[1] ?? ""],
          env,
          {},
          {
            stubs: { curl },
            files: {
              [`.pulumi-cli/${TARBALL}`]: tarball,
              [`.pulumi-cli/pulumi-${VERSION}-checksums.txt`]: readFileSync(checksums),
            },
          },
        );
        assert.equal(cached.code, 0, cached.stderr);
        assert.equal(cached.stdout, `v${VERSION}\n`);
        assert.deepEqual(cached.stubLogs["curl"] ?? [], []);
      });

      it("Pulumi CLI: a tarball that does not match the pinned sha256 is refused and dropped from the cache", async () => {
        const curl = curlStub({ [TARBALL]: join(work, TARBALL) });
        const pinned = "ab".repeat(32);
        const result = await runScript(
          shell,
          [steps[1] ?? ""],
          { PULUMI_CLI_VERSION: VERSION, PULUMI_CLI_SHA256: pinned },
          {},
          { stubs: { curl } },
        );
        assert.equal(result.code, 1);
        assert.equal(
          result.stderr,
          `error: ${TARBALL} has sha256 ${sha256}, expected ${pinned}; removed it from the cache.\n`,
        );
        // The pinned checksum replaces the published one: only the tarball was fetched.
        assert.deepEqual(result.stubLogs["curl"] ?? [], [
          `https://get.pulumi.com/releases/sdk/${TARBALL}`,
        ]);
        assert.deepEqual(result.files, {});
      });

      it("drift: exit code 0, 2 and 1 of npm run drift become the job's, each explained", async () => {
        const runDrift = (code: number) =>
          runScript(shell, [`npm() { echo "npm $*"; return ${code}; }`, ...script], {
            STACK: "prod",
          });
        const inSync = await runDrift(0);
        assert.deepEqual(
          [inSync.code, inSync.stdout],
          [0, "npm run drift -- --stack prod --json drift-prod.json\nstack prod: no drift.\n"],
        );
        const drift = await runDrift(2);
        assert.deepEqual(
          [drift.code, drift.stderr],
          [2, "stack prod: drift found; the report is the artifact drift-prod.json.\n"],
        );
        const failed = await runDrift(1);
        assert.deepEqual(
          [failed.code, failed.stderr],
          [1, "stack prod: drift could not be checked (exit code 1); see the report above.\n"],
        );
      });
    });
  }
});

describe("fleet canary render script", () => {
  let render: ExpandedJob;

  before(async () => {
    render = jobOf(await previewPipeline(DEFAULTS), "fleet-canary-render");
  });

  /** npm as the job calls it: logs its arguments, prints a pipeline for `canary-pipeline`. */
  const NPM = `#!/bin/sh
printf '%s\\n' "$*" >> "$STUB_DIR/npm.log"
printf 'include: []\\n'
`;

  for (const shell of SHELLS) {
    it(`passes every stack of the rule's list and the component to npm run canary-pipeline (${shell.name})`, async () => {
      const stacks = (render.rules?.[0] as { variables?: Record<string, string> }).variables;
      const result = await runScript(
        shell,
        render.script ?? [],
        { ...render.variables, ...stacks },
        {},
        { stubs: { npm: NPM } },
      );
      assert.equal(result.code, 0, result.stderr);
      assert.deepEqual(result.stubLogs["npm"], [
        "run --silent canary-pipeline -- --stack dev --stack staging --stack prod --component $CI_SERVER_FQDN/$CI_PROJECT_PATH/dind-check@$CI_COMMIT_SHA",
      ]);
      assert.equal(result.files["canary-pipeline.yml"], "include: []\n");
    });

    it(`refuses an empty stack list (${shell.name})`, async () => {
      const result = await runScript(
        shell,
        render.script ?? [],
        { ...render.variables, CANARY_STACKS: "[] []\n" },
        {},
        { stubs: { npm: NPM } },
      );
      assert.equal(result.code, 1);
      assert.equal(
        result.stderr,
        "error: no stack to check (the environments inputs are empty).\n",
      );
      assert.deepEqual(result.stubLogs["npm"], []);
    });
  }
});
