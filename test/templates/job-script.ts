/**
 * Runs an expanded job's script the way a runner's `sh` would (all items in one
 * shell, `set -e`), with `docker` either a stub or the real CLI:
 * - the stub (test/templates/stub-docker/docker) records every call (and what
 *   `docker login` reads from stdin), answers `docker info`, `docker network
 *   inspect` and the uplink probe `docker run` as told, and keeps contexts in the
 *   CLI's store layout, refusing what docker/cli refuses;
 * - with {@link DockerStub.realDocker} the real CLI on PATH runs (behind a
 *   recorder) against a real daemon.
 * For dind-check it also answers `docker version` (failing as told), the storage
 * driver, cgroup version and firewall backend of `docker info`, the DNS probe
 * (`docker run ... getent hosts`), `docker pull` (failing per reference) and
 * `docker image rm`; the job's own `wget` is the stub test/templates/stub-docker/wget,
 * answering as Docker Hub does (its token and ratelimit headers).
 * `docker buildx` is always the plugin stub test/templates/stub-docker/docker-buildx
 * in `$DOCKER_CONFIG/cli-plugins` (buildx cannot be installed here): it enforces
 * buildx's rules on contexts, builders and buildkitd.toml, and writes the metadata
 * file of `docker buildx build` as BuildKit does. What neither shows: that BuildKit
 * reads the buildkitd.toml, that a registry takes the push; the self-test job in
 * .gitlab-ci.yml runs the real thing on GitLab. `sleep` does nothing, so the
 * daemon wait loop runs at full speed. The shells tried are the system `sh` and,
 * when installed, BusyBox's (the `docker:*-cli` and `docker:*-dind` images are
 * Alpine: ash and BusyBox awk).
 */
import { execFile, execFileSync } from "node:child_process";
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { promisify } from "node:util";
import { findExecutable } from "../../components/drift/find-executable.js";

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
  /** What `docker info --format` prints for the insecure registries (names and CIDRs). */
  readonly insecure?: string;
  /** What `docker info --format` prints for the registry mirrors (as dockerd normalises them). */
  readonly mirrors?: string;
  /** What `docker network inspect bridge --format` prints for the bridge MTU. */
  readonly mtu?: string;
  /** The digest `docker buildx build --push` writes to its metadata file; "" writes none. */
  readonly digest?: string;
  /** What the uplink probe (`docker run --network host`) prints: "<interface> <mtu>"; default "eth0 <mtu>". */
  readonly uplink?: string;
  /** `docker version` fails this many times (with {@link versionError}) before it answers (default 0). */
  readonly versionFailures?: number;
  /** The error `docker version` prints while it fails; default the CLI's "Cannot connect" error. */
  readonly versionError?: string;
  /** `docker info --format '{{.Driver}}'` (default overlay2). */
  readonly driver?: string;
  /** `docker info --format '{{.CgroupVersion}}'` (default 2). */
  readonly cgroup?: string;
  /** The firewall backend `docker info` reports; "" (default) for a daemon before 28, which reports none. */
  readonly firewall?: string;
  /** What `docker run ... getent hosts <name>` resolves: name -> address. */
  readonly hosts?: Readonly<Record<string, string>>;
  /** `docker pull` of a reference starting with a key fails with the daemon error of its value. */
  readonly pulls?: Readonly<Record<string, string>>;
  /** What the mirror probe (`docker run ... wget -S <url>`) gets, by URL prefix: "401 Unauthorized", "refused"; default 200. */
  readonly wget?: Readonly<Record<string, string>>;
  /**
   * Docker Hub as the job's wget (the stub test/templates/stub-docker/wget) and the daemon's
   * pulls meet it: reachable with a pull limit (default), unreachable, or without the
   * ratelimit headers (an address or account without a limit).
   */
  readonly hub?: "reachable" | "unreachable" | "no-header";
  /** Docker Hub's ratelimit-remaining before the first counted pull (default 100). */
  readonly hubRemaining?: number;
  /** The daemon pulls Docker Hub images from Docker Hub itself, not through a mirror: each pull counts. */
  readonly hubBypass?: boolean;
  /** `docker buildx build` fails with this error (buildx prints it as "ERROR: <error>"). */
  readonly buildError?: string;
  /**
   * Run the real docker CLI (the one on PATH, behind a recorder) instead of the stub, with
   * these extra environment variables (e.g. DOCKER_HOST and TLS settings of a real dockerd);
   * `buildx` is still the plugin stub, the stub settings above are then unused.
   */
  readonly realDocker?: Readonly<Record<string, string>>;
}

