/**
 * Validates Kubernetes objects against the official Kubernetes API schemas,
 * offline, the way an API server would refuse them:
 *
 * - kubernetes-models (generated from the Kubernetes OpenAPI spec) ships one
 *   compiled JSON-schema validator per kind: types, required fields, enums and
 *   formats such as `quantity` are checked there.
 * - Those validators let unknown fields through (the generated schemas do not
 *   close their objects), while the API server drops or, with strict field
 *   validation (`kubectl apply`'s default), refuses them. So each object is
 *   also type-checked by the TypeScript compiler as an object literal of the
 *   kind's generated interface, whose excess-property check reports every
 *   field the schema does not define.
 *
 * Each problem names the object (`Kind name`), the field path and what is
 * wrong, e.g. `Deployment gitlab-runner-manager: .spec.template.spec.containers[0].foo: unknown field`.
 */
import { join } from "node:path";
import ts from "typescript";

interface KubernetesObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly value: unknown;
}

interface Model {
  validate(): void;
}
type ModelClass = new (data: unknown) => Model;

interface SchemaError {
  readonly instancePath: string;
  readonly message?: string;
  readonly params?: Record<string, unknown>;
}

/** Every schema problem of `objects`; empty when all are valid. */
export async function kubernetesSchemaProblems(objects: readonly unknown[]): Promise<string[]> {
  const parsed = objects.map(kubernetesObject);
  const typed = parsed.filter((object) => object !== undefined);
  const shapeProblems = parsed.flatMap((object, index) =>
    object === undefined ? [`object ${index}: expected apiVersion, kind and metadata.name`] : [],
  );
  const withSchema = (await Promise.all(typed.map(withModel))).filter(
    (entry) => entry !== undefined,
  );
  const missing = typed
    .filter((object) => !withSchema.some((entry) => entry.object === object))
    .map(
      (object) => `${label(object)}: no Kubernetes schema for ${object.apiVersion} ${object.kind}`,
    );
  const schemaProblems = withSchema.flatMap(schemaValidatorProblems);
  const checked = withSchema.map((entry) => entry.object);
  return [...shapeProblems, ...missing, ...schemaProblems, ...unknownFieldProblems(checked)];
}

function kubernetesObject(value: unknown): KubernetesObject | undefined {
  if (!isRecord(value) || !isRecord(value["metadata"])) return undefined;
  const { apiVersion, kind } = value;
  const name = value["metadata"]["name"];
  if (typeof apiVersion !== "string" || typeof kind !== "string" || typeof name !== "string") {
    return undefined;
  }
  return { apiVersion, kind, name, value };
}

/**
 * Packages of models for API groups outside Kubernetes itself, generated from
 * the CRDs of the project that defines them.
 */
const CRD_MODEL_PACKAGES: Readonly<Record<string, string>> = {
  "monitoring.coreos.com": "@kubernetes-models/prometheus-operator",
};

/**
 * kubernetes-models lays out one module per kind: `<group>/<version>/<Kind>`
 * (core: `v1/<Kind>`); the CRD model packages do the same.
 */
function modelModule(object: KubernetesObject): string {
  const group = object.apiVersion.includes("/") ? object.apiVersion.split("/")[0] : undefined;
  const crdPackage = group === undefined ? undefined : CRD_MODEL_PACKAGES[group];
  return `${crdPackage ?? "kubernetes-models"}/${object.apiVersion}/${object.kind}`;
}

function label(object: KubernetesObject): string {
  return `${object.kind} ${object.name}`;
}

async function withModel(
  object: KubernetesObject,
): Promise<{ readonly object: KubernetesObject; readonly model: ModelClass } | undefined> {
  try {
    const loaded = (await import(modelModule(object))) as Record<string, unknown>;
    const model = loaded[object.kind] as ModelClass | undefined;
    return model === undefined ? undefined : { object, model };
  } catch {
    return undefined;
  }
}

function schemaValidatorProblems(entry: {
  readonly object: KubernetesObject;
  readonly model: ModelClass;
}): string[] {
  const { object, model } = entry;
  try {
    new model(object.value).validate();
    return [];
  } catch (error) {
    const errors = (error as { errors?: readonly SchemaError[] }).errors;
    if (errors === undefined) throw error;
    return errors.map(
      (problem) =>
        `${label(object)}: ${jsonPointerPath(problem.instancePath)}: ${problem.message ?? "invalid"}` +
        (problem.params === undefined ? "" : ` ${JSON.stringify(problem.params)}`),
    );
  }
}

