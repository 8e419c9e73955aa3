/**
 * Environment (stack) names: the characters Pulumi allows in a stack name. The
 * name becomes part of file names, labels and output paths, so nothing else is let in.
 */
import { quoted } from "../messages/describe-value.js";

const ENVIRONMENT_NAME = /^[A-Za-z0-9_.-]+$/;

/** What is wrong with `name` as an environment name, or undefined. */
export function environmentNameProblem(name: string): string | undefined {
  if (ENVIRONMENT_NAME.test(name) && name !== "." && name !== "..") return undefined;
  return `expected a stack name of letters, digits, "_", "." and "-", found ${quoted(name)}`;
}
