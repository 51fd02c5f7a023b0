import type { CollectResult, EngineInfo, HarnessConfig, ProjectFile, RunControl, RunEvent, RunFinish, SummaryRequest } from "../core/protocol.js";
import type { WorkerHandle } from "../core/worker-handle.js";
import { runSession, type SessionOptions, type SessionOutcome } from "../core/session.js";
import type { CodeCacheEntry } from "../wasm-python/engine.js";
import type { CodeCacheStore } from "./code-cache.js";
import { NodeWorkerHandle, spawnEngineWorker } from "./pool.js";
import type { RunWorkers } from "./run.js";

type BootArgs = Parameters<NodeWorkerHandle["boot"]>[0];
type OutputSink = Parameters<NodeWorkerHandle["boot"]>[1];

export interface WarmPoolOptions {
  /** How many clean workers to keep booted. */
  size: number;
  /** How workers boot; spares' threads start before it is known (the snapshot may still be read). */
  boot: Promise<BootArgs>;
  onOutput: OutputSink;
  /** How long a timed-out test may ignore the interrupt before its worker is killed (ms). */
  timeoutGraceMs: number;
  /** The project's files as they are now, by sandbox path. */
  files: () => ReadonlyMap<string, Uint8Array>;
  /** Where rewritten code is kept (in the sandbox process: the copy the CLI sent of it). */
  codeCache: Pick<CodeCacheStore, "lookup" | "save">;
  /** Does the harness rewrite this file's asserts (a test file or conftest), so that its rewritten code is cached? */
  rewritten: (path: string) => boolean;
  /** What each collect recorded of the project's imports (`CollectResult.imports`). */
  onImports: (imports: Record<string, string[]>) => void;
}

/** A spare worker: booting or booted, with the project's files as they were when it started. */
export interface Spare {
  handle: NodeWorkerHandle;
  ready: Promise<void>;
  isReady: boolean;
  written: ReadonlyMap<string, Uint8Array>;
  /** Stopped by the pool: a recycled spare whose restore fails then boots no thread in its place. */
  stopped?: boolean;
}

/** Stop a spare's worker for good. */
function stopSpare(spare: Spare): Promise<void> {
  spare.stopped = true;
  return spare.handle.terminate();
}

/**
 * How a lease ends. `unused`: its run never started, the workers are clean
 * spares still. `finished`: its run is over and its workers are idle.
 * `stopped`: superseded or closing, a worker may still be inside a test.
 */
export type LeaseEnd = "unused" | "finished" | "stopped";

/**
 * Clean, booted workers for watch mode's reruns (hot spares). A worker that
 * ran tests has imported the project's modules, and importing a changed
 * module again in that interpreter would keep stale state, so each run gets
 * workers that have run nothing; after it they are stopped and fresh ones
 * boot from the snapshot in the background, with the project's current
 * files written and the code cache loaded. A run then only writes the files
 * that changed since its workers booted.
 *
 * On the WASI engine a finished run's threads are kept: each restores a
 * fresh interpreter from the snapshot in place, with the project's files and
 * rewritten code (`NodeWorkerHandle.restore`), instead of a new thread
 * booting. Measured with bench/probes/watch-spare.mjs on the large suite
 * (52 files, load about 2): a new thread to a ready spare 127 ms (median of
 * 10), a restore in place 25 ms; Pyodide 333 ms and 179 ms. Restoring only
 * when a save arrives, with no spare kept, would put those 25 ms before
 * every first result; a spare restored right after the run costs the same
 * work, done while the user edits, and is ready five times sooner than a
 * new thread for a save that follows the report closely. From a save to
 * its first result the two did not differ beyond noise (medians, in place
 * vs new thread, saving 1.5 s / 0.15 s after the report: 110 / 124 ms and
 * 109 / 108 ms at load 13-17, 18 saves each; 57 / 55 ms and 54 / 57 ms at
 * load 3-4, 9 each): the gain is the background work, about 100 ms of a
 * core per worker and run.
 * Memory stays flat: 200 restores in one WASI thread kept the process at
 * 175-225 MiB RSS. Pyodide keeps new threads: 40 restores in one of its
 * threads went from 300 to 390-419 MiB, not clearly levelling off.
 */
export class WarmPool {
  private spares: Spare[] = [];
  private readonly leases = new Set<Lease>();
  private booted = 0;
  private closed = false;

  constructor(private readonly options: WarmPoolOptions) {}

  /** Boot spares until there are `size` of them. */
  fill(): void {
    while (!this.closed && this.spares.length < this.options.size) this.spares.push(this.bootSpare());
  }