/** `/spec/template/spec/containers/0/name` -> `.spec.template.spec.containers[0].name`. */
function jsonPointerPath(pointer: string): string {
  const parts = pointer.split("/").slice(1);
  return parts.length === 0
    ? "."
    : parts.map((part) => (/^[0-9]+$/.test(part) ? `[${part}]` : `.${part}`)).join("");
}

const CHECK_FILE = join(__dirname, "__kubernetes_schema_check__.ts");

const COMPILER_OPTIONS: ts.CompilerOptions = {
  strict: true,
  noEmit: true,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  target: ts.ScriptTarget.ES2022,
  lib: ["lib.es2022.d.ts"],
  types: [],
  skipLibCheck: true,
};

/**
 * One in-memory TypeScript file declaring each object as a constant of its
 * kind's interface; every diagnostic inside an object is a field the schema
 * does not have (or a value of the wrong type).
 */
function unknownFieldProblems(objects: readonly KubernetesObject[]): string[] {
  if (objects.length === 0) return [];
  const imports = objects.map(
    (object, index) =>
      `import type { I${object.kind} as T${index} } from ${JSON.stringify(modelModule(object))};`,
  );
  const declarations = objects.map(
    (object, index) => `export const object${index}: T${index} = ${JSON.stringify(object.value)};`,
  );
  const text = [...imports, ...declarations].join("\n");
  const host = ts.createCompilerHost(COMPILER_OPTIONS);
  const readSourceFile = host.getSourceFile.bind(host);
  let checked: ts.SourceFile | undefined;
  host.getSourceFile = (fileName, languageVersion, ...rest) => {
    if (fileName !== CHECK_FILE) return readSourceFile(fileName, languageVersion, ...rest);
    checked = ts.createSourceFile(fileName, text, languageVersion, true);
    return checked;
  };
  const program = ts.createProgram([CHECK_FILE], COMPILER_OPTIONS, host);
  return ts.getPreEmitDiagnostics(program).map((diagnostic) => {
    const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, " ");
    if (diagnostic.file?.fileName !== CHECK_FILE || checked === undefined) {
      return `schema check: ${message}`;
    }
    const start = diagnostic.start ?? 0;
    const { line } = checked.getLineAndCharacterOfPosition(start);
    const object = objects[line - objects.length];
    if (object === undefined) return `schema check: ${message}`;
    return `${label(object)}: ${fieldPath(checked, start)}: ${unknownFieldMessage(message)}`;
  });
}

/** `Object literal may only specify known properties, and '"foo"' does not exist in type 'IX'.` -> `unknown field (not in IX)`. */
function unknownFieldMessage(message: string): string {
  const match =
    /^Object literal may only specify known properties, and .* does not exist in type '([^']+)'\.$/.exec(
      message,
    );
  return match === null ? message : `unknown field (not in ${match[1]})`;
}

/** The JSON path of the property or element at `position` inside a declared object. */
function fieldPath(file: ts.SourceFile, position: number): string {
  let node: ts.Node | undefined = innermostNode(file, position);
  const parts: string[] = [];
  while (node !== undefined && !ts.isVariableDeclaration(node)) {
    const parent: ts.Node | undefined = node.parent;
    if (ts.isPropertyAssignment(node)) {
      parts.unshift(`.${propertyName(node.name)}`);
    } else if (parent !== undefined && ts.isArrayLiteralExpression(parent)) {
      parts.unshift(`[${parent.elements.indexOf(node as ts.Expression)}]`);
    }
    node = parent;
  }
  return parts.length === 0 ? "." : parts.join("");
}

function innermostNode(file: ts.SourceFile, position: number): ts.Node {
  let found: ts.Node = file;
  const visit = (node: ts.Node): void => {
    if (node.getStart(file) <= position && position < node.getEnd()) {
      found = node;
      ts.forEachChild(node, visit);
    }
  };
  ts.forEachChild(file, visit);
  return found;
}

function propertyName(name: ts.PropertyName): string {
  return ts.isStringLiteral(name) || ts.isIdentifier(name) ? name.text : name.getText();
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
