/**
 * Plain descriptions of the containers a Docker host gets. They use the field
 * names of @pulumi/docker's ContainerArgs, so the component passes them on as
 * they are, but they are plain data: tests read them without Pulumi.
 */

/** A bind mount of a host path. */
export interface BindMount {
  readonly type: "bind";
  readonly source: string;
  readonly target: string;
  readonly readOnly: boolean;
}

/**
 * A host directory bound with Docker's older `-v` API, which creates the host
 * directory when it is missing; `mounts` refuses a missing source ("bind source
 * path does not exist"), so a fresh host needs this for directories we create.
 */
export interface HostDirectoryVolume {
  readonly hostPath: string;
  readonly containerPath: string;
  readonly readOnly: boolean;
}

/** One file the Docker provider copies into a container before it starts. */
export interface FileUpload<Content> {
  readonly file: string;
  readonly content: Content;
  /** Octal mode of the file, e.g. `0600`; the provider's default is 0644. */
  readonly permissions?: string;
  readonly executable?: boolean;
}

export interface ContainerLabel {
  readonly label: string;
  readonly value: string;
}

export interface ContainerSpec<Content = string> {
  readonly name: string;
  readonly image: string;
  readonly restart: "unless-stopped" | "no";
  /** false for one-shot containers: the provider must not restart them after they exit. */
  readonly mustRun: boolean;
  /** true for one-shot containers: `pulumi up` waits for them to finish. */
  readonly attach: boolean;
  readonly privileged: boolean;
  /** `host` shares the host's network stack; absent means Docker's default bridge. */
  readonly networkMode?: "host";
  /** Binds of host paths that must exist already. */
  readonly mounts: readonly BindMount[];
  /** Binds of host directories Docker creates when missing. */
  readonly volumes?: readonly HostDirectoryVolume[];
  readonly labels: readonly ContainerLabel[];
  readonly entrypoints?: readonly string[];
  readonly command?: readonly string[];
  readonly envs?: readonly string[];
  readonly uploads?: readonly FileUpload<Content>[];
  readonly stopSignal?: string;
  readonly stopTimeout?: number;
}

export function bind(source: string, target: string, readOnly = false): BindMount {
  return { type: "bind", source, target, readOnly };
}

export function hostDirectory(
  hostPath: string,
  containerPath: string,
  readOnly = false,
): HostDirectoryVolume {
  return { hostPath, containerPath, readOnly };
}
