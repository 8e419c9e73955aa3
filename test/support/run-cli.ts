/**
 * Runs one of the product's commands the way a user does (`node --import tsx
 * components/cli/<command>.ts ...`) and collects its exit code and output.
 */
import { spawn } from "node:child_process";
import { resolve } from "node:path";

export const REPO = resolve(__dirname, "..", "..");

export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function runCli(
  command: "render-command" | "drift-command",
  args: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<CliRun> {
  return new Promise((done, reject) => {
    const child = spawn(
      process.execPath,
      ["--import", "tsx", `components/cli/${command}.ts`, ...args],
      { cwd: REPO, env },
    );
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code) => done({ code, stdout, stderr }));
  });
}
