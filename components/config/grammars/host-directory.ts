/**
 * `hostConfigDir`: the directory on a Docker host that holds config.toml, the
 * GitLab CA and the dind daemon.json files. The path ends up in Docker binds
 * (`host:container[:ro]`, in the container specs and in config.toml's
 * `volumes`), where a `:` would split it, so only plain path characters are
 * let in; `.` and `..` segments are refused so the path says where files land.
 * Linux refuses a name above NAME_MAX bytes and a path above PATH_MAX bytes with
 * ENAMETOOLONG (include/uapi/linux/limits.h), so the lengths are measured in
 * UTF-8 bytes and leave room for the files written below the directory.
 */
import { quoted } from "../messages/describe-value.js";

const SEGMENT = /^[A-Za-z0-9_@+-][A-Za-z0-9._@+-]*$/;

/** Linux NAME_MAX: bytes in one path segment. */
const NAME_MAX = 255;
/** Linux PATH_MAX (4096) without the terminating NUL: bytes in a whole path. */
const PATH_MAX_BYTES = 4095;
/**
 * The longest path the product puts below the directory:
 * `/certs.d/<runner>/<registry host:port>/ca.crt`, with a 63-character runner name
 * and a 253-character hostname with `:65535`.
 */
const DEEPEST_FILE_BYTES =
  "/certs.d/".length + 63 + "/".length + 253 + ":65535".length + "/ca.crt".length;
/** Bytes left for the directory itself. */
export const HOST_DIRECTORY_MAX_BYTES = PATH_MAX_BYTES - DEEPEST_FILE_BYTES;

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
  return lengthProblem(text, segments);
}

function lengthProblem(text: string, segments: readonly string[]): string | undefined {
  const long = segments.find((segment) => utf8Bytes(segment) > NAME_MAX);
  if (long !== undefined) {
    return `expected path segments of at most ${NAME_MAX} bytes, found ${quoted(long)} (${utf8Bytes(long)} bytes) in ${quoted(text)}; Linux refuses a longer file name (NAME_MAX ${NAME_MAX}, ENAMETOOLONG)`;
  }
  const bytes = utf8Bytes(text);
  if (bytes > HOST_DIRECTORY_MAX_BYTES) {
    return `expected a path of at most ${HOST_DIRECTORY_MAX_BYTES} bytes, found ${quoted(text)} (${bytes} bytes); Linux refuses a path above ${PATH_MAX_BYTES} bytes (PATH_MAX 4096 with its NUL), and the deepest file written below this directory (certs.d/<runner>/<registry>/ca.crt) adds up to ${DEEPEST_FILE_BYTES} bytes`;
  }
  return undefined;
}

function utf8Bytes(text: string): number {
  return new TextEncoder().encode(text).length;
}