/** More of the job's world: files of the project directory, other stubbed commands. */
export interface ScriptSetup {
  /** Files in the working directory before the run, path relative to it -> content. */
  readonly files?: Readonly<Record<string, string | Buffer>>;
  /** Commands put first on PATH, name -> script; a stub may log to "$STUB_DIR/<name>.log". */
  readonly stubs?: Readonly<Record<string, string>>;
}

export interface ScriptResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  /** Every docker call, each as its argument list. */
  readonly dockerCalls: readonly (readonly string[])[];
  /** Every call of the buildx plugin stub, each as its argument list (as the CLI passed it). */
  readonly buildxCalls: readonly (readonly string[])[];
  /** Every call of the job's wget (the stub test/templates/stub-docker/wget), each as its argument list. */
  readonly wgetCalls: readonly (readonly string[])[];
  /** What each `docker login` read from stdin, in order. */
  readonly loginPasswords: readonly string[];
  /** The buildkitd.toml `docker buildx create --buildkitd-config` was given ("" when none). */
  readonly buildkitdConfig: string;
  /** Files the script left in its working directory (the project directory), by path. */
  readonly files: Readonly<Record<string, string>>;
  /** Lines each stub of {@link ScriptSetup.stubs} logged, by stub name. */
  readonly stubLogs: Readonly<Record<string, readonly string[]>>;
}

/** The digest the stub reports for a pushed image unless told otherwise. */
export const STUB_DIGEST = `sha256:${"0123456789abcdef".repeat(4)}`;

const STUB_SOURCES = join(__dirname, "stub-docker");

/**
 * The real docker CLI behind a recorder: each call is logged like the stub's (unless
 * STUB_QUIET is set), then the CLI on PATH after the stub directory runs it.
 */
const RECORDING_DOCKER = `#!/bin/sh
if [ -z "\${STUB_QUIET:-}" ]; then
  for arg in "$@"; do printf '[%s]' "$arg"; done >> "$STUB_DIR/docker.log"
  printf '\\n' >> "$STUB_DIR/docker.log"
fi
exec "$REAL_DOCKER" "$@"
`;

/**
 * Runs `lines` (a job's before_script and script items) with `env` as the only
 * environment besides PATH and the stub settings, in an empty working directory.
 */
