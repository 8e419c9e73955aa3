/**
 * Whether a Docker-host runner gives each job a bridge network of its own
 * (GitLab Runner's FF_NETWORK_PER_BUILD) instead of the host engine's default
 * bridge, which every job of every runner on the host shares.
 *
 * GitLab Runner creates the per-job network only with that flag (default
 * false: helpers/featureflags/flags.go `NetworkPerBuild`), and only that
 * network carries `network_mtu` (executors/docker/internal/networks/manager.go
 * `Create` returns early without the flag; `networkOptionsFromConfig` sets the
 * network's `com.docker.network.driver.mtu`). A flag in config.toml wins over a
 * job variable of the same name (common/build_settings.go: "runner setting
 * takes precedence if defined"), so a job cannot turn it off.
 *
 * On that network every service gets its aliases as network aliases
 * (executors/docker/docker.go `networkConfig` for a user-defined network);
 * the dind service's alias `docker` comes from its image name
 * (helpers/container/services `SplitNameAndVersion`), and the build container
 * also gets `docker:<service IP>` in its /etc/hosts (executors/docker
 * services.go `createServices` links), so `tcp://docker:2376` resolves as on
 * the default bridge. dind's client certificate names `DNS:docker` and every
 * IP of the service (docker-library `dockerd-entrypoint.sh`).
 */
import type { BuildBackend, DindSettings } from "../model/fleet.js";
import { DERIVED_RUNNER_KEYS, FEATURE_FLAG_KEYS } from "./config-toml-keys.js";
import type { RunnerTomlCommon } from "./config-toml-model.js";

/**
 * Per-job network, for every `buildkit` runner (its BuildKit API has no
 * authentication: on its own network only the job's containers reach it),
 * and for a dind runner when:
 * - `mtu` is set: without it `network_mtu` is never applied and dind's own
 *   interface (its pulls and pushes, and BuildKit `RUN` steps on dind's host
 *   network) keeps the host bridge's MTU, usually 1500;
 * - TLS is off: dind then serves an unauthenticated, root-equivalent API on
 *   2375, which on the shared default bridge every other job on the host could
 *   reach (inter-container traffic is allowed there by default).
 */
export function needsNetworkPerBuild(runner: {
  readonly dind: Pick<DindSettings, "mtu" | "tls">;
  readonly backend: Pick<BuildBackend, "kind">;
}): boolean {
  switch (runner.backend.kind) {
    case "dind":
      return runner.dind.mtu !== undefined || !runner.dind.tls;
    // The host's engine: no daemon of ours to protect, and `mtu` is refused for it.
    case "socket":
      return false;
    case "buildkit":
      return true;
    default: {
      const unexpected: never = runner.backend.kind;
      throw new Error(`unexpected backend ${String(unexpected)}`);
    }
  }
}

/** `[runners.feature_flags]` of a Docker-host runner: present only when it needs a per-job network. */
export function dockerFeatureFlags(
  runner: Parameters<typeof needsNetworkPerBuild>[0],
): Pick<RunnerTomlCommon, "feature_flags"> {
  return needsNetworkPerBuild(runner)
    ? { [DERIVED_RUNNER_KEYS.featureFlags]: { [FEATURE_FLAG_KEYS.networkPerBuild]: true } }
    : {};
}
