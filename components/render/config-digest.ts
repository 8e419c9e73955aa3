/**
 * A fingerprint of a rendered file set: changes exactly when a path or a
 * content changes. Computed over redacted files, so it can be shown and
 * compared without exposing a secret.
 */
import { createHash } from "node:crypto";
import { compareCodePoints } from "./compare-code-points.js";
import type { RenderedFile } from "./rendered-file.js";

/** sha256 hex over the files sorted by path; JSON framing keeps path/content boundaries unambiguous. */
export function configDigest(files: readonly RenderedFile[]): string {
  const entries = [...files]
    .sort((a, b) => compareCodePoints(a.path, b.path))
    .map((file) => [file.path, file.content]);
  return createHash("sha256").update(JSON.stringify(entries)).digest("hex");
}
