/**
 * `hostConfigDir`: the directory on a Docker host that holds config.toml, the
 * GitLab CA and the dind daemon.json files. The path ends up in Docker binds
 * (`host:container[:ro]`, in the container specs and in config.toml's
 * `volumes`), where a `:` would split it, so only plain path characters are
 * let in; `.` and `..` segments are refused so the path says where files land.
 */

const SEGMENT = /^[A-Za-z0-9_@+-][A-Za-z0-9._@+-]*$/;

export const HOST_DIRECTORY_FORM =
  'an absolute directory path such as /etc/dind-runners (segments of letters, digits, ".", "_", "-", "@" and "+"; no "." or ".." segments, no trailing "/")';

/** What is wrong with `text` as a host directory, or undefined. */
export function hostDirectoryProblem(text: string): string | undefined {
  const found = `found ${JSON.stringify(text)}`;
  if (!text.startsWith("/")) return `expected ${HOST_DIRECTORY_FORM}, ${found}`;
  if (text === "/") {
    return `expected a directory below /, ${found}; the product creates gitlab-runner/ and dind/ in it`;
  }
  const segments = text.slice(1).split("/");
  if (segments.includes("..") || segments.includes(".")) {
    return `expected ${HOST_DIRECTORY_FORM} without "." or ".." segments, ${found}`;
  }
  if (!segments.every((segment) => SEGMENT.test(segment))) {
    return `expected ${HOST_DIRECTORY_FORM}, ${found}`;
  }
  return undefined;
}
