/**
 * Reads a stack's config straight from `stacks/Pulumi.<env>.yaml`, without the
 * Pulumi CLI, for `npm run render` and tests. Encrypted values stay
 * `{ secure: "<ciphertext>" }`: they are never decrypted here.
 */
import { readdirSync, readFileSync } from "node:fs";
import { isAbsolute, join, relative } from "node:path";
import { LineCounter, parseDocument, type YAMLError } from "yaml";
import { configError, FleetConfigError, type ConfigIssue } from "../messages/config-issue.js";
import { PROJECT_NAMESPACE, PROVIDER_NAMESPACES, splitConfigKey } from "./config-namespace.js";
import { closestWord } from "../messages/did-you-mean.js";
import { environmentNameProblem } from "../grammars/environment-name.js";
import { topLevelConfigValue, type RawStackConfig } from "./raw-stack-config.js";
import { yamlStructureProblems } from "./yaml-structure.js";
import { describeKind, quoted } from "../messages/describe-value.js";

/** The repository's `stacks/` directory. */
export const DEFAULT_STACKS_DIR = join(__dirname, "..", "..", "..", "stacks");

const STACK_FILE = /^Pulumi\.(?<environment>[A-Za-z0-9_.-]+)\.yaml$/;

export function stackFilePath(environment: string, stacksDir: string = DEFAULT_STACKS_DIR): string {
  return join(stacksDir, `Pulumi.${environment}.yaml`);
}

/** Environments that have a stack file in `stacksDir`, sorted. */
export function availableStacks(stacksDir: string = DEFAULT_STACKS_DIR): readonly string[] {
  const names = readDirectory(stacksDir)
    .map((file) => STACK_FILE.exec(file)?.groups?.["environment"])
    .filter((environment) => environment !== undefined);
  return names.sort();
}

/**
 * Reads the `dind-runners:` keys of a stack file. Throws FleetConfigError when there
 * is nothing usable (no such file, invalid YAML, no `config:` map); keys of unknown
 * namespaces come back as issues, so they are reported with everything else.
 */
export function readStackFile(
  environment: string,
  stacksDir: string = DEFAULT_STACKS_DIR,
): RawStackConfig {
  const nameProblem = environmentNameProblem(environment);
  if (nameProblem !== undefined) throw stackFileError(environment, nameProblem);
  const file = stackFilePath(environment, stacksDir);
  const text = readStackText(file);
  if (text === undefined) {
    throw stackFileError(environment, missingStackMessage(file, stacksDir));
  }
  const root = parseStackYaml(file, text, environment);
  const config = isRecord(root) ? root["config"] : undefined;
  if (!isRecord(config)) {
    throw stackFileError(
      environment,
      `${shownPath(file)}: expected a top-level "config:" map of ${PROJECT_NAMESPACE}: keys, found ${describeKind(config)}`,
    );
  }
  return namespacedValues(environment, config);
}

/** readStackFile, with the problems that leave nothing to validate as a result instead of a throw. */
export function readStackFileOrIssues(
  environment: string,
  stacksDir: string = DEFAULT_STACKS_DIR,
):
  | { readonly ok: true; readonly config: RawStackConfig }
  | { readonly ok: false; readonly issues: readonly ConfigIssue[] } {
  try {
    return { ok: true, config: readStackFile(environment, stacksDir) };
  } catch (error) {
    if (error instanceof FleetConfigError) return { ok: false, issues: error.issues };
    throw error;
  }
}

/** A problem with the file as a whole, which leaves nothing to validate. */
function stackFileError(environment: string, message: string): FleetConfigError {
  return new FleetConfigError([configError("", message)], environment);
}

function namespacedValues(environment: string, config: Record<string, unknown>): RawStackConfig {
  const values: [string, unknown][] = [];
  const issues: ConfigIssue[] = [];
  for (const [key, value] of Object.entries(config)) {
    const { namespace, name } = splitConfigKey(key);
    if (namespace === PROJECT_NAMESPACE) values.push([name, topLevelConfigValue(value)]);
    else if (namespace === undefined || !PROVIDER_NAMESPACES.has(namespace)) {
      issues.push(configError(key, foreignKeyMessage(namespace, name)));
    }
  }
  // fromEntries defines own properties, so a "__proto__" key cannot change the prototype.
  return { environment, values: Object.fromEntries(values), issues };
}

function foreignKeyMessage(namespace: string | undefined, name: string): string {
  const intended = JSON.stringify(`${PROJECT_NAMESPACE}:${name}`);
  if (namespace === undefined) return `config key without a namespace; write ${intended}`;
  const typo = closestWord(namespace, [PROJECT_NAMESPACE]) !== undefined;
  return `unknown config namespace ${quoted(namespace)}; this program reads ${PROJECT_NAMESPACE}: keys${typo ? ` (did you mean ${intended}?)` : ""}`;
}

function readStackText(file: string): string | undefined {
  try {
    return readFileSync(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

function missingStackMessage(file: string, stacksDir: string): string {
  const stacks = availableStacks(stacksDir);
  const available =
    stacks.length === 0
      ? `no stack files in ${shownPath(stacksDir)}`
      : `available stacks: ${stacks.join(", ")}`;
  return `stack file ${shownPath(file)} not found; ${available}`;
}

function readDirectory(directory: string): readonly string[] {
  try {
    return readdirSync(directory);
  } catch {
    return [];
  }
}

/**
 * The stack file as plain data, or a FleetConfigError listing every problem as
 * `<file>:<line>:<col>: ...`. The parser never prints: its warnings (an unknown
 * tag, for instance) are problems of the file like its errors, and what it would
 * only warn about while converting (complex keys) is refused before.
 */
function parseStackYaml(file: string, text: string, environment: string): unknown {
  const lineCounter = new LineCounter();
  // `<<` merge keys: the Pulumi CLI reads stack files with Go's yaml.v3, which applies them.
  const document = parseDocument(text, { lineCounter, logLevel: "silent", merge: true });
  const problems = [...document.errors, ...document.warnings].map((error) =>
    yamlIssue(file, error),
  );
  if (problems.length === 0) {
    for (const problem of yamlStructureProblems(document)) {
      const { line, col } = lineCounter.linePos(problem.offset);
      problems.push(configError("", `${shownPath(file)}:${line}:${col}: ${problem.message}`));
    }
  }
  if (problems.length > 0) throw new FleetConfigError(problems, environment);
  // yamlStructureProblems bounded what aliases expand to; yaml's own count would
  // refuse a stack that merely reuses one anchor a hundred times.
  return document.toJS({ maxAliasCount: -1 });
}

/** `Pulumi.prod.yaml:12:3: invalid YAML: <what yaml says>`, without yaml's multi-line excerpt. */
function yamlIssue(file: string, error: YAMLError): ConfigIssue {
  const start = error.linePos?.[0];
  const where = start === undefined ? "" : `:${start.line}:${start.col}`;
  const what = (error.message.split("\n")[0] ?? "").replace(/ at line \d+, column \d+:?$/, "");
  return configError("", `${shownPath(file)}${where}: invalid YAML: ${what}`);
}

/** Paths inside the working directory are shown relative to it, as a user typed them. */
function shownPath(path: string): string {
  const fromCwd = relative(process.cwd(), path);
  return fromCwd === "" || fromCwd.startsWith("..") || isAbsolute(fromCwd) ? path : fromCwd;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
