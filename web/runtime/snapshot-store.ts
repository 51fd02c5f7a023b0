/**
 * Interpreter snapshots kept in IndexedDB (idb-keyval), one per Pyodide
 * version and harness: the first visit makes one (about 30 MiB), later
 * visits restore from it instead of booting Python from scratch.
 */
import { createStore, del, get, keys, set, type UseStore } from "idb-keyval";
import type { SnapshotMeta } from "../../wasm-python/pyodide/snapshot-format.js";

/** A database of its own, so that pages keeping other things with idb-keyval never collide with it. */
let store: UseStore | undefined;
const snapshots = (): UseStore => (store ??= createStore("fastest-runtime", "snapshots"));

/** The key a snapshot of this build is stored under, e.g. `pyodide-314.0.7-0123abcd4567ef89`. */
export function snapshotKey(meta: SnapshotMeta): string {
  return `pyodide-${meta.pyodideVersion}-${meta.harnessHash}`;
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
 * Keep `bytes` as this build's snapshot and drop those of other builds (a
 * new Pyodide or harness makes them useless). Failing to store (quota, no
 * IndexedDB) only means the next visit makes it again.
 */
export async function saveSnapshot(meta: SnapshotMeta, snapshot: Blob): Promise<boolean> {
  const key = snapshotKey(meta);
  try {
    await set(key, snapshot, snapshots());
    for (const other of await keys(snapshots())) if (other !== key) await del(other, snapshots());
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