export async function runScript(
  shell: Shell,
  lines: readonly string[],
  env: Readonly<Record<string, string>>,
  stub: DockerStub = {},
  setup: ScriptSetup = {},
): Promise<ScriptResult> {
  const dir = await mkdtemp(join(tmpdir(), "dind-runners-script-"));
  try {
    const work = join(dir, "project");
    await mkdir(work);
    for (const [path, content] of Object.entries(setup.files ?? {})) {
      await mkdir(dirname(join(work, path)), { recursive: true });
      await writeFile(join(work, path), content);
    }
    const dockerConfig = join(dir, "docker-config");
    await mkdir(join(dockerConfig, "cli-plugins"), { recursive: true });
    await writeExecutable(
      join(dockerConfig, "cli-plugins", "docker-buildx"),
      await readFile(join(STUB_SOURCES, "docker-buildx"), "utf8"),
    );
    // The job's client certificate directory (DOCKER_CERT_PATH) stands in a directory of
    // the run, with files the stub CLI can read (it reads them as `context create` does).
    const certPath = join(dir, "client-certs");
    await mkdir(certPath);
    for (const file of ["ca.pem", "cert.pem", "key.pem"]) {
      await writeFile(join(certPath, file), `stub ${file}\n`);
    }
    const realDocker =
      stub.realDocker === undefined ? undefined : findExecutable("docker", process.env["PATH"]);
    if (stub.realDocker !== undefined && realDocker === undefined) {
      throw new Error("realDocker: no docker CLI on PATH");
    }
    await writeExecutable(
      join(dir, "docker"),
      realDocker === undefined
        ? await readFile(join(STUB_SOURCES, "docker"), "utf8")
        : RECORDING_DOCKER,
    );
    // BusyBox wget of the job image, as a stub: no test reaches the network.
    await writeExecutable(join(dir, "wget"), await readFile(join(STUB_SOURCES, "wget"), "utf8"));
    for (const [name, content] of Object.entries(setup.stubs ?? {})) {
      await writeExecutable(join(dir, name), content);
    }
    for (const applet of shell.applets) await symlink(busybox ?? "busybox", join(dir, applet));
    const scriptFile = join(dir, "script.sh");
    // sleep as a function: BusyBox sh runs its own sleep applet whatever PATH says. Since
    // sleep takes no time, the clock stands still too: `date +%s` answers one second, so the
    // durations a script reports are exact (0 s) whichever wall-clock second a step crosses,
    // and a wait loop ends by its attempt count. Other `date` calls reach the real date.
    const frozenClock =
      'date() { if [ "$*" = "+%s" ]; then echo 1767225600; else command date "$@"; fi; }';
    // wget as a function too: BusyBox sh runs its own wget applet whatever PATH says, and that
    // would reach the network.
    const stubWget = 'wget() { "$STUB_DIR/wget" "$@"; }';
    await writeFile(
      scriptFile,
      `set -e\nsleep() { :; }\n${frozenClock}\n${stubWget}\n${lines.join("\n")}\n`,
    );
    const [command, ...commandArgs] = shell.command;
    if (command === undefined) throw new Error("a shell has a command");
    let code = 0;
    let stdout = "";
    let stderr = "";
    try {
      ({ stdout, stderr } = await run(command, [...commandArgs, scriptFile], {
        cwd: work,
        env: {
          PATH: `${dir}:${process.env["PATH"] ?? "/usr/bin:/bin"}`,
          STUB_DIR: dir,
          STUB_INFO_FAILURES: String(stub.infoFailures ?? 0),
          STUB_INSECURE: stub.insecure ?? "",
          STUB_MIRRORS: stub.mirrors ?? "",
          STUB_MTU: stub.mtu ?? "1500",
          STUB_DIGEST: stub.digest ?? STUB_DIGEST,
          STUB_UPLINK: stub.uplink ?? `eth0 ${stub.mtu ?? "1500"}`,
          STUB_VERSION_FAILURES: String(stub.versionFailures ?? 0),
          ...(stub.versionError === undefined ? {} : { STUB_VERSION_ERROR: stub.versionError }),
          STUB_DRIVER: stub.driver ?? "overlay2",
          STUB_CGROUP: stub.cgroup ?? "2",
          STUB_FIREWALL: stub.firewall ?? "",
          STUB_HOSTS: stubTable(stub.hosts),
          STUB_PULLS: stubTable(stub.pulls),
          STUB_WGET: stubTable(stub.wget),
          STUB_BUILD_ERROR: stub.buildError ?? "",
          STUB_HUB: stub.hub === undefined || stub.hub === "reachable" ? "" : stub.hub,
          STUB_HUB_REMAINING: String(stub.hubRemaining ?? 100),
          STUB_HUB_BYPASS: stub.hubBypass === true ? "1" : "",
          DOCKER_CONFIG: dockerConfig,
          HOME: dir,
          ...(realDocker === undefined ? {} : { REAL_DOCKER: realDocker }),
          ...env,
          ...(env["DOCKER_CERT_PATH"] ? { DOCKER_CERT_PATH: certPath } : {}),
          ...stub.realDocker,
        },
      }));
    } catch (error) {
      const failed = error as { code?: number; stdout?: string; stderr?: string };

      code = typeof failed.code === "number" ? failed.code : 1;
      stdout = failed.stdout ?? "";
      stderr = failed.stderr ?? "";
    }
    const files: Record<string, string> = {};
    const entries = await readdir(work, { recursive: true, withFileTypes: true });
    for (const entry of entries.filter((candidate) => candidate.isFile())) {
      const path = join(entry.parentPath, entry.name);
      files[relative(work, path)] = await readFile(path, "utf8");
    }
    const stubLogs: Record<string, string[]> = {};
    for (const name of Object.keys(setup.stubs ?? {})) {
      stubLogs[name] = (await readOptional(join(dir, `${name}.log`))).split("\n").slice(0, -1);
    }
    return {
      code,
      stdout,
      stderr,
      dockerCalls: await calls(join(dir, "docker.log")),
      buildxCalls: await calls(join(dir, "buildx.log")),
      wgetCalls: await calls(join(dir, "wget.log")),
      loginPasswords: (await readOptional(join(dir, "login-stdin"))).split("\n").slice(0, -1),
      buildkitdConfig: await readOptional(join(dir, "buildkitd.toml")),
      files: Object.fromEntries(Object.entries(files).sort(([a], [b]) => (a < b ? -1 : 1))),
      stubLogs,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** "<key> <value>" lines, the way the stub docker reads its tables. */
function stubTable(table: Readonly<Record<string, string>> | undefined): string {
  return Object.entries(table ?? {})
    .map(([key, value]) => `${key} ${value}`)
    .join("\n");
}

async function readOptional(path: string): Promise<string> {
  try {
    return await readFile(path, "utf8");
  } catch {
    return "";
  }
}

async function writeExecutable(path: string, content: string): Promise<void> {
  await writeFile(path, content);
  await chmod(path, 0o755);
}

async function calls(log: string): Promise<string[][]> {
  const text = await readOptional(log);
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
