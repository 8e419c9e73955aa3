/**
 * The inputs of the GitLab CI/CD components, generated from the `spec:inputs`
 * header of each templates/<component>/template.yml: the header GitLab itself
 * reads (and shows on the component's CI/CD Catalog page), so the docs list the
 * same inputs, types, defaults and descriptions. Pure: returns Markdown (tables
 * unpadded; the caller formats it).
 */
import { parseAllDocuments } from "yaml";

/** One input as the spec declares it (GitLab's keywords). */
interface InputSpec {
  readonly type?: string;
  readonly default?: unknown;
  readonly description?: string;
  readonly options?: readonly unknown[];
  readonly regex?: string;
}

/** A component: its name (the folder under templates/) and its template's text. */
export interface ComponentTemplate {
  readonly name: string;
  readonly text: string;
}

export function componentInputsMarkdown(components: readonly ComponentTemplate[]): string {
  return components.map(componentMarkdown).join("\n");
}

function componentMarkdown(component: ComponentTemplate): string {
  const inputs = specInputs(component);
  const rows = Object.entries(inputs).map(([name, input]) => [
    `\`${name}\``,
    typeText(input),
    defaultText(input),
    meaning(input),
  ]);
  return [
    `### Inputs of \`${component.name}\``,
    "",
    `From \`spec:inputs\` in [templates/${component.name}/template.yml](../templates/${component.name}/template.yml).`,
    "",
    "| input | type | default | meaning |",
    "| --- | --- | --- | --- |",
    ...rows.map((cells) => `| ${cells.map(cell).join(" | ")} |`),
    "",
  ].join("\n");
}

/** The `spec:inputs` map of the template's header (its first YAML document). */
function specInputs(component: ComponentTemplate): Readonly<Record<string, InputSpec>> {
  const [header] = parseAllDocuments(component.text);
  const spec: unknown = header === undefined || "empty" in header ? undefined : header.toJS();
  const inputs = (spec as { spec?: { inputs?: unknown } } | undefined)?.spec?.inputs;
  if (typeof inputs !== "object" || inputs === null) {
    throw new Error(`templates/${component.name}/template.yml has no spec:inputs header`);
  }
  return inputs as Readonly<Record<string, InputSpec>>;
}

function typeText(input: InputSpec): string {
  if (input.options !== undefined) {
    return `one of ${input.options.map((option) => `\`${String(option)}\``).join(", ")}`;
  }
  // GitLab's default input type is string.
  return input.type ?? "string";
}

function defaultText(input: InputSpec): string {
  if (!("default" in input)) return "required";
  return `\`${valueText(input.default)}\``;
}

function valueText(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(valueText).join(", ")}]`;
  if (value === "") return '""';
  return String(value);
}

function meaning(input: InputSpec): string {
  const description = input.description ?? "";
  return input.regex === undefined ? description : `${description} Must match \`${input.regex}\`.`;
}

/** A table cell: pipes escaped, on one line. */
function cell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\n/g, " ");
}
