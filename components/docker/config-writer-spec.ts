/**
 * The one-shot container that writes a host's config.toml, GitLab CA, dind
 * daemon.json files and registry CAs (certs.d) under the host's `hostConfigDir`.
 *
 * The files arrive as uploads into a staging directory; a change of any content
 * replaces this container (and only this one), which copies the files into place
 * atomically (temporary file, then rename), so the manager never reads a half
 * written config.toml. The order matters because GitLab Runner reloads
 * config.toml as soon as it changes: every daemon.json and registry CA is in
 * place before the config.toml that binds it (Docker would create a directory
 * for a missing bind source), and files of removed runners or registries go
 * only after config.toml no longer names them. The staged copies are deleted on exit, failure included:
 * the exited container stays on the host (Pulumi tracks it) and must not keep a
 * second copy of the runner tokens.
 */
import { posix } from "node:path";
import type { DockerHost, Fleet, RegistryCertificate } from "../model/fleet.js";
import { HOST_SUBDIRECTORIES, dockerHostPaths } from "../model/host-paths.js";
import { DOCKER_NAMES, GITLAB_CA_FILE_NAME, ROLES } from "../model/names.js";
import type { BuildServiceConfigFile } from "../render/build-service-config.js";
import { registryCertificatePath } from "../model/registry-certificates.js";
import { CONFIG_TOML_FILE_NAME } from "../render/manager-config-file.js";
import { containerLabels } from "./container-labels.js";
import { hostDirectory, type ContainerSpec, type FileUpload } from "./container-spec.js";

/** Where the host's `hostConfigDir` is mounted inside the writer. */
export const WRITER_TARGET = "/target";
/** Where the uploads land inside the writer, in the same layout as the target. */
export const WRITER_STAGING = "/staging";

const CONFIG_DIR = HOST_SUBDIRECTORIES.managerConfig;
const DAEMON_DIR = HOST_SUBDIRECTORIES.daemonJson;
const CERTS_DIR = HOST_SUBDIRECTORIES.registryCertificates;

/** The registries one runner's dind trusts with a CA (see registry-certificates.ts). */
export interface RunnerRegistryCertificates {
  readonly runner: string;
  readonly certificates: readonly Pick<RegistryCertificate, "registry">[];
}

/** `certs.d/<runner>/<host[:port]>/ca.crt`, below the staging and target directories. */
function certificateFile(runner: string, certificate: Pick<RegistryCertificate, "registry">) {
  return `${CERTS_DIR}/${runner}/${registryCertificatePath(certificate)}`;
}
const CONFIG_TOML = `${CONFIG_DIR}/${CONFIG_TOML_FILE_NAME}`;
const GITLAB_CA = `${CONFIG_DIR}/${GITLAB_CA_FILE_NAME}`;

/** What the writer puts on the host; `configToml` may be a secret. */
export interface HostConfigFiles<Secret> {
  readonly configToml: Secret;
  readonly gitlabCa?: string;
  /** runner name -> its build-service config (daemon.json, buildkitd.toml); none for `socket` runners */
  readonly serviceConfigs: ReadonlyMap<string, BuildServiceConfigFile>;
}

/**
 * The shell script the writer runs (POSIX sh; `mv -T` is in GNU coreutils and
 * busybox). It depends only on the host directory (for messages) and the file names.
 */
