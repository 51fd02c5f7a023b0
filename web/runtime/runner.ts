/**
 * `createRunner`: the browser's implementation of the `Runner` contract
 * (`web/runtime/api.ts`), on the engine its options name (Pyodide by
 * default). Boot reads as a pipeline: load the assets (compile the engine's
 * wasm while it downloads), find this build's snapshot in
 * IndexedDB or make it in a worker (first visit), restore it in a fresh
 * worker. Every run takes a freshly restored engine and throws it away
 * afterwards, while the next one boots in the background: no state of one
 * run (imported modules, files) reaches the next.
 */
import type { BootInfo, Runner, RunnerOptions, RunOptions, RunSummary, RunUpdate } from "./api.js";
import { engineSnapshotMeta, loadEngineAssets, type EngineAssets } from "./assets.js";
import { BrowserWorkerHandle, type BootArgs } from "./browser-worker.js";
import { spawnEngineThread, type EngineThread } from "./engine-thread.js";
import { forgetSnapshot, loadSnapshot, saveSnapshot, snapshotKey } from "./snapshot-store.js";
import { runWorkspace } from "./workspace-run.js";

export type { BootInfo, Runner, RunnerOptions, RunOptions, RunSummary, RunUpdate } from "./api.js";

/** Create the page's Python runner; nothing loads until `boot()` or `run()`. */
export function createRunner(options: RunnerOptions = {}): Runner {
  return new PageRunner(options);
}

/** The run in progress, for `stop()`. */
interface CurrentRun {
  stopped: boolean;
  handle?: BrowserWorkerHandle;
}

class PageRunner implements Runner {
  private booting: Promise<BootInfo> | undefined;
  private bootArgs: BootArgs | undefined;
  /** A booted engine nobody has used yet: the next run's. */
  private spare: Promise<BrowserWorkerHandle> | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private current: CurrentRun | undefined;
  private engines = 0;
  private disposed = false;
  /** The worker making the snapshot on a first visit, while it does. */
  private making: EngineThread | undefined;

  constructor(private readonly options: RunnerOptions) {}

  boot(): Promise<BootInfo> {
    if (!this.booting) {
      const booting = this.firstBoot();
      this.booting = booting;
      // A failed boot (offline before the assets were ever loaded, a broken build) is tried again by the next call.
      booting.catch(() => {
        if (this.booting === booting) this.booting = undefined;
      });
    }
    return this.booting;
  }

  private async firstBoot(): Promise<BootInfo> {
    const started = performance.now();
    performance.mark("fastest:boot-start");
    const engine = this.options.engine ?? "pyodide";
    // Fails at once, saying how to add the engine, when this build lacks it.
    const meta = engineSnapshotMeta(engine);
    // Three things at once: the worker loads its script, the engine's files download (the wasm compiles as it comes), the snapshot is read.
    const thread = spawnEngineThread();
    try {
      const [assets, cached] = await Promise.all([
        loadEngineAssets(this.options.assetsBase, engine).then((loaded) => (performance.mark("fastest:assets-loaded"), loaded)),
        loadSnapshot(meta).then((bytes) => (performance.mark("fastest:snapshot-read"), bytes)),
      ]);
      let handle: BrowserWorkerHandle | undefined;
      let source: BootInfo["snapshot"] = "cache";
      if (cached) {
        try {
          handle = await this.bootEngine(this.argsFor(assets, cached), thread);
        } catch {
          // Stale or damaged (another build under the same key, a cut-short write): make it again.
          await forgetSnapshot(assets.meta);
        }
      }
      if (!handle) {
        source = "made";
        const made = new Blob([(await makeSnapshot(assets, (maker) => (this.making = maker))) as Uint8Array<ArrayBuffer>]);
        this.making = undefined;
        performance.mark("fastest:snapshot-made");
        // Stored while the engine restores from it; a failed store only costs the next visit a remake.
        const restore = this.bootEngine(this.argsFor(assets, made), thread.dead() ? undefined : thread);
        [handle] = await Promise.all([restore, saveSnapshot(assets.meta, made)]);
      }
      if (this.disposed) {
        // Disposed while booting (a page switched engines): its worker must not outlive it.
        handle.dispose();
        throw new Error("this runner was disposed while Python was booting");
      }
      this.spare = Promise.resolve(handle);
      performance.mark("fastest:booted");
      return {
        engine,
        ms: Math.round(performance.now() - started),
        snapshot: source,
        pythonVersion: handle.info!.pythonVersion,
        pyodideVersion: assets.meta.pyodideVersion,
        crossOriginIsolated: handle.isolated,
      };
    } catch (error) {
      // The worker started early is not left running (a no-op once a handle took it and died).
      thread.terminate("the boot failed");
      throw error;
    }
  }

