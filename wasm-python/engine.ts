import type {
  CollectResult,
  EngineInfo,
  HarnessConfig,
  ProjectFile,
  RunControl,
  RunFinish,
  SummaryRequest,
} from "../core/protocol.js";

/**
 * One Python interpreter, booted and locked down, ready to collect and run
 * tests. Calls are synchronous on purpose: the interpreter runs on the
 * thread that owns it (a worker), and the host talks to that thread through
 * `serveEngine`.
 */
export interface Engine {
  readonly info: EngineInfo;
  /** Copy files into the sandbox's in-memory file system. */
  writeFiles(files: ProjectFile[]): void;
  /** Reset the harness for a run with these settings. */
  configure(config: HarnessConfig): void;
  /** Import the given test files (absolute sandbox paths) and list their items. */
  collect(paths: string[]): CollectResult;
  /**
   * Run previously collected items in order; `emit` receives each
   * JSON-encoded `RunEvent` as it happens. With `control`, items at or past
   * its stop index are not started (`-x`, `--maxfail`).
   */
  run(nodeids: string[], emit: (event: string) => void, control?: RunControl): void;
  /** Preload rewritten test code kept from earlier runs (entries from `takeCodeCache`). */
  loadCodeCache(entries: Uint8Array[]): void;
  /** Rewritten code compiled since the last call, for the host to keep. */
  takeCodeCache(): CodeCacheEntry[];
  /** Tear down session-scoped state and return what it reported. */
  finish(summary?: SummaryRequest): RunFinish;
  /** Release the interpreter. */
  dispose(): void;
}

/**
 * Assertion-rewritten, compiled test code, keyed by the source's path and
 * SHA-1: rewriting dominates collection inside WebAssembly, so hosts keep
 * these between runs as pytest keeps its rewritten `.pyc` files.
 */
export interface CodeCacheEntry {
  path: string;
  /** SHA-1 (hex) of the source bytes. */
  digest: string;
  data: Uint8Array;
}

/** How an engine gets interrupted from another thread. */
export interface InterruptHandle {
  /** Shared flag the interpreter polls; writing 2 (SIGINT) raises KeyboardInterrupt. */
  buffer: Int32Array;
}
