import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { ProjectFile } from "../core/protocol.js";
import type { SnapshotMeta } from "../wasm-python/pyodide/snapshot-format.js";
import { spawnEngineWorker } from "./pool.js";

/**
 * Where fastest keeps its interpreter snapshots: `$FASTEST_CACHE_DIR`, else
 * `$XDG_CACHE_HOME/fastest`, else `~/.cache/fastest`.
 */
export function cacheDir(): string {
  if (process.env["FASTEST_CACHE_DIR"]) return path.resolve(process.env["FASTEST_CACHE_DIR"]);
  const base = process.env["XDG_CACHE_HOME"] || path.join(os.homedir(), ".cache");
  return path.join(base, "fastest");
}

export function snapshotPath(meta: SnapshotMeta): string {
  return path.join(cacheDir(), `pyodide-${meta.pyodideVersion}-${meta.harnessHash}.snapshot`);
}

/** Where rewritten test code made by this Pyodide build and harness is kept. */
export function codeCacheDir(meta: SnapshotMeta): string {
  return path.join(cacheDir(), `code-${meta.pyodideVersion}-${meta.harnessHash}`);
}

export interface SnapshotSource {
  bytes: Uint8Array;
  path: string;
  /** True when this call built it. */
  built: boolean;
}

/**
 * The warm snapshot for this Pyodide build and harness: read from the cache,
 * or made once (in a worker, so the host stays clean) and stored.
 */
export async function loadOrMakeSnapshot(options: {
  module: WebAssembly.Module;
  harnessFiles: ProjectFile[];
  meta: SnapshotMeta;
  rebuild?: boolean;
  notice: (line: string) => void;
}): Promise<SnapshotSource> {
  const file = snapshotPath(options.meta);
  if (!options.rebuild) {
    try {
      return { bytes: readShared(file), path: file, built: false };
    } catch {
      // Missing or unreadable: build it below.
    }
  }
  options.notice(`fastest: preparing the Python interpreter snapshot (once per version), cached in ${path.dirname(file)}`);
  const worker = spawnEngineWorker();
  try {
    const bytes = await worker.remote.makeSnapshot({
      module: options.module,
      harnessFiles: options.harnessFiles,
      meta: options.meta,
    });
    mkdirSync(path.dirname(file), { recursive: true });
    const temporary = `${file}.${process.pid}.tmp`;
    writeFileSync(temporary, bytes);
    renameSync(temporary, file);
    return { bytes: readShared(file), path: file, built: true };
  } finally {
    await worker.terminate();
  }
}

/** Read a file into memory every worker thread can see without a copy. */
function readShared(file: string): Uint8Array {
  const data = readFileSync(file);
  const shared = new Uint8Array(new SharedArrayBuffer(data.byteLength));
  shared.set(data);
  return shared;
}
