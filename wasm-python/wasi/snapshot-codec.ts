import type { WasiSnapshot } from "./runtime.js";

// Layout: magic "FWSN", u32 header length, UTF-8 JSON header, then the blobs
// the header lists (memory data, then each file), back to back.
const MAGIC = 0x4e535746; // "FWSN" little-endian

interface Header {
  format: WasiSnapshot["format"];
  buildId: string;
  byteLength: number;
  runs: number[];
  memoryBytes: number;
  stackPointer: number;
  fdCount: number;
  env: string[];
  files: Array<[string, number]>;
}

/** One byte array holding a snapshot, for a cache file or a transfer. */
export function encodeSnapshot(snapshot: WasiSnapshot): Uint8Array {
  const header: Header = {
    format: snapshot.format,
    buildId: snapshot.buildId,
    byteLength: snapshot.memory.byteLength,
    runs: snapshot.memory.runs,
    memoryBytes: snapshot.memory.data.byteLength,
    stackPointer: snapshot.stackPointer,
    fdCount: snapshot.fdCount,
    env: snapshot.env,
    files: snapshot.files.map(([path, data]) => [path, data.byteLength]),
  };
  const json = new TextEncoder().encode(JSON.stringify(header));
  const blobs = [snapshot.memory.data, ...snapshot.files.map(([, data]) => data)];
  const total = 8 + json.byteLength + blobs.reduce((sum, blob) => sum + blob.byteLength, 0);
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  view.setUint32(0, MAGIC, true);
  view.setUint32(4, json.byteLength, true);
  out.set(json, 8);
  let at = 8 + json.byteLength;
  for (const blob of blobs) {
    out.set(blob, at);
    at += blob.byteLength;
  }
  return out;
}

/** The snapshot `encodeSnapshot` wrote; its arrays are views into `bytes`. */
export function decodeSnapshot(bytes: Uint8Array): WasiSnapshot {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.byteLength < 8 || view.getUint32(0, true) !== MAGIC) {
    throw new Error("not a fastest WASI snapshot (bad magic): delete the file and make a new snapshot");
  }
  const headerLength = view.getUint32(4, true);
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerLength))) as Header;
  let at = 8 + headerLength;
  const take = (length: number): Uint8Array => {
    if (at + length > bytes.byteLength) throw new Error("WASI snapshot is truncated: delete the file and make a new snapshot");
    const blob = bytes.subarray(at, at + length);
    at += length;
    return blob;
  };
  const data = take(header.memoryBytes);
  return {
    format: header.format,
    buildId: header.buildId,
    memory: { byteLength: header.byteLength, runs: header.runs, data },
    stackPointer: header.stackPointer,
    fdCount: header.fdCount,
    env: header.env,
    files: header.files.map(([path, length]) => [path, take(length)]),
  };
}
