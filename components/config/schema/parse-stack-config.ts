/**
 * Validates a stack's raw values against the schema and turns zod's issues into
 * ConfigIssues with config paths (`dockerHosts[0].runners[1].name`).
 */
import { configError, type ConfigIssue } from "../messages/config-issue.js";
import { formatConfigPath } from "../messages/config-path.js";
import { salvage, type Salvaged } from "./salvage.js";
import { stackConfigSchema, type StackConfig } from "./stack-config-schema.js";
import { stackConfigErrorMap } from "../messages/zod-error-map.js";

export interface ParsedStackConfig {
  /** The config, when it is valid against the schema. */
  readonly config?: StackConfig;
  /** What is left after cutting out invalid values (the whole config when valid). */
  readonly salvaged: Salvaged<StackConfig>;
  /** Config paths of the values that were cut out. */
  readonly prunedPaths: ReadonlySet<string>;
  readonly issues: readonly ConfigIssue[];
}

export function parseStackConfig(values: unknown): ParsedStackConfig {
  const result = stackConfigSchema.safeParse(values, { error: stackConfigErrorMap });
  if (result.success) {
    return { config: result.data, salvaged: result.data, prunedPaths: new Set(), issues: [] };
  }
  const zodIssues = result.error.issues;
  const { value, prunedPaths } = salvage<StackConfig>(
    values,
    zodIssues.map((issue) => ({ path: issue.path, keysOnly: issue.code === "unrecognized_keys" })),
  );
  const issues = zodIssues.map((issue) => configError(formatConfigPath(issue.path), issue.message));
  return { salvaged: value, prunedPaths, issues };
}
