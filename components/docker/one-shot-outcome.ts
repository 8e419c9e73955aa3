/**
 * Whether a one-shot helper (config writer, overlay module) did its job.
 *
 * The Docker provider waits for an attached container to exit but does not
 * fail when it exits non-zero, so `pulumi up` would report success with the
 * files not written or the module not loaded. The component turns a non-zero
 * exit code into a deployment error carrying the helper's own output (the
 * helpers print only paths and kernel facts, never file contents).
 *
 * The exited container stays in the state with its exit code, and an unchanged
 * container is not run again by the next `pulumi up`; so the message says how
 * to re-run it once the cause is fixed.
 */

/** Most of the helper's output that goes into the error message. */
export const MAX_OUTPUT_CHARACTERS = 4000;

/**
 * The error message for a helper that failed, or undefined when it succeeded
 * or its exit code is not known (a preview, or a provider that did not report it).
 * @param what e.g. `docker host build-1: the config writer (dind-runners-config-writer)`.
 * @param urn the helper's URN, for `pulumi up --replace`.
 */
export function oneShotFailure(
  what: string,
  exitCode: number | undefined,
  output: string | undefined,
  urn: string,
): string | undefined {
  if (exitCode === undefined || exitCode === 0) return undefined;
  const trimmed = (output ?? "").trim();
  const shown =
    trimmed.length > MAX_OUTPUT_CHARACTERS
      ? `...${trimmed.slice(trimmed.length - MAX_OUTPUT_CHARACTERS)}`
      : trimmed;
  const printed = shown === "" ? "It printed nothing." : `Its output:\n${shown}`;
  return (
    `${what} exited with code ${exitCode}, so the runner manager was not deployed or updated. ` +
    `${printed}\nFix the cause, then run the helper again: pulumi up --replace '${urn}'`
  );
}

/** What stops the deployment after {@link oneShotFailure} was reported. */
export function oneShotStop(what: string): string {
  return `${what} failed, so the runner manager was not deployed or updated; see its error for the output`;
}
