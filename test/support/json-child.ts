/**
 * Runs a Node child process that reports its result as one JSON object on its
 * last line of stdout (the program runs that must start in a fresh process:
 * Pulumi's runtime state is per process). A non-zero exit or a last line that
 * is not JSON rejects with everything the child printed.
 */
import { spawn } from "node:child_process";
import { REPO } from "./run-cli.js";

export function runJsonChild<Report>(
  nodeArgs: readonly string[],
  stdin: string | undefined = undefined,
): Promise<Report> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeArgs], { cwd: REPO });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code) => {
      const line = stdout.trim().split("\n").pop() ?? "";
      if (code !== 0 || !line.startsWith("{")) {
        reject(new Error(`node ${nodeArgs.join(" ")} exited ${code}:\n${stderr}${stdout}`));
        return;
      }
      resolve(JSON.parse(line) as Report);
    });
    child.stdin.end(stdin);
  });
}
