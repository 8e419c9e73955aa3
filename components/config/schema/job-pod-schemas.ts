/**
 * The `jobPods:` settings of `defaults` and of a Kubernetes cluster: requests
 * and limits of the job pod's containers, dind's storage, which service images
 * jobs may declare, and which nodes job pods run on. Each field resolves on
 * its own (cluster < defaults < built-in); maps and lists are replaced whole.
 * Every field is described, with its default from DEFAULTS: the config
 * reference (docs/configuration.md) is generated from them (`npm run docs:config`).
 */
import { z } from "zod";
import { DEFAULTS } from "../../model/defaults.js";
import type { TaintEffect } from "../../model/fleet.js";
import { expectedFound } from "../messages/describe-value.js";
import {
  checkedString,
  defaultingTo,
  listOf,
  NO_DEFAULT,
  onWrongType,
  optionalField,
  requiredField,
} from "./field-schemas.js";
import {
  labelKeyProblem,
  labelValueProblem,
  LABEL_KEY_FORM,
} from "../grammars/kubernetes-labels.js";
import { QUANTITY_FORM, quantityProblem } from "../grammars/kubernetes-quantity.js";

const JOB_PODS = DEFAULTS.kubernetes.jobPods;

export const quantitySchema = checkedString(QUANTITY_FORM, quantityProblem);

/** A request or limit of a container; unset, it keeps the default of its kind of container. */
function resource(description: string) {
  return optionalField(quantitySchema, description, "the default of the kind of container");
}

/** Requests and limits of one kind of container; each unset field keeps its default. */
export const containerResourcesSchema = z.strictObject(
  {
    cpuRequest: resource("CPU the scheduler reserves (`*cpu_request`), e.g. `500m`."),
    cpuLimit: resource("CPU the container may use at most (`*cpu_limit`); at least the request."),
    memoryRequest: resource("Memory the scheduler reserves (`*memory_request`), e.g. `1Gi`."),
    memoryLimit: resource(
      "Memory above which the container is OOM-killed (`*memory_limit`); at least the request.",
    ),
    ephemeralStorageRequest: resource(
      "Node disk the scheduler reserves (`*ephemeral_storage_request`).",
    ),
    ephemeralStorageLimit: resource(
      "Node disk above which the pod is evicted (`*ephemeral_storage_limit`); at least the request.",
    ),
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
    key: requiredField(
      checkedString(LABEL_KEY_FORM, labelKeyProblem),
      "Taint key, e.g. `dedicated`.",
    ),
    value: optionalField(
      checkedString("a label value", labelValueProblem),
      "Taint value.",
      "any value of the key",
    ),
    effect: z
      .enum(TAINT_EFFECTS, {
        error: (issue) =>
          expectedFound(
            `one of ${TAINT_EFFECTS.map((e) => JSON.stringify(e)).join(", ")}`,
            issue.input,
          ),
      })
      .optional()
      .meta({ description: "Taint effect.", [NO_DEFAULT]: "every effect" }),
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
    build: defaultingTo(
      containerResourcesSchema,
      JOB_PODS.build,
      "Build container requests and limits (`cpu_request`, `memory_limit`, ...).",
    ),
    helper: defaultingTo(
      containerResourcesSchema,
      JOB_PODS.helper,
      "Helper container requests and limits (`helper_*`).",
    ),
    services: defaultingTo(
      containerResourcesSchema,
      JOB_PODS.services,
      "Requests and limits of every service container, dind included (`service_*`).",
    ),
    dindStorageSizeLimit: defaultingTo(
      quantitySchema,
      JOB_PODS.dindStorageSizeLimit,
      "Size limit of dind's `/var/lib/docker` emptyDir (the pod is evicted above it).",
    ),
    allowedServices: defaultingTo(
      listOf(servicePatternSchema, "image names or patterns"),
      JOB_PODS.allowedServices,
      "Service images jobs may declare besides the pinned dind image (`allowed_services`, globs).",
    ),
    nodeSelector: defaultingTo(
      nodeSelectorSchema,
      JOB_PODS.nodeSelector,
      "Node labels job pods must run on (`node_selector`), e.g. a dedicated CI pool; `{}`: any node.",
    ),
    tolerations: defaultingTo(
      listOf(tolerationSchema, "tolerations { key, value, effect }"),
      JOB_PODS.tolerations,
      "Node taints job pods tolerate (`node_tolerations`).",
    ),
  },
  { error: onWrongType("a map of job pod settings") },
);

export type ContainerResourcesConfig = z.output<typeof containerResourcesSchema>;
export type JobPodsConfig = z.output<typeof jobPodsSchema>;
