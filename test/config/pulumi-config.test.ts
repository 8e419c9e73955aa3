import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { loadFleet } from "../../components/config/load/load-fleet.js";
import { rawConfigFromPulumi } from "../../components/config/read/pulumi-config.js";
import { PULUMI_UP } from "./stack-values.js";

describe("rawConfigFromPulumi", () => {
  it("keeps dind-runners: keys without the prefix and parses JSON values", () => {
    const raw = rawConfigFromPulumi(
      {
        "dind-runners:production": "true",
        "dind-runners:gitlab": '{"url":"https://gitlab.example.com"}',
        "dind-runners:note": "not json",
        "docker:host": "unix:///var/run/docker.sock",
        "other-project:gitlab": '{"url":"https://elsewhere.example.com"}',
      },
      "prod",
    );
    assert.deepEqual(raw, {
      environment: "prod",
      values: {
        production: true,
        gitlab: { url: "https://gitlab.example.com" },
        note: "not json",
      },
    });
  });

  it("cannot be tricked into changing an object's prototype", () => {
    const raw = rawConfigFromPulumi({ "dind-runners:__proto__": '{"polluted":true}' }, "dev");
    assert.equal(Object.getPrototypeOf(raw.values), Object.prototype);
    assert.deepEqual(Object.keys(raw.values), ["__proto__"]);
  });

  it("feeds loadFleet with decrypted secrets, which end up in the secrets map only", () => {
    const dockerHosts = [
      {
        name: "build-1",
        endpoint: "ssh://deploy@build-1.example.internal",
        runners: [{ name: "build-1-dind", tags: ["dind"], token: "glrt-decrypted" }],
      },
    ];
    const raw = rawConfigFromPulumi(
      {
        "dind-runners:gitlab": '{"url":"https://gitlab.example.com"}',
        "dind-runners:dockerHosts": JSON.stringify(dockerHosts),
      },
      "prod",
    );
    const result = loadFleet(raw, PULUMI_UP);
    assert.ok(result.ok);
    assert.deepEqual(result.warnings, []);
    assert.deepEqual(
      result.secrets,
      new Map([["dockerHosts[0].runners[0].token", "glrt-decrypted"]]),
    );
    assert.ok(!JSON.stringify(result.fleet).includes("glrt-decrypted"));
  });
});
