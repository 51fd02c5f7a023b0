import { Worker } from "node:worker_threads";
import * as Comlink from "comlink";
import nodeEndpoint from "comlink/dist/esm/node-adapter.mjs";
import type { CollectResult, EngineInfo, HarnessConfig, ProjectFile, RunControl, RunEvent, RunFinish } from "../core/protocol.js";
import type { WorkerHandle } from "../core/worker-handle.js";
import type { CodeCacheEntry } from "../wasm-python/engine.js";
import type { BootRequest, EngineService } from "../wasm-python/serve.js";
import { applySandboxFlags } from "./sandbox-flags.js";

/** A worker thread and the comlink proxy of the engine it serves. */
export interface EngineWorker {
  worker: Worker;
  remote: Comlink.Remote<EngineService>;
  /** Rejects when the thread dies; never resolves. */
  died: Promise<never>;
  terminate(): Promise<void>;
}

export function spawnEngineWorker(): EngineWorker {
  applySandboxFlags();
  const worker = new Worker(new URL("./worker.js", import.meta.url), {
    // Host environment variables stay out of the worker.
    env: {},
    stdout: false,
    stderr: false,
  });
  const remote = Comlink.wrap<EngineService>(nodeEndpoint(worker));
  const died = new Promise<never>((_, reject) => {
    worker.once("error", (error) => reject(new Error(`worker crashed: ${error.message}`)));
    worker.once("exit", (code) => reject(new Error(`worker exited with code ${code}`)));
  });
  died.catch(() => {});
  return {
    worker,
    remote,
    died,
    async terminate() {
      remote[Comlink.releaseProxy]();
      await worker.terminate();
    },
  };
}

/** A booted worker as the session sees it. */
export class NodeWorkerHandle implements WorkerHandle {
  readonly interruptBuffer = new Int32Array(new SharedArrayBuffer(4));
  info: EngineInfo | undefined;

  constructor(
    readonly id: string,
    private readonly thread: EngineWorker,
  ) {}

  /** Race a call against the thread's death, so a crash cannot hang the run. */
  private call<T>(work: Promise<T>): Promise<T> {
    return Promise.race([work, this.thread.died]);
  }

  async boot(request: Omit<BootRequest, "interruptBuffer">, onOutput: (stream: "stdout" | "stderr", text: string) => void): Promise<EngineInfo> {
    this.info = await this.call(
      this.thread.remote.boot({ ...request, interruptBuffer: this.interruptBuffer }, Comlink.proxy(onOutput)),
    );
    return this.info;
  }

  writeFiles(files: ProjectFile[]): Promise<void> {
    return this.call(this.thread.remote.writeFiles(files));
  }

  configure(config: HarnessConfig): Promise<void> {
    return this.call(this.thread.remote.configure(config));
  }

  collect(paths: string[]): Promise<CollectResult> {
    return this.call(this.thread.remote.collect(paths));
  }

  async run(nodeids: string[], onEvents: (events: RunEvent[]) => void, control?: RunControl): Promise<void> {
    // Event batches and the call's result travel on different channels:
    // the run is over when every event it sent has arrived.
    let received = 0;
    let expected = Number.POSITIVE_INFINITY;
    let allArrived: () => void = () => {};
    const arrived = new Promise<void>((resolve) => (allArrived = resolve));
    const decode = (batch: string[]) => {
      received += batch.length;
      onEvents(batch.map((json) => JSON.parse(json) as RunEvent));
      if (received >= expected) allArrived();
    };
    expected = await this.call(this.thread.remote.run(nodeids, Comlink.proxy(decode), control));
    if (received >= expected) allArrived();
    await this.call(arrived);
  }

  finish(): Promise<RunFinish> {
    return this.call(this.thread.remote.finish());
  }

  loadCodeCache(entries: Uint8Array[]): Promise<void> {
    return this.call(this.thread.remote.loadCodeCache(entries));
  }

  takeCodeCache(): Promise<CodeCacheEntry[]> {
    return this.call(this.thread.remote.takeCodeCache());
  }

  /** Raise KeyboardInterrupt in the worker's Python, wherever it is. */
  interrupt(): void {
    Atomics.store(this.interruptBuffer, 0, 2);
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

  /** Start `size` threads; they load the engine's code while the host prepares the boot. */
  spawn(size: number): void {
    this.state = "starting";
    for (let i = 0; i < size; i++) this.handles.push(new NodeWorkerHandle(`gw${i}`, spawnEngineWorker()));
  }

  /** Spawn (unless `spawn` did already) and boot every worker in parallel. */
  async start(
    size: number,
    request: Omit<BootRequest, "interruptBuffer">,
    onOutput: (stream: "stdout" | "stderr", text: string) => void,
  ): Promise<void> {
    if (this.handles.length === 0) this.spawn(size);
    await this.boot(request, onOutput);
  }

  /** Boot the spawned workers from the snapshot. */
  async boot(request: Omit<BootRequest, "interruptBuffer">, onOutput: (stream: "stdout" | "stderr", text: string) => void): Promise<void> {
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
