/**
 * How a Kubernetes cluster's manager is monitored: whether the cluster runs the
 * Prometheus Operator, so the render adds a `PodMonitor` (scrape the manager's
 * `metrics` port) and a `PrometheusRule` (the fleet's alerts for this cluster).
 * See docs/observability.md.
 */
import { z } from "zod";
import { DEFAULTS } from "../../model/defaults.js";
import { defaultingTo, flag, onWrongType } from "./field-schemas.js";

export const monitoringSchema = z.strictObject(
  {
    prometheusOperator: defaultingTo(
      flag,
      DEFAULTS.kubernetes.prometheusOperator,
      "The cluster runs the Prometheus Operator (its `monitoring.coreos.com/v1` CRDs): deploy a `PodMonitor` for the manager's `metrics` port and a `PrometheusRule` with this cluster's alerts. Needs `listenAddress`.",
    ),
  },
  { error: onWrongType("a map, e.g. { prometheusOperator: true }") },
);
