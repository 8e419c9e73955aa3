/**
 * The config digest a component exports for its host or cluster: computed from
 * the redacted rendering of that target alone, so it changes with what is
 * deployed, holds no secret, and costs one render per target (not one render of
 * the whole fleet per target).
 */
import type { Fleet, ManagerTarget } from "../model/fleet.js";
import { configDigest } from "./config-digest.js";
import { renderTargetFiles } from "./render-fleet-files.js";
import { redactedSecretText } from "./secret-text.js";

export function targetConfigDigest(fleet: Fleet, target: ManagerTarget): string {
  return configDigest(renderTargetFiles(fleet, target, redactedSecretText));
}
