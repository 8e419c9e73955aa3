/**
 * templates/fleet/template.yml as the project holding the Pulumi program sees
 * it: jobs per stack from the array inputs (parallel:matrix), which of them run
 * in merge request, default-branch and scheduled pipelines (rules evaluated by
 * gitlab-ci-local with the matrix values), resource groups and the drift job.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { before, describe, it } from "node:test";
import {
  type ExpandedJob,
  jobNames,
  jobOf,
  listJobs,
  type ListedJob,
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

const BACKEND_CHECK = `if [ -z "\${PULUMI_BACKEND_URL:-}" ] && [ -z "\${PULUMI_ACCESS_TOKEN:-}" ]; then
  echo "error: set the CI/CD variable PULUMI_BACKEND_URL (self-managed backend) or PULUMI_ACCESS_TOKEN (Pulumi Cloud); see the fleet component's README." >&2
  exit 1
fi
`;

describe("fleet component, expanded by gitlab-ci-local", () => {
  let defaults: Readonly<Record<string, unknown>>;
  let custom: Readonly<Record<string, unknown>>;
  let mergeRequest: readonly ListedJob[];
  let defaultBranch: readonly ListedJob[];
  let otherBranch: readonly ListedJob[];
  let schedule: readonly ListedJob[];
  let customDefaultBranch: readonly ListedJob[];

  before(async () => {
    [defaults, custom, mergeRequest, defaultBranch, otherBranch, schedule, customDefaultBranch] =
      await Promise.all([
        previewPipeline(DEFAULTS),
        previewPipeline(CUSTOM),
        // GitLab sets no CI_COMMIT_BRANCH in merge request pipelines.
        listJobs(DEFAULTS, {
          variables: { CI_PIPELINE_SOURCE: "merge_request_event", CI_COMMIT_BRANCH: "" },
        }),
        listJobs(DEFAULTS, { variables: { CI_COMMIT_BRANCH: "main" } }),
        listJobs(DEFAULTS, { variables: { CI_COMMIT_BRANCH: "feature" } }),
        listJobs(DEFAULTS, {
          variables: { CI_PIPELINE_SOURCE: "schedule", CI_COMMIT_BRANCH: "main" },
        }),
        listJobs(CUSTOM, { variables: { CI_COMMIT_BRANCH: "main" } }),
      ]);
  });

  it("defaults: four jobs named after job-prefix fleet, stages from inputs", () => {
    assert.deepEqual(jobNames(defaults), [
      "fleet-preview",
      "fleet-up",
      "fleet-up-protected",
      "fleet-drift",
    ]);
    const stages = jobNames(defaults).map((name) => jobOf(defaults, name).stage);
    assert.deepEqual(stages, ["test", "deploy", "deploy", "test"]);
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

  it("default branch: pulumi up for environments, a manual pulumi up for protected ones", () => {
    assert.deepEqual(running(defaultBranch), {
      "fleet-up: [dev]": "on_success",
      "fleet-up: [staging]": "on_success",
      "fleet-up-protected: [prod]": "manual",
    });
    assert.deepEqual(running(otherBranch), {});
  });

  it("scheduled pipelines: only the drift check, for every stack", () => {
    assert.deepEqual(running(schedule), {
      "fleet-drift: [dev]": "on_success",
      "fleet-drift: [staging]": "on_success",
      "fleet-drift: [prod]": "on_success",
    });
  });

  it("every job: pinned image, own before_script, one resource group per stack", () => {
    for (const name of jobNames(defaults)) {
      const job: ExpandedJob = jobOf(defaults, name);
      assert.deepEqual(job.image, { name: "node:22.23.2-bookworm" }, name);
      assert.deepEqual(job.inherit, { default: false }, name);
      assert.equal(job.resource_group, "fleet-$STACK", name);
      assert.deepEqual(
        job.before_script,
        [
          BACKEND_CHECK,
          "curl -fsSL https://get.pulumi.com | sh -s -- --version 3.270.0",
          'export PATH="$HOME/.pulumi/bin:$PATH"',
          "pulumi version",
          "npm ci",
        ],
        name,
      );
    }
  });

  it("pulumi preview and up target the matrix stack; up jobs deploy to a GitLab environment per stack", () => {
    assert.deepEqual(jobOf(defaults, "fleet-preview").script, [
      'pulumi preview --stack "$STACK" --non-interactive --diff',
    ]);
    for (const name of ["fleet-up", "fleet-up-protected"]) {
      assert.deepEqual(jobOf(defaults, name).script, [
        'pulumi up --stack "$STACK" --yes --non-interactive --diff',
      ]);
      assert.deepEqual(jobOf(defaults, name).environment, { name: "$STACK" });
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

  it("custom inputs: prefix, stages, stacks, image, Pulumi version, setup commands, drift options", () => {
    assert.deepEqual(jobNames(custom), [
      "runners-preview",
      "runners-up",
      "runners-up-protected",
      "runners-drift",
    ]);
    assert.deepEqual(
      jobNames(custom).map((name) => jobOf(custom, name).stage),
      ["plan", "apply", "apply", "check"],
    );
    const drift = jobOf(custom, "runners-drift");
    assert.deepEqual(drift.image, { name: "node:22.23.2-trixie" });
    assert.equal(drift.resource_group, "runners-$STACK");
    assert.deepEqual(drift.before_script, [
      BACKEND_CHECK,
      'eval "$(ssh-agent -s)"',
      'ssh-add "$SSH_DEPLOY_KEY"',
      "curl -fsSL https://get.pulumi.com | sh -s -- --version 3.273.0",
      'export PATH="$HOME/.pulumi/bin:$PATH"',
      "pulumi version",
      "npm ci",
    ]);
    assert.match(
      drift.script?.[0] ?? "",
      /--json "drift-\$STACK\.json" --skip-runners \|\| status/,
    );
    assert.deepEqual(running(customDefaultBranch), {
      "runners-up: [dev]": "on_success",
      "runners-up-protected: [staging]": "manual",
      "runners-up-protected: [prod]": "manual",
    });
  });
});

describe("fleet drift script, run against a stub npm", () => {
  let script: readonly string[];

  before(async () => {
    script = jobOf(await previewPipeline(DEFAULTS), "fleet-drift").script ?? [];
  });

  /** The drift script with `npm` replaced by a function exiting with `code`. */
  const runDrift = (shell: (typeof SHELLS)[number], code: number) =>
    runScript(shell, [`npm() { echo "npm $*"; return ${code}; }`, ...script], { STACK: "prod" });

  for (const shell of SHELLS) {
    it(`${shell.name}: exit code 0, 2 and 1 of npm run drift become the job's, each explained`, async () => {
      const inSync = await runDrift(shell, 0);
      assert.deepEqual(
        [inSync.code, inSync.stdout],
        [0, "npm run drift -- --stack prod --json drift-prod.json\nstack prod: no drift.\n"],
      );
      const drift = await runDrift(shell, 2);
      assert.deepEqual(
        [drift.code, drift.stderr],
        [2, "stack prod: drift found; the report is the artifact drift-prod.json.\n"],
      );
      const failed = await runDrift(shell, 1);
      assert.deepEqual(
        [failed.code, failed.stderr],
        [1, "stack prod: drift could not be checked (exit code 1); see the report above.\n"],
      );
    });
  }
});
