import { inflateRawSync } from "node:zlib";

/** One file inside a zip archive (a wheel). */
export interface ZipEntry {
  /** Its path inside the archive, with forward slashes. */
  name: string;
  data: Uint8Array;
}

export class ZipError extends Error {}

const endOfCentralDirectory = 0x06054b50;
const centralFileHeader = 0x02014b50;
const localFileHeader = 0x04034b50;

/**
 * The files of a zip archive, read through its central directory. Wheels
 * use only "stored" and "deflate" entries, which Node's zlib inflates; that
 * is all this reads (no zip64, no encryption), and it says so otherwise.
 */
export function readZip(bytes: Uint8Array, origin: string): ZipEntry[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // The end record sits in the last 22 bytes plus a comment of at most 64 KiB.
  let end = -1;
  for (let at = bytes.length - 22; at >= Math.max(0, bytes.length - 22 - 0xffff); at--) {
    if (view.getUint32(at, true) === endOfCentralDirectory) {
      end = at;
      break;
    }
  }
  if (end < 0) throw new ZipError(`${origin} is not a zip archive (a .whl file is one)`);
  const count = view.getUint16(end + 10, true);
  let at = view.getUint32(end + 16, true);
  if (count === 0xffff || at === 0xffffffff) throw new ZipError(`${origin} is a zip64 archive, which fastest cannot read yet`);
  const decoder = new TextDecoder();
  const entries: ZipEntry[] = [];
  for (let i = 0; i < count; i++) {
    if (at + 46 > bytes.length || view.getUint32(at, true) !== centralFileHeader) throw new ZipError(`${origin}: damaged zip directory`);
    const flags = view.getUint16(at + 8, true);
    const method = view.getUint16(at + 10, true);
    const compressedSize = view.getUint32(at + 20, true);
    const nameLength = view.getUint16(at + 28, true);
    const extraLength = view.getUint16(at + 30, true);
    const commentLength = view.getUint16(at + 32, true);
    const localOffset = view.getUint32(at + 42, true);
    const name = decoder.decode(bytes.subarray(at + 46, at + 46 + nameLength));
    at += 46 + nameLength + extraLength + commentLength;
    if (name.endsWith("/")) continue; // a folder
    if (flags & 1) throw new ZipError(`${origin}: ${name} is encrypted`);
    if (view.getUint32(localOffset, true) !== localFileHeader) throw new ZipError(`${origin}: damaged entry ${name}`);
    const start = localOffset + 30 + view.getUint16(localOffset + 26, true) + view.getUint16(localOffset + 28, true);
    const raw = bytes.subarray(start, start + compressedSize);
    let data: Uint8Array;
    if (method === 0) data = raw;
    else if (method === 8) {
      const inflated = inflateRawSync(raw);
      data = new Uint8Array(inflated.buffer, inflated.byteOffset, inflated.byteLength);
    } else throw new ZipError(`${origin}: ${name} uses compression method ${method}; rebuild the wheel with deflate`);
    entries.push({ name, data });
  }
  return entries;
}
