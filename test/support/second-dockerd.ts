/**
 * A second, short-lived dockerd for tests that must see what a real daemon
 * makes of a daemon.json: its own data root, exec root, pid file, socket,
 * config file and bridge, next to (never instead of) the machine's engine.
 * Optionally it also serves TLS on a free 127.0.0.1 port, as dind serves 2376.
 * Needs root, `dockerd`, `docker` and `ip` (Debian's docker.io and iproute2,
 * which test/support/docker-engine.sh installs). Everything it creates is
 * removed by {@link SecondDockerd.stop}.
 */
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { findExecutable } from "../../components/drift/find-executable.js";

const run = promisify(execFile);

/** Why a second dockerd cannot run here, or undefined when it can. */
export function dockerdUnavailable(): string | undefined {
  const setup = "run test/support/docker-engine.sh as root";
  if (process.getuid?.() !== 0) return `a second dockerd needs root (${setup})`;
  for (const tool of ["dockerd", "docker", "ip", "umount"]) {
    if (findExecutable(tool, process.env["PATH"]) === undefined) {
      return `${tool} is not on PATH (${setup})`;
    }
  }
  return undefined;
}

/** `20.10.24` from `Docker version 20.10.24+dfsg1, build 5d6db84`. */
export async function dockerdVersion(): Promise<string> {
  const { stdout } = await run("dockerd", ["--version"]);
  const version = /version v?(\d+\.\d+\.\d+)/.exec(stdout)?.[1];
  if (version === undefined) throw new Error(`cannot read a version from: ${stdout}`);
  return version;
}

export interface CommandResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export type StartResult =
  | { readonly ok: true; readonly daemon: SecondDockerd }
  | {
      readonly ok: false;
      /** dockerd's own refusal (see {@link refusal}). */ readonly output: string;
    };

let started = 0;

export interface StartOptions {
  /**
   * Also serve the API on tcp://127.0.0.1:<a free port> with TLS, as dind does on 2376
   * (`--tlsverify` and the files of this server directory: ca.pem, cert.pem, key.pem).
   */
  readonly tlsServerDirectory?: string;
}

/** A TCP port nothing listens on right now, on 127.0.0.1. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  const address = server.address();
  await new Promise<void>((done) => server.close(() => done()));
  if (address === null || typeof address === "string") throw new Error("no TCP port");
  return address.port;
}

/**
 * Starts dockerd with `daemonJson` as its --config-file. Only flags that no
 * daemon.json of this product sets are passed (dockerd refuses a directive that
 * is both a flag and in the file). Resolves once the API answers, or with
 * dockerd's own output when it exits first.
 */
