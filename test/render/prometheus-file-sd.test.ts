import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { DockerEndpoint } from "../../components/model/fleet.js";
import { prometheusFileSd, scrapeAddress } from "../../components/render/prometheus-file-sd.js";
import { dockerHost, fleet, manager, runner } from "./fixtures.js";

const SSH: DockerEndpoint = {
  kind: "ssh",
  url: "ssh://deploy@build-2.example.internal",
  user: "deploy",
  host: "build-2.example.internal",
};

function host(listenAddress: string | undefined, endpoint?: DockerEndpoint) {
  return dockerHost("build-2", [runner("r2")], {
    manager: manager(listenAddress === undefined ? {} : { listenAddress }),
    ...(endpoint === undefined ? {} : { endpoint }),
  });
}

describe("prometheus file-SD target list", () => {
  it("scrapes a listener on one address at that address (loopback: a Prometheus on the host)", () => {
    assert.equal(scrapeAddress(host("127.0.0.1:9252", SSH)), "127.0.0.1:9252");
    assert.equal(scrapeAddress(host("10.0.0.5:9300", SSH)), "10.0.0.5:9300");
  });

  it("scrapes a listener on every interface at the endpoint's host, or 127.0.0.1 for the local engine", () => {
    assert.equal(scrapeAddress(host("0.0.0.0:9252", SSH)), "build-2.example.internal:9252");
    assert.equal(scrapeAddress(host("[::]:9252", SSH)), "build-2.example.internal:9252");
    assert.equal(scrapeAddress(host("0.0.0.0:9252")), "127.0.0.1:9252");
  });

  it("lists each Docker host with a listener, by name, with the environment and host labels", () => {
    const f = fleet({
      environment: "prod",
      dockerHosts: [
        host("0.0.0.0:9252", SSH),
        dockerHost("build-1", [runner("r1")], {
          manager: manager({ listenAddress: "127.0.0.1:9252" }),
        }),
        dockerHost("build-3", [runner("r3")]),
      ],
    });
    assert.deepEqual(JSON.parse(prometheusFileSd(f)), [
      {
        targets: ["127.0.0.1:9252"],
        labels: { dind_runners_environment: "prod", dind_runners_target: "build-1" },
      },
      {
        targets: ["build-2.example.internal:9252"],
        labels: { dind_runners_environment: "prod", dind_runners_target: "build-2" },
      },
    ]);
  });
});
