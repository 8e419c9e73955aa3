/**
 * Values of the `buildkit` backend: the pinned BuildKit release and the cache
 * bound BuildKit's garbage collector keeps to.
 */
import { expectedFound } from "../messages/describe-value.js";

/** What a pinned BuildKit version looks like. */
export const BUILDKIT_VERSION_FORM = "a pinned BuildKit release x.y.z such as 0.32.2";

/**
 * moby/buildkit publishes `moby/buildkit:v<x.y.z>-rootless` for each release
 * (its .github/workflows/buildkit.yml tags the `rootless` target with the
 * release tag and `-rootless`); `latest`, `master` and `rootless` move.
 */
export function buildkitVersionProblem(text: string): string | undefined {
  return /^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$/.test(text)
    ? undefined
    : expectedFound(BUILDKIT_VERSION_FORM, text);
}

/** What a cache bound looks like. */
export const DISK_SPACE_FORM = "a whole number with MB, GB or TB, such as 10GB";

/**
 * buildkitd.toml disk-space values accept bytes, a unit string or a
 * percentage (moby/buildkit cmd/buildkitd/config/gcpolicy.go
 * `DiskSpace.UnmarshalText`, units through go-units `RAMInBytes`); only the
 * unit form is taken here, so the bound reads the same in the stack and in
 * the file, and a percentage of an unknown disk never stands for a size.
 */
export function diskSpaceProblem(text: string): string | undefined {
  return /^[1-9][0-9]{0,5}(MB|GB|TB)$/.test(text)
    ? undefined
    : expectedFound(DISK_SPACE_FORM, text);
}