  private newHandle(): NodeWorkerHandle {
    return new NodeWorkerHandle(`spare${this.booted++}`, spawnEngineWorker(), this.options.timeoutGraceMs);
  }

  private bootSpare(): Spare {
    const spare: Spare = { handle: this.newHandle(), written: new Map(this.options.files()), isReady: false, ready: Promise.resolve() };
    spare.ready = this.bootInto(spare);
    // A failed boot is reported by the run that takes this spare.
    spare.ready.catch(() => {});
    return spare;
  }

  /** Boot the spare's thread from the snapshot and write the project into it. */
  private async bootInto(spare: Spare): Promise<void> {
    await spare.handle.boot(await this.options.boot, this.options.onOutput);
    const files = [...spare.written].map(([path, data]) => ({ path, data }));
    await spare.handle.writeFiles(files);
    await spare.handle.loadCodeCache(this.cachedCode(files));
    spare.isReady = true;
  }

  /**
   * A spare made of a finished run's worker: a fresh interpreter restored in
   * its thread, holding the files the run had. If the thread cannot restore
   * (it died), a new thread boots instead.
   */
  private recycledSpare(used: Spare): Spare {
    const spare: Spare = { handle: used.handle, written: used.written, isReady: false, ready: Promise.resolve() };
    spare.ready = (async () => {
      try {
        await spare.handle.restore();
        // The rewritten code of every file, as a new spare gets it (the restore keeps only the last set loaded).
        await spare.handle.loadCodeCache(this.cachedCode([...spare.written].map(([path, data]) => ({ path, data }))));
        spare.isReady = true;
      } catch (error) {
        void used.handle.terminate().catch(() => {});
        // Stopped while it restored (discarded, or the pool closed): nothing to replace.
        if (spare.stopped || this.closed) throw error;
        spare.handle = this.newHandle();
        spare.written = new Map(this.options.files());
        await this.bootInto(spare);
      }
    })();
    spare.ready.catch(() => {});
    return spare;
  }

  /** Can this finished run's worker restore in place: the WASI engine, and no file it holds deleted since? */
  private recyclable(spare: Spare, current: ReadonlyMap<string, Uint8Array>): boolean {
    if (spare.handle.info?.engine !== "wasi") return false;
    for (const path of spare.written.keys()) if (!current.has(path)) return false;
    return true;
  }

  private cachedCode(files: ProjectFile[]): Uint8Array[] {
    return this.options.codeCache.lookup(files, (file) => this.options.rewritten(file.path));
  }

  /**
   * Up to `count` clean workers (at least one), brought up to date with the
   * project. Booted spares are taken first, so that a rerun of one file
   * does not wait for a boot; a run of more files waits for as many
   * workers as the pool keeps.
   */
  async acquire(count: number): Promise<Lease> {
    this.fill();
    const wanted = Math.max(1, Math.min(count, this.options.size));
    const ordered = [...this.spares].sort((a, b) => Number(b.isReady) - Number(a.isReady));
    const taken = ordered.slice(0, wanted);
    if (taken.length === 0) throw new Error("watch mode's workers were stopped: no run can start");
    this.spares = this.spares.filter((spare) => !taken.includes(spare));
    try {
      await Promise.all(taken.map((spare) => spare.ready));
      const current = this.options.files();
      await Promise.all(taken.map((spare) => this.update(spare, current)));
    } catch (error) {
      await Promise.allSettled(taken.map(stopSpare));
      throw error;
    }
    const lease = new Lease(taken, this.options);
    this.leases.add(lease);
    return lease;
  }

  /** Write what changed since the spare booted (deleted files make `discardSpares` boot new ones). */
  private async update(spare: Spare, current: ReadonlyMap<string, Uint8Array>): Promise<void> {
    const changed: ProjectFile[] = [];
    for (const [path, data] of current) if (spare.written.get(path) !== data) changed.push({ path, data });
    // What the worker holds from now on (a recycled spare starts from it).
    spare.written = new Map(current);
    if (changed.length === 0) return;
    await spare.handle.writeFiles(changed);
    const code = this.cachedCode(changed);
    if (code.length > 0) await spare.handle.loadCodeCache(code);
  }

