/**
 * hostConfigDir against Linux's name and path limits (NAME_MAX 255 bytes,
 * PATH_MAX 4096 bytes with the NUL), leaving room for the deepest file the
 * product writes below it.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  HOST_DIRECTORY_MAX_BYTES,
  hostDirectoryProblem,
} from "../../components/config/grammars/host-directory.js";

const shown = (text: string) => JSON.stringify(`${text.slice(0, 60)}...`);

/** An absolute path of exactly `bytes` bytes, in segments of at most 200. */
function pathOf(bytes: number): string {
  let path = "";
  while (path.length < bytes) {
    const room = bytes - path.length - 1;
    path += "/" + "p".repeat(Math.max(1, Math.min(200, room)));
  }
  assert.equal(path.length, bytes);
  return path;
}

describe("hostDirectoryProblem: lengths", () => {
  it("leaves 339 bytes of PATH_MAX for certs.d/<runner>/<registry>/ca.crt", () => {
    assert.equal(HOST_DIRECTORY_MAX_BYTES, 4095 - 339);
  });

  it("accepts a 255-byte segment and a path of the largest length", () => {
    assert.equal(hostDirectoryProblem(`/srv/${"s".repeat(255)}`), undefined);
    assert.equal(hostDirectoryProblem(pathOf(HOST_DIRECTORY_MAX_BYTES)), undefined);
  });

  it("refuses a 256-byte segment, and a 10,000-byte one, naming Linux's NAME_MAX", () => {
    for (const length of [256, 10_000]) {
      const segment = "s".repeat(length);
      const path = `/srv/${segment}/dind-runners`;
      assert.equal(
        hostDirectoryProblem(path),
        `expected path segments of at most 255 bytes, found ${shown(segment)} (${length} bytes) in ${shown(path)}; Linux refuses a longer file name (NAME_MAX 255, ENAMETOOLONG)`,
      );
    }
  });

  it("refuses a path one byte too long, naming PATH_MAX and the room kept for files", () => {
    const path = pathOf(HOST_DIRECTORY_MAX_BYTES + 1);
    assert.equal(
      hostDirectoryProblem(path),
      `expected a path of at most 3756 bytes, found ${shown(path)} (3757 bytes); Linux refuses a path above 4095 bytes (PATH_MAX 4096 with its NUL), and the deepest file written below this directory (certs.d/<runner>/<registry>/ca.crt) adds up to 339 bytes`,
    );
  });
});
