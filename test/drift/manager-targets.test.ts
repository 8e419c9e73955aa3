import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { managerTargets } from "../../components/drift/manager-targets.js";
import { CONFIG, FLEET, options } from "./fleet-fixture.js";

describe("managerTargets", () => {
  it("lists every Docker host, then every cluster, with its location and desired config", () => {
    const targets = managerTargets(FLEET, options());
    assert.deepEqual(
      targets.map(({ kind, name, location, desiredConfigToml }) => ({
        kind,
        name,
        location,
        desiredConfigToml,
      })),
      [
        {
          kind: "docker-host",
          name: "build-stg-2",
          location: "tcp://build-stg-2.example.internal:2376",
          desiredConfigToml: `# build-stg-2\n${CONFIG}`,
        },
        {
          kind: "docker-host",
          name: "local",
          location: "unix:///nonexistent/docker.sock",
          desiredConfigToml: `# local\n${CONFIG}`,
        },
        {
          kind: "kubernetes-cluster",
          name: "k8s",
          location: "context ctx, namespace gitlab-runner",
          desiredConfigToml: CONFIG,
        },
      ],
    );
  });
});
