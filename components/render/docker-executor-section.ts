/**
 * `[runners.docker]` of one runner: jobs run as sibling containers on the host
 * engine (the manager mounts its socket), each with a dind service that builds
 * the job's images.
 */
import { PATHS } from "../model/defaults.js";
import type { DindSettings, DockerHost, Runner } from "../model/fleet.js";
import { daemonJsonHostPath, registryCertsHostPath } from "../model/host-paths.js";
import { DIND_CERTS_D } from "../model/registry-certificates.js";
import { RUNNER_KEYS } from "./config-toml-keys.js";
import type { DockerToml } from "./config-toml-model.js";
import { dindImage, dindService } from "./dind-connection.js";
import { dockerExtraHosts } from "./extra-hosts.js";

/** GitLab Runner's default cache directory, kept as a per-job volume as in GitLab's dind recipe. */
export const DOCKER_CACHE_VOLUME = "/cache";

export function dockerExecutorSection(
  host: Pick<DockerHost, "hostConfigDir">,
  runner: Runner,
): DockerToml {
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
      ...(dind.registryCertificates.length > 0
        ? [`${registryCertsHostPath(host, runner)}:${DIND_CERTS_D}:ro`]
        : []),
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
