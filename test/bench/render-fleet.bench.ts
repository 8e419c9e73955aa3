/**
 * `npm run bench`: validates and renders a generated fleet of 200 Docker hosts x
 * 5 runners (plus one cluster) the way `npm run render` does, and prints wall
 * time and peak memory. The goal (under 1 s wall on a 2-core machine) is checked
 * here by reading the numbers, never by a timed assertion in the test suite.
 */
import { performance } from "node:perf_hooks";
import { loadFleet } from "../../components/config/load/load-fleet.js";
import type { RawStackConfig } from "../../components/config/read/raw-stack-config.js";
import { renderFleetFiles } from "../../components/render/render-fleet-files.js";
import { redactedSecretText } from "../../components/render/secret-text.js";
import { generatedStackValues } from "../support/generated-stack.js";

const HOSTS = 200;
const RUNNERS_PER_HOST = 5;
const GOAL_MS = 1000;

function generatedStack(): RawStackConfig {
  return {
    environment: "bench",
    values: generatedStackValues(
      { hosts: HOSTS, runnersPerHost: RUNNERS_PER_HOST, clusters: 1 },
      (path) => ({
        secure: `v1:ciphertext-${path}`,
      }),
    ),
  };
}

function main(): void {
  const raw = generatedStack();
  const started = performance.now();
  const loaded = loadFleet(raw, { requireSecrets: true, plaintextSecretsAllowed: false });
  if (!loaded.ok) throw new Error(`generated fleet is invalid: ${loaded.issues[0]?.message}`);
  const validated = performance.now();
  const files = renderFleetFiles(loaded.fleet, redactedSecretText);
  const rendered = performance.now();
  const bytes = files.reduce((sum, file) => sum + Buffer.byteLength(file.content), 0);
  const wallMs = rendered - started;
  // maxRSS is reported in kilobytes.
  const peakMiB = process.resourceUsage().maxRSS / 1024;
  console.log(`fleet: ${HOSTS} hosts x ${RUNNERS_PER_HOST} runners + 1 cluster`);
  console.log(`validate: ${(validated - started).toFixed(1)} ms`);
  console.log(
    `render:   ${(rendered - validated).toFixed(1)} ms (${files.length} files, ${(bytes / 1024).toFixed(0)} KiB)`,
  );
  console.log(
    `wall:     ${wallMs.toFixed(1)} ms (goal < ${GOAL_MS} ms: ${wallMs < GOAL_MS ? "met" : "MISSED"})`,
  );
  console.log(`peak RSS: ${peakMiB.toFixed(1)} MiB`);
  // Everything since node started, module loading and TypeScript transpiling included.
  console.log(`process:  ${(process.uptime() * 1000).toFixed(0)} ms since start`);
}

main();
