import { readFileSync, readdirSync, rmSync, statSync, utimesSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { ProjectFile } from "../core/protocol.js";
import type { SnapshotMeta } from "../wasm-python/pyodide/snapshot-format.js";
import type { SnapshotBake } from "./dependencies.js";
import { spawnEngineWorker } from "./pool.js";
import { writeFileAtomic } from "./write-atomic.js";

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
  return path.join(cacheDir(), `${meta.engine === "wasi" ? "wasi" : "pyodide"}-${meta.pyodideVersion}-${meta.harnessHash}.snapshot`);
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
export async function loadOrMakeSnapshot(options: SnapshotOptions & { module: WebAssembly.Module }): Promise<SnapshotSource> {
  const file = snapshotPath(options.meta);
  if (!options.rebuild) {
    try {
      return { bytes: readShared(file), path: file, built: false };
    } catch {
      // Missing or unreadable: build it below.
    }
  }
  await makeSnapshot(file, options, options.module);
  return { bytes: readShared(file), path: file, built: true };
}

interface SnapshotOptions {
  harnessFiles: ProjectFile[];
  meta: SnapshotMeta;
  /** Dependencies to bake in (node-host/dependencies.ts `dependencySnapshot`). */
  bake?: SnapshotBake | undefined;
  rebuild?: boolean;
  notice: (line: string) => void;
  /** The WASI engine's standard library archive, which its snapshot carries (read only when one is made). */
  stdlib?: (() => Uint8Array) | undefined;
}

/**
 * Make sure the snapshot file exists, without reading it: for a sandbox
 * process that reads it itself. `module` is only compiled when one is made.
 */
export async function ensureSnapshot(options: SnapshotOptions & { module: () => Promise<WebAssembly.Module> }): Promise<{ path: string; built: boolean }> {
  const file = snapshotPath(options.meta);
  if (!options.rebuild) {
    try {
      if (statSync(file).size > 0) {
        touch(file);
        return { path: file, built: false };
      }
    } catch {
      // Missing: make it below.
    }
  }
  await makeSnapshot(file, options, await options.module());
  return { path: file, built: true };
}

/** Make the snapshot in a worker (so the host stays clean) and store it in `file`. */
async function makeSnapshot(file: string, options: SnapshotOptions, module: WebAssembly.Module): Promise<void> {
  options.notice(`fastest: preparing the Python interpreter snapshot (once per version${options.bake ? " and set of dependencies" : ""}), cached in ${path.dirname(file)}`);
  const worker = spawnEngineWorker();
  try {
    const bytes = await worker.remote.makeSnapshot({
      module,
      harnessFiles: options.harnessFiles,
      meta: options.meta,
      ...options.bake,
      ...(options.stdlib ? { stdlib: options.stdlib() } : {}),
    });
    writeFileAtomic(file, bytes);
    pruneStale(path.dirname(file), path.basename(file));
  } finally {
    await worker.terminate();
  }
}

/** Snapshots (30 MiB each) and code caches of other versions, unused for this long, are removed. */
const staleAfterMs = 7 * 24 * 3600 * 1000;

/**
 * Remove what older versions of fastest or Pyodide left in the cache once it
 * has gone unused for a week; a version still in use elsewhere keeps its
 * files because using them refreshes their modification time.
 */
function pruneStale(dir: string, keep: string): void {
  const now = Date.now();
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === keep || !/^((pyodide|wasi)-.*\.snapshot|code-.*)$/.test(entry.name)) continue;
    const full = path.join(dir, entry.name);
    try {
      if (now - statSync(full).mtimeMs > staleAfterMs) rmSync(full, { recursive: true, force: true });
    } catch {
      // Removed by a concurrent run, or not ours to remove: leave it.
    }
  }
}

/** Read a file into memory every worker thread can see without a copy. */
function readShared(file: string): Uint8Array {
  const data = readFileSync(file);
  touch(file);
  const shared = new Uint8Array(new SharedArrayBuffer(data.byteLength));
  shared.set(data);
  return shared;
}

/** Mark a cache file as used (pruning goes by modification time). */
function touch(file: string): void {
  try {
    const now = new Date();
    utimesSync(file, now, now);
  } catch {
    // A read-only cache still works; it is just never pruned.
  }
}
