/**
 * Pulumi-level drift from the engine events of two dry runs, pure:
 * - `refresh`: `pulumi refresh --preview-only` — resources whose live state no
 *   longer matches the stack's state (changed or deleted outside Pulumi);
 * - `preview`: `pulumi preview --refresh` — what `pulumi up` would change to make
 *   the live resources match the program and stack config again.
 *
 * The event types mirror the field names of the Automation API's `EngineEvent`
 * (@pulumi/pulumi 3.270, automation/events.d.ts) so the real events fit them;
 * this module imports nothing from `@pulumi/*`.
 */

/** Field names as in `StepEventStateMetadata`. */
export interface StepStateLike {
  readonly outputs?: Readonly<Record<string, unknown>>;
}

/** Field names as in `StepEventMetadata`. */
export interface StepMetadataLike {
  readonly op: string;
  readonly urn: string;
  readonly type: string;
  readonly old?: StepStateLike;
  readonly new?: StepStateLike;
  readonly keys?: readonly string[];
  readonly diffs?: readonly string[];
  readonly detailedDiff?: Readonly<Record<string, { readonly diffKind: string }>>;
}

/** Field names as in `EngineEvent`; only the resource step events matter here. */
export interface EngineEventLike {
  readonly resourcePreEvent?: { readonly metadata: StepMetadataLike };
  readonly resOutputsEvent?: { readonly metadata: StepMetadataLike };
}

/** Operation counts as in `OpMap`, e.g. `{ same: 12, update: 1 }`. */
export type OpCounts = Readonly<Partial<Record<string, number>>>;

export type DriftPhase = "refresh" | "preview";

/** One resource that drifted. */
export interface ResourceDrift {
  /** `refresh`: changed outside Pulumi; `preview`: `pulumi up` would change it. */
  readonly phase: DriftPhase;
  /** Pulumi type token, e.g. `docker:index/container:Container`. */
  readonly type: string;
  /** The resource's name (last URN segment). */
  readonly name: string;
  readonly urn: string;
  /** Engine operation: `update`, `delete`, `replace`, `create`, ... */
  readonly op: string;
  /** Property paths that differ, sorted (e.g. `labels`, `envs[1]`); empty when the engine gave none. */
  readonly properties: readonly string[];
}

/** Steps that are no change: reads of data sources and engine bookkeeping. */
const NO_CHANGE_OPS: ReadonlySet<string> = new Set([
  "same",
  "refresh",
  "read",
  "read-replacement",
  "discard",
  "discard-replaced",
  "remove-pending-replace",
]);

/** When one URN has several steps (a replacement has three), the one reported. */
const OP_PRIORITY = [
  "replace",
  "delete",
  "create",
  "update",
  "create-replacement",
  "delete-replaced",
  "import",
  "import-replacement",
];

/**
 * The drifted resources of one dry run, sorted by type, name and URN.
 * A refresh reports its result (`update`/`delete`) on the resource-outputs
 * event (its pre-event says only `refresh`); a preview's steps carry their diff
 * on the pre-event, and reading only those keeps a `--refresh` preview's own
 * refresh steps out.
 */
export function resourceDriftsFromEvents(
  phase: DriftPhase,
  events: readonly EngineEventLike[],
): ResourceDrift[] {
  const steps = new Map<string, StepMetadataLike[]>();
  for (const event of events) {
    const metadata =
      phase === "refresh" ? event.resOutputsEvent?.metadata : event.resourcePreEvent?.metadata;
    if (metadata === undefined || NO_CHANGE_OPS.has(metadata.op)) continue;
    steps.set(metadata.urn, [...(steps.get(metadata.urn) ?? []), metadata]);
  }
  const drifts = [...steps.entries()].map(([urn, metadata]): ResourceDrift => {
    const main = mostSignificant(metadata);
    return {
      phase,
      type: main.type,
      name: urn.split("::").at(-1) ?? urn,
      urn,
      op: main.op,
      properties: changedProperties(metadata),
    };
  });
  return drifts.sort(
    (a, b) =>
      compareText(a.type, b.type) || compareText(a.name, b.name) || compareText(a.urn, b.urn),
  );
}

function mostSignificant(steps: readonly StepMetadataLike[]): StepMetadataLike {
  const rank = (op: string): number => {
    const at = OP_PRIORITY.indexOf(op);
    return at < 0 ? OP_PRIORITY.length : at;
  };
  return [...steps].sort((a, b) => rank(a.op) - rank(b.op))[0] as StepMetadataLike;
}

/**
 * The most precise property list any step of the resource has: detailedDiff
 * paths, else `diffs`, else replacement `keys`, else (a refresh reports none)
 * the top-level outputs that differ between old and new state. Sorted, unique.
 */
function changedProperties(steps: readonly StepMetadataLike[]): string[] {
  const tiers: ((step: StepMetadataLike) => readonly string[])[] = [
    (step) => Object.keys(step.detailedDiff ?? {}),
    (step) => step.diffs ?? [],
    (step) => step.keys ?? [],
    changedOutputs,
  ];
  for (const tier of tiers) {
    const properties = new Set(steps.flatMap(tier));
    if (properties.size > 0) return [...properties].sort(compareText);
  }
  return [];
}

function changedOutputs(step: StepMetadataLike): string[] {
  const before = step.old?.outputs;
  const after = step.new?.outputs;
  if (before === undefined || after === undefined) return [];
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...keys].filter((key) => canonicalJson(before[key]) !== canonicalJson(after[key]));
}

function canonicalJson(value: unknown): string {
  return (
    JSON.stringify(value, (_key, nested: unknown) => {
      if (nested === null || typeof nested !== "object" || Array.isArray(nested)) return nested;
      const record = nested as Record<string, unknown>;
      return Object.fromEntries(
        Object.keys(record)
          .sort(compareText)
          .map((key) => [key, record[key]]),
      );
    }) ?? "undefined"
  );
}

/** Counts without zero entries, keys sorted: stable JSON. */
export function normalizedCounts(counts: OpCounts): Record<string, number> {
  return Object.fromEntries(
    Object.entries(counts)
      .filter((entry): entry is [string, number] => typeof entry[1] === "number" && entry[1] > 0)
      .sort(([a], [b]) => compareText(a, b)),
  );
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
