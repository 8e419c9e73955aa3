import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { dockerOptionsFor } from "../../components/drift/docker-client.js";
import { SshDialAgent } from "../../components/drift/ssh-dial-agent.js";

const CLEARED = {
  socketPath: undefined,
  host: undefined,
  port: undefined,
  ca: undefined,
  cert: undefined,
  key: undefined,
  timeout: 30_000,
};

describe("dockerOptionsFor", () => {
  it("uses only the endpoint's socket for unix://, clearing what DOCKER_HOST could set", () => {
    const options = dockerOptionsFor({
      kind: "unix",
      url: "unix:///var/run/docker.sock",
      socketPath: "/var/run/docker.sock",
    });
    assert.deepEqual(options, { ...CLEARED, socketPath: "/var/run/docker.sock", protocol: "http" });
  });

  it("uses https with the host's CA, certificate and the given key for tcp://", () => {
    const tls = {
      caCert: "CA",
      clientCert: "CERT",
      clientKey: { kind: "secret", configPath: "dockerHosts[0].tls.clientKey" },
    } as const;
    const endpoint = {
      kind: "tcp",
      url: "tcp://build:2376",
      host: "build",
      port: 2376,
      tls,
    } as const;
    assert.deepEqual(dockerOptionsFor(endpoint, { tlsClientKey: "KEY", timeoutMs: 5000 }), {
      ...CLEARED,
      timeout: 5000,
      host: "build",
      port: 2376,
      protocol: "https",
      ca: "CA",
      cert: "CERT",
      key: "KEY",
    });
    assert.throws(() => dockerOptionsFor(endpoint), {
      message: "a tcp:// endpoint needs the TLS client key (tcp://build:2376)",
    });
  });

  it("dials ssh:// through the system ssh running `docker system dial-stdio`", () => {
    const options = dockerOptionsFor({
      kind: "ssh",
      url: "ssh://deploy@build",
      user: "deploy",
      host: "build",
    });
    assert.ok(options.agent instanceof SshDialAgent);
    assert.deepEqual(
      { ...options, agent: undefined },
      { ...CLEARED, host: "docker", port: 80, protocol: "http", agent: undefined },
    );
  });
});
