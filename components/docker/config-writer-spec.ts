/**
 * The one-shot container that writes a host's config.toml, GitLab CA and dind
 * daemon.json files under /etc/dind-runners on the host.
 *
 * The files arrive as uploads into a staging directory; a change of any content
 * replaces this container (and only this one), which copies the files into place
 * atomically (temporary file, then rename), so the manager never reads a half
 * written config.toml. Daemon files of runners that were removed are deleted.
 * The staged copies are deleted last: the exited container stays on the host
 * (Pulumi tracks it) and must not keep a second copy of the runner tokens.
 */
import { posix } from "node:path";
import { PATHS } from "../model/defaults.js";
import type { DockerHost, Fleet } from "../model/fleet.js";
import { DOCKER_NAMES, GITLAB_CA_FILE_NAME, ROLES, daemonJsonFileName } from "../model/names.js";
import { containerLabels } from "./container-labels.js";
import { hostDirectory, type ContainerSpec, type FileUpload } from "./container-spec.js";

/** Where the host's PATHS.hostRoot is mounted inside the writer. */
export const WRITER_TARGET = "/target";
/** Where the uploads land inside the writer. */
export const WRITER_STAGING = "/staging";

const CONFIG_DIR = posix.relative(PATHS.hostRoot, PATHS.hostConfigDir);
const DAEMON_DIR = posix.relative(PATHS.hostRoot, PATHS.hostDaemonDir);

/** What the writer puts on the host; `configToml` may be a secret. */
export interface HostConfigFiles<Secret> {
  readonly configToml: Secret;
  readonly gitlabCa?: string;
  /** runner name -> daemon.json content */
  readonly daemonJson: ReadonlyMap<string, string>;
}

/** The shell script the writer runs; it depends only on the file names. */
export function configWriterScript(runnerNames: readonly string[], withCa: boolean): string {
  const config = `${WRITER_TARGET}/${CONFIG_DIR}`;
  const daemon = `${WRITER_TARGET}/${DAEMON_DIR}`;
  const keep = runnerNames.map((name) => daemonJsonFileName({ name })).join(" ");
  const lines = [
    "set -eu",
    // put SRC DEST MODE: copy next to the destination, then rename over it (atomic).
    'put() { cp "$1" "$2.tmp"; chmod "$3" "$2.tmp"; mv -f "$2.tmp" "$2"; }',
    `mkdir -p ${config} ${daemon}`,
    `put ${WRITER_STAGING}/config.toml ${config}/config.toml 600`,
    ...(withCa
      ? [`put ${WRITER_STAGING}/${GITLAB_CA_FILE_NAME} ${config}/${GITLAB_CA_FILE_NAME} 644`]
      : [`rm -f ${config}/${GITLAB_CA_FILE_NAME}`]),
    `for file in ${keep}; do put ${WRITER_STAGING}/dind/$file ${daemon}/$file 644; done`,
    `for path in ${daemon}/*.json; do`,
    '  [ -e "$path" ] || continue',
    `  case " ${keep} " in *" \${path##*/} "*) ;; *) rm -f "$path" ;; esac`,
    "done",
    `rm -rf ${WRITER_STAGING}`,
  ];
  return lines.join("\n") + "\n";
}

export function configWriterSpec<Secret>(
  fleet: Fleet,
  host: DockerHost,
  files: HostConfigFiles<Secret>,
): ContainerSpec<Secret | string> {
  const runnerNames = host.runners.map((runner) => runner.name);
  const uploads: FileUpload<Secret | string>[] = [
    // Holds the tokens: readable by root only from the moment it lands.
    { file: `${WRITER_STAGING}/config.toml`, content: files.configToml, permissions: "0600" },
  ];
  if (files.gitlabCa !== undefined) {
    uploads.push({ file: `${WRITER_STAGING}/${GITLAB_CA_FILE_NAME}`, content: files.gitlabCa });
  }
  for (const name of runnerNames) {
    const content = files.daemonJson.get(name);
    if (content === undefined) throw new Error(`no daemon.json for runner ${name}`);
    uploads.push({ file: `${WRITER_STAGING}/dind/${daemonJsonFileName({ name })}`, content });
  }
  return {
    name: DOCKER_NAMES.configWriterContainer,
    image: host.manager.runnerImage,
    restart: "no",
    mustRun: false,
    attach: true,
    privileged: false,
    mounts: [],
    // Created on a fresh host by this bind: the writer is the first to use it.
    volumes: [hostDirectory(PATHS.hostRoot, WRITER_TARGET)],
    labels: containerLabels(fleet, host, ROLES.configWriter),
    entrypoints: ["/bin/sh", "-c"],
    command: [configWriterScript(runnerNames, files.gitlabCa !== undefined)],
    uploads,
  };
}
