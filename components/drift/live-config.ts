/**
 * What reading a manager's live config.toml can find. Not finding the file or
 * the manager is drift (it was deployed); not being able to look is an error.
 */

export type LiveConfigRead =
  /** `source` says where the text came from, e.g. `container dind-runners-manager:/etc/gitlab-runner/config.toml`. */
  | { readonly status: "found"; readonly source: string; readonly text: string }
  /** The manager exists but has no config.toml. */
  | { readonly status: "missing-file"; readonly source: string }
  /** No manager (container, Secret) was found where it was deployed; `source` says what was looked for. */
  | { readonly status: "missing-manager"; readonly source: string };

/** The live state could not be looked at (host unreachable, credentials missing, ...). Not drift. */
export class LiveReadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "LiveReadError";
  }
}
