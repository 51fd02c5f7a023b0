/**
 * A warm snapshot on disk or in IndexedDB: a small header that says what made
 * it, then Pyodide's memory snapshot. The header lets a host refuse a
 * snapshot made by another Pyodide build or another harness, with a message
 * that says what to do, instead of crashing inside the restore.
 */
export interface SnapshotMeta {
  /** Which engine made it; absent for Pyodide (snapshots made before there were two). */
  engine?: "wasi";
  /** Pyodide's npm version (the package is pinned exactly); for the WASI engine, its build's identity (`cpython-3.11.2-<build key>`). */
  pyodideVersion: string;
  /** Size of `pyodide.asm.wasm`, a cheap guard against a swapped build. */
  wasmBytes: number;
  /** Content hash of the Python harness baked into the snapshot. */
  harnessHash: string;
}

const magic = new TextEncoder().encode("FSTSNAP1");

export function encodeSnapshot(meta: SnapshotMeta, memory: Uint8Array): Uint8Array {
  // Pad the header so the memory image starts 16-byte aligned: Pyodide reads
  // it through typed-array views that require alignment.
  const json = JSON.stringify(meta);
  const padding = (16 - ((magic.length + 4 + json.length) % 16)) % 16;
  const header = new TextEncoder().encode(json + " ".repeat(padding));
  const out = new Uint8Array(magic.length + 4 + header.length + memory.length);
  out.set(magic, 0);
  new DataView(out.buffer).setUint32(magic.length, header.length, true);
  out.set(header, magic.length + 4);
  out.set(memory, magic.length + 4 + header.length);
  return out;
}

export class SnapshotMismatchError extends Error {}

/** Split a stored snapshot, refusing one that does not match `expected`. */
export function decodeSnapshot(
  bytes: Uint8Array,
  expected: SnapshotMeta,
  origin: string,
): { meta: SnapshotMeta; memory: Uint8Array } {
  const rebuild = `delete ${origin} or run \`fastest --rebuild-snapshot\``;
  const hasMagic = bytes.length > magic.length + 4 && magic.every((b, i) => bytes[i] === b);
  if (!hasMagic) throw new SnapshotMismatchError(`${origin} is not a fastest snapshot: ${rebuild}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = view.getUint32(magic.length, true);
  const start = magic.length + 4;
  const meta = JSON.parse(new TextDecoder().decode(bytes.subarray(start, start + headerLength))) as SnapshotMeta;
  if (meta.engine !== expected.engine || meta.pyodideVersion !== expected.pyodideVersion || meta.wasmBytes !== expected.wasmBytes) {
    const made = (m: SnapshotMeta) => `${m.engine === "wasi" ? "" : "pyodide "}${m.pyodideVersion} (${m.wasmBytes} bytes)`;
    throw new SnapshotMismatchError(`snapshot was made by ${made(meta)}, this is ${made(expected)}: ${rebuild}`);
  }
  if (meta.harnessHash !== expected.harnessHash) {
    throw new SnapshotMismatchError(`snapshot holds another version of the Python harness: ${rebuild}`);
  }
  return { meta, memory: bytes.subarray(start + headerLength) };
}
