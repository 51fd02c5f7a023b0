/**
 * The browser's `WorkerHandle` (core/worker-handle.ts): a Web Worker engine
 * driven by `core/session.ts`, as `node-host/pool.ts` drives worker threads.
 *
 * Timeouts work in one of two ways. A cross-origin isolated page has
 * SharedArrayBuffer: the worker writes which item runs into shared memory,
 * the watchdog (wasm-python/item-watchdog.ts) interrupts Python in place at the
 * item's timeout (the harness reports pytest-timeout's failure with the
 * stack), and kills the worker only if the item ignores the interrupt. A
 * page without isolation cannot reach into a running worker at all: the
 * item's clock starts at its `itemStart` event, and at the timeout the
 * worker is terminated; the session reports the item as timed out, a new
 * worker restores the snapshot and the run goes on. The WASI engine takes
 * the interrupt at Python's next system call (a sleep, a write, reading the
 * clock); a test that makes none has its worker replaced after the grace
 * period, which costs milliseconds there.
 */
import * as Comlink from "comlink";
import { beginItem, markUserInterrupt, newProgress, readProgress } from "../../core/item-progress.js";
import { watchItems } from "../../wasm-python/item-watchdog.js";
import type { CollectResult, EngineInfo, HarnessConfig, ProjectFile, RunControl, RunEvent, RunFinish, SummaryRequest } from "../../core/protocol.js";
import { WorkerCrash, type WorkerHandle } from "../../core/worker-handle.js";
import type { BootRequest } from "../../wasm-python/serve.js";
import { runAndReceive } from "../../wasm-python/run-events.js";
import { spawnEngineThread, type EngineThread } from "./engine-thread.js";

/** What every boot of an engine is given (the shared-memory parts are the handle's own). */
export type BootArgs = Omit<BootRequest, "interruptBuffer" | "progress">;

type OutputSink = (stream: "stdout" | "stderr", text: string) => void;

/** Thrown by the handle's calls once `stop()` has ended its worker. */
export class RunStopped extends Error {
  constructor() {
    super("the run was stopped");
    this.name = "RunStopped";
  }
}

/** Under a timeout that could not interrupt the test. */
const notIsolatedNote =
  "this page is not cross-origin isolated, so Python could not be interrupted in place: its worker was stopped and replaced, no traceback";

/** Under a timeout on the WASI engine whose test ignored the interrupt (as the Node host words it, node-host/pool.ts). */
const wasiNote =
  "the WASI engine interrupts Python at its system calls (a sleep, a write, reading the clock) and the test made none, so its worker was stopped and restored from the snapshot: no traceback";

/** How long an item may ignore its timeout's interrupt before its worker is terminated. */
const interruptGraceMs = 2000;

export class BrowserWorkerHandle implements WorkerHandle {
  /** Shared memory is available: timeouts and Stop interrupt Python in place. */
  readonly isolated = typeof SharedArrayBuffer === "function" && globalThis.crossOriginIsolated === true;
  private readonly interruptBuffer = this.isolated ? new Int32Array(new SharedArrayBuffer(4)) : undefined;
  private readonly progress = this.isolated ? newProgress() : undefined;
  private thread: EngineThread | undefined;
  info: EngineInfo | undefined;
  /** Every file written so far: a replacement worker gets them again. */
  private files: ProjectFile[] = [];
  /** Node ids this handle stopped for running past their timeout. */
  readonly timedOut = new Set<string>();
  /** Seconds an item may run when the page is not isolated (the harness times items itself otherwise). */
  timeoutSeconds = 0;
  /** Receives output that escaped capture outside runs. */
  onOutput: OutputSink = () => {};
  private stopped = false;

  constructor(
    readonly id: string,
    private readonly args: BootArgs,
  ) {}

  /** Restore the snapshot in `thread` (a new worker by default; one started early has its script loaded already). */
  async boot(thread: EngineThread = spawnEngineThread()): Promise<EngineInfo> {
    this.thread = thread;
    const request: BootRequest = {
      ...this.args,
      itemStartsAtOnce: true,
      ...(this.interruptBuffer ? { interruptBuffer: this.interruptBuffer } : {}),
      ...(this.progress ? { progress: this.progress } : {}),
    };
    this.info = await this.call(this.thread.remote.boot(request, Comlink.proxy((stream, text) => this.onOutput(stream, text))));
    // For measuring: the stages of the restore, as the engine timed them.
    performance.mark("fastest:engine-booted", { detail: { engine: this.id, ...this.info.bootTimings } });
    return this.info;
  }

