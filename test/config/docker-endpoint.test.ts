import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseDockerEndpoint } from "../../components/config/grammars/docker-endpoint.js";

describe("parseDockerEndpoint", () => {
  it("parses unix, ssh and tcp endpoints", () => {
    assert.deepEqual(parseDockerEndpoint("unix:///var/run/docker.sock"), {
      ok: true,
      endpoint: {
        kind: "unix",
        url: "unix:///var/run/docker.sock",
        socketPath: "/var/run/docker.sock",
      },
    });
    assert.deepEqual(parseDockerEndpoint("ssh://deploy@10.0.0.5:2222"), {
      ok: true,
      endpoint: {
        kind: "ssh",
        url: "ssh://deploy@10.0.0.5:2222",
        user: "deploy",
        host: "10.0.0.5",
        port: 2222,
      },
    });
    assert.deepEqual(parseDockerEndpoint("tcp://build.example.internal:2376"), {
      ok: true,
      endpoint: {
        kind: "tcp",
        url: "tcp://build.example.internal:2376",
        host: "build.example.internal",
        port: 2376,
      },
    });
  });

  it("explains what is wrong with other endpoints", () => {
    const problem = (url: string) => {
      const parsed = parseDockerEndpoint(url);
      return parsed.ok ? "ok" : parsed.problem;
    };
    assert.equal(
      problem("npipe:////./pipe/docker_engine"),
      'expected unix:///path/to/docker.sock, ssh://user@host[:port] or tcp://host:port, found "npipe:////./pipe/docker_engine"',
    );
    assert.equal(
      problem("unix://var/run/docker.sock"),
      'expected unix:// followed by an absolute socket path such as unix:///var/run/docker.sock, found "unix://var/run/docker.sock"',
    );
    assert.equal(
      problem("ssh://build.example.internal"),
      'expected ssh://user@host[:port] such as ssh://deploy@build-1.example.internal, found "ssh://build.example.internal"',
    );
    assert.equal(
      problem("ssh://deploy@build.example.internal/path"),
      'expected ssh://user@host[:port] such as ssh://deploy@build-1.example.internal, found "ssh://deploy@build.example.internal/path"',
    );
    assert.equal(
      problem("tcp://build.example.internal"),
      'expected tcp://host:port such as tcp://build-1.example.internal:2376, found "tcp://build.example.internal"',
    );
    assert.match(
      problem("tcp://10.0.0.5:2375"),
      /port 2375 is Docker's API without TLS, and plain tcp is not supported/,
    );
  });
});
