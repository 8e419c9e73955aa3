import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { runnerSystemId } from "../../components/render/runner-system-id.js";

/** GitLab Runner's own check (commands/internal/configfile/system_id_state.go loadFromFile). */
const ACCEPTED_BY_GITLAB_RUNNER = /^[sr]_[0-9a-zA-Z]{12}$/;

describe("runnerSystemId", () => {
  it("has the form GitLab Runner accepts from .runner_system_id", () => {
    for (const [environment, name] of [
      ["prod", "k8s-prod"],
      ["dev", "a"],
      ["staging-eu", "cluster-with-a-rather-long-name-0123456789"],
    ] as const) {
      assert.match(runnerSystemId({ environment }, { name }), ACCEPTED_BY_GITLAB_RUNNER);
    }
  });

  it("is the same for the same stack and cluster, on every render and deploy", () => {
    assert.equal(
      runnerSystemId({ environment: "prod" }, { name: "k8s-prod" }),
      runnerSystemId({ environment: "prod" }, { name: "k8s-prod" }),
    );
    // Pinned: a change of the derivation would register every cluster anew in GitLab.
    assert.equal(runnerSystemId({ environment: "prod" }, { name: "k8s-prod" }), "s_e850b0e90bef");
  });

  it("differs between clusters and between stacks", () => {
    const ids = new Set([
      runnerSystemId({ environment: "prod" }, { name: "k8s-prod" }),
      runnerSystemId({ environment: "prod" }, { name: "k8s-prod-2" }),
      runnerSystemId({ environment: "staging" }, { name: "k8s-prod" }),
      // No ambiguity from where the name ends.
      runnerSystemId({ environment: "prod-k8s" }, { name: "prod" }),
    ]);
    assert.equal(ids.size, 4);
  });
});
