/**
 * The GitLabRunner resource refuses settings GitLab would refuse for their
 * length when it is declared, from any program (components/index.ts), before
 * the engine or GitLab hear of it.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { GitLabRunner } from "../../components/gitlab/gitlab-runner.js";
import { recordPulumiResources } from "../support/pulumi-mocks.js";

const ARGS = {
  gitlabUrl: "https://gitlab.example.com",
  apiToken: "glpat-unused",
  runnerName: "build-1",
  configPath: "dockerHosts[0].runners[0]",
  scope: { kind: "instance" },
  tokenRenewalShare: 0.5,
  settings: {
    description: "build-1",
    tags: ["dind"],
    runUntagged: false,
    locked: false,
    paused: false,
    accessLevel: "not_protected",
    maximumTimeout: null,
  },
} as const;

describe("GitLabRunner", () => {
  it("refuses a too long description and too many tags with one error and no stack trace, declaring nothing", async () => {
    const recorder = await recordPulumiResources();
    const tags = Array.from({ length: 51 }, (_, index) => `tag-${index}`);
    assert.throws(
      () =>
        new GitLabRunner("gitlab-runner-build-1", {
          ...ARGS,
          settings: { ...ARGS.settings, description: "d".repeat(1025), tags },
        }),
      (error: unknown) => {
        assert.ok(pulumi.RunError.isInstance(error), "Pulumi shows a RunError without a stack");
        assert.equal(
          error.message,
          [
            "GitLabRunner gitlab-runner-build-1: GitLab would refuse these settings:",
            "  dockerHosts[0].runners[0].description: GitLab keeps at most 1024 characters in a runner's description; this one has 1025",
            "  dockerHosts[0].runners[0].tags: GitLab allows at most 50 tags on a runner; this one has 51",
          ].join("\n"),
        );
        return true;
      },
    );
    new GitLabRunner("gitlab-runner-build-2", ARGS);
    const registered = await recorder.waitFor("gitlab-runner-", 1);
    assert.deepEqual(
      registered.map((resource) => resource.name),
      ["gitlab-runner-build-2"],
    );
  });
});
