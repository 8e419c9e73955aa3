/**
 * A stand-in for @pulumi/docker's provider under Pulumi's mocks that applies
 * what the program declares to the REAL Docker engine, so the engine (not our
 * own model of it) judges the container specs. Test support only, and kept
 * small: it implements only the inputs DockerRunnerHost uses.
 *
 * @pulumi/docker 5.x bridges kreuzwerker/terraform-provider-docker; the mapping
 * follows its internal/provider/resource_docker_container_funcs.go
 * (resourceDockerContainerCreate, ...Read, ...Delete) and
 * resource_docker_container_structures.go (volumeSetToDockerVolumes):
 * - `mounts` -> HostConfig.Mounts (a `bind` source must exist: the engine refuses it otherwise);
 * - `volumes` -> HostConfig.Binds `host:container:rw|ro` (the engine creates a missing host directory);
 * - `uploads` -> one tar per file, copied to `/` before start, mode `permissions`,
 *   else 0744 when `executable`, else 0644;
 * - `attach` -> waits until the container is not running; `logs` -> `containerLogs`;
 *   Read sets `exitCode` of a container that is not running; a non-zero exit is NOT an error;
 * - `entrypoints`, `command`, `envs`, `labels`, `stopSignal`, `stopTimeout`, `restart`,
 *   `networkMode`, `privileged`; images are referenced by name;
 * - delete: unless `attach`, stop with `destroyGraceSeconds` (0 when unset: the stop
 *   signal, then an immediate kill), then a forced remove.
 * Pulumi's side: pulumi-docker marks Container `DeleteBeforeReplace`
 * (provider/resources.go), and the container inputs DockerRunnerHost varies are
 * ForceNew in the Terraform schema (resource_docker_container.go), so a change
 * replaces: delete, then create. (The few inputs it updates in place, such as
 * `restart` or `destroyGraceSeconds`, never change alone in these specs; this
 * stand-in replaces on any change.)
 *
 * State survives between "deploys" (one program run each, see
 * test/docker/engine-deploy-child.ts) in a JSON file keyed by type and
 * resource name (unique per program, like the URN): identical inputs are a
 * no-op returning the previous outputs; a resource the new deploy does not
 * declare is deleted after a successful deploy (never after a failed one, like
 * the Pulumi engine). RemoteImage checks that the image is on the engine (no
 * pulls here); `keepLocally` images are never removed. Other types (the
 * provider itself, Kubernetes) are echoed as the plain mocks do.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import * as pulumi from "@pulumi/pulumi";
import type Docker from "dockerode";
import { isSecretValue } from "./pulumi-mocks.js";
import { tarArchive, tarEntry } from "./tar-file.js";

export const CONTAINER_TYPE = "docker:index/container:Container";
export const IMAGE_TYPE = "docker:index/remoteImage:RemoteImage";

/** What a deploy did to one resource. */
export type Operation = "create" | "same" | "replace" | "delete";

export interface AppliedOperation {
  readonly name: string;
  readonly type: string;
  readonly operation: Operation;
}

interface StoredResource {
  readonly type: string;
  readonly name: string;
  readonly id: string;
  /** Canonical JSON of the inputs, secrets unwrapped. */
  readonly inputs: string;
  readonly outputs: Record<string, unknown>;
  /** A create that failed after the container existed: replaced by the next deploy. */
  readonly failed?: boolean;
}

type Inputs = Record<string, unknown>;

export class EngineProvider {
  private readonly state: Map<string, StoredResource>;
  private readonly seen = new Set<string>();
  private inFlight = 0;
  private lastActivity = Date.now();
  readonly operations: AppliedOperation[] = [];

  constructor(
    private readonly engine: Docker,
    private readonly statePath: string,
  ) {
    const stored = existsSync(statePath)
      ? (JSON.parse(readFileSync(statePath, "utf8")) as StoredResource[])
      : [];
    this.state = new Map(stored.map((resource) => [key(resource.type, resource.name), resource]));
  }

  /** The mocks to install with `pulumi.runtime.setMocks`. */
  mocks(): pulumi.runtime.Mocks {
    return {
      newResource: async (args) => {
        this.inFlight += 1;
        try {
          return await this.apply(args.type, args.name, plain(args.inputs) as Inputs);
        } finally {
          this.inFlight -= 1;
          this.lastActivity = Date.now();
        }
      },
      call: (args) => args.inputs as Record<string, unknown>,
    };
  }