export async function startDockerd(
  daemonJson: string,
  options: StartOptions = {},
): Promise<StartResult> {
  const index = started++;
  // A unix socket path must stay under 108 bytes: keep the directory short.
  const dir = mkdtempSync(join(tmpdir(), "dr-dockerd-"));
  const socket = join(dir, "docker.sock");
  const configFile = join(dir, "daemon.json");
  writeFileSync(configFile, daemonJson);
  // Interface names have at most 15 characters; pid and index keep runs apart.
  const bridge = `drt${process.pid % 100_000}x${index}`;
  await run("ip", ["link", "add", bridge, "type", "bridge"]);
  // dockerd takes the subnet from the bridge's address (`--bip` and `--bridge`
  // are mutually exclusive): one of its own per run, away from other engines.
  const subnet = `10.${200 + (index % 50)}.${process.pid % 250}`;
  await run("ip", ["addr", "add", `${subnet}.1/24`, "dev", bridge]);
  const tls = options.tlsServerDirectory;
  const tcpPort = tls === undefined ? undefined : await freePort();
  const tlsFlags =
    tls === undefined
      ? []
      : [
          `--host=tcp://127.0.0.1:${String(tcpPort)}`,
          "--tlsverify",
          `--tlscacert=${join(tls, "ca.pem")}`,
          `--tlscert=${join(tls, "cert.pem")}`,
          `--tlskey=${join(tls, "key.pem")}`,
        ];
  const child = spawn(
    "dockerd",
    [
      ...tlsFlags,
      `--data-root=${join(dir, "data")}`,
      `--exec-root=${join(dir, "exec")}`,
      `--pidfile=${join(dir, "dockerd.pid")}`,
      `--host=unix://${socket}`,
      `--config-file=${configFile}`,
      "--iptables=false",
      // Its own bridge and subnet: the machine's engine and other test runs
      // keep theirs (docker0 is left alone).
      `--bridge=${bridge}`,
    ],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  const daemon = new SecondDockerd(dir, socket, bridge, child, tcpPort);
  const exited = new Promise<void>((done) => child.once("exit", () => done()));
  for (let attempt = 0; attempt < 120; attempt++) {
    if (child.exitCode !== null || child.signalCode !== null) break;
    const version = await daemon.docker(["version", "--format", "{{.Server.Version}}"]);
    if (version.code === 0) return { ok: true, daemon };
    await Promise.race([exited, new Promise((done) => setTimeout(done, 500))]);
  }
  const output = refusal(daemon.output);
  await daemon.stop();
  return { ok: false, output };
}

/**
 * What dockerd says when it gives up: its error and fatal log lines and what
 * it prints without a log prefix ("unable to configure the Docker daemon with
 * file ...", "failed to start daemon: ..."), not the start-up chatter.
 */
function refusal(output: string): string {
  const lines = output
    .split("\n")
    .filter((line) => line.trim() !== "")
    .filter((line) => !line.startsWith("time=") || / level=(error|fatal)/.test(line));
  return lines.join("\n") || output.trim().split("\n").slice(-5).join("\n");
}

export class SecondDockerd {
  private log = "";

  constructor(
    private readonly dir: string,
    readonly socket: string,
    readonly bridge: string,
    private readonly child: ChildProcess,
    /** The 127.0.0.1 port of its TLS listener, when started with one. */
    readonly tcpPort?: number,
  ) {
    const collect = (chunk: Buffer) => {
      this.log += chunk.toString("utf8");
    };
    child.stdout?.on("data", collect);
    child.stderr?.on("data", collect);
  }

  /** Everything dockerd printed so far. */
  get output(): string {
    return this.log;
  }

  /** The docker CLI against this daemon; never throws on a non-zero exit. */
  async docker(args: readonly string[]): Promise<CommandResult> {
    try {
      const { stdout, stderr } = await run("docker", ["--host", `unix://${this.socket}`, ...args], {
        timeout: 60_000,
      });
      return { code: 0, stdout, stderr };
    } catch (error) {
      const failed = error as { code?: number; stdout?: string; stderr?: string };
      return {
        code: typeof failed.code === "number" ? failed.code : 1,
        stdout: failed.stdout ?? "",
        stderr: failed.stderr ?? String(error),
      };
    }
  }

  /** Stops dockerd (SIGTERM, then SIGKILL after 20 s) and removes its bridge and directory. */
  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      const exited = new Promise<void>((done) => this.child.once("exit", () => done()));
      this.child.kill("SIGTERM");
      const timer = setTimeout(() => this.child.kill("SIGKILL"), 20_000);
      await exited;
      clearTimeout(timer);
    }
    await run("ip", ["link", "del", this.bridge]).catch(() => undefined);
    // dockerd bind-mounts its data root onto itself (and mounts below it); those
    // mounts outlive it, so they go first, innermost first.
    for (const mountPoint of mountsUnder(this.dir)) await run("umount", [mountPoint]);
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Mount points at or below `dir` (from /proc/self/mountinfo), deepest first. */
function mountsUnder(dir: string): string[] {
  const mountPoints = readFileSync("/proc/self/mountinfo", "utf8")
    .split("\n")
    .map((line) => line.split(" ")[4] ?? "")
    .filter((mountPoint) => mountPoint === dir || mountPoint.startsWith(`${dir}/`));
  return [...new Set(mountPoints)].sort((a, b) => b.length - a.length);
}
