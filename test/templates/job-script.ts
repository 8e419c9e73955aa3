/**
 * Runs an expanded job's script the way a runner's `sh` would (all items in one
 * shell, `set -e`), against a stub `docker` that records every call and answers
 * `docker info` as told. `sleep` does nothing, so the daemon wait loop runs
 * at full speed. The shells tried are the system `sh` and, when installed,
 * BusyBox's (the `docker:*-cli` and `docker:*-dind` images are Alpine: ash and
 * BusyBox awk).
 */
import { execFile, execFileSync } from "node:child_process";
import { chmod, mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

export interface Shell {
  readonly name: string;
  /** Command and leading arguments that run a script file. */
  readonly command: readonly string[];
  /** Applets linked into the stub directory, so the script finds BusyBox's, not the system's. */
  readonly applets: readonly string[];
}

function busyboxPath(): string | undefined {
  try {
    return (
      execFileSync("sh", ["-c", "command -v busybox"], { encoding: "utf8" }).trim() || undefined
    );
  } catch {
    return undefined;
  }
}

const busybox = busyboxPath();

export const SHELLS: readonly Shell[] = [
  { name: "sh", command: ["sh"], applets: [] },
  ...(busybox === undefined
    ? []
    : [{ name: "busybox sh", command: [busybox, "sh"], applets: ["awk", "cat"] }]),
];

/** How the stub docker behaves. */
export interface DockerStub {
  /** `docker info` fails this many times before it answers (default 0). */
  readonly infoFailures?: number;
  /** What `docker info --format ...` prints (the insecure registries line). */
  readonly insecure?: string;
  /** `docker pull` fails (nothing to pull yet). */
  readonly pullFails?: boolean;
}

export interface ScriptResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  /** Every docker call, each as its argument list. */
  readonly dockerCalls: readonly (readonly string[])[];
}

const DOCKER_STUB = `#!/bin/sh
# Records the call as one line of [arg] cells.
for arg in "$@"; do printf '[%s]' "$arg"; done >> "$STUB_DIR/docker.log"
printf '\\n' >> "$STUB_DIR/docker.log"
case "$1" in
  info)
    count=$(cat "$STUB_DIR/info-count" 2>/dev/null || echo 0)
    count=$((count + 1))
    echo "$count" > "$STUB_DIR/info-count"
    if [ "$count" -le "\${STUB_INFO_FAILURES:-0}" ]; then
      echo "Cannot connect to the Docker daemon at $DOCKER_HOST. Is the docker daemon running?" >&2
      exit 1
    fi
    if [ "$2" = "--format" ]; then printf '%s\\n' "$STUB_INSECURE"; else echo "Server Version: 28.5.2"; fi
    ;;
  login) cat > /dev/null; echo "Login Succeeded" ;;
  pull) if [ -n "$STUB_PULL_FAILS" ]; then echo "manifest unknown" >&2; exit 1; fi ;;
esac
exit 0
`;

/**
 * Runs `lines` (a job's script items, or a service's entrypoint script) with
 * `env` as the only environment besides PATH and the stub settings.
 */
export async function runScript(
  shell: Shell,
  lines: readonly string[],
  env: Readonly<Record<string, string>>,
  stub: DockerStub = {},
): Promise<ScriptResult> {
  const dir = await mkdtemp(join(tmpdir(), "dind-runners-script-"));
  try {
    await writeExecutable(join(dir, "docker"), DOCKER_STUB);
    for (const applet of shell.applets) await symlink(busybox ?? "busybox", join(dir, applet));
    const scriptFile = join(dir, "script.sh");
    // sleep as a function: BusyBox sh runs its own sleep applet whatever PATH says.
    await writeFile(scriptFile, `set -e\nsleep() { :; }\n${lines.join("\n")}\n`);
    const [command, ...commandArgs] = shell.command;
    if (command === undefined) throw new Error("a shell has a command");
    let code = 0;
    let stdout = "";
    let stderr = "";
    try {
      ({ stdout, stderr } = await run(command, [...commandArgs, scriptFile], {
        env: {
          PATH: `${dir}:${process.env["PATH"] ?? "/usr/bin:/bin"}`,
          STUB_DIR: dir,
          STUB_INFO_FAILURES: String(stub.infoFailures ?? 0),
          STUB_INSECURE: stub.insecure ?? "",
          STUB_PULL_FAILS: stub.pullFails === true ? "1" : "",
          ...env,
        },
      }));
    } catch (error) {
      const failed = error as { code?: number; stdout?: string; stderr?: string };
      code = typeof failed.code === "number" ? failed.code : 1;
      stdout = failed.stdout ?? "";
      stderr = failed.stderr ?? "";
    }
    return { code, stdout, stderr, dockerCalls: await calls(join(dir, "docker.log")) };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Runs a service's `sh -c` entrypoint and returns the arguments it passed to dind's entrypoint. */
export async function dindEntrypointArgs(
  shell: Shell,
  entrypoint: readonly string[],
  command: readonly string[],
  env: Readonly<Record<string, string>>,
): Promise<readonly string[]> {
  const [program, flag, script, name] = entrypoint;
  if (program !== "/bin/sh" || flag !== "-ec" || script === undefined || name === undefined) {
    throw new Error(
      `expected entrypoint [/bin/sh, -ec, <script>, <name>], found ${JSON.stringify(entrypoint)}`,
    );
  }
  const dir = await mkdtemp(join(tmpdir(), "dind-runners-entrypoint-"));
  try {
    await writeExecutable(
      join(dir, "dockerd-entrypoint.sh"),
      `#!/bin/sh\nfor arg in "$@"; do printf '[%s]' "$arg"; done > "${dir}/dockerd.args"\n`,
    );
    for (const applet of shell.applets) await symlink(busybox ?? "busybox", join(dir, applet));
    const [command0, ...commandArgs] = shell.command;
    if (command0 === undefined) throw new Error("a shell has a command");
    await run(command0, [...commandArgs, "-ec", script, name, ...command], {
      env: { PATH: `${dir}:${process.env["PATH"] ?? "/usr/bin:/bin"}`, ...env },
    });
    return cells((await readFile(join(dir, "dockerd.args"), "utf8")).trim());
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function writeExecutable(path: string, content: string): Promise<void> {
  await writeFile(path, content);
  await chmod(path, 0o755);
}

async function calls(log: string): Promise<string[][]> {
  let text: string;
  try {
    text = await readFile(log, "utf8");
  } catch {
    return [];
  }
  return text
    .split("\n")
    .filter((line) => line !== "")
    .map(cells);
}

function cells(line: string): string[] {
  return [...line.matchAll(/\[([^\]]*)\]/g)].map((match) => match[1] ?? "");
}

/**
 * The runner expands `$NAME` and `${NAME}` in job variable values before the
 * script runs; this does the same with `known` (unknown names stay as written).
 */
export function expandVariables(
  variables: Readonly<Record<string, string>>,
  known: Readonly<Record<string, string>>,
): Record<string, string> {
  return Object.fromEntries(
    Object.entries(variables).map(([key, value]) => [
      key,
      value.replace(
        /\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g,
        (text, name: string) => known[name] ?? text,
      ),
    ]),
  );
}
