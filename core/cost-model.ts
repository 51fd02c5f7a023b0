/**
 * How many workers a run should use, from what it is expected to cost:
 * the estimated seconds of its test files (cached durations, else a
 * size-based guess) against what booting workers costs on this machine
 * (measured by earlier runs). `-n N` overrides the choice.
 */
import type { PlannedFile } from "./schedule.js";

/** One test file as the cost model sees it. */
export interface FileCostInput {
  /** The file, as planning names it. */
  path: string;
  /**
   * Any measure that grows with the file's work: its size in bytes today
   * (static discovery's item count can take its place; the rate between
   * this measure and seconds is learned from files with a cached duration).
   */
  size: number;
  /** Seconds the file took when it last ran whole, if known. */
  seconds?: number;
}

/**
 * Seconds per byte of test source when no file has a cached duration yet:
 * the benchmark's 200 tests in 10 files (13.4 KB) took 0.70 s on one worker
 * where 10 tests in one file took 0.56 s (`npm run bench`, 2 quiet cores):
 * ~0.18 s of collecting and running, ~13 µs per byte.
 */
export const defaultSecondsPerByte = 13e-6;

export interface WorkEstimate {
  /** The files with their estimated seconds as weights, in the order given. */
  files: PlannedFile[];
  /** Estimated seconds of all files together. */
  total: number;
  /** The most expensive file: no number of workers finishes sooner. */
  largest: number;
  /** How many files have a cached duration. */
  measured: number;
  /** Seconds added to every file's estimate (`estimateWork`'s `perFile`). */
  perFile: number;
}

/**
 * Estimated seconds per file: the cached duration, else the size at the
 * rate the cached files show (or the default), plus `perFile` seconds for
 * every file (a fresh interpreter each under `--isolate=file`: `BootCosts.restore`).
 */
export function estimateWork(files: FileCostInput[], secondsPerSize = defaultSecondsPerByte, perFile = 0): WorkEstimate {
  const known = files.filter((f) => f.seconds !== undefined && f.size > 0);
  const knownSize = known.reduce((sum, f) => sum + f.size, 0);
  const rate = knownSize > 0 ? known.reduce((sum, f) => sum + f.seconds!, 0) / knownSize : secondsPerSize;
  const planned = files.map((f) => ({ path: f.path, weight: (f.seconds ?? f.size * rate) + perFile }));
  return {
    files: planned,
    total: planned.reduce((sum, f) => sum + f.weight, 0),
    largest: planned.reduce((max, f) => Math.max(max, f.weight), 0),
    measured: files.filter((f) => f.seconds !== undefined).length,
    perFile,
  };
}

/** The interpreters a worker can run (`--engine`). */
export type EngineName = "pyodide" | "wasi";

/** What booting workers costs on this machine, in wall seconds, for one engine. */
export interface BootCosts {
  /** The engine these figures are for: its restore costs differ by an order of magnitude. */
  engine: EngineName;
  /** From starting the first worker until it can collect (the host's own preparation overlaps it). */
  first: number;
  /** What each further worker booted alongside adds to that. */
  extra: number;
  /**
   * What a booted worker takes to put a fresh interpreter in place of its
   * old one and get it ready for the next file (`--isolate=file`): restore
   * from the snapshot, write the project's files, configure, import the
   * conftests and the file again. Measured by earlier isolated runs, else
   * the engine's default.
   */
  restore: number;
  /** True when `first` and `extra` come from runs on this machine rather than the defaults. */
  measured: boolean;
}

/**
 * Used until this machine has measured its own; `npm run bench`'s method:
 * the 200-test suite (10 files) on one worker and on two, on 2 cores.
 *
 * Pyodide (quiet machine): 0.67 s on one worker, 0.80 s on two, so a
 * second worker cost ~0.13 s more than the ~0.09 s of tests it took over:
 * ~0.2 s. One worker is ready ~0.35 s after spawn.
 *
 * WASI: spawn-to-ready of one and of two workers, 8 runs of each engine
 * interleaved on the same suite (load 14-20, so only ratios carry over):
 * one WASI worker was ready in 0.50-0.53x Pyodide's time, a second added
 * 0.43-0.45x what Pyodide's second did: ~0.18 s, +~0.09 s. Again at load
 * 2-3 (5 runs each): one worker ready in 0.21-0.40 s (WASI) against
 * 0.41-0.56 s (Pyodide), two in 0.26-0.56 s against 0.50-0.94 s.
 *
 * `restore` (`--isolate=file`): per file, a restore in the worker's thread
 * plus writing the project's files, configuring, importing the conftests
 * and collecting the file again. The restore alone, 20 in one thread
 * (`node dist/bench/restore-probe.js`): min 122-152 ms Pyodide, 22-46 ms
 * WASI at load 21 (WASI's is 5-12 ms when quiet; Pyodide's ~0.2 s, see
 * docs/PERFORMANCE.md "Boot"). The whole per-file cost, the 2,000-test
 * suite (50 files) on one worker with and without the option at load
 * 11-14: 0.27-0.34 s Pyodide, 0.08-0.11 s WASI, a ratio of ~3.3. The
 * defaults are the quiet restores plus ~0.04 s of the rest, in that ratio.
 */
