/**
 * `[runners.docker]` of one runner: jobs run as sibling containers on the host
 * engine (the manager mounts its socket), each building its images through the
 * runner's backend: its own dind service, the host engine's socket, or a
 * rootless BuildKit service.
 */
import { PATHS } from "../model/defaults.js";
import type { DindSettings, DockerHost, Runner } from "../model/fleet.js";
import {
  buildkitdTomlHostPath,
  daemonJsonHostPath,
  registryCertsHostPath,
} from "../model/host-paths.js";
import { DIND_CERTS_D } from "../model/registry-certificates.js";
import { RUNNER_KEYS } from "./config-toml-keys.js";
import type { DockerToml } from "./config-toml-model.js";
import { buildkitService } from "./buildkit-connection.js";
import { BUILDKITD_TOML_PATH } from "./buildkitd-toml.js";
import { dindImage, dindService } from "./dind-connection.js";
import { dockerExtraHosts } from "./extra-hosts.js";

/** The host engine's socket, bound at the same path into `socket` jobs (the docker CLI's default). */
export const HOST_DOCKER_SOCKET = "/var/run/docker.sock";

/** GitLab Runner's default cache directory, kept as a per-job volume as in GitLab's dind recipe. */
export const DOCKER_CACHE_VOLUME = "/cache";

export function dockerExecutorSection(
  host: Pick<DockerHost, "hostConfigDir">,
  runner: Runner,
): DockerToml {
  const backend = runner.backend;
  switch (backend.kind) {
    case "dind":
      return dindSection(host, runner);
    case "socket":
      return socketSection(runner);
    case "buildkit":
      return buildkitSection(host, runner, backend);
    default: {
      const unexpected: never = backend;
      throw new Error(`unexpected backend ${JSON.stringify(unexpected)}`);
    }
  }
}

function dindSection(host: Pick<DockerHost, "hostConfigDir">, runner: Runner): DockerToml {
  const dind = runner.dind;
  // GitLab Runner gives the [runners.docker] volumes and extra_hosts to the
  // service containers as well as to the build container (executors/docker:
  // createHostConfigForService copies ExtraHosts and the volume binds). That is
  // why one list serves both: the dind service reads daemon.json from the bind,
  // shares its client certificates with the job, and its dockerd resolves registries
  // through the extra_hosts entries of its own /etc/hosts.
  const extraHosts = dockerExtraHosts(dind);
  return {
    [RUNNER_KEYS.buildImage]: runner.buildImage,
    // The manager reaches the host engine through the mounted socket; there is no TLS to verify.
    tls_verify: false,
    ...dockerPrivilege(dind),
    volumes: [
      ...(dind.tls ? [PATHS.dindClientCertDir] : []),
      DOCKER_CACHE_VOLUME,
      `${daemonJsonHostPath(host, runner)}:${PATHS.dindDaemonJson}:ro`,
      // The whole directory: a `:` in `<host:port>` would split a file bind's spec.
      ...registryCertificatesBind(host, runner),
    ],
    // The MTU of the job's own network, dind's eth0 on it included, so dind's
    // pulls and pushes (and BuildKit `RUN` steps on dind's host network) fit
    // the path too. GitLab Runner applies it only to the per-job network, which
    // exists only with FF_NETWORK_PER_BUILD: runner-toml.ts sets that flag for
    // every runner with an MTU (docker-job-network.ts).
    ...(dind.mtu === undefined ? {} : { network_mtu: dind.mtu }),
    ...(extraHosts.length > 0 ? { extra_hosts: extraHosts } : {}),
    // No `pull_policy`: GitLab Runner has none per configured service (common/config.go
    // `Service` holds name, alias, command, entrypoint, environment), and the
    // `[runners.docker]` one also governs the job's own images and services.
    // `if-not-present` there would serve a stale copy of a mutable tag and let a
    // job use a private image another project's job pulled onto this host; so
    // GitLab Runner's default `always` stays. The pre-pulled dind image still
    // saves the download: the pull only fetches the manifest and finds every layer.
    // No `alias`: GitLab Runner already derives the alias `docker` from the image
    // name `docker:<v>-dind` (helpers/container/services SplitNameAndVersion), and a
    // second, equal alias only logs "Skipping alias ... already in use" in every
    // job (executors/docker/services.go createFromServiceDefinition).
    services: [dindService(dind)],
  };
}

