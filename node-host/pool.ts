import { Worker } from "node:worker_threads";
import * as Comlink from "comlink";
import nodeEndpoint from "comlink/dist/esm/node-adapter.mjs";
import type { CollectResult, EngineInfo, HarnessConfig, ProjectFile, RunControl, RunEvent, RunFinish, SummaryRequest } from "../core/protocol.js";
import { markUserInterrupt, newProgress, readProgress } from "../core/item-progress.js";
import { WorkerCrash, type WorkerHandle } from "../core/worker-handle.js";
import type { CodeCacheEntry } from "../wasm-python/engine.js";
import type { BootRequest, EngineService } from "../wasm-python/serve.js";
import { applySandboxFlags } from "./sandbox-flags.js";
import { watchItems } from "../wasm-python/item-watchdog.js";
import { runAndReceive } from "../wasm-python/run-events.js";

type BootArgs = Omit<BootRequest, "interruptBuffer" | "progress">;
type OutputSink = (stream: "stdout" | "stderr", text: string) => void;

/** A worker thread and the comlink proxy of the engine it serves. */
export interface EngineWorker {
  worker: Worker;
  remote: Comlink.Remote<EngineService>;
  /** Rejects when the thread dies; never resolves. */
  died: Promise<never>;
  /** Has the thread died (or been terminated)? */
  dead(): boolean;
  /** The first line of the interpreter's fatal-error report, once it printed one (`Aborted()`...). */
  fatalError(): string | undefined;
  terminate(): Promise<void>;
}

export function spawnEngineWorker(): EngineWorker {
  applySandboxFlags();
  const worker = new Worker(new URL("./worker.js", import.meta.url), {
    // Host environment variables stay out of the worker.
    env: {},
    stdout: true,
    stderr: true,
  });
  const fatal = watchConsole(worker);
  const remote = Comlink.wrap<EngineService>(nodeEndpoint(worker));
  let dead = false;
  const died = new Promise<never>((_, reject) => {
    worker.once("error", (error) => {
      dead = true;
      reject(new Error(`worker crashed: ${error.message}`));
    });
    worker.once("exit", (code) => {
      dead = true;
      reject(new Error(`worker exited with code ${code}`));
    });
  });
  died.catch(() => {});
  return {
    worker,
    remote,
    died,
    dead: () => dead,
    fatalError: fatal,
    async terminate() {
      remote[Comlink.releaseProxy]();
      await worker.terminate();
    },
  };
}

/**
 * Pass the worker's console output on to the host's, except for the report
 * Pyodide prints when the interpreter dies (`Aborted()`, "Pyodide has
 * suffered a fatal error" and its JS stack): the test that caused it is
 * reported as an error naming the cause, so the report is held back and its
 * first line handed to the crash. Returns that line, once seen.
 */
