/**
 * What the browser pages (playground, docs widget) see of the Python
 * engine: a `Runner` that boots Pyodide in a Web Worker from a cached memory
 * snapshot and runs a workspace of files the way `fastest` runs a project.
 * The implementation lives in `web/runtime/`; pages depend on this file only.
 */
import type { CollectError, CollectedItem, ItemOutcome, PhaseReport } from "../../core/protocol.js";

export type { CollectError, CollectedItem, ItemOutcome, PhaseReport };

/** One file of the workspace: its path relative to the project root (`test_app.py`, `pkg/util.py`) and its text. */
export interface WorkspaceFile {
  path: string;
  content: string;
}

export interface RunOptions {
  /** Every file of the project; the run sees exactly these (nothing from earlier runs). */
  files: WorkspaceFile[];
  /** Node ids or file paths to run, as on pytest's command line; empty or absent: every test. */
  selectors?: string[];
  /** Seed for `random`, reapplied before each test (default 0). */
  seed?: number;
  /**
   * Seconds one test may run before it is stopped and reported as timed out
   * (default 10; 0: no limit). On a cross-origin isolated page a test's own
   * `@pytest.mark.timeout(N)` wins, as with pytest-timeout; without isolation
   * the page can only time tests from outside, so this limit applies to all.
   */
  timeout?: number;
  /** pytest's verbosity for the terminal text (default 0). */
  verbosity?: number;
}

/** One test's result, ready to show. */
export interface ItemResult {
  nodeid: string;
  /** [file relative to the project root, 0-based line, domain], as pytest's `location`. */
  location: [string, number | null, string];
  outcome: ItemOutcome;
  /** Seconds, all phases together. */
  duration: number;
  /** pytest-style failure text (traceback, assertion diff) of the failing phases; "" when nothing failed. */
  longrepr: string;
  /** One-line reason, as in pytest's short summary (`FAILED id - msg`); "" when none. */
  message: string;
  /** Captured output, e.g. `["Captured stdout call", "hello\n"]`. */
  sections: Array<[string, string]>;
  /** The raw phase reports. */
  reports: PhaseReport[];
  /** The test was stopped because it ran past the timeout. */
  timedOut: boolean;
}

/** Progress of a run, in order. */
export type RunUpdate =
  | { type: "booted"; boot: BootInfo }
  | { type: "collected"; items: CollectedItem[]; errors: CollectError[] }
  | { type: "itemStart"; nodeid: string }
  | { type: "itemEnd"; result: ItemResult }
  /** Output that escaped capture. */
  | { type: "output"; stream: "stdout" | "stderr"; text: string };

export interface RunSummary {
  /** Results in collection order. */
  results: ItemResult[];
  /** Files that could not be collected (syntax errors, failing imports). */
  errors: CollectError[];
  /** Counts by outcome as pytest's last line shows them (`passed`, `failed`, `error`, `skipped`, `xfailed`, `xpassed`, `deselected`). */
  counts: Record<string, number>;
  /** pytest's exit code: 0 all passed, 1 failures, 2 interrupted or collection errors, 5 no tests. */
  exitCode: number;
  /** pytest's last line without the `=` rule, e.g. `1 failed, 2 passed in 0.12s`. */
  summaryLine: string;
  /** The whole run as pytest prints it in a terminal (no colors): failures, summary. */
  terminalText: string;
  /** Wall time of the run in milliseconds, boot excluded. */
  durationMs: number;
  /** The run was cut short by `stop()`. */
  stopped: boolean;
}

/**
 * The Python engines a page can run on: `pyodide` (CPython 3.14 compiled
 * with Emscripten, the default) or `wasi` (CPython 3.11 compiled for WASI:
 * restores in milliseconds, but only in sites built after `npm run build:wasi`;
 * see `web/runtime/engines.ts`).
 */
export type EngineName = "pyodide" | "wasi";

export interface BootInfo {
  /** The engine that booted. */
  engine: EngineName;
  /** Milliseconds from the first `boot()` call until Python was ready. */
  ms: number;
  /** Where the interpreter snapshot came from: IndexedDB (`cache`) or made now (`made`, first visit). */
  snapshot: "cache" | "made";
  pythonVersion: string;
  /** The engine's version: Pyodide's npm version (`314.0.7`), or the WASI build's identity (`cpython-3.11.2-<build key>`). */
  pyodideVersion: string;
  /** SharedArrayBuffer is available: timeouts interrupt in place instead of restarting the worker. */
  crossOriginIsolated: boolean;
}

/** A Python engine in a Web Worker, shared by everything on the page. */
export interface Runner {
  /** Boot (or return the boot in progress / done). Safe to call many times. */
  boot(): Promise<BootInfo>;
  /** Run the workspace; boots first if needed. Runs are queued: one at a time. Every run starts from a fresh interpreter. */
  run(options: RunOptions, onUpdate?: (update: RunUpdate) => void): Promise<RunSummary>;
  /** Stop the current run; the promise of `run` resolves with `stopped: true` and the results so far. */
  stop(): void;
  /** Terminate the worker(s). */
  dispose(): void;
}

export interface RunnerOptions {
  /** URL of the folder holding the site's assets (Pyodide files, worker script); the page's own by default. */
  assetsBase?: string;
  /** The engine to boot (default `pyodide`); `wasi` fails to boot, saying how to add it, in a site built without it. */
  engine?: EngineName;
}
