/**
 * How a job reaches its Docker-in-Docker daemon: the dind service every runner
 * starts next to the job and the environment that points the job's docker CLI
 * at it. Both executors render exactly these values, so TLS mode, ports and
 * certificate paths cannot disagree between the service and the job.
 */
import { PATHS } from "../model/defaults.js";
import type { DindSettings } from "../model/fleet.js";
import type { ServiceToml } from "./config-toml-model.js";

/** Hostname of the dind service inside the job's network; `DOCKER_HOST` uses it. */
export const DIND_SERVICE_ALIAS = "docker";

/** dockerd's conventional ports: 2376 with TLS, 2375 without. */
export const DIND_TLS_PORT = 2376;
export const DIND_PLAIN_PORT = 2375;

/** The pinned dind image, e.g. `docker:29.7.2-dind`. */
export function dindImage(dind: Pick<DindSettings, "dockerVersion">): string {
  return `docker:${dind.dockerVersion}-dind`;
}

/** `DOCKER_HOST` a job uses to reach its dind service. */
export function dindDockerHost(dind: Pick<DindSettings, "tls">): string {
  return `tcp://${DIND_SERVICE_ALIAS}:${dind.tls ? DIND_TLS_PORT : DIND_PLAIN_PORT}`;
}

/**
 * The job environment (`[[runners]] environment`): only what the job's docker
 * CLI reads. With TLS the CLI verifies dind with the client certificates the
 * runner's dind writes to {@link PATHS.dindClientCertDir}, a volume the job and
 * the service share. `DOCKER_TLS_CERTDIR` is not here: GitLab Runner hands the
 * job's variables (this list included) to every service container, a
 * job-declared dind too (common/build.go GetServiceVariables; the Kubernetes
 * executor builds service env from them in kubernetes.go buildContainer), and
 * that dind would then write its own CA into our shared directory. The CLI
 * never reads it; the docker:cli entrypoint only derives `DOCKER_CERT_PATH`
 * from it when `$DOCKER_TLS_CERTDIR/client/ca.pem` exists, which the image
 * default `/certs` never has here.
 *
 * Without TLS, `DOCKER_TLS_VERIFY` and `DOCKER_CERT_PATH` must be absent (the
 * CLI would speak TLS to a plain port) and `DOCKER_TLS_CERTDIR` is empty, as
 * in GitLab's dind recipe: a dind a job declares on top then also starts
 * plain, on the port the runner's dind holds, and exits. There are no
 * certificates to clobber.
 *
 * No `DOCKER_DRIVER`, although old dind recipes set it: dockerd reads that
 * variable and lets it win over daemon.json's `storage-driver` (moby
 * daemon/image_store_choice.go), and these variables reach the dind service
 * too. The service pins it instead (see {@link dindService}).
 */
export function dindJobEnvironment(dind: Pick<DindSettings, "tls">): string[] {
  return dind.tls
    ? [
        `DOCKER_HOST=${dindDockerHost(dind)}`,
        "DOCKER_TLS_VERIFY=1",
        `DOCKER_CERT_PATH=${PATHS.dindClientCertDir}`,
      ]
    : [`DOCKER_HOST=${dindDockerHost(dind)}`, "DOCKER_TLS_CERTDIR="];
}

/**
 * The dind service. Its daemon options (insecure registries, mirrors, storage
 * driver) come only from the mounted daemon.json: dockerd refuses to start
 * when a directive is given both as a flag and in daemon.json, so `command`
 * never repeats them. Without TLS, `--tls=false` is required since Docker 27
 * for dockerd to listen on tcp without TLS at all.
 *
 * `HEALTHCHECK_TCP_PORT` makes GitLab Runner wait for dockerd's port before
 * the job's script starts. The Kubernetes executor waits only for services
 * that set it (executors/kubernetes/kubernetes.go waitForServices reads it
 * from the service's own variables, which are this `environment`:
 * common/config.go Service.ToImageDefinition); without it a job's first
 * `docker` command races dind's certificate generation and start-up. The
 * Docker executor otherwise probes every port the image exposes, 2375 and
 * 2376 (executors/docker/docker.go getContainerIPAndExposedPorts), one of
 * which never opens; with the variable it probes exactly this one.
 *
 * The same service on both executors (but for `alias`, below). On the Docker executor a job's
 * `services: [docker:dind]` is skipped (its alias `docker` is taken), but a
 * job dind under another alias starts, gets the runner's volumes, and its
 * entrypoint writes certificates into whatever `DOCKER_TLS_CERTDIR` says
 * before dockerd fails; the separate directory protects that case there too.
 *
 * `alias` is given only where wanted: the Docker executor derives the alias
 * `docker` from the image name itself and warns about a repeated one.
 *
 * `DOCKER_DRIVER` repeats daemon.json's `storage-driver` because dockerd lets
 * that variable override daemon.json (moby daemon/image_store_choice.go), and
 * a job's variables reach the service too: an old recipe's `DOCKER_DRIVER:
 * overlay` (a driver Docker removed) would keep dind from starting. The
 * service's own variables come after the job's (common/build.go
 * GetServiceVariables), and the last of two equal names is the one a
 * container gets, on Docker and on Kubernetes.
 */
export function dindService(
  dind: Pick<DindSettings, "tls" | "dockerVersion" | "storageDriver">,
  alias?: typeof DIND_SERVICE_ALIAS,
): ServiceToml {
  const identity = {
    name: dindImage(dind),
    ...(alias === undefined ? {} : { alias }),
  };
  const storageDriver = `DOCKER_DRIVER=${dind.storageDriver}`;
  return dind.tls
    ? {
        ...identity,
        environment: [
          `DOCKER_TLS_CERTDIR=${PATHS.dindCertDir}`,
          `HEALTHCHECK_TCP_PORT=${DIND_TLS_PORT}`,
          storageDriver,
        ],
      }
    : {
        ...identity,
        command: ["--tls=false"],
        environment: [
          "DOCKER_TLS_CERTDIR=",
          `HEALTHCHECK_TCP_PORT=${DIND_PLAIN_PORT}`,
          storageDriver,
        ],
      };
}

/** The pinned Docker CLI image of the same version, e.g. `docker:29.7.2-cli`. */
export function cliImage(dind: Pick<DindSettings, "dockerVersion">): string {
  return `docker:${dind.dockerVersion}-cli`;
}
