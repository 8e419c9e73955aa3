/**
 * The one configuration file of a runner's build service, by backend: dind's
 * daemon.json, BuildKit's buildkitd.toml, nothing for `socket` (the host's own
 * daemon keeps its own configuration). Deployment writes it next to the
 * others (Docker hosts) or into the daemon ConfigMap (Kubernetes).
 */
import type { Runner } from "../model/fleet.js";
import { buildkitdTomlFileName, daemonJsonFileName } from "../model/names.js";
import { buildkitdToml } from "./buildkitd-toml.js";
import { daemonJson } from "./daemon-json.js";

export interface BuildServiceConfigFile {
  /** `<runner>.json` or `<runner>.buildkitd.toml`: file name on a host, key in the ConfigMap. */
  readonly fileName: string;
  readonly content: string;
}

export function buildServiceConfigFile(runner: Runner): BuildServiceConfigFile | undefined {
  const backend = runner.backend;
  switch (backend.kind) {
    case "dind":
      return { fileName: daemonJsonFileName(runner), content: daemonJson(runner.dind) };
    case "socket":
      return undefined;
    case "buildkit":
      return {
        fileName: buildkitdTomlFileName(runner),
        content: buildkitdToml(runner.dind, backend),
      };
    default: {
      const unexpected: never = backend;
      throw new Error(`unexpected backend ${JSON.stringify(unexpected)}`);
    }
  }
}

/** The build-service files of some runners, in their order. */
export function buildServiceConfigFiles(runners: readonly Runner[]): BuildServiceConfigFile[] {
  return runners.flatMap((runner) => {
    const file = buildServiceConfigFile(runner);
    return file === undefined ? [] : [file];
  });
}