  /** Resolves once no resource is being applied and nothing happened for `quietMs`. */
  async settled(quietMs = 300): Promise<void> {
    while (this.inFlight > 0 || Date.now() - this.lastActivity < quietMs) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /**
   * Ends the deploy: after a success, deletes what it no longer declares (last
   * created first); saves the state either way.
   */
  async finish(succeeded: boolean): Promise<void> {
    if (succeeded) {
      const gone = [...this.state.entries()].filter(([k]) => !this.seen.has(k)).reverse();
      for (const [k, resource] of gone) {
        await this.delete(resource);
        this.state.delete(k);
        this.operations.push({ name: resource.name, type: resource.type, operation: "delete" });
      }
    }
    writeFileSync(this.statePath, JSON.stringify([...this.state.values()], null, 2));
  }

  private async apply(type: string, name: string, inputs: Inputs) {
    const k = key(type, name);
    this.seen.add(k);
    const canonical = canonicalJson(inputs);
    const previous = this.state.get(k);
    if (previous !== undefined && !previous.failed && previous.inputs === canonical) {
      this.operations.push({ name, type, operation: "same" });
      return { id: previous.id, state: previous.outputs };
    }
    if (previous !== undefined) {
      await this.delete(previous);
      this.state.delete(k);
    }
    const operation: Operation = previous === undefined ? "create" : "replace";
    const { error, ...created } = await this.create(type, name, inputs);
    this.state.set(k, { type, name, inputs: canonical, ...created });
    if (error !== undefined) throw error;
    this.operations.push({ name, type, operation });
    return { id: created.id, state: created.outputs };
  }

  private async create(
    type: string,
    name: string,
    inputs: Inputs,
  ): Promise<{ id: string; outputs: Inputs; failed?: boolean; error?: Error }> {
    switch (type) {
      case CONTAINER_TYPE:
        return this.createContainer(inputs);
      case IMAGE_TYPE: {
        const image = String(inputs["name"]);
        try {
          const found = await this.engine.getImage(image).inspect();
          return { id: `${found.Id}${image}`, outputs: { ...inputs, imageId: found.Id } };
        } catch (error) {
          throw new Error(`image ${image} is not on the engine (tests pull nothing)`, {
            cause: error,
          });
        }
      }
      default:
        return { id: `${name}-id`, outputs: inputs };
    }
  }

  private async createContainer(
    inputs: Inputs,
  ): Promise<{ id: string; outputs: Inputs; failed?: boolean; error?: Error }> {
    const spec = inputs as unknown as ContainerInputs;
    let container: Docker.Container;
    try {
      container = await this.engine.createContainer(containerCreateOptions(spec));
    } catch (error) {
      throw new Error(`Unable to create container: ${engineMessage(error)}`, { cause: error });
    }
    const failed = (error: Error) => ({ id: container.id, outputs: inputs, failed: true, error });
    for (const upload of spec.uploads ?? []) {
      const mode =
        upload.permissions !== undefined
          ? parseInt(upload.permissions, 8)
          : upload.executable === true
            ? 0o744
            : 0o644;
      const archive = tarArchive(
        tarEntry(upload.file.replace(/^\//, ""), upload.content, "0", mode),
      );
      try {
        await container.putArchive(archive, { path: "/" });
      } catch (error) {
        return failed(new Error(`Unable to upload volume content: ${engineMessage(error)}`));
      }
    }
    try {
      await container.start();
    } catch (error) {
      return failed(new Error(`Unable to start container: ${engineMessage(error)}`));
    }
    const outputs: Inputs = { ...inputs };
    if (spec.attach === true) {
      await container.wait({ condition: "not-running" });
      if (spec.logs === true) {
        const raw = await container.logs({ stdout: true, stderr: true, follow: false });
        outputs["containerLogs"] = demuxLogs(raw);
      }
    }
    const info = await container.inspect();
    if (!info.State.Running) outputs["exitCode"] = info.State.ExitCode;
    return { id: container.id, outputs };
  }

  private async delete(resource: StoredResource): Promise<void> {
    if (resource.type !== CONTAINER_TYPE) return; // images: keepLocally
    const inputs = JSON.parse(resource.inputs) as ContainerInputs;
    const container = this.engine.getContainer(resource.id);
    try {
      if (inputs.attach !== true) await container.stop({ t: inputs.destroyGraceSeconds ?? 0 });
    } catch (error) {
      if (statusOf(error) !== 304 && statusOf(error) !== 404) throw error;
    }
    try {
      await container.remove({ force: true, v: true });
    } catch (error) {
      if (statusOf(error) !== 404) throw error;
    }
  }
}

/** The Container inputs DockerRunnerHost uses (@pulumi/docker field names). */
interface ContainerInputs {
  readonly name: string;
  readonly image: string;
  readonly restart?: string;
  readonly attach?: boolean;
  readonly logs?: boolean;
  readonly privileged?: boolean;
  readonly networkMode?: string;
  readonly mounts?: readonly { type: string; source: string; target: string; readOnly?: boolean }[];
  readonly volumes?: readonly { hostPath: string; containerPath: string; readOnly?: boolean }[];
  readonly labels?: readonly { label: string; value: string }[];
  readonly entrypoints?: readonly string[];
  readonly command?: readonly string[];
  readonly envs?: readonly string[];
  readonly uploads?: readonly {
    file: string;
    content: string;
    permissions?: string;
    executable?: boolean;
  }[];
  readonly stopSignal?: string;
  readonly stopTimeout?: number;
  readonly destroyGraceSeconds?: number;
}

function containerCreateOptions(spec: ContainerInputs): Docker.ContainerCreateOptions {
  return {
    name: spec.name,
    Image: spec.image,
    ...(spec.entrypoints === undefined ? {} : { Entrypoint: [...spec.entrypoints] }),
    ...(spec.command === undefined ? {} : { Cmd: [...spec.command] }),
    ...(spec.envs === undefined ? {} : { Env: [...spec.envs] }),
    Labels: Object.fromEntries((spec.labels ?? []).map(({ label, value }) => [label, value])),
    ...(spec.stopSignal === undefined ? {} : { StopSignal: spec.stopSignal }),
    ...(spec.stopTimeout === undefined ? {} : { StopTimeout: spec.stopTimeout }),
    HostConfig: {
      Privileged: spec.privileged ?? false,
      RestartPolicy: { Name: spec.restart ?? "no", MaximumRetryCount: 0 },
      Mounts: (spec.mounts ?? []).map((mount) => ({
        Type: mount.type as "bind",
        Source: mount.source,
        Target: mount.target,
        ReadOnly: mount.readOnly ?? false,
      })),
      ...(spec.volumes === undefined || spec.volumes.length === 0
        ? {}
        : {
            Binds: spec.volumes.map(
              (v) => `${v.hostPath}:${v.containerPath}:${v.readOnly === true ? "ro" : "rw"}`,
            ),
          }),
      ...(spec.networkMode === undefined ? {} : { NetworkMode: spec.networkMode }),
      Init: false,
    },
  };
}

/** Docker's log stream without a TTY: 8-byte frame headers (stream, 0, 0, 0, size). */
export function demuxLogs(raw: Buffer): string {
  const parts: Buffer[] = [];
  for (let offset = 0; offset + 8 <= raw.length;) {
    const size = raw.readUInt32BE(offset + 4);
    parts.push(raw.subarray(offset + 8, offset + 8 + size));
    offset += 8 + size;
  }
  return Buffer.concat(parts).toString("utf8");
}

function key(type: string, name: string): string {
  return `${type}::${name}`;
}

/** Inputs with every secret replaced by its value: what the provider receives. */
function plain(value: unknown): unknown {
  if (isSecretValue(value)) return plain(value.value);
  if (Array.isArray(value)) return value.map(plain);
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  }
  return value;
}

function canonicalJson(value: unknown): string {
  const sorted = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sorted);
    if (typeof v === "object" && v !== null) {
      return Object.fromEntries(
        Object.keys(v)
          .sort()
          .map((k) => [k, sorted((v as Inputs)[k])]),
      );
    }
    return v;
  };
  return JSON.stringify(sorted(value));
}

function statusOf(error: unknown): number | undefined {
  const code = (error as { statusCode?: unknown } | null)?.statusCode;
  return typeof code === "number" ? code : undefined;
}

/** The engine's answer as the Docker Go client (the provider's) words it. */
function engineMessage(error: unknown): string {
  const json = (error as { json?: { message?: unknown } } | null)?.json;
  if (typeof json?.message === "string") return `Error response from daemon: ${json.message}`;
  return error instanceof Error ? error.message : String(error);
}
