import assert from "node:assert/strict";
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { MANAGER_CONFIG_TOML_PATH } from "../../components/render/manager-config-file.js";
import { dockerClientFor } from "../../components/drift/docker-client.js";
import { readDockerManagerConfig } from "../../components/drift/docker-manager-config.js";
import { sshDialArguments } from "../../components/drift/ssh-dial-agent.js";

const scratch = mkdtempSync(join(tmpdir(), "ssh-dial-"));
after(() => rmSync(scratch, { recursive: true, force: true }));

const ENDPOINT = {
  kind: "ssh",
  url: "ssh://deploy@build-1.example.internal",
  user: "deploy",
  host: "build-1.example.internal",
} as const;
const LOOKUP = {
  labels: { a: "b" },
  name: "dind-runners-manager",
  configPath: MANAGER_CONFIG_TOML_PATH,
};

/** A stand-in ssh executable with the given shell body. */
function fakeSsh(name: string, body: string): string {
  const path = join(scratch, name);
  writeFileSync(path, `#!/bin/sh\n${body}\n`);
  chmodSync(path, 0o755);
  return path;
}

describe("sshDialArguments", () => {
  it("never prompts, bounds the connect time, and guards the host with --", () => {
    assert.deepEqual(sshDialArguments({ user: "deploy", host: "build-1", port: 2222 }), [
      "-o",
      "BatchMode=yes",
      "-o",
      "ConnectTimeout=15",
      "-p",
      "2222",
      "-l",
      "deploy",
      "--",
      "build-1",
      "docker",
      "system",
      "dial-stdio",
    ]);
  });
});

describe("SshDialAgent", () => {
  it("reports ssh's own last line when the connection fails", async () => {
    const ssh = fakeSsh(
      "refusing-ssh",
      'echo "deploy@build-1: Permission denied (publickey)." >&2\nexit 255',
    );
    const docker = dockerClientFor(ENDPOINT, { sshCommand: ssh });
    await assert.rejects(readDockerManagerConfig(docker, LOOKUP, ENDPOINT.url), {
      name: "LiveReadError",
      message:
        "cannot reach the Docker engine at ssh://deploy@build-1.example.internal: ssh deploy@build-1.example.internal failed: deploy@build-1: Permission denied (publickey).",
    });
  });

  it("reports an ssh executable that cannot be run", async () => {
    const missing = join(scratch, "no-such-ssh");
    const docker = dockerClientFor(ENDPOINT, { sshCommand: missing });
    await assert.rejects(readDockerManagerConfig(docker, LOOKUP, ENDPOINT.url), {
      message: `cannot reach the Docker engine at ssh://deploy@build-1.example.internal: cannot run ${missing}: spawn ${missing} ENOENT`,
    });
  });
});
