/**
 * Runs one of the product's commands the way a user does (`node --import tsx
 * components/cli/<command>.ts ...`) and collects its exit code and output.
 */
import { spawn } from "node:child_process";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

export const REPO = resolve(__dirname, "..", "..");

/** tsx's loader by absolute URL, so a command can run from any working directory. */
const TSX_LOADER = pathToFileURL(join(REPO, "node_modules", "tsx", "dist", "loader.mjs")).href;

export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function runCli(
  command: "render-command" | "drift-command",
  args: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
  cwd: string = REPO,
): Promise<CliRun> {
  return new Promise((done, reject) => {
    const child = spawn(
      process.execPath,
      ["--import", TSX_LOADER, join(REPO, "components", "cli", `${command}.ts`), ...args],
      { cwd, env },
    );
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code) => done({ code, stdout, stderr }));
  });
}
