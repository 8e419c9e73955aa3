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

/** One file the Docker provider copies into a container before it starts. */
export interface FileUpload<Content> {
  readonly file: string;
  readonly content: Content;
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
  readonly mounts: readonly BindMount[];
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
