/**
 * Prometheus' text exposition format, for the metric files this project
 * writes itself (drift, housekeeping): `# HELP`, `# TYPE`, then one line per
 * sample, `name{label="value",...} value` (prometheus/common expfmt
 * text_create.go `MetricFamilyToText`, `writeEscapedString`: label values
 * escape `\`, `"` and newlines). Pure and deterministic: samples keep the
 * order they are given in.
 */

export type MetricKind = "gauge" | "counter";

export interface Sample {
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

export interface MetricFamily {
  readonly name: string;
  readonly help: string;
  readonly type: MetricKind;
  readonly samples: readonly Sample[];
}

/** The families as one text document; a family without samples is left out. */
export function prometheusText(families: readonly MetricFamily[]): string {
  return families
    .filter((family) => family.samples.length > 0)
    .map((family) =>
      [
        `# HELP ${family.name} ${family.help.replace(/\\/g, "\\\\").replace(/\n/g, "\\n")}`,
        `# TYPE ${family.name} ${family.type}`,
        ...family.samples.map(
          (sample) => `${family.name}${labelText(sample.labels)} ${sample.value}`,
        ),
      ].join("\n"),
    )
    .map((block) => block + "\n")
    .join("");
}

function labelText(labels: Readonly<Record<string, string>>): string {
  const entries = Object.entries(labels);
  if (entries.length === 0) return "";
  return `{${entries.map(([key, value]) => `${key}="${escapeLabelValue(value)}"`).join(",")}}`;
}

function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}
