/**
 * `monitoring:` of a cluster: the Prometheus Operator objects need a metrics
 * listener, set on the cluster or in defaults.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { loadFleet } from "../../components/config/load/load-fleet.js";
import { readStackFile } from "../../components/config/read/stack-file.js";
import { problemsOf, RENDER, validValues } from "./stack-values.js";

describe("monitoring", () => {
  it("is off unless the cluster says it runs the Prometheus Operator", () => {
    const result = loadFleet({ environment: "test", values: validValues() }, RENDER);
    assert.ok(result.ok);
    assert.equal(result.fleet.kubernetesClusters[0]?.prometheusOperator, false);
  });

  it("takes prometheusOperator with a listener on the cluster or in defaults", () => {
    for (const where of ["cluster", "defaults"] as const) {
      const values = validValues();
      values.kubernetesClusters[0]!["monitoring"] = { prometheusOperator: true };
      if (where === "cluster") values.kubernetesClusters[0]!["listenAddress"] = ":9252";
      else values.defaults["listenAddress"] = ":9252";
      const result = loadFleet({ environment: "test", values }, RENDER);
      assert.ok(result.ok, where);
      assert.equal(result.fleet.kubernetesClusters[0]?.prometheusOperator, true);
    }
  });

  it("refuses prometheusOperator without a listener, at its path", () => {
    const values = validValues();
    values.kubernetesClusters[0]!["monitoring"] = { prometheusOperator: true };
    assert.equal(
      problemsOf(values),
      [
        'stack "test": 1 error',
        'error: kubernetesClusters[0].monitoring.prometheusOperator: true needs a metrics listener, found no listenAddress on the cluster or in defaults: set kubernetesClusters[0].listenAddress (e.g. ":9252") so the PodMonitor has a metrics port to scrape',
      ].join("\n"),
    );
  });

  it("refuses a value that is not true or false, at its path", () => {
    const values = validValues();
    values.kubernetesClusters[0]!["monitoring"] = { prometheusOperator: "yes" };
    assert.match(
      problemsOf(values),
      /error: kubernetesClusters\[0\]\.monitoring\.prometheusOperator: expected true or false, found "yes"/,
    );
  });

  it("prod: the cluster runs the Prometheus Operator", () => {
    const result = loadFleet(readStackFile("prod"), RENDER);
    assert.ok(result.ok);
    assert.equal(result.fleet.kubernetesClusters[0]?.prometheusOperator, true);
  });
});
