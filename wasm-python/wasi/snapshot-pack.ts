import type { WasiSnapshot } from "./runtime.js";
import { decodeSnapshot, encodeSnapshot } from "./snapshot-codec.js";

/**
 * The WASI engine's snapshot payload (inside fastest's stamped snapshot
 * file, pyodide/snapshot-format.ts): the standard library archive, then the
 * interpreter's state (snapshot-codec.ts). Carrying the archive makes the
 * snapshot file all a worker reads besides the module.
 *
 * Layout: u32 archive length (little-endian), the archive, the encoded state.
 */
export function packWasiSnapshot(stdlib: Uint8Array, snapshot: WasiSnapshot): Uint8Array {
  const state = encodeSnapshot(snapshot);
  const out = new Uint8Array(4 + stdlib.byteLength + state.byteLength);
  new DataView(out.buffer).setUint32(0, stdlib.byteLength, true);
  out.set(stdlib, 4);
  out.set(state, 4 + stdlib.byteLength);
  return out;
}

/** The archive and the state `packWasiSnapshot` wrote (views into `payload`). */
export function unpackWasiSnapshot(payload: Uint8Array): { stdlib: Uint8Array; snapshot: WasiSnapshot } {
  if (payload.byteLength < 4) throw new Error("WASI snapshot is truncated: delete it or run `fastest --rebuild-snapshot`");
  const length = new DataView(payload.buffer, payload.byteOffset, payload.byteLength).getUint32(0, true);
  if (4 + length > payload.byteLength) throw new Error("WASI snapshot is truncated: delete it or run `fastest --rebuild-snapshot`");
  return { stdlib: payload.subarray(4, 4 + length), snapshot: decodeSnapshot(payload.subarray(4 + length)) };
}
