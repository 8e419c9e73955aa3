/**
 * Reads the live config.toml of a Docker host's runner manager through the
 * Docker Engine API: find the manager container, then
 * `GET /containers/{id}/archive?path=/etc/gitlab-runner/config.toml` (works on a
 * stopped container too, and reads through the bind mount the file lives on).
 */
import type Docker from "dockerode";
import type { DockerHost, Fleet } from "../model/fleet.js";
import { containerLabelMap } from "../docker/container-labels.js";
import { DOCKER_NAMES, ROLES } from "../model/names.js";
import { MANAGER_CONFIG_TOML_PATH } from "../render/manager-config-file.js";
import { LiveReadError, type LiveConfigRead } from "./live-config.js";
import { readSingleFileTar, TarFormatError, type TarEntry } from "./single-file-tar.js";

/** How to find the manager container on a host. */
export interface ManagerContainerLookup {
  /** Labels the deployed manager carries; all must match. */
  readonly labels: Readonly<Record<string, string>>;
  /** Container name to fall back to when no container carries the labels. */
  readonly name: string;
  /** Path of config.toml inside the container. */
  readonly configPath: string;
}

/** The lookup for the manager `pulumi up` deployed for this host. */
export function managerContainerLookup(fleet: Fleet, host: DockerHost): ManagerContainerLookup {
  return {
    labels: containerLabelMap(fleet, host, ROLES.manager),
    name: DOCKER_NAMES.managerContainer,
    configPath: MANAGER_CONFIG_TOML_PATH,
  };
}

/** Largest config.toml accepted; a real one is a few KiB. */
const MAX_ARCHIVE_BYTES = 8 * 1024 * 1024;

/**
 * @param engine how the engine was reached, for messages (e.g. `unix:///var/run/docker.sock`).
 * @throws LiveReadError when the engine cannot be reached or answers unexpectedly.
 */
export async function readDockerManagerConfig(
  docker: Docker,
  lookup: ManagerContainerLookup,
  engine: string,
): Promise<LiveConfigRead> {
  const container = await findManager(docker, lookup, engine);
  if (container === undefined) {
    const labels = Object.entries(lookup.labels)
      .map(([key, value]) => `${key}=${value}`)
      .join(",");
    return {
      status: "missing-manager",
      source: `no container labelled ${labels} or named ${lookup.name}`,
    };
  }
  const where = `container ${container.name}${container.state === "running" ? "" : ` (${container.state})`}`;
  const source = `${where}:${lookup.configPath}`;
  let archive: Buffer;
  try {
    const stream = await docker.getContainer(container.id).getArchive({ path: lookup.configPath });
    archive = await collect(stream, MAX_ARCHIVE_BYTES);
  } catch (error) {
    if (statusCode(error) === 404) return { status: "missing-file", source };
    throw engineError(error, engine);
  }
  const entry = fileInArchive(archive, source);
  if (entry.kind !== "file") {
    throw new LiveReadError(`${source} is a ${entry.type}, not a regular file`);
  }
  return { status: "found", source, text: entry.content.toString("utf8") };
}

function fileInArchive(archive: Buffer, source: string): TarEntry {
  try {
    return readSingleFileTar(archive);
  } catch (error) {
    if (error instanceof TarFormatError) {
      throw new LiveReadError(`reading ${source}: the engine sent ${error.message}`);
    }
    throw error;
  }
}

export interface FoundContainer {
  readonly id: string;
  readonly name: string;
  readonly state: string;
}

async function findManager(
  docker: Docker,
  lookup: ManagerContainerLookup,
  engine: string,
): Promise<FoundContainer | undefined> {
  return findProductContainer(docker, lookup, engine, "the manager's");
}

/**
 * The one container carrying all `lookup.labels`, else the one named
 * `lookup.name`, else undefined. `whose` names the labels in a message
 * (e.g. `the manager's`).
 * @throws LiveReadError when the engine cannot be asked or several carry the labels.
 */
export async function findProductContainer(
  docker: Docker,
  lookup: Pick<ManagerContainerLookup, "labels" | "name">,
  engine: string,
  whose: string,
): Promise<FoundContainer | undefined> {
  try {
    const label = Object.entries(lookup.labels).map(([key, value]) => `${key}=${value}`);
    const labelled = await docker.listContainers({ all: true, filters: { label } });
    if (labelled.length > 1) {
      const names = labelled.map((info) => containerName(info.Names)).sort();
      throw new LiveReadError(
        `${labelled.length} containers carry ${whose} labels (${names.join(", ")}); expected one`,
      );
    }
    const byLabel = labelled[0];
    if (byLabel !== undefined) return found(byLabel);
    // The name filter matches substrings: keep only the exact name.
    const named = await docker.listContainers({ all: true, filters: { name: [lookup.name] } });
    const byName = named.find((info) => info.Names.includes(`/${lookup.name}`));
    return byName === undefined ? undefined : found(byName);
  } catch (error) {
    if (error instanceof LiveReadError) throw error;
    throw engineError(error, engine);
  }
}

function found(info: Docker.ContainerInfo): FoundContainer {
  return { id: info.Id, name: containerName(info.Names), state: info.State };
}

function containerName(names: readonly string[]): string {
  return (names[0] ?? "").replace(/^\//, "");
}

function statusCode(error: unknown): number | undefined {
  const code = (error as { statusCode?: unknown } | null)?.statusCode;
  return typeof code === "number" ? code : undefined;
}

function engineError(error: unknown, engine: string): LiveReadError {
  const message = error instanceof Error ? error.message : String(error);
  const status = statusCode(error);
  if (status !== undefined) {
    return new LiveReadError(`the Docker engine at ${engine} answered: ${oneLine(message)}`);
  }
  return new LiveReadError(`cannot reach the Docker engine at ${engine}: ${oneLine(message)}`);
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

async function collect(stream: NodeJS.ReadableStream, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of stream) {
    const buffer = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
    total += buffer.length;
    if (total > limit) throw new LiveReadError(`config.toml archive exceeds ${limit} bytes`);
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}
