import * as Comlink from "comlink";
import type {
  CollectResult,
  EngineInfo,
  HarnessConfig,
  ProjectFile,
  RunControl,
  RunFinish,
  SummaryRequest,
} from "../core/protocol.js";
import type { CodeCacheEntry, Engine } from "./engine.js";
import { RestoreState } from "./restore-state.js";
import type { SnapshotMeta } from "./pyodide/snapshot-format.js";

/** What a worker needs to boot its engine. */
export interface BootRequest {
  module: WebAssembly.Module;
  /**
   * Snapshot bytes; a SharedArrayBuffer-backed view is read in place. A Blob
   * is read by the worker itself (a page passes the one IndexedDB returned,
   * so the 30 MiB never pass through the page's thread).
   */
  snapshot: Uint8Array | Blob;
  expected: SnapshotMeta;
  snapshotOrigin: string;
  /** Shared Int32Array flag; the host writes 2 into it to interrupt Python. */
  interruptBuffer?: Int32Array;
  /** Shared item progress the worker writes before each item (`core/item-progress.ts`). */
  progress?: Int32Array;
  indexURL?: string;
  stdLibURL?: string;
  lockFileURL?: string;
  /** Most bytes the interpreter's memory may grow to (`--max-memory`); past it allocations fail (MemoryError). */
  maxMemoryBytes?: number;
  /**
   * Send each `itemStart` event the moment it happens instead of in the next
   * batch: a page shows which test runs, and a host without shared item
   * progress times tests out by these events.
   */
  itemStartsAtOnce?: boolean;
}

export interface SnapshotRequest {
  module: WebAssembly.Module;
  harnessFiles: ProjectFile[];
  meta: SnapshotMeta;
  /** Files to write before `warmup` runs (a run's dependencies, to import into the snapshot). */
  files?: ProjectFile[];
  warmup?: string;
  indexURL?: string;
  stdLibURL?: string;
  lockFileURL?: string;
  /** The WASI engine's standard library archive (`python311.zip`), which its snapshot carries. */
  stdlib?: Uint8Array;
}

/** How a `run` call ended. */
export interface RunDone {
  sent: number;
  /** Set when the interpreter died during the run. */
  crash?: string;
}

/** The API a worker serves to its host, through comlink. */
export interface EngineService {
  makeSnapshot(request: SnapshotRequest): Promise<Uint8Array>;
  boot(request: BootRequest, onOutput: (stream: "stdout" | "stderr", text: string) => void): Promise<EngineInfo>;
  writeFiles(files: ProjectFile[]): void;
  configure(config: HarnessConfig): void;
  collect(paths: string[]): CollectResult;
  /**
   * Run items, streaming events in batches through `onEvents`. Returns how
   * many events were sent (callbacks travel on their own channel, so the
   * caller waits until it has seen them all) and, when the interpreter died
   * during the run (`os._exit`, a wasm trap), why: the engine is unusable then.
   */
  run(nodeids: string[], onEvents: (events: string[]) => void, control?: RunControl): RunDone;
  finish(summary?: SummaryRequest): RunFinish;
  loadCodeCache(entries: Uint8Array[]): void;
  takeCodeCache(): CodeCacheEntry[];
  /**
   * Put a fresh interpreter, restored from the snapshot `boot` was given, in
   * place of this one, in the same thread: the files written so far and the
   * rewritten code are loaded again (`--isolate=file`); with `next`, the
   * files it is about to collect, only their code and the conftests'
   * (`RestoreState.codeFor`). `configure` comes next.
   */
  restore(next?: string[]): Promise<void>;
  dispose(): void;
}

// Each engine's code loads only in workers that run it (Pyodide's runtime alone is 1.2 MB of JavaScript to parse).
const pyodideBoot = () => import("./pyodide/boot.js");
const wasiBoot = () => import("./wasi/boot.js");

/**
 * Serve one engine over a comlink endpoint. Host entry files (a Node
 * worker_threads worker, a browser Web Worker) are a few lines that hand
 * their endpoint to this function.
 */
