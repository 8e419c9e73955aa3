/**
 * Reaches a Docker engine over ssh the way the docker CLI and Pulumi's Docker
 * provider do: run `ssh <user@host> docker system dial-stdio` and speak HTTP over
 * its stdin/stdout. Using the system `ssh` (rather than docker-modem's built-in
 * ssh2 client) means ~/.ssh/config, known_hosts verification, agents and keys
 * all work exactly as they do for `pulumi up`.
 */
import { spawn } from "node:child_process";
import { Agent, type ClientRequestArgs } from "node:http";
import { Duplex, PassThrough } from "node:stream";

export interface SshTarget {
  readonly user: string;
  readonly host: string;
  readonly port?: number;
}

/** The ssh argument list: batch mode (never prompt), bounded connect time. */
export function sshDialArguments(target: SshTarget): string[] {
  const port = target.port === undefined ? [] : ["-p", String(target.port)];
  return [
    "-o",
    "BatchMode=yes",
    "-o",
    "ConnectTimeout=15",
    ...port,
    "-l",
    target.user,
    "--",
    target.host,
    "docker",
    "system",
    "dial-stdio",
  ];
}

/** An HTTP agent whose every connection is a fresh `ssh … docker system dial-stdio`. */
export class SshDialAgent extends Agent {
  constructor(
    private readonly target: SshTarget,
    /** The ssh executable; default `ssh` from PATH. */
    private readonly sshCommand = "ssh",
  ) {
    super({ keepAlive: false });
  }

  override createConnection(_options: ClientRequestArgs): Duplex {
    const child = spawn(this.sshCommand, sshDialArguments(this.target), {
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr.setEncoding("utf8");
    child.stderr.on("data", (chunk: string) => {
      stderr = (stderr + chunk).slice(-4000);
    });
    // The response stream ends only once ssh has exited, so a failed login surfaces
    // as ssh's own message instead of a bare "socket hang up".
    const response = new PassThrough();
    child.stdout.pipe(response, { end: false });
    const destination = `${this.target.user}@${this.target.host}`;
    child.on("error", (error) => {
      response.destroy(new Error(`cannot run ${this.sshCommand}: ${error.message}`));
    });
    child.on("close", (code) => {
      if (code === 0) response.end();
      else response.destroy(new Error(`ssh ${destination} failed: ${lastLine(stderr, code)}`));
    });
    // Writes after ssh died fail with EPIPE; ssh's exit (above) is the error worth reporting.
    const request = new PassThrough();
    request.pipe(child.stdin);
    child.stdin.on("error", () => undefined);
    const connection = Duplex.from({ readable: response, writable: request });
    connection.on("close", () => {
      if (child.exitCode === null) child.kill();
    });
    return withSocketMethods(connection);
  }
}

function lastLine(stderr: string, code: number | null): string {
  const lines = stderr.split("\n").map((line) => line.trim());
  return lines.filter((line) => line !== "").at(-1) ?? `exit code ${String(code)}`;
}

/**
 * node:http calls a few net.Socket methods on whatever the agent returns; a pipe
 * has no use for them. Timeouts are ssh's ConnectTimeout and the caller's own.
 */
function withSocketMethods(stream: Duplex): Duplex {
  const socketLike = stream as Duplex & Record<string, unknown>;
  for (const method of ["setTimeout", "setNoDelay", "setKeepAlive", "ref", "unref"]) {
    socketLike[method] = () => stream;
  }
  return stream;
}
