/**
 * The stack config reference of docs/configuration.md, generated from the schema: zod's JSON
 * Schema of the stack config carries each field's description and default (see
 * stack-config-schema.ts), so the reference never disagrees with what is
 * validated, and defaults are stated once, in components/model/defaults.ts.
 * Pure: returns Markdown (tables unpadded; the caller formats it).
 */
import { z } from "zod";
import { NO_DEFAULT, TYPE_TEXT } from "../config/schema/field-schemas.js";
import { managerSettingsShape, runnerSettingsShape } from "../config/schema/settings-schemas.js";
import { stackConfigSchema } from "../config/schema/stack-config-schema.js";

/** The JSON Schema of one value, as much of it as the reference reads. */
interface FieldSchema {
  readonly type?: string;
  readonly description?: string;
  readonly default?: unknown;
  readonly [NO_DEFAULT]?: string;
  readonly [TYPE_TEXT]?: string;
  readonly enum?: readonly unknown[];
  readonly minimum?: number;
  readonly maximum?: number;
  readonly items?: FieldSchema;
  readonly properties?: Readonly<Record<string, FieldSchema>>;
  readonly required?: readonly string[];
  readonly additionalProperties?: FieldSchema | boolean;
}

interface Section {
  readonly title: string;
  readonly intro: string;
  readonly schema: FieldSchema;
  /** Keys documented in another section. */
  readonly omit?: readonly string[];
  /** Map-valued keys shown as one row per field (`tls.caCert`). */
  readonly flatten?: readonly string[];
}

const MANAGER_KEYS = Object.keys(managerSettingsShape);
const RUNNER_KEYS = Object.keys(runnerSettingsShape);

function stackConfigJsonSchema(): FieldSchema {
  return z.toJSONSchema(stackConfigSchema, { unrepresentable: "any" }) as FieldSchema;
}

/** Config paths of fields the schema does not describe; the reference needs none. */
export function undescribedFields(
  schema: FieldSchema = stackConfigJsonSchema(),
  path = "",
): readonly string[] {
  return Object.entries(schema.properties ?? {}).flatMap(([key, field]) => {
    const fieldPath = path === "" ? key : `${path}.${key}`;
    const own = field.description === undefined ? [fieldPath] : [];
    const inside = field.items ?? field;
    return [...own, ...undescribedFields(inside, inside === field ? fieldPath : `${fieldPath}[]`)];
  });
}

export function configReferenceMarkdown(): string {
  const root = stackConfigJsonSchema();
  const undescribed = undescribedFields(root);
  if (undescribed.length > 0) {
    throw new Error(
      `config fields without a description: ${undescribed.join(", ")}; describe them in the schema (requiredField, defaultingTo, optionalField)`,
    );
  }
  const host = child(child(root, "dockerHosts").items);
  const cluster = child(child(root, "kubernetesClusters").items);
  const defaults = child(root, "defaults");
  const jobPods = child(defaults, "jobPods");
  const sections: readonly Section[] = [
    {
      title: "Top level",
      intro: "Keys of `stacks/Pulumi.<env>.yaml`, each written `dind-runners:<key>`.",
      schema: root,
      flatten: ["gitlab"],
    },
    {
      title: "Docker hosts (`dockerHosts[i]`)",
      intro: "Besides these, a host takes the manager, runner and `dind` settings below.",
      schema: host,
      omit: [...MANAGER_KEYS, ...RUNNER_KEYS],
      flatten: ["tls"],
    },
    {
      title: "Kubernetes clusters (`kubernetesClusters[i]`)",
      intro: "Besides these, a cluster takes the manager, runner and `dind` settings below.",
      schema: cluster,
      omit: [...MANAGER_KEYS, ...RUNNER_KEYS],
    },
    {
      title: "Runners (`runners[j]` of a host or cluster)",
      intro: "Besides these, a runner takes the runner settings and `dind` settings below.",
      schema: child(child(host, "runners").items),
      omit: RUNNER_KEYS,
    },
    {
      title: "Manager settings (`defaults`, host, cluster)",
      intro: "One runner manager per Docker host or cluster; these are its config.toml globals.",
      schema: { properties: pick(defaults, MANAGER_KEYS) },
    },
    {
      title: "Runner settings (`defaults`, host, cluster, runner)",
      intro: "Each runner is one `[[runners]]` entry of its manager's config.toml.",
      schema: { properties: pick(defaults, RUNNER_KEYS) },
    },
    {
      title: "dind settings (`dind:` at every level)",
      intro:
        "`manageOverlayModule` can be set in `defaults.dind` and on hosts and clusters only; everything else also on a runner.",
      schema: child(defaults, "dind"),
    },
    {
      title: "Housekeeping settings (`housekeeping:` on Docker hosts)",
      intro:
        "What the host's housekeeping container removes of GitLab Runner's objects, and when; see [operations.md](operations.md#disk-housekeeping).",
      schema: child(host, "housekeeping"),
    },
    {
      title: "Cache settings (`cache:` at every level)",
      intro:
        "The distributed cache (`[runners.cache]`); the most specific level that sets `cache` wins as a whole. Which type to choose: [cache.md](cache.md).",
      schema: child(defaults, "cache"),
      omit: ["s3", "gcs", "azure"],
    },
    {
      title: "S3 cache (`cache.s3`, with `type: s3`)",
      intro: "AWS S3 or an S3-compatible server such as MinIO (`[runners.cache.s3]`).",
      schema: child(child(defaults, "cache"), "s3"),
    },
    {
      title: "GCS cache (`cache.gcs`, with `type: gcs`)",
      intro: "Google Cloud Storage (`[runners.cache.gcs]`).",
      schema: child(child(defaults, "cache"), "gcs"),
    },
    {
      title: "Azure cache (`cache.azure`, with `type: azure`)",
      intro: "Azure Blob Storage (`[runners.cache.azure]`).",
      schema: child(child(defaults, "cache"), "azure"),
    },
    {
      title: "Job pod settings (`jobPods:` in `defaults` and on clusters; Kubernetes only)",
      intro: "How job pods are sized and placed; see Job pods on Kubernetes below.",
      schema: jobPods,
    },
    {
      title: "Requests and limits (`jobPods.build`, `jobPods.helper`, `jobPods.services`)",
      intro: "Kubernetes quantities such as `500m`, `2`, `512Mi`, `1Gi`.",
      schema: child(jobPods, "build"),
    },
    {
      title: "Tolerations (`jobPods.tolerations[j]`)",
      intro: "Each one becomes a `node_tolerations` entry.",
      schema: child(child(jobPods, "tolerations").items),
    },
  ];
  return sections.map(sectionMarkdown).join("\n");
}