export function serveEngine(endpoint: Comlink.Endpoint): void {
  let engine: Engine | undefined;
  // While a run is under way, escaped output joins its event stream, so that
  // it prints in order with the results.
  let runSink: ((event: string) => void) | undefined;
  // A batched itemStart of a test that never returns would never arrive (BootRequest.itemStartsAtOnce).
  let sendStartsAtOnce = false;
  // What `restore` needs: how the engine booted, the files written since, and the rewritten code it had.
  let restoreFrom: (() => Promise<Engine>) | undefined;
  let kept = new RestoreState();
  let untakenCode: CodeCacheEntry[] = [];
  const booted = (): Engine => {
    if (!engine) throw new Error("engine used before boot()");
    return engine;
  };
  const service: EngineService = {
    async makeSnapshot(request) {
      // The snapshot's stamp names the engine that makes it (SnapshotMeta.engine).
      const bytes = request.meta.engine === "wasi" ? await (await wasiBoot()).makeWasiSnapshot(request) : await (await pyodideBoot()).makeSnapshot(request);
      return Comlink.transfer(bytes, [bytes.buffer as ArrayBuffer]);
    },
    async boot(request, onOutput) {
      sendStartsAtOnce = Boolean(request.itemStartsAtOnce);
      const snapshot = request.snapshot instanceof Uint8Array ? request.snapshot : new Uint8Array(await request.snapshot.arrayBuffer());
      const restore = request.expected.engine === "wasi" ? (await wasiBoot()).restoreWasiEngine : (await pyodideBoot()).restoreEngine;
      restoreFrom = () => restore({
        ...request,
        snapshot,
        onOutput: (stream, text) => {
          if (runSink) runSink(JSON.stringify({ type: "output", stream, text }));
          else onOutput(stream, text);
        },
      });
      engine = await restoreFrom();
      kept = new RestoreState();
      untakenCode = [];
      return engine.info;
    },
    writeFiles(files) {
      booted().writeFiles(files);
      kept.wrote(files);
    },
    configure: (config) => booted().configure(config),
    collect: (paths) => booted().collect(paths),
    run(nodeids, onEvents, control) {
      const target = booted();
      // One message per test would cost more than the test: batch by time.
      // The first two events (normally the first item's start and end) go
      // out at once, so that the first result shows without waiting a batch.
      let batch: string[] = [];
      let sent = 0;
      let lastFlush = performance.now();
      runSink = (event) => {
        batch.push(event);
        sent += 1;
        const now = performance.now();
        // Output that escapes capture (-s) goes out at once: it is what a watcher waits for, and the
        // next event may come only after a long sleep or computation.
        const flushNow = sent <= 2 || now - lastFlush > 20 || event.startsWith('{"type":"output"') || (sendStartsAtOnce && event.startsWith('{"type": "itemStart"'));
        if (flushNow) {
          void onEvents(batch);
          batch = [];
          lastFlush = now;
        }
      };
      let crash: string | undefined;
      try {
        target.run(nodeids, runSink, control);
      } catch (error) {
        // A Python exception (Ctrl-C, a harness bug) leaves the interpreter usable; anything else killed it.
        if (error instanceof Error && error.name === "PythonError") throw error;
        crash = error instanceof Error ? error.message : String(error);
      } finally {
        runSink = undefined;
        if (batch.length > 0) void onEvents(batch);
      }
      return crash === undefined ? { sent } : { sent, crash };
    },
    finish: (summary) => booted().finish(summary),
    loadCodeCache(entries) {
      booted().loadCodeCache(entries);
      kept.loaded(entries);
    },
    takeCodeCache() {
      const entries = [...untakenCode, ...booted().takeCodeCache()];
      untakenCode = [];
      return entries;
    },
    async restore(next) {
      const old = booted();
      if (!restoreFrom) throw new Error("engine restored before boot()");
      // The code the old interpreter rewrote is kept for the host and loaded into the new one.
      const rewritten = old.takeCodeCache();
      untakenCode.push(...rewritten);
      kept.compiled(rewritten);
      engine = undefined;
      old.dispose();
      const fresh = await restoreFrom();
      fresh.writeFiles(kept.allFiles());
      const code = kept.codeFor(next);
      if (code.length > 0) fresh.loadCodeCache(code);
      engine = fresh;
    },
    dispose() {
      engine?.dispose();
      engine = undefined;
    },
  };
  Comlink.expose(service, endpoint);
}
