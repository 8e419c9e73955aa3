import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { readSingleFileTar, TarFormatError } from "../../components/drift/single-file-tar.js";
import { singleFileTar, tarArchive, tarEntry } from "../support/tar-file.js";

const CONFIG = 'concurrent = 4\n\n[[runners]]\n  name = "a"\n';

describe("readSingleFileTar", () => {
  it("returns the one regular file with its exact content", () => {
    assert.deepEqual(readSingleFileTar(singleFileTar("config.toml", CONFIG)), {
      kind: "file",
      name: "config.toml",
      content: Buffer.from(CONFIG),
    });
  });

  it("reads content that fills whole blocks and content of zero bytes", () => {
    const exact = "x".repeat(1024);
    const entry = readSingleFileTar(singleFileTar("a", exact));
    assert.equal(entry.kind === "file" && entry.content.toString(), exact);
    const empty = readSingleFileTar(singleFileTar("empty.toml", ""));
    assert.equal(empty.kind === "file" && empty.content.length, 0);
  });

  it("takes the name from a pax header and skips global headers", () => {
    const longName = `${"d".repeat(120)}/config.toml`;
    const record = `path=${longName}\n`;
    // A pax record is "<length> <key>=<value>\n", the length counting itself.
    const length = record.length + 4;
    const pax = `${length} ${record}`;
    assert.equal(Buffer.byteLength(pax), length);
    const archive = tarArchive(
      tarEntry("pax_global_header", "20 comment=ignored\n", "g"),
      tarEntry("PaxHeaders/config.toml", pax, "x"),
      tarEntry("config.toml", CONFIG),
    );
    const entry = readSingleFileTar(archive);
    assert.equal(entry.name, longName);
    assert.equal(entry.kind === "file" && entry.content.toString(), CONFIG);
  });

  it("takes the name from a GNU long-name entry", () => {
    const longName = `${"e".repeat(150)}.toml`;
    const archive = tarArchive(
      tarEntry("././@LongLink", `${longName}\0`, "L"),
      tarEntry("short", "x"),
    );
    assert.equal(readSingleFileTar(archive).name, longName);
  });

  it("says what the path is when it is not a regular file", () => {
    assert.deepEqual(readSingleFileTar(tarArchive(tarEntry("gitlab-runner/", "", "5"))), {
      kind: "other",
      name: "gitlab-runner/",
      type: "directory",
    });
    assert.deepEqual(readSingleFileTar(tarArchive(tarEntry("config.toml", "", "2"))), {
      kind: "other",
      name: "config.toml",
      type: "symbolic link",
    });
  });

  it("rejects a corrupted header, a truncated entry and an empty archive", () => {
    const corrupted = singleFileTar("config.toml", CONFIG);
    corrupted[0] = "C".charCodeAt(0);
    assert.throws(() => readSingleFileTar(corrupted), {
      name: "TarFormatError",
      message: "not a valid tar archive: header checksum mismatch at byte 0",
    });
    const truncated = singleFileTar("config.toml", "y".repeat(2000)).subarray(0, 1024);
    assert.throws(() => readSingleFileTar(truncated), {
      message: "not a valid tar archive: entry at byte 0 is truncated",
    });
    assert.throws(() => readSingleFileTar(Buffer.alloc(1024)), TarFormatError);
    assert.throws(() => readSingleFileTar(Buffer.alloc(0)), {
      message: "not a valid tar archive: no entry",
    });
  });
});
