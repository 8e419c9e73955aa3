// One evaluation of the Pulumi program under Pulumi's mocks, for
// `npm run bench:program` (test/bench/program.bench.ts). Plain CommonJS so the
// same file measures the program however it is started: `node --import tsx
// program-once.cjs index.ts` or `node program-once.cjs build/index.js`.
//
// stdin: {"stack": "<name>", "config": {<key>: <string>}, "secretKeys": [<key>]}
// stdout: one JSON line {loadMs, evaluateMs, evaluateCpuMs, resources, maxRssMiB}
"use strict";
const { readFileSync } = require("node:fs");
const { resolve } = require("node:path");
const { performance } = require("node:perf_hooks");

async function main(entry) {
  const input = JSON.parse(readFileSync(0, "utf8"));
  // What the language host's run entry (@pulumi/pulumi/cmd/run) loads before the
  // program: it maps every stack frame the SDK records through source maps.
  require("source-map-support/register");
  // The SDKs the program loads anyway; loading them first keeps load time out of evaluation.
  const pulumi = require("@pulumi/pulumi");
  require("@pulumi/docker");
  require("@pulumi/kubernetes");
  const loadMs = performance.now();
  let resources = 0;
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        resources += 1;
        return { id: `${args.name}-id`, state: args.inputs };
      },
      call: (args) => args.inputs,
    },
    "dind-runners",
    input.stack,
    false,
  );
  pulumi.runtime.setAllConfig(input.config, input.secretKeys);
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  const program = require(resolve(entry));
  for (const value of Object.values(program)) {
    await new Promise((done) => pulumi.output(value).apply(done));
  }
  await pulumi.runtime.waitForRPCs();
  const evaluateMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  const evaluateCpuMs = (cpu.user + cpu.system) / 1000;
  const maxRssMiB = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(
    JSON.stringify({ loadMs, evaluateMs, evaluateCpuMs, resources, maxRssMiB }) + "\n",
  );
}

main(process.argv[2]).catch((error) => {
  process.stderr.write(`program-once: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
