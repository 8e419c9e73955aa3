/**
 * How a job reaches the rootless BuildKit service of a `buildkit` runner: the
 * service both executors start next to the job, and the `BUILDKIT_HOST` that
 * points buildx's `remote` driver (and buildctl) at it.
 *
 * What the service needs, from moby/buildkit docs/rootless.md and
 * examples/kubernetes/*.rootless.yaml: the `moby/buildkit:v<v>-rootless` image
 * (USER 1000:1000, ENTRYPOINT `rootlesskit buildkitd`: its Dockerfile, target
 * `rootless`), seccomp and AppArmor unconfined (rootlesskit creates a user
 * namespace and buildkitd mounts; the default profiles forbid both) and
 * `--oci-worker-no-process-sandbox`, because neither executor can give it
 * `systempaths=unconfined` (that is a docker CLI option turned into
 * `MaskedPaths`/`ReadonlyPaths` by the CLI, not a security option dockerd
 * takes, and Kubernetes' `procMount: Unmasked` needs `hostUsers: false`,
 * which GitLab Runner sets only in its suspend/resume mode: executors/kubernetes
 * suspend.go `isHostUserEnabled`). No `privileged`, no added capability.
 */
import type { BuildBackend } from "../model/fleet.js";
import { BUILDKITD_TOML_PATH } from "./buildkitd-toml.js";
import type { ServiceToml } from "./config-toml-model.js";

/** Hostname of the BuildKit service inside the job's network or pod. */
export const BUILDKIT_SERVICE_ALIAS = "buildkitd";

/** The port buildkitd serves its gRPC API on (BuildKit's examples use 1234). */
export const BUILDKIT_PORT = 1234;

/** UID and GID of the rootless image's `user` (its Dockerfile: `USER 1000:1000`). */
export const BUILDKIT_ROOTLESS_ID = 1000;

/** Where the rootless image keeps its state (its Dockerfile: `VOLUME /home/user/.local/share/buildkit`). */
export const BUILDKIT_STATE_DIR = "/home/user/.local/share/buildkit";

/** The job environment of a `buildkit` runner: buildx's `remote` driver and buildctl read `BUILDKIT_HOST`. */
export function buildkitJobEnvironment(): string[] {
  return [`BUILDKIT_HOST=tcp://${BUILDKIT_SERVICE_ALIAS}:${BUILDKIT_PORT}`];
}

/**
 * Where buildkitd listens:
 * - Docker: every interface of its container, which is only on the job's own
 *   network (runner-toml.ts sets FF_NETWORK_PER_BUILD for every buildkit
 *   runner), so no other job on the host reaches the unauthenticated API;
 * - Kubernetes: loopback only. The containers of a job pod share one network
 *   namespace and the job reaches services as `127.0.0.1` (GitLab Runner adds
 *   each alias as a host alias of 127.0.0.1: executors/kubernetes/host_aliases.go
 *   `createServicesHostAlias`), and its health check dials
 *   `localhost` (commands/helpers/health_check.go), while no other pod can
 *   reach the pod's loopback.
 */
export type BuildkitListen = "job-network" | "pod-loopback";

export function buildkitService(
  backend: Extract<BuildBackend, { readonly kind: "buildkit" }>,
  listen: BuildkitListen,
): ServiceToml {
  const host = listen === "job-network" ? "0.0.0.0" : "127.0.0.1";
  return {
    name: backend.image,
    alias: BUILDKIT_SERVICE_ALIAS,
    command: [
      "--addr",
      `tcp://${host}:${BUILDKIT_PORT}`,
      "--config",
      BUILDKITD_TOML_PATH,
      "--oci-worker-no-process-sandbox",
    ],
    // GitLab Runner waits for this port before the script starts (see dind-connection.ts).
    environment: [`HEALTHCHECK_TCP_PORT=${BUILDKIT_PORT}`],
  };
}