/**
 * `socket`: the host engine's socket bound into every job container (GitLab's
 * "Use Docker socket binding"); no service, nothing privileged, no
 * daemon.json: the host's own daemon settings apply. GitLab Runner gives
 * `volumes` to job-declared services too (createHostConfigForService), which
 * then reach the engine as well; they run the job's own images anyway.
 */
function socketSection(runner: Runner): DockerToml {
  const extraHosts = dockerExtraHosts(runner.dind);
  return {
    [RUNNER_KEYS.buildImage]: runner.buildImage,
    tls_verify: false,
    privileged: false,
    volumes: [`${HOST_DOCKER_SOCKET}:${HOST_DOCKER_SOCKET}`, DOCKER_CACHE_VOLUME],
    ...(extraHosts.length > 0 ? { extra_hosts: extraHosts } : {}),
  };
}

/**
 * `buildkit`: the rootless BuildKit service (buildkit-connection.ts), not
 * privileged. `services_security_opt` is the Docker executor's only way to
 * give a service security options without giving them to the build
 * container (common/config.go `DockerConfig.ServicesSecurityOpt`; executors/docker/docker.go
 * `createHostConfigForService` sets it as the service's `SecurityOpt`, while
 * `security_opt` goes to the build container); it applies to every service
 * of the job, job-declared ones included, which then run without seccomp and
 * AppArmor confinement but unprivileged (docs/build-backends.md). The per-job
 * network (runner-toml.ts) keeps the API away from other jobs.
 */
function buildkitSection(
  host: Pick<DockerHost, "hostConfigDir">,
  runner: Runner,
  backend: Extract<Runner["backend"], { readonly kind: "buildkit" }>,
): DockerToml {
  const dind = runner.dind;
  const extraHosts = dockerExtraHosts(dind);
  return {
    [RUNNER_KEYS.buildImage]: runner.buildImage,
    tls_verify: false,
    privileged: false,
    services_privileged: false,
    services_security_opt: ["seccomp=unconfined", "apparmor=unconfined"],
    volumes: [
      DOCKER_CACHE_VOLUME,
      `${buildkitdTomlHostPath(host, runner)}:${BUILDKITD_TOML_PATH}:ro`,
      ...registryCertificatesBind(host, runner),
    ],
    ...(dind.mtu === undefined ? {} : { network_mtu: dind.mtu }),
    ...(extraHosts.length > 0 ? { extra_hosts: extraHosts } : {}),
    services: [buildkitService(backend, "job-network")],
  };
}

/** The runner's registry CAs as /etc/docker/certs.d (dind reads it; buildkitd.toml names the files). */
function registryCertificatesBind(
  host: Pick<DockerHost, "hostConfigDir">,
  runner: Runner,
): string[] {
  return runner.dind.registryCertificates.length > 0
    ? [`${registryCertsHostPath(host, runner)}:${DIND_CERTS_D}:ro`]
    : [];
}

/**
 * services-only: the build container is unprivileged, services are privileged,
 * and only the pinned dind image may be a privileged service (GitLab Runner
 * matches `allowed_privileged_services` against the service image name; an
 * empty list would allow every image).
 */
function dockerPrivilege(
  dind: DindSettings,
): Pick<DockerToml, "privileged" | "services_privileged" | "allowed_privileged_services"> {
  switch (dind.privilegeMode) {
    case "services-only":
      return {
        privileged: false,
        services_privileged: true,
        allowed_privileged_services: [dindImage(dind)],
      };
    case "all":
      return { privileged: true };
    default: {
      const unexpected: never = dind.privilegeMode;
      throw new Error(`unexpected privilege mode ${String(unexpected)}`);
    }
  }
}
