/**
 * Starts the program the way Pulumi's Node language host does
 * (sdk/nodejs/cmd/pulumi-language-nodejs/main.go in pulumi/pulumi):
 * - the working directory and entry point from Pulumi.yaml's `main`, as the
 *   engine splits it (pkg/engine/project.go `getPwdMain`: a file `main` gives
 *   pwd = its directory, entry = its base name);
 * - `node <nodeargs> <@pulumi/pulumi/cmd/run> --monitor <addr> --engine <addr>
 *   --organization <o> --project <p> --root-directory <root> --stack <s>
 *   --pwd <pwd> [--dry-run] --parallel <n> <entry>` (`constructArguments`),
 *   where the run entry is resolved from the program directory (`locateModule`);
 * - the config in PULUMI_CONFIG as JSON with keys rewritten to
 *   `<namespace>:config:<name>` (`constructConfig`), and the keys holding
 *   secrets in PULUMI_CONFIG_SECRET_KEYS (`constructConfigSecretKeys`).
 */
import { spawn } from "node:child_process";
import { dirname, basename, join, resolve } from "node:path";
import { readProgramStart } from "./program-start.js";

export interface LanguageHostRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** The node command line, for messages. */
  readonly command: readonly string[];
}

export interface LanguageHostRequest {
  readonly projectRoot: string;
  readonly project: string;
  readonly organization: string;
  readonly stack: string;
  /** The fake (or real) engine's address, for --monitor and --engine. */
  readonly engineAddress: string;
  /** Config as the CLI holds it: `<namespace>:<name>` -> string (structured values as JSON). */
  readonly config: Readonly<Record<string, string>>;
  /** Config keys (`<namespace>:<name>`) whose values are secrets. */
  readonly secretKeys: readonly string[];
  readonly dryRun?: boolean;
  readonly parallel?: number;
}

export function runAsLanguageHost(request: LanguageHostRequest): Promise<LanguageHostRun> {
  const root = resolve(request.projectRoot);
  const start = readProgramStart(root);
  const main = join(root, start.main);
  const pwd = dirname(main);
  const runPath = require.resolve("@pulumi/pulumi/cmd/run", { paths: [pwd] });
  const args = [
    ...start.nodeArgs,
    runPath,
    "--monitor",
    request.engineAddress,
    "--engine",
    request.engineAddress,
    "--organization",
    request.organization,
    "--project",
    request.project,
    "--root-directory",
    root,
    "--stack",
    request.stack,
    "--pwd",
    pwd,
    ...(request.dryRun === true ? ["--dry-run"] : []),
    "--parallel",
    String(request.parallel ?? 8),
    basename(main),
  ];
  const config = Object.fromEntries(
    Object.entries(request.config).map(([key, value]) => {
      const [namespace, ...name] = key.split(":");
      return [`${namespace}:config:${name.join(":")}`, value];
    }),
  );
  return new Promise((done, reject) => {
    const child = spawn(process.execPath, args, {
      cwd: root,
      env: {
        ...process.env,
        PULUMI_CONFIG: JSON.stringify(config),
        PULUMI_CONFIG_SECRET_KEYS: JSON.stringify(request.secretKeys),
      },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code) =>
      done({ code, stdout, stderr, command: [process.execPath, ...args] }),
    );
  });
}
