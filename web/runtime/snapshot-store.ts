/**
 * Interpreter snapshots kept in IndexedDB (idb-keyval), one per engine
 * (Pyodide about 30 MiB, CPython-WASI about 12 MiB), keyed by the engine's
 * build and the harness: the first visit makes one, later visits restore
 * from it instead of booting Python from scratch.
 */
import { createStore, del, get, keys, set, type UseStore } from "idb-keyval";
import type { SnapshotMeta } from "../../wasm-python/pyodide/snapshot-format.js";

/** A database of its own, so that pages keeping other things with idb-keyval never collide with it. */
let store: UseStore | undefined;
const snapshots = (): UseStore => (store ??= createStore("fastest-runtime", "snapshots"));

/** The key a snapshot of this build is stored under, e.g. `pyodide-314.0.7-0123abcd4567ef89` or `wasi-cpython-3.11.2-<build key>-<harness hash>`. */
export function snapshotKey(meta: SnapshotMeta): string {
  return `${enginePrefix(meta)}${meta.pyodideVersion}-${meta.harnessHash}`;
}

/** What every key of the snapshot's engine starts with. */
function enginePrefix(meta: SnapshotMeta): string {
  return `${meta.engine ?? "pyodide"}-`;
}

/**
 * The stored snapshot for this build, or undefined (none yet, or IndexedDB
 * unavailable, e.g. a private window). It comes back as a Blob, which costs
 * nothing to get: the worker that restores it reads the bytes.
 */
export async function loadSnapshot(meta: SnapshotMeta): Promise<Blob | undefined> {
  try {
    const value: unknown = await get(snapshotKey(meta), snapshots());
    return value instanceof Blob ? value : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Keep `bytes` as this build's snapshot and drop the same engine's snapshots
 * of other builds (a new engine build or harness makes them useless). Failing to store (quota, no
 * IndexedDB) only means the next visit makes it again.
 */
export async function saveSnapshot(meta: SnapshotMeta, snapshot: Blob): Promise<boolean> {
  const key = snapshotKey(meta);
  try {
    await set(key, snapshot, snapshots());
    const prefix = enginePrefix(meta);
    for (const other of await keys(snapshots())) if (other !== key && String(other).startsWith(prefix)) await del(other, snapshots());
    return true;
  } catch {
    return false;
  }
}

/** Remove this build's snapshot (it failed to restore). */
export async function forgetSnapshot(meta: SnapshotMeta): Promise<void> {
  try {
    await del(snapshotKey(meta), snapshots());
  } catch {
    // Nothing stored, or no IndexedDB: nothing to forget.
  }
}