  /** Race a call against the worker's end, so that neither a kill nor Stop can leave it hanging. */
  private async call<T>(work: Promise<T>): Promise<T> {
    const thread = this.live();
    try {
      return await Promise.race([work, thread.died]);
    } catch (error) {
      if (this.stopped) throw new RunStopped();
      throw error;
    }
  }

  private live(): EngineThread {
    if (this.stopped) throw new RunStopped();
    if (!this.thread) throw new Error(`engine ${this.id} used before boot()`);
    return this.thread;
  }

  writeFiles(files: ProjectFile[]): Promise<void> {
    this.files = [...this.files, ...files];
    return this.call(this.live().remote.writeFiles(files));
  }

  configure(config: HarnessConfig): Promise<void> {
    return this.call(this.live().remote.configure(config));
  }

  async collect(paths: string[]): Promise<CollectResult> {
    try {
      return await this.call(this.live().remote.collect(paths));
    } catch (error) {
      if (error instanceof RunStopped || (error instanceof Error && error.name === "PythonError")) throw error;
      throw new WorkerCrash(`worker crashed: ${error instanceof Error ? error.message : String(error)}`, -1);
    }
  }

  async run(nodeids: string[], onEvents: (events: RunEvent[]) => void, control?: RunControl): Promise<void> {
    const thread = this.live();
    const wasi = this.args.expected.engine === "wasi";
    let killed: WorkerCrash | undefined;
    const kill = (index: number, seconds: number) => {
      if (index >= 0 && nodeids[index] !== undefined) this.timedOut.add(nodeids[index]);
      killed = new WorkerCrash(`timed out after ${seconds}s`, index, seconds, !this.isolated ? notIsolatedNote : wasi ? wasiNote : undefined);
      thread.terminate(killed.message);
    };
    // Position of the item running now, from the events (without shared memory the only source).
    let running = -1;
    let itemTimer: ReturnType<typeof setTimeout> | undefined;
    const seen = (events: RunEvent[]) => {
      for (const event of events) {
        if (event.type === "itemStart") {
          running = nodeids.indexOf(event.nodeid, Math.max(0, running));
          clearTimeout(itemTimer);
          const at = running;
          if (!this.progress && this.timeoutSeconds > 0) itemTimer = setTimeout(() => kill(at, this.timeoutSeconds), this.timeoutSeconds * 1000);
        } else if (event.type === "itemEnd") clearTimeout(itemTimer);
      }
      onEvents(events);
    };
    const progress = this.progress;
    const interruptBuffer = this.interruptBuffer;
    const stopWatching = progress && interruptBuffer
      ? watchItems({
          progress,
          graceMs: interruptGraceMs,
          interrupt: () => {
            const { index } = readProgress(progress);
            if (nodeids[index] !== undefined) this.timedOut.add(nodeids[index]);
            Atomics.store(interruptBuffer, 0, 2);
            // Wakes a WASI interpreter asleep in time.sleep (it waits on this cell).
            Atomics.notify(interruptBuffer, 0);
          },
          kill,
        })
      : () => {};
    try {
      const crash = await runAndReceive(thread.remote, nodeids, seen, control, (pending) => this.call(pending));
      const blamed = progress ? readProgress(progress).index : running;
      if (crash !== undefined) throw new WorkerCrash(`worker crashed: ${crash}`, blamed);
    } catch (error) {
      if (this.stopped) throw new RunStopped();
      if (killed) throw killed;
      if (!(error instanceof WorkerCrash) && thread.dead()) {
        throw new WorkerCrash((error as Error).message, progress ? readProgress(progress).index : running);
      }
      throw error;
    } finally {
      clearTimeout(itemTimer);
      stopWatching();
    }
  }

  /** A new worker restored from the snapshot in place of a dead one, with the same files. */
  async respawn(): Promise<void> {
    this.live().terminate("replaced");
    if (this.interruptBuffer) Atomics.store(this.interruptBuffer, 0, 0);
    if (this.progress) beginItem(this.progress, -1, 0);
    await this.boot();
    const files = this.files;
    this.files = [];
    await this.writeFiles(files);
  }

  async finish(summary?: SummaryRequest): Promise<RunFinish> {
    return this.call(this.live().remote.finish(summary));
  }

  /**
   * End the run now, wherever Python is: the worker is terminated (an
   * interrupt could be ignored or swallowed by the code under test), and
   * every call in flight rejects with `RunStopped`.
   */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    if (this.progress) markUserInterrupt(this.progress);
    this.thread?.terminate("the run was stopped");
  }

  /** Release the worker. */
  dispose(): void {
    this.thread?.terminate("disposed");
  }
}
