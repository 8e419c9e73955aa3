/**
 * `.ci/run`'s deploy-time check: starts the program of a project directory
 * (typically a copy installed with `npm ci --omit=dev`, so only runtime
 * dependencies are there) as Pulumi's Node language host does, against the
 * in-process engine, for an example stack, and fails unless it runs to the end
 * and registers the stack's resources and outputs.
 *
 * Usage: node --import tsx test/program/start-installed-program.ts <project dir> <stack>
 */
import { runAsLanguageHost } from "../support/language-host.js";
import { startFakeEngine } from "../support/fake-pulumi-engine.js";
import { configWithSecrets, pulumiConfig } from "./program-harness.js";

async function main(projectDir: string, stack: string): Promise<number> {
  const engine = await startFakeEngine("dind-runners", stack);
  try {
    const run = await runAsLanguageHost({
      projectRoot: projectDir,
      project: "dind-runners",
      organization: "dind-runners-ci",
      stack,
      engineAddress: engine.address,
      config: pulumiConfig(configWithSecrets(stack)),
      secretKeys: ["dind-runners:dockerHosts", "dind-runners:kubernetesClusters"],
    });
    const root = engine.rootUrn();
    const outputs = root === undefined ? undefined : engine.outputs.get(root);
    const resources = engine.registrations.length;
    if (run.code !== 0 || outputs === undefined || resources < 2) {
      process.stderr.write(
        `the program in ${projectDir} did not start as Pulumi starts it (exit ${run.code}, ` +
          `${resources} registrations):\n${run.command.join(" ")}\n${run.stderr}${run.stdout}\n` +
          engine.logs.map((log) => `${log.severity}: ${log.message}`).join("\n") +
          "\n",
      );
      return 1;
    }
    process.stdout.write(
      `started ${projectDir} for stack ${stack} as the Node language host does: ` +
        `${resources} resources registered, outputs ${Object.keys(outputs).sort().join(", ")}\n`,
    );
    return 0;
  } finally {
    await engine.close();
  }
}

const [projectDir, stack] = process.argv.slice(2);
if (projectDir === undefined || stack === undefined) {
  process.stderr.write("usage: start-installed-program.ts <project dir> <stack>\n");
  process.exitCode = 1;
} else {
  void main(projectDir, stack).then((code) => (process.exitCode = code));
}