function sectionMarkdown(section: Section): string {
  const rows = fieldRows(section.schema, "", section.omit ?? [], section.flatten ?? []);
  return [
    `### ${section.title}`,
    "",
    section.intro,
    "",
    "| key | type | default | meaning |",
    "| --- | --- | --- | --- |",
    ...rows.map((cells) => `| ${cells.map(cell).join(" | ")} |`),
    "",
  ].join("\n");
}

function fieldRows(
  schema: FieldSchema,
  prefix: string,
  omit: readonly string[],
  flatten: readonly string[],
): string[][] {
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties ?? {}).flatMap(([key, field]) => {
    if (omit.includes(key)) return [];
    const path = `${prefix}${key}`;
    if (flatten.includes(key)) return fieldRows(field, `${path}.`, [], []);
    return [
      [`\`${path}\``, typeText(field), defaultText(field, required.has(key)), meaning(field)],
    ];
  });
}

function typeText(field: FieldSchema): string {
  if (field[TYPE_TEXT] !== undefined) return field[TYPE_TEXT];
  if (field.enum !== undefined) return field.enum.map((value) => `\`${String(value)}\``).join(", ");
  switch (field.type) {
    case "boolean":
      return "boolean";
    case "integer":
      return `integer ${field.minimum ?? ""}–${field.maximum ?? ""}`;
    case "string":
      return "text";
    case "array":
      return `list of ${plural(field.items === undefined ? "" : typeText(field.items))}`;
    case "object":
      return typeof field.additionalProperties === "object"
        ? `map of ${typeText(field.additionalProperties)}`
        : "map";
    default:
      return "any value";
  }
}

function plural(type: string): string {
  if (type === "map") return "maps";
  return type;
}

function defaultText(field: FieldSchema, required: boolean): string {
  if (field.default !== undefined) return `\`${defaultValueText(field.default)}\``;
  if (required) return "required";
  return field[NO_DEFAULT] ?? "none";
}

function defaultValueText(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

function meaning(field: FieldSchema): string {
  return field.description ?? "";
}

/** A table cell: pipes escaped, on one line. */
function cell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\n/g, " ");
}

function child(schema: FieldSchema | undefined, key?: string): FieldSchema {
  const found = key === undefined ? schema : schema?.properties?.[key];
  if (found === undefined) throw new Error(`the stack config schema has no ${key ?? "items"}`);
  return found;
}

function pick(schema: FieldSchema, keys: readonly string[]): Readonly<Record<string, FieldSchema>> {
  return Object.fromEntries(keys.map((key) => [key, child(schema, key)]));
}