export function configWriterScript(
  hostConfigDir: string,
  serviceConfigNames: readonly string[],
  withCa: boolean,
  registryCertificates: readonly RunnerRegistryCertificates[] = [],
): string {
  const trusting = registryCertificates.filter((entry) => entry.certificates.length > 0);
  const keep = serviceConfigNames.join(" ");
  const lines = [
    "set -eu",
    // One stream: the log keeps the order of what happened (the deployment quotes its tail).
    "exec 2>&1",
    `trap 'rm -rf ${WRITER_STAGING}' EXIT`,
    // hostConfigDir is validated (plain path characters only): safe in single quotes.
    `host_dir='${hostConfigDir}'`,
    'fail() { echo "dind-runners config writer: $*" >&2; exit 1; }',
    // put FILE MODE: FILE is relative to the staging and target directories.
    // Unchanged content is left as it is (same inode); otherwise copy next to the
    // destination, then rename over it (atomic; -T never moves into a directory).
    "put() {",
    `  [ -d "${WRITER_TARGET}/$1" ] && fail "refusing to replace $host_dir/$1: it is a directory` +
      " (Docker creates one when a container binds a file that is missing);" +
      ' remove it on the host, then run pulumi up again"',
    `  if [ -f "${WRITER_TARGET}/$1" ] && cmp -s "${WRITER_STAGING}/$1" "${WRITER_TARGET}/$1"; then`,
    `    chmod "$2" "${WRITER_TARGET}/$1"; echo "unchanged $host_dir/$1"; return 0`,
    "  fi",
    `  rm -f "${WRITER_TARGET}/$1.tmp"`,
    `  cp "${WRITER_STAGING}/$1" "${WRITER_TARGET}/$1.tmp"`,
    `  chmod "$2" "${WRITER_TARGET}/$1.tmp"`,
    `  mv -fT "${WRITER_TARGET}/$1.tmp" "${WRITER_TARGET}/$1"`,
    '  echo "wrote $host_dir/$1"',
    "}",
    // remove FILE: only files; a directory there is not something this writer wrote.
    "remove() {",
    `  if [ -d "${WRITER_TARGET}/$1" ]; then echo "left $host_dir/$1 alone: it is a directory"; return 0; fi`,
    `  [ -e "${WRITER_TARGET}/$1" ] || return 0`,
    `  rm -f "${WRITER_TARGET}/$1"; echo "removed $host_dir/$1"`,
    "}",
    `mkdir -p ${WRITER_TARGET}/${CONFIG_DIR} ${WRITER_TARGET}/${DAEMON_DIR} ${WRITER_TARGET}/${CERTS_DIR}`,
    `for file in ${keep}; do put ${DAEMON_DIR}/$file 644; done`,
    // Registry names are host[:port] and runner names DNS labels: nothing the shell interprets.
    ...trusting.flatMap(({ runner, certificates }) =>
      certificates.flatMap((certificate) => {
        const file = certificateFile(runner, certificate);
        return [`mkdir -p "${WRITER_TARGET}/${posix.dirname(file)}"`, `put "${file}" 644`];
      }),
    ),
    withCa ? `put ${GITLAB_CA} 644` : `remove ${GITLAB_CA}`,
    `put ${CONFIG_TOML} 600`,
    // Only the kinds of file this writer puts there (a `<runner>.json` or `<runner>.buildkitd.toml`).
    `for path in ${WRITER_TARGET}/${DAEMON_DIR}/*.json ${WRITER_TARGET}/${DAEMON_DIR}/*.buildkitd.toml; do`,
    '  [ -e "$path" ] || continue',
    `  case " ${keep} " in *" \${path##*/} "*) ;; *) remove ${DAEMON_DIR}/"\${path##*/}" ;; esac`,
    "done",
    // certs.d holds only what this writer put there: registries and runners the
    // stack no longer names go, whole.
    ...removeOtherDirectories(
      CERTS_DIR,
      trusting.map((entry) => entry.runner),
    ),
    ...trusting.flatMap(({ runner, certificates }) =>
      removeOtherDirectories(
        `${CERTS_DIR}/${runner}`,
        certificates.map((certificate) => certificate.registry),
      ),
    ),
  ];
  return lines.join("\n") + "\n";
}

/** Shell lines removing the entries of `dir` (below the target) whose name is not in `keep`. */
function removeOtherDirectories(dir: string, keep: readonly string[]): string[] {
  return [
    `for path in ${WRITER_TARGET}/${dir}/*; do`,
    '  [ -e "$path" ] || continue',
    `  case " ${keep.join(" ")} " in *" \${path##*/} "*) ;; *) rm -rf "$path"; echo "removed $host_dir/${dir}/\${path##*/}" ;; esac`,
    "done",
  ];
}

/** Each runner's registry CAs, in stack order. */
export function runnerRegistryCertificates(host: DockerHost): RunnerRegistryCertificates[] {
  return host.runners.map((runner) => ({
    runner: runner.name,
    certificates: runner.dind.registryCertificates,
  }));
}

export function configWriterSpec<Secret>(
  fleet: Fleet,
  host: DockerHost,
  files: HostConfigFiles<Secret>,
): ContainerSpec<Secret | string> {
  const serviceConfigs = host.runners.flatMap((runner) => {
    const file = files.serviceConfigs.get(runner.name);
    if (file !== undefined) return [file];
    // The host's own daemon serves a socket runner: it has no file of ours.
    if (runner.backend.kind === "socket") return [];
    throw new Error(`no build-service config for runner ${runner.name}`);
  });
  const serviceConfigNames = serviceConfigs.map((file) => file.fileName);
  const uploads: FileUpload<Secret | string>[] = [
    // Holds the tokens: readable by root only from the moment it lands.
    { file: `${WRITER_STAGING}/${CONFIG_TOML}`, content: files.configToml, permissions: "0600" },
  ];
  if (files.gitlabCa !== undefined) {
    uploads.push({ file: `${WRITER_STAGING}/${GITLAB_CA}`, content: files.gitlabCa });
  }
  for (const { fileName, content } of serviceConfigs) {
    uploads.push({ file: `${WRITER_STAGING}/${DAEMON_DIR}/${fileName}`, content });
  }
  for (const runner of host.runners) {
    for (const certificate of runner.dind.registryCertificates) {
      uploads.push({
        file: `${WRITER_STAGING}/${certificateFile(runner.name, certificate)}`,
        content: certificate.caCertificate,
      });
    }
  }
  return {
    name: DOCKER_NAMES.configWriterContainer,
    image: host.manager.runnerImage,
    restart: "no",
    mustRun: false,
    attach: true,
    privileged: false,
    mounts: [],
    // A `volumes` bind (HostConfig.Binds), not `mounts`: the engine creates a
    // missing source directory for it, and the writer is the first container
    // to use the host directory on a fresh host.
    volumes: [hostDirectory(dockerHostPaths(host).root, WRITER_TARGET)],
    labels: containerLabels(fleet, host, ROLES.configWriter),
    entrypoints: ["/bin/sh", "-c"],
    command: [
      configWriterScript(
        host.hostConfigDir,
        serviceConfigNames,
        files.gitlabCa !== undefined,
        runnerRegistryCertificates(host),
      ),
    ],
    uploads,
  };
}
