/**
 * `npm run --silent canary-pipeline -- --stack <env> ...`: see canary-pipeline-main.ts.
 *
 * Exit codes: 0 printed, 1 invalid stack config or usage.
 */
import { canaryPipelineMain } from "./canary-pipeline-main.js";
import { runCommand } from "./run-command.js";

runCommand((io) => canaryPipelineMain(process.argv.slice(2), io));
