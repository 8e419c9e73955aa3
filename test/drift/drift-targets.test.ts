import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { driftTargets } from "../../components/drift/drift-targets.js";
import { CONFIG, FLEET, options } from "./fleet-fixture.js";

describe("driftTargets", () => {
  it("lists every Docker host, then every cluster, with its location and desired config", () => {
    const targets = driftTargets(FLEET, options());
    assert.deepEqual(
      targets.map(({ target, location, desiredConfigToml }) => ({
        variant: target.variant,
        name: target.name,
        location,
        desiredConfigToml,
      })),
      [
        {
          variant: "docker",
          name: "build-stg-2",
          location: "tcp://build-stg-2.example.internal:2376",
          desiredConfigToml: `# build-stg-2\n${CONFIG}`,
        },
        {
          variant: "docker",
          name: "local",
          location: "unix:///nonexistent/docker.sock",
          desiredConfigToml: `# local\n${CONFIG}`,
        },
        {
          variant: "kubernetes",
          name: "k8s",
          location: "context ctx, namespace gitlab-runner",
          desiredConfigToml: CONFIG,
        },
      ],
    );
  });
});
