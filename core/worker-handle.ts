import type { CollectResult, HarnessConfig, ProjectFile, RunControl, RunEvent, RunFinish, SummaryRequest } from "./protocol.js";

/**
 * What the scheduler sees of one worker: an engine behind some transport.
 * The Node host implements it over worker_threads, the browser over a Web
 * Worker; the session logic never learns which.
 */
export interface WorkerHandle {
  readonly id: string;
  writeFiles(files: ProjectFile[]): Promise<void>;
  configure(config: HarnessConfig): Promise<void>;
  /** Import test files and list their items; rejects with a `WorkerCrash` when the import killed the interpreter. */
  collect(paths: string[]): Promise<CollectResult>;
  /**
   * Run items in order; `control` lets the host stop the run early (see
   * `RunControl`). Rejects with a `WorkerCrash` when the worker died (or was
   * killed for a timeout) during the run, after the events it sent arrived.
   */
  run(nodeids: string[], onEvents: (events: RunEvent[]) => void, control?: RunControl): Promise<void>;
  /** End the session: `pytest_sessionfinish`, session teardown, and `pytest_terminal_summary` when `summary` has stats. */
  finish(summary?: SummaryRequest): Promise<RunFinish>;
  /**
   * Replace a dead engine with a fresh one booted from the snapshot, the
   * project's files written again; the handle stays the same. Hosts that
   * cannot replace workers leave it out; a crash then ends the run.
   */
  respawn?(): Promise<void>;
  /**
   * Put a fresh interpreter, restored from the snapshot, in place of this
   * one without a new thread, the project's files written again
   * (`--isolate=file`); `configure` comes next. `next`: the sandbox paths
   * it is about to collect, so that only their rewritten code is loaded.
   * Hosts without it isolate files with `respawn`.
   */
  restore?(next?: string[]): Promise<void>;
}

/** A worker died during `run`: what killed it and which item it was running. */
export class WorkerCrash extends Error {
  constructor(
    message: string,
    /** Position of the running item in the node ids given to `run`; -1 if none was. */
    readonly running: number,
    /** Seconds, when the host killed the worker because that item outlived its timeout; else 0. */
    readonly timeout = 0,
    /** Why a timed-out item has no traceback, shown under its failure (default: it ignored the interrupt). */
    readonly timeoutNote?: string,
  ) {
    super(message);
    this.name = "WorkerCrash";
  }
}
