import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { dockerProviderSpec } from "../../components/docker/docker-provider-spec.js";

describe("dockerProviderSpec", () => {
  const noKey = (): string => assert.fail("no key needed");

  it("uses a unix socket as is", () => {
    assert.deepEqual(
      dockerProviderSpec(
        { kind: "unix", url: "unix:///var/run/docker.sock", socketPath: "/var/run/docker.sock" },
        noKey,
      ),
      { host: "unix:///var/run/docker.sock" },
    );
  });

  it("runs ssh in batch mode (fail, never prompt), with known host keys only and keep-alives", () => {
    assert.deepEqual(
      dockerProviderSpec(
        { kind: "ssh", url: "ssh://deploy@h:2222", user: "deploy", host: "h", port: 2222 },
        noKey,
      ),
      {
        host: "ssh://deploy@h:2222",
        sshOpts: ["-o", "BatchMode=yes", "-o", "ConnectTimeout=30", "-o", "ServerAliveInterval=30"],
      },
    );
  });

  it("passes TLS material for tcp, the key from the secret", () => {
    const tls = {
      caCert: "CA",
      clientCert: "CERT",
      clientKey: { kind: "secret" as const, configPath: "dockerHosts[0].tls.clientKey" },
    };
    assert.deepEqual(
      dockerProviderSpec(
        { kind: "tcp", url: "tcp://h:2376", host: "h", port: 2376, tls },
        () => "KEY",
      ),
      { host: "tcp://h:2376", caMaterial: "CA", certMaterial: "CERT", keyMaterial: "KEY" },
    );
  });
});
