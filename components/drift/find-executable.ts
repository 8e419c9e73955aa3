/**
 * Finds an executable on PATH without running it: how the drift command learns,
 * in microseconds, that the Pulumi CLI is missing before the Automation API
 * would fail on it (the Automation API runs `pulumi` from PATH).
 */
import { accessSync, constants, statSync } from "node:fs";
import { delimiter, join } from "node:path";

/** The first `<dir>/<name>` on `pathVariable` that is an executable file, or undefined. */
export function findExecutable(name: string, pathVariable: string | undefined): string | undefined {
  for (const directory of (pathVariable ?? "").split(delimiter)) {
    if (directory === "") continue;
    const candidate = join(directory, name);
    try {
      accessSync(candidate, constants.X_OK);
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // Not here: keep looking.
    }
  }
  return undefined;
}

export const PULUMI_INSTALL_URL = "https://www.pulumi.com/docs/install/";

export const PULUMI_CLI_MISSING =
  `the Pulumi CLI (pulumi) is not on PATH: install it (${PULUMI_INSTALL_URL}) ` +
  "or pass --skip-pulumi to check only the runner configs";