  private argsFor(assets: EngineAssets, snapshot: Blob): BootArgs {
    const args: BootArgs = {
      module: assets.module,
      // Each worker reads the Blob itself (not into shared memory: Pyodide's TextDecoder refuses shared views in a browser).
      snapshot,
      expected: assets.meta,
      snapshotOrigin: `the IndexedDB entry ${snapshotKey(assets.meta)} (database fastest-runtime)`,
      ...pyodideUrls(assets),
    };
    this.bootArgs = args;
    return args;
  }

  /** Start a worker and restore the snapshot in it. */
  private async bootEngine(args: BootArgs, thread?: EngineThread): Promise<BrowserWorkerHandle> {
    const handle = new BrowserWorkerHandle(`engine${this.engines++}`, args);
    try {
      await handle.boot(thread);
    } catch (error) {
      handle.dispose();
      throw error;
    }
    return handle;
  }

  /** The spare engine, or a new one when there is none (or it failed to boot). */
  private async takeEngine(): Promise<BrowserWorkerHandle> {
    const spare = this.spare;
    this.spare = undefined;
    if (spare) {
      try {
        return await spare;
      } catch {
        // Booting the spare failed (it was disposed, or the worker died): boot another below.
      }
    }
    return this.bootEngine(this.bootArgs!);
  }

  run(options: RunOptions, onUpdate: (update: RunUpdate) => void = () => {}): Promise<RunSummary> {
    const task = this.queue.then(() => this.runNow(options, onUpdate));
    this.queue = task.catch(() => {});
    return task;
  }

  private async runNow(options: RunOptions, onUpdate: (update: RunUpdate) => void): Promise<RunSummary> {
    if (this.disposed) throw new Error("this runner was disposed: create a new one with createRunner()");
    const current: CurrentRun = { stopped: false };
    this.current = current;
    try {
      const boot = await this.boot();
      onUpdate({ type: "booted", boot });
      const handle = await this.takeEngine();
      current.handle = handle;
      if (current.stopped) handle.stop();
      try {
        return await runWorkspace(handle, options, boot, handle.info!, onUpdate);
      } finally {
        handle.dispose();
        if (!this.disposed) {
          // The next run starts on a fresh interpreter that is already booted.
          this.spare = this.bootEngine(this.bootArgs!);
          this.spare.catch(() => {});
        }
      }
    } finally {
      if (this.current === current) this.current = undefined;
    }
  }

  stop(): void {
    if (!this.current) return;
    this.current.stopped = true;
    this.current.handle?.stop();
  }

  dispose(): void {
    this.disposed = true;
    this.stop();
    this.making?.terminate("the runner was disposed");
    void this.spare?.then((handle) => handle.dispose(), () => {});
    this.spare = undefined;
  }
}

/** Pyodide's file URLs (undefined for the WASI engine). */
function pyodideUrls(assets: EngineAssets): Pick<EngineAssets, "indexURL" | "stdLibURL" | "lockFileURL"> {
  return { indexURL: assets.indexURL, stdLibURL: assets.stdLibURL, lockFileURL: assets.lockFileURL };
}

/** First visit: boot Python from scratch in a worker of its own, import the harness, and freeze it. */
async function makeSnapshot(assets: EngineAssets, started: (thread: EngineThread) => void): Promise<Uint8Array> {
  const [{ default: harness }, stdlib] = await Promise.all([import("virtual:fastest/harness-files"), assets.wasiStdlib?.()]);
  const encoder = new TextEncoder();
  const thread = spawnEngineThread();
  started(thread);
  try {
    return await Promise.race([
      thread.remote.makeSnapshot({
        module: assets.module,
        harnessFiles: harness.map((file) => ({ path: file.path, data: encoder.encode(file.text) })),
        meta: assets.meta,
        ...pyodideUrls(assets),
        stdlib,
      }),
      thread.died,
    ]);
  } finally {
    thread.terminate("the snapshot is made");
  }
}