export const defaultBootCostsByEngine: Readonly<Record<EngineName, BootCosts>> = {
  pyodide: { engine: "pyodide", first: 0.35, extra: 0.2, restore: 0.2, measured: false },
  wasi: { engine: "wasi", first: 0.18, extra: 0.09, restore: 0.06, measured: false },
};

/** Pyodide's, the default engine's. */
export const defaultBootCosts: BootCosts = defaultBootCostsByEngine.pyodide;

/**
 * The least a further worker is taken to cost, whatever the measurements
 * say: on a busy machine a two-worker boot can happen to measure faster
 * than a one-worker boot, and a worker is never free (~110 MiB of memory
 * under Pyodide, ~45 MiB under WASI, its own conftest imports).
 */
export const minimumExtraWorkerSeconds: Readonly<Record<EngineName, number>> = { pyodide: 0.15, wasi: 0.05 };

/**
 * Boot costs from an engine's measured pool boots: wall seconds by pool
 * size, and what its fresh interpreters cost per file in earlier
 * `--isolate=file` runs. What is not measured yet falls back to the engine's defaults.
 */
export function bootCostsFrom(seconds: Record<number, number>, engine: EngineName = "pyodide", restore?: number): BootCosts {
  const defaults = defaultBootCostsByEngine[engine];
  const first = seconds[1];
  const extras = Object.entries(seconds)
    .map(([size, wall]) => ({ size: Number(size), wall }))
    .filter(({ size }) => size > 1 && first !== undefined)
    .map(({ size, wall }) => Math.max(minimumExtraWorkerSeconds[engine], (wall - first!) / (size - 1)));
  return {
    engine,
    first: first ?? defaults.first,
    extra: extras.length > 0 ? extras.reduce((a, b) => a + b, 0) / extras.length : defaults.extra,
    restore: restore ?? defaults.restore,
    measured: first !== undefined && extras.length > 0,
  };
}

export interface WorkerChoice {
  workers: number;
  /** Why, in a few words, for the `-v` header. */
  reason: string;
}

/** Expected wall seconds of a run on `workers` workers; idle workers take over files, so only the largest file stays whole. */
export function predictedSeconds(estimate: WorkEstimate, boot: BootCosts, workers: number): number {
  return boot.first + (workers - 1) * boot.extra + Math.max(estimate.total / workers, estimate.largest);
}

/**
 * The pool size: as asked (`-n N`, never more than files), else the one with
 * the lowest predicted wall time, up to the cores; a tie goes to fewer.
 */
export function chooseWorkers(options: { estimate: WorkEstimate; boot: BootCosts; cores: number; asked: number | null }): WorkerChoice {
  const { estimate, boot, cores, asked } = options;
  const files = estimate.files.length;
  if (asked !== null) return { workers: Math.max(1, Math.min(asked, files)), reason: "as asked with -n" };
  let best = 1;
  for (let n = 2; n <= Math.max(1, Math.min(cores, files)); n++) {
    if (predictedSeconds(estimate, boot, n) < predictedSeconds(estimate, boot, best) - 1e-9) best = n;
  }
  const source = estimate.measured === files ? "cached durations" : estimate.measured > 0 ? `cached durations of ${estimate.measured} of ${files} files` : "file sizes";
  const restoreText = estimate.perFile > 0 ? ` and a fresh interpreter per file (~${seconds(estimate.perFile)} each)` : "";
  const bootText = `a worker boots in ~${seconds(boot.first)}, +${seconds(boot.extra)} each more (${engineLabel[boot.engine]} ${boot.measured ? "figures from earlier runs" : "default figures"})`;
  return { workers: best, reason: `~${seconds(estimate.total)} of tests${restoreText} (from ${source}); ${bootText}` };
}

const engineLabel: Readonly<Record<EngineName, string>> = { pyodide: "Pyodide", wasi: "WASI" };

function seconds(value: number): string {
  return `${value < 10 ? value.toFixed(2) : value.toFixed(1)}s`;
}
