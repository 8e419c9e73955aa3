/** One file `npm run render` writes (and `pulumi up` deploys), path relative to `out/<env>/`. */
export interface RenderedFile {
  /** POSIX path relative to the environment's output directory, e.g. `docker-hosts/a/config.toml`. */
  readonly path: string;
  readonly content: string;
}
