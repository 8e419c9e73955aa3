/**
 * Zod's generic issues (wrong type, unknown key, value not in a list) in the
 * product's message style. Field schemas with their own messages take precedence.
 */
import { z } from "zod";
import { expectedFound } from "./describe-value.js";
import { unknownKeysMessage, type KnownKeys } from "./unknown-keys.js";

const TYPE_NAMES: Readonly<Record<string, string>> = {
  string: "a string",
  number: "a number",
  int: "an integer",
  boolean: "true or false",
  array: "a list",
  object: "a map",
  record: "a map",
};

export function stackConfigErrorMap(issue: z.core.$ZodRawIssue): string | undefined {
  switch (issue.code) {
    case "unrecognized_keys":
      return unknownKeysMessage(issue.keys, knownKeysOf(issue.inst));
    case "invalid_type":
      return expectedFound(TYPE_NAMES[issue.expected] ?? issue.expected, issue.input);
    case "invalid_value":
      return expectedFound(
        `one of ${issue.values.map((value) => JSON.stringify(value)).join(", ")}`,
        issue.input,
      );
    default:
      return undefined;
  }
}

function knownKeysOf(schema: unknown): KnownKeys {
  if (!(schema instanceof z.ZodObject)) return { keys: [], nested: new Map() };
  const shape = schema.shape as Readonly<Record<string, z.ZodType>>;
  const nested = new Map<string, readonly string[]>();
  for (const [key, field] of Object.entries(shape)) {
    const object = field instanceof z.ZodOptional ? field.unwrap() : field;
    if (object instanceof z.ZodObject) nested.set(key, Object.keys(object.shape));
  }
  return { keys: Object.keys(shape), nested };
}