function watchConsole(worker: Worker): () => string | undefined {
  let fatal: string | undefined;
  const forward = (target: NodeJS.WriteStream) => (chunk: Buffer) => {
    if (fatal !== undefined) return;
    const text = chunk.toString("utf8");
    const start = text.search(/^(Aborted\(|Pyodide has suffered a fatal error)/m);
    if (start < 0) {
      target.write(text);
      return;
    }
    if (start > 0) target.write(text.slice(0, start));
    fatal = text.slice(start).split("\n", 1)[0]!.trim();
  };
  worker.stdout.on("data", forward(process.stdout));
  worker.stderr.on("data", forward(process.stderr));
  return () => fatal;
}

/**
 * What a call to a worker that Ctrl-C stopped ends with: reported as the
 * KeyboardInterrupt Python would have raised (named as the engines name a
 * Python exception, so the session stops instead of replacing the worker).
 */
function interruptedError(): Error {
  const error = new Error("KeyboardInterrupt (the worker's Python made no system call, so it was stopped)");
  error.name = "PythonError";
  return error;
}

/** A booted worker as the session sees it. */
export class NodeWorkerHandle implements WorkerHandle {
  readonly interruptBuffer = new Int32Array(new SharedArrayBuffer(4));
  /** Which item the worker runs: written by the worker, read by the watchdog and after a crash. */
  readonly progress = newProgress();
  info: EngineInfo | undefined;
  // What a replacement needs to stand in for this worker.
  private booted: { request: BootArgs; onOutput: OutputSink } | undefined;
  private files: ProjectFile[] = [];
  private codeCache: Uint8Array[] = [];
  /** Blamed when session teardown kills the worker. */
  private lastNodeid = "";
  /** Calls under way: a Ctrl-C that WASI Python has not taken stops the worker only while it is busy. */
  private busy = 0;
  private interruptTimer: NodeJS.Timeout | undefined;
  /** Set when Ctrl-C stopped the worker (WASI Python that made no system call): its calls end as interrupted. */
  private stoppedByInterrupt = false;

  constructor(
    readonly id: string,
    private thread: EngineWorker,
    /** How long an item may ignore its timeout's interrupt before the worker is killed. */
    private readonly graceMs = 2000,
    /** How long the worker may stay busy outside any test before it is killed (0: no limit). */
    private readonly busyLimitMs = 0,
  ) {}

  /**
   * Race a call against the thread's death, so a crash cannot hang the run;
   * `limited` calls (everything but boot and run) also against `busyLimitMs`.
   */
  private async call<T>(work: Promise<T>, limited = false): Promise<T> {
    this.busy += 1;
    try {
      return await this.callRaced(work, limited);
    } catch (error) {
      throw this.stoppedByInterrupt ? interruptedError() : error;
    } finally {
      this.busy -= 1;
    }
  }

  private async callRaced<T>(work: Promise<T>, limited: boolean): Promise<T> {
    if (!limited || this.busyLimitMs === 0) return Promise.race([work, this.thread.died]);
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        reject(this.busyCrash());
        void this.thread.worker.terminate();
      }, this.busyLimitMs);
    });
    try {
      return await Promise.race([work, this.thread.died, expired]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** The worker did not answer for `busyLimitMs` while no test was running. */
  private busyCrash(): WorkerCrash {
    const seconds = this.busyLimitMs / 1000;
    return new WorkerCrash(
      `worker crashed: busy for ${seconds}s outside any test (an import that never ends, or code a test left running such as a timer or promise callback), so it was stopped and replaced`,
      -1,
    );
  }

  async boot(request: BootArgs, onOutput: OutputSink): Promise<EngineInfo> {
    this.booted = { request, onOutput };
    const full = { ...request, interruptBuffer: this.interruptBuffer, progress: this.progress };
    this.info = await this.call(this.thread.remote.boot(full, Comlink.proxy(onOutput)));
    return this.info;
  }

  writeFiles(files: ProjectFile[]): Promise<void> {
    this.files = [...this.files, ...files];
    return this.call(this.thread.remote.writeFiles(files), true);
  }

  configure(config: HarnessConfig): Promise<void> {
    return this.call(this.thread.remote.configure(config), true);
  }

  async collect(paths: string[]): Promise<CollectResult> {
    try {
      return await this.call(this.thread.remote.collect(paths), true);
    } catch (error) {
      // Import errors come back as data; a Python exception here is a harness bug, anything else a dead interpreter.
      if (error instanceof WorkerCrash || (error instanceof Error && error.name === "PythonError")) throw error;
      throw new WorkerCrash(`worker crashed: ${this.crashCause(error instanceof Error ? error.message : String(error))}`, -1);
    }
  }

  /** Why the interpreter died, from what the engine said and what it printed. */
  private crashCause(crash: string): string {
    const fatal = this.thread.fatalError();
    return fatal?.startsWith("Aborted(") ? `${fatal}: the interpreter aborted (os.abort(), or a fatal error in C code)` : crash;
  }

  async run(nodeids: string[], onEvents: (events: RunEvent[]) => void, control?: RunControl): Promise<void> {
    this.lastNodeid = nodeids.at(-1) ?? this.lastNodeid;
    let killed: WorkerCrash | undefined;
    // WASI Python takes an interrupt at its next system call; one that makes none is stopped and restored from the snapshot (milliseconds).
    const wasi = this.info?.engine === "wasi";
    const stopWatching = watchItems({
      progress: this.progress,
      graceMs: this.graceMs,
      busyLimitMs: this.busyLimitMs,
      // The watchdog has marked the item timed out; Ctrl-C (interrupt()) marks itself instead.
      interrupt: () => this.raiseInterrupt(),
      kill: (index, timeout) => {
        killed = index < 0
          ? this.busyCrash()
          : wasi
            ? new WorkerCrash(`timed out after ${timeout}s and did not stop when interrupted`, index, timeout, "the WASI engine interrupts Python at its system calls (a sleep, a write, reading the clock) and the test made none, so its worker was stopped and restored from the snapshot: no traceback")
            : new WorkerCrash(`timed out after ${timeout}s and did not stop when interrupted`, index, timeout);
        void this.thread.worker.terminate();
      },
    });
    try {
      const crash = await runAndReceive(this.thread.remote, nodeids, onEvents, control, (pending) => this.call(pending));
      if (crash !== undefined) throw new WorkerCrash(`worker crashed: ${this.crashCause(crash)}`, readProgress(this.progress).index);
    } catch (error) {
      if (killed) throw killed;
      if (this.stoppedByInterrupt) throw error;
      if (!(error instanceof WorkerCrash) && this.thread.dead()) {
        throw new WorkerCrash((error as Error).message, readProgress(this.progress).index);
      }
      throw error;
    } finally {
      stopWatching();
    }
  }

  /** A fresh thread booted from the snapshot in place of a dead one, with the same files. */
  async respawn(): Promise<void> {
    if (!this.booted) throw new Error(`worker ${this.id} was never booted: nothing to respawn`);
    const old = this.thread;
    this.thread = spawnEngineWorker();
    await old.terminate().catch(() => {});
    Atomics.store(this.interruptBuffer, 0, 0);
    clearTimeout(this.interruptTimer);
    this.stoppedByInterrupt = false;
    await this.boot(this.booted.request, this.booted.onOutput);
    const files = this.files;
    this.files = [];
    await this.writeFiles(files);
    await this.loadCodeCache(this.codeCache);
  }

  /** A fresh interpreter from the snapshot in this worker's own thread, with the same files (`--isolate=file`); `next`: see `WorkerHandle.restore`. */
  async restore(next?: string[]): Promise<void> {
    await this.call(this.thread.remote.restore(next), true);
  }

  async finish(summary?: SummaryRequest): Promise<RunFinish> {
    try {
      return await this.call(this.thread.remote.finish(summary), true);
    } catch (error) {
      if (error instanceof Error && error.name === "PythonError") throw error;
      // A session fixture's teardown killed the interpreter: an error of the last test, as pytest reports teardown.
      const message = error instanceof WorkerCrash ? error.message : `worker crashed: ${this.crashCause(error instanceof Error ? error.message : String(error))}`;
      const longrepr = `${message}\n(the worker died while tearing down session fixtures)`;
      return { errors: [{ nodeid: this.lastNodeid, longrepr, message }], warnings: [] };
    }
  }

  loadCodeCache(entries: Uint8Array[]): Promise<void> {
    this.codeCache = entries;
    return this.call(this.thread.remote.loadCodeCache(entries), true);
  }

  takeCodeCache(): Promise<CodeCacheEntry[]> {
    return this.call(this.thread.remote.takeCodeCache(), true);
  }

  /** Ctrl-C: raise KeyboardInterrupt in the worker's Python, wherever it is. */
  interrupt(): void {
    markUserInterrupt(this.progress);
    this.raiseInterrupt();
    if (this.info?.engine !== "wasi") return;
    // WASI Python takes it at its next system call: one that makes none (a busy loop) is stopped after the grace period.
    clearTimeout(this.interruptTimer);
    this.interruptTimer = setTimeout(() => {
      if (this.busy === 0 || Atomics.load(this.interruptBuffer, 0) === 0) return;
      this.stoppedByInterrupt = true;
      void this.thread.worker.terminate();
    }, this.graceMs);
    this.interruptTimer.unref();
  }

  /** Ask for KeyboardInterrupt; the notify wakes a WASI `time.sleep` at once. */
  private raiseInterrupt(): void {
    Atomics.store(this.interruptBuffer, 0, 2);
    Atomics.notify(this.interruptBuffer, 0);
  }

  terminate(): Promise<void> {
    return this.thread.terminate();
  }
}

export type PoolState = "idle" | "starting" | "started" | "stopping" | "stopped";

/** A fixed set of booted engine workers. */
export class WorkerPool {
  state: PoolState = "idle";
  readonly handles: NodeWorkerHandle[] = [];

  /**
   * `timeoutGraceMs`: how long a timed-out item may ignore the interrupt before its worker is killed;
   * `busyLimitMs`: how long a worker may stay busy outside any test before it is killed (0: no limit).
   */
  constructor(private readonly options: { timeoutGraceMs?: number; busyLimitMs?: number } = {}) {}

  /** Start `size` threads; they load the engine's code while the host prepares the boot. */
  spawn(size: number): void {
    this.state = "starting";
    for (let i = 0; i < size; i++) this.handles.push(new NodeWorkerHandle(`gw${i}`, spawnEngineWorker(), this.options.timeoutGraceMs, this.options.busyLimitMs));
  }

  /** Spawn (unless `spawn` did already) and boot every worker in parallel. */
  async start(
    size: number,
    request: BootArgs,
    onOutput: (stream: "stdout" | "stderr", text: string) => void,
  ): Promise<void> {
    if (this.handles.length === 0) this.spawn(size);
    await this.boot(request, onOutput);
  }

  /** Boot the spawned workers from the snapshot. */
  async boot(request: BootArgs, onOutput: (stream: "stdout" | "stderr", text: string) => void): Promise<void> {
    try {
      await Promise.all(this.handles.map((handle) => handle.boot(request, onOutput)));
    } catch (error) {
      await this.stop();
      throw error;
    }
    this.state = "started";
  }

  interrupt(): void {
    for (const handle of this.handles) handle.interrupt();
  }

  async stop(): Promise<void> {
    if (this.state === "stopped" || this.state === "stopping") return;
    this.state = "stopping";
    await Promise.allSettled(this.handles.map((handle) => handle.terminate()));
    this.state = "stopped";
  }
}
