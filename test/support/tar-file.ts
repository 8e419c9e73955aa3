/**
 * Writes small ustar archives: what tests hand to the Docker Engine API's
 * putArchive to place a config.toml in a container, and hand-made archives for
 * the tar reader's tests. Test support only.
 */

/**
 * One header plus its data, padded to 512-byte blocks. `type` is the ustar
 * typeflag; `linkName` the target of a symbolic (`2`) or hard (`1`) link.
 */
export function tarEntry(
  name: string,
  content: string | Buffer,
  type = "0",
  mode = 0o644,
  linkName = "",
): Buffer {
  const data = typeof content === "string" ? Buffer.from(content, "utf8") : content;
  if (Buffer.byteLength(name) > 100) throw new Error(`tar name too long: ${name}`);
  const header = Buffer.alloc(512, 0);
  header.write(name, 0, "utf8");
  writeOctal(header, 100, 8, mode);
  writeOctal(header, 108, 8, 0); // uid
  writeOctal(header, 116, 8, 0); // gid
  writeOctal(header, 124, 12, data.length);
  writeOctal(header, 136, 12, 1_700_000_000); // fixed mtime: deterministic archives
  header.fill(0x20, 148, 156); // the checksum field counts as spaces while summing
  header.write(type, 156, "latin1");
  header.write(linkName, 157, "utf8");
  header.write("ustar\u000000", 257, "latin1");
  let sum = 0;
  for (const byte of header) sum += byte;
  header.write(`${sum.toString(8).padStart(6, "0")}\u0000 `, 148, "latin1");
  const padding = Buffer.alloc((512 - (data.length % 512)) % 512, 0);
  return Buffer.concat([header, data, padding]);
}

/** Entries followed by the two zero blocks that end an archive. */
export function tarArchive(...entries: Buffer[]): Buffer {
  return Buffer.concat([...entries, Buffer.alloc(1024, 0)]);
}

/** An archive holding one regular file. */
export function singleFileTar(name: string, content: string | Buffer): Buffer {
  return tarArchive(tarEntry(name, content));
}

function writeOctal(header: Buffer, offset: number, length: number, value: number): void {
  header.write(`${value.toString(8).padStart(length - 1, "0")}\u0000`, offset, "latin1");
}
