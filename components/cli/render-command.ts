/**
 * `npm run render -- --stack <env> [--out <dir>] [--stacks-dir <dir>]`: see render-main.ts.
 *
 * Exit codes: 0 rendered, 1 invalid stack config, refused output directory or
 * usage (nothing written).
 */
import { renderMain } from "./render-main.js";
import { runCommand } from "./run-command.js";

runCommand((io) => renderMain(process.argv.slice(2), io));
