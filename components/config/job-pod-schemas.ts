/**
 * The `jobPods:` settings of `defaults` and of a Kubernetes cluster: requests
 * and limits of the job pod's containers, dind's storage, which service images
 * jobs may declare, and which nodes job pods run on. Each field resolves on
 * its own (cluster < defaults < built-in); maps and lists are replaced whole.
 */
import { z } from "zod";
import { DEFAULTS } from "../model/defaults.js";
import type { TaintEffect } from "../model/fleet.js";
import { expectedFound } from "./describe-value.js";
import { checkedString, defaultingTo, listOf, onWrongType } from "./field-schemas.js";
import { labelKeyProblem, labelValueProblem, LABEL_KEY_FORM } from "./kubernetes-labels.js";
import { QUANTITY_FORM, quantityProblem } from "./kubernetes-quantity.js";

const JOB_PODS = DEFAULTS.kubernetes.jobPods;

export const quantitySchema = checkedString(QUANTITY_FORM, quantityProblem);

/** Requests and limits of one kind of container; each unset field keeps its default. */
export const containerResourcesSchema = z.strictObject(
  {
    /** CPU the scheduler reserves (`*cpu_request`), e.g. `500m`. */
    cpuRequest: quantitySchema.optional(),
    /** CPU the container may use at most (`*cpu_limit`); at least the request. */
    cpuLimit: quantitySchema.optional(),
    /** Memory the scheduler reserves (`*memory_request`), e.g. `1Gi`. */
    memoryRequest: quantitySchema.optional(),
    /** Memory above which the container is OOM-killed (`*memory_limit`); at least the request. */
    memoryLimit: quantitySchema.optional(),
    /** Node disk the scheduler reserves (`*ephemeral_storage_request`). */
    ephemeralStorageRequest: quantitySchema.optional(),
    /** Node disk above which the pod is evicted (`*ephemeral_storage_limit`); at least the request. */
    ephemeralStorageLimit: quantitySchema.optional(),
  },
  { error: onWrongType("a map of requests and limits, e.g. { memoryLimit: 4Gi }") },
);

const TAINT_EFFECTS = [
  "NoSchedule",
  "PreferNoSchedule",
  "NoExecute",
] as const satisfies readonly TaintEffect[];

export const tolerationSchema = z.strictObject(
  {
    /** Taint key, e.g. `dedicated`; required. */
    key: checkedString(LABEL_KEY_FORM, labelKeyProblem),
    /** Taint value; default: any value of the key. */
    value: checkedString("a label value", labelValueProblem).optional(),
    /** Taint effect: NoSchedule, PreferNoSchedule or NoExecute; default: every effect. */
    effect: z
      .enum(TAINT_EFFECTS, {
        error: (issue) =>
          expectedFound(
            `one of ${TAINT_EFFECTS.map((e) => JSON.stringify(e)).join(", ")}`,
            issue.input,
          ),
      })
      .optional(),
  },
  { error: onWrongType("a map with key, and optionally value and effect") },
);

/** `label-key: value` entries; a bad key is reported at its own key. */
export const nodeSelectorSchema = z.record(
  z.string().refine((key) => labelKeyProblem(key) === undefined),
  checkedString("a label value", labelValueProblem),
  {
    error: (issue) =>
      issue.code === "invalid_key"
        ? expectedFound(`${LABEL_KEY_FORM} as the key`, issue.input)
        : expectedFound("a map of node label: value", issue.input),
  },
);

/** A service image pattern as GitLab Runner matches it (doublestar glob on the image name). */
export const servicePatternSchema = checkedString("an image name or glob pattern", (text) =>
  text !== "" && !/\s/.test(text)
    ? undefined
    : expectedFound("an image name or glob pattern without spaces", text),
);

export const jobPodsSchema = z.strictObject(
  {
    /** Build container requests and limits (`cpu_request`, `memory_limit`, ...); default {@link DEFAULTS.kubernetes.jobPods.build}. */
    build: containerResourcesSchema.optional().meta({ default: JOB_PODS.build }),
    /** Helper container requests and limits (`helper_*`); default {@link DEFAULTS.kubernetes.jobPods.helper}. */
    helper: containerResourcesSchema.optional().meta({ default: JOB_PODS.helper }),
    /** Requests and limits of every service container, dind included (`service_*`); default {@link DEFAULTS.kubernetes.jobPods.services}. */
    services: containerResourcesSchema.optional().meta({ default: JOB_PODS.services }),
    /** Size limit of dind's `/var/lib/docker` emptyDir (the pod is evicted above it); default {@link DEFAULTS.kubernetes.jobPods.dindStorageSizeLimit}. */
    dindStorageSizeLimit: defaultingTo(quantitySchema, JOB_PODS.dindStorageSizeLimit),
    /** Service images jobs may declare besides the pinned dind image (`allowed_services`, globs); default {@link DEFAULTS.kubernetes.jobPods.allowedServices} (none). */
    allowedServices: defaultingTo(
      listOf(servicePatternSchema, "image names or patterns"),
      JOB_PODS.allowedServices,
    ),
    /** Node labels job pods must run on (`node_selector`), e.g. a dedicated CI pool; default {@link DEFAULTS.kubernetes.jobPods.nodeSelector} (any node). */
    nodeSelector: defaultingTo(nodeSelectorSchema, JOB_PODS.nodeSelector),
    /** Node taints job pods tolerate (`node_tolerations`); default {@link DEFAULTS.kubernetes.jobPods.tolerations} (none). */
    tolerations: defaultingTo(
      listOf(tolerationSchema, "tolerations { key, value, effect }"),
      JOB_PODS.tolerations,
    ),
  },
  { error: onWrongType("a map of job pod settings") },
);

export type ContainerResourcesConfig = z.output<typeof containerResourcesSchema>;
export type JobPodsConfig = z.output<typeof jobPodsSchema>;
