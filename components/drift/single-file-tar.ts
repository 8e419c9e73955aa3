/**
 * Reads the one file of a tar archive, as the Docker Engine API returns it for
 * `GET /containers/{id}/archive?path=<file>`. A tiny ustar/pax reader instead of
 * a dependency: the archive holds a single entry (plus, at most, pax or GNU
 * long-name headers), and every header's checksum is verified. Pure.
 */

/** The archive's entry: a regular file with its content, or what else the path turned out to be. */
export type TarEntry =
  | { readonly kind: "file"; readonly name: string; readonly content: Buffer }
  | { readonly kind: "other"; readonly name: string; readonly type: string };

export class TarFormatError extends Error {
  constructor(message: string) {
    super(`not a valid tar archive: ${message}`);
    this.name = "TarFormatError";
  }
}

const BLOCK = 512;

const TYPE_NAMES: Readonly<Record<string, string>> = {
  "1": "hard link",
  "2": "symbolic link",
  "3": "character device",
  "4": "block device",
  "5": "directory",
  "6": "FIFO",
};

/** The first entry that is not a metadata header (pax `x`/`g`, GNU `L`/`K`). */
export function readSingleFileTar(archive: Uint8Array): TarEntry {
  const tar = Buffer.from(archive.buffer, archive.byteOffset, archive.byteLength);
  let offset = 0;
  let longName: string | undefined;
  let paxPath: string | undefined;
  while (offset + BLOCK <= tar.length) {
    const header = tar.subarray(offset, offset + BLOCK);
    if (header.every((byte) => byte === 0)) break;
    verifyChecksum(header, offset);
    const size = readSize(header.subarray(124, 136), offset);
    const type = String.fromCharCode(header[156] ?? 0);
    const dataStart = offset + BLOCK;
    const dataEnd = dataStart + size;
    if (dataEnd > tar.length) throw new TarFormatError(`entry at byte ${offset} is truncated`);
    const data = tar.subarray(dataStart, dataEnd);
    offset = dataStart + Math.ceil(size / BLOCK) * BLOCK;
    if (type === "x") {
      paxPath = paxRecords(data).get("path") ?? paxPath;
      continue;
    }
    if (type === "g" || type === "K") continue;
    if (type === "L") {
      longName = cString(data);
      continue;
    }
    const name = paxPath ?? longName ?? headerName(header);
    if (type === "0" || type === "\0" || type === "7") {
      return { kind: "file", name, content: Buffer.from(data) };
    }
    return { kind: "other", name, type: TYPE_NAMES[type] ?? `type ${JSON.stringify(type)}` };
  }
  throw new TarFormatError("no entry");
}

function verifyChecksum(header: Buffer, offset: number): void {
  const stored = parseOctal(header.subarray(148, 156));
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : (header[i] ?? 0);
  if (stored !== sum) throw new TarFormatError(`header checksum mismatch at byte ${offset}`);
}

function readSize(field: Buffer, offset: number): number {
  // GNU base-256 for sizes of 8 GiB and more: high bit of the first byte set.
  if (((field[0] ?? 0) & 0x80) !== 0) {
    let size = (field[0] ?? 0) & 0x7f;
    for (let i = 1; i < field.length; i++) size = size * 256 + (field[i] ?? 0);
    return size;
  }
  const size = parseOctal(field);
  if (size === undefined) throw new TarFormatError(`bad size field at byte ${offset}`);
  return size;
}

function parseOctal(field: Buffer): number | undefined {
  const text = cString(field).trim();
  if (!/^[0-7]+$/.test(text)) return undefined;
  return parseInt(text, 8);
}

function cString(bytes: Buffer): string {
  const end = bytes.indexOf(0);
  return bytes.subarray(0, end < 0 ? bytes.length : end).toString("utf8");
}

function headerName(header: Buffer): string {
  const name = cString(header.subarray(0, 100));
  const isUstar = header.subarray(257, 262).toString("latin1") === "ustar";
  const prefix = isUstar ? cString(header.subarray(345, 500)) : "";
  return prefix === "" ? name : `${prefix}/${name}`;
}

/** pax extended header records: `<length> <key>=<value>\n`. */
function paxRecords(data: Buffer): Map<string, string> {
  const records = new Map<string, string>();
  let offset = 0;
  while (offset < data.length) {
    const space = data.indexOf(0x20, offset);
    if (space < 0) break;
    const length = parseInt(data.subarray(offset, space).toString("latin1"), 10);
    if (!Number.isInteger(length) || length <= 0) break;
    const record = data.subarray(space + 1, offset + length - 1).toString("utf8");
    const equals = record.indexOf("=");
    if (equals > 0) records.set(record.slice(0, equals), record.slice(equals + 1));
    offset += length;
  }
  return records;
}
