/**
 * A DockerRunnerHost whose one-shot helper exits non-zero, under Pulumi's mocks.
 * Run in a child process by docker-runner-host.test.ts: the failure surfaces as
 * an unhandled rejection (as in `pulumi up`, whose handler prints it), which
 * node's test runner would count against whatever test is running.
 *
 * Usage: node --import tsx test/docker/failing-helper-program.ts <config-writer|overlay-module>
 * Prints one JSON line: the distinct errors and the names of the declared resources.
 */
import * as pulumi from "@pulumi/pulumi";
import { DockerRunnerHost } from "../../components/docker/docker-runner-host.js";
import { dockerHost, fleet, runner } from "../render/fixtures.js";
import { captureLoggedErrors, recordPulumiResources } from "../support/pulumi-mocks.js";

export interface FailingHelperReport {
  /** What `pulumi up` logged as errors under a resource (pulumi.log.error). */
  readonly logged: readonly string[];
  readonly errors: readonly { message: string; resourceError: boolean; hideStack: boolean }[];
  readonly resources: readonly string[];
}

export const FAILING_OUTPUT =
  "cp: can't create '/target/gitlab-runner/config.toml.tmp': No space left on device";

async function main(failing: string): Promise<void> {
  const errors = new Map<unknown, string>();
  // The message when first reported, as `pulumi up`'s handler reports it.
  process.on("unhandledRejection", (error) => {
    if (!errors.has(error))
      errors.set(error, error instanceof Error ? error.message : String(error));
  });
  const logged = captureLoggedErrors();
  const recorder = await recordPulumiResources("test", (type, name) => {
    if (type !== "docker:index/container:Container" || name.endsWith("-manager")) return {};
    return name.endsWith(`-${failing}`)
      ? { exitCode: 2, containerLogs: `${FAILING_OUTPUT}\n` }
      : { exitCode: 0, containerLogs: "" };
  });
  const f = fleet({ dockerHosts: [dockerHost("build-1", [runner("build-1-a")])] });
  const host = f.dockerHosts[0];
  if (host === undefined) throw new Error("fixture without host");
  new DockerRunnerHost("failing", {
    fleet: f,
    host,
    tokens: Object.fromEntries(
      host.runners.map((r) => [r.token.configPath, pulumi.secret(`glrt-test-${r.name}`)]),
    ),
  });
  await new Promise((resolve) => setTimeout(resolve, 500));
  const report: FailingHelperReport = {
    logged,
    errors: [...errors].map(([error, message]) => ({
      message,
      resourceError: pulumi.ResourceError.isInstance(error),
      hideStack: pulumi.ResourceError.isInstance(error) && error.hideStack === true,
    })),
    resources: recorder.resources.map((resource) => resource.name),
  };
  process.stdout.write(JSON.stringify(report) + "\n");
}

if (require.main === module) void main(process.argv[2] ?? "config-writer");
