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

/** The pinned dind image, e.g. `docker:28.5.2-dind`. */
export function dindImage(dind: Pick<DindSettings, "dockerVersion">): string {
  return `docker:${dind.dockerVersion}-dind`;
}

/** `DOCKER_HOST` a job uses to reach its dind service. */
export function dindDockerHost(dind: Pick<DindSettings, "tls">): string {
  return `tcp://${DIND_SERVICE_ALIAS}:${dind.tls ? DIND_TLS_PORT : DIND_PLAIN_PORT}`;
}

/**
 * The job environment (`[[runners]] environment`). With TLS the docker CLI
 * verifies dind with the client certificates dind writes to /certs/client, a
 * volume the job and the service share. Without TLS, `DOCKER_TLS_VERIFY` and
 * `DOCKER_CERT_PATH` must be absent (the CLI would speak TLS to a plain port)
 * and `DOCKER_TLS_CERTDIR` is empty, as in GitLab's dind recipe, so no docker
 * image entrypoint that sees the variable switches to TLS on its own (the
 * docker:dind image defaults it to /certs). `DOCKER_DRIVER` tells scripts
 * written for that recipe which driver the daemon uses; the daemon itself
 * takes it from daemon.json.
 */
export function dindJobEnvironment(dind: Pick<DindSettings, "tls" | "storageDriver">): string[] {
  const connection = dind.tls
    ? [
        `DOCKER_HOST=${dindDockerHost(dind)}`,
        `DOCKER_TLS_CERTDIR=${PATHS.dindCertDir}`,
        "DOCKER_TLS_VERIFY=1",
        `DOCKER_CERT_PATH=${PATHS.dindClientCertDir}`,
      ]
    : [`DOCKER_HOST=${dindDockerHost(dind)}`, "DOCKER_TLS_CERTDIR="];
  return [...connection, `DOCKER_DRIVER=${dind.storageDriver}`];
}

/**
 * The dind service. Its daemon options (insecure registries, mirrors, storage
 * driver) come only from the mounted daemon.json: dockerd refuses to start
 * when a directive is given both as a flag and in daemon.json, so `command`
 * never repeats them. Without TLS, `--tls=false` is required since Docker 27
 * for dockerd to listen on tcp without TLS at all.
 */
export function dindService(dind: Pick<DindSettings, "tls" | "dockerVersion">): ServiceToml {
  return dind.tls
    ? {
        name: dindImage(dind),
        alias: DIND_SERVICE_ALIAS,
        environment: [`DOCKER_TLS_CERTDIR=${PATHS.dindCertDir}`],
      }
    : {
        name: dindImage(dind),
        alias: DIND_SERVICE_ALIAS,
        command: ["--tls=false"],
        environment: ["DOCKER_TLS_CERTDIR="],
      };
}
