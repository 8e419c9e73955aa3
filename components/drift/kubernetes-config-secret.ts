/**
 * Reads a cluster's live config.toml from the Secret the manager mounts
 * (`gitlab-runner-config`, key `config.toml`) with `kubectl`, using the same
 * kubeconfig context Pulumi's Kubernetes provider uses. kubectl rather than a
 * Kubernetes client library: no extra dependency, and every kubeconfig auth
 * method (exec plugins, OIDC, cloud CLIs) works as it does for the operator.
 */
import { spawn } from "node:child_process";
import type { KubernetesCluster } from "../model/fleet.js";
import { KUBERNETES_NAMES } from "../model/names.js";
import { LiveReadError, type LiveConfigRead } from "./live-config.js";

export interface CommandOutput {
  /** Exit code; null when the process was killed. */
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a command; rejects with an ENOENT error when it is not installed. */
export type CommandRunner = (command: string, args: readonly string[]) => Promise<CommandOutput>;

export const CONFIG_SECRET_KEY = "config.toml";

export function kubectlSecretArguments(cluster: KubernetesCluster): string[] {
  return [
    "--context",
    cluster.context,
    "--namespace",
    cluster.namespace,
    "--request-timeout=30s",
    "get",
    "secret",
    KUBERNETES_NAMES.configSecret,
    "--ignore-not-found",
    "--output",
    "json",
  ];
}

export async function readKubernetesConfigSecret(
  cluster: KubernetesCluster,
  run: CommandRunner = runCommand,
  kubectl = "kubectl",
): Promise<LiveConfigRead> {
  const source = `secret ${KUBERNETES_NAMES.configSecret} key ${CONFIG_SECRET_KEY} in namespace ${cluster.namespace}`;
  let output: CommandOutput;
  try {
    output = await run(kubectl, kubectlSecretArguments(cluster));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") {
      throw new LiveReadError(
        `${kubectl} is not on PATH; the drift check reads clusters with kubectl ` +
          "(https://kubernetes.io/docs/tasks/tools/) — install it or pass --skip-runners",
      );
    }
    throw new LiveReadError(`cannot run ${kubectl}: ${(error as Error).message}`);
  }
  if (output.code !== 0) {
    const reason = lastLine(output.stderr) ?? `exit code ${String(output.code)}`;
    throw new LiveReadError(`kubectl --context ${cluster.context} failed: ${reason}`);
  }
  // --ignore-not-found prints nothing for a missing Secret.
  if (output.stdout.trim() === "") return { status: "missing-file", source };
  let data: unknown;
  try {
    data = (JSON.parse(output.stdout) as { data?: unknown }).data;
  } catch {
    throw new LiveReadError(
      `kubectl --context ${cluster.context} printed something that is not JSON`,
    );
  }
  const encoded = (data as Record<string, unknown> | undefined)?.[CONFIG_SECRET_KEY];
  if (typeof encoded !== "string") return { status: "missing-file", source };
  return { status: "found", source, text: Buffer.from(encoded, "base64").toString("utf8") };
}

function lastLine(text: string): string | undefined {
  return text
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "")
    .at(-1);
}

function runCommand(command: string, args: readonly string[]): Promise<CommandOutput> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"] });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => stderr.push(chunk));
    child.on("error", reject);
    child.on("close", (code) =>
      resolve({
        code,
        stdout: Buffer.concat(stdout).toString("utf8"),
        stderr: Buffer.concat(stderr).toString("utf8"),
      }),
    );
  });
}