  /**
   * Give a lease's workers back: kept as spares when its run never started,
   * restored in place when it finished on the WASI engine (see the class
   * comment), else stopped. Then boot spares up to the pool's size.
   */
  async release(lease: Lease, end: LeaseEnd = "stopped"): Promise<void> {
    if (!this.leases.delete(lease)) return;
    if (this.closed || end === "stopped") await lease.retire();
    else if (end === "unused") this.spares.push(...lease.spares);
    else {
      const current = this.options.files();
      const room = this.options.size - this.spares.length;
      const reuse = lease.spares.filter((spare, index) => index < room && this.recyclable(spare, current));
      lease.detach();
      this.spares.push(...reuse.map((spare) => this.recycledSpare(spare)));
      await Promise.allSettled(lease.spares.filter((spare) => !reuse.includes(spare)).map(stopSpare));
    }
    // Spares given back while others booted in their place: keep `size`, the booted ones first.
    this.spares.sort((a, b) => Number(b.isReady) - Number(a.isReady));
    const extra = this.spares.splice(this.options.size);
    this.fill();
    await Promise.allSettled(extra.map(stopSpare));
  }

  /** Stop every spare and boot new ones (after files were deleted: spares still hold them). */
  async discardSpares(): Promise<void> {
    const old = this.spares;
    this.spares = [];
    this.fill();
    await Promise.allSettled(old.map(stopSpare));
  }

  /** Stop every worker, spare or leased. */
  async close(): Promise<void> {
    this.closed = true;
    const spares = this.spares;
    this.spares = [];
    await Promise.allSettled([...spares.map(stopSpare), ...[...this.leases].map((lease) => lease.retire())]);
    this.leases.clear();
  }
}

/** The workers of one run. Retired once the run is over or superseded: stopped, and what they report is ignored. */
export class Lease implements RunWorkers {
  readonly handles: WorkerHandle[];
  readonly info: EngineInfo;
  readonly codeCache: Pick<CodeCacheStore, "lookup" | "save">;
  private retired = false;

  constructor(
    readonly spares: Spare[],
    private readonly options: WarmPoolOptions,
  ) {
    // Ids as a pool of this size would number them.
    this.handles = spares.map((spare, index) => new LeasedHandle(`gw${index}`, spare.handle, this, options.onImports));
    this.info = spares[0]!.handle.info!;
    this.codeCache = options.codeCache;
  }

  get size(): number {
    return this.handles.length;
  }

  session(options: Omit<SessionOptions, "workers">): Promise<SessionOutcome> {
    return runSession({ ...options, workers: this.handles });
  }

  get isRetired(): boolean {
    return this.retired;
  }

  async takeCodeCache(): Promise<CodeCacheEntry[]> {
    return (await Promise.all(this.spares.map((spare) => spare.handle.takeCodeCache()))).flat();
  }

  interrupt(): void {
    for (const spare of this.spares) spare.handle.interrupt();
  }

  /** Stop the workers; a run still using them fails and is ignored. */
  async retire(): Promise<void> {
    this.retired = true;
    await Promise.allSettled(this.spares.map(stopSpare));
  }

  /** Let the pool keep the workers of a finished run; this lease no longer speaks for them. */
  detach(): void {
    this.retired = true;
  }
}

/** A leased worker as the session sees it: collect results feed the import graph, and a retired lease is never respawned. */
class LeasedHandle implements WorkerHandle {
  constructor(
    readonly id: string,
    private readonly inner: NodeWorkerHandle,
    private readonly lease: Lease,
    private readonly onImports: (imports: Record<string, string[]>) => void,
  ) {}

  writeFiles(files: ProjectFile[]): Promise<void> {
    return this.inner.writeFiles(files);
  }

  configure(config: HarnessConfig): Promise<void> {
    return this.inner.configure(config);
  }

  async collect(paths: string[]): Promise<CollectResult> {
    const result = await this.inner.collect(paths);
    if (result.imports && !this.lease.isRetired) this.onImports(result.imports);
    return result;
  }

  run(nodeids: string[], onEvents: (events: RunEvent[]) => void, control?: RunControl): Promise<void> {
    return this.inner.run(nodeids, onEvents, control);
  }

  finish(summary?: SummaryRequest): Promise<RunFinish> {
    return this.inner.finish(summary);
  }

  async respawn(): Promise<void> {
    if (this.lease.isRetired) throw new Error("the run was superseded by a newer one");
    await this.inner.respawn();
  }

  /** `--isolate=file`: a fresh interpreter in the same thread, as a plain run's worker restores one (`next`: see `WorkerHandle.restore`). */
  async restore(next?: string[]): Promise<void> {
    if (this.lease.isRetired) throw new Error("the run was superseded by a newer one");
    await this.inner.restore(next);
  }
}
