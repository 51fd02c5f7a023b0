/**
 * The watch row: `measureWatchSaves` from bench/watch-latency.ts on a copy
 * of the large suite: one `fastest --watch` start, then one timed save per
 * round. Measured on each engine: Pyodide's figures go to the Targets table,
 * both engines' to the Engines section.
 */
import path from "node:path";
import { median } from "./report.js";
import { generateBasicSuite } from "./suite-basic.js";
import { LARGE_SPEC } from "./suites.js";
import { measureWatchSaves, type WatchLatency } from "./watch-latency.js";

export type WatchFigures =
  | { kind: "measured"; firstResultMs: number; fileDoneMs: number; samples: WatchLatency[] }
  | { kind: "not-measured"; reason: string };

/** The watch figures of fastest's default engine (Pyodide) and of the WASI engine. */
export interface WatchByEngine {
  pyodide: WatchFigures;
  wasi: WatchFigures;
}

const isMs = (value: unknown): value is number => typeof value === "number" && Number.isFinite(value) && value >= 0;

/** How one engine's watch session starts: its own copy of the suite and cache dir, as its peers have (bench/peers.ts). */
export interface WatchEngine {
  /** Folder name of the suite's copy under the bench's work dir. */
  suite: string;
  /** `FASTEST_CACHE_DIR` for it: the bench's warm cache of that engine. */
  cacheDir: string;
  /** Arguments picking the engine (none for Pyodide). */
  args: readonly string[];
  /** Prefix of its progress lines. */
  label: string;
}

/** Medians of `saves` timed saves on one engine. */
export async function measureWatchRow(workDir: string, engine: WatchEngine, saves: number, log: (line: string) => void): Promise<WatchFigures> {
  // A copy of the large suite: the measurement saves its files.
  const dir = path.join(workDir, engine.suite);
  generateBasicSuite(dir, "watch", LARGE_SPEC);
  let all: WatchLatency[];
  try {
    // The first save warms up (as in measureWatch) and is not counted.
    all = await measureWatchSaves(dir, saves + 1, { args: engine.args, env: { FASTEST_CACHE_DIR: engine.cacheDir } });
  } catch (error) {
    return { kind: "not-measured", reason: `fastest --watch failed: ${(error instanceof Error ? error.message : String(error)).split("\n")[0]}` };
  }
  all.forEach((sample, i) => log(`${i === 0 ? "warm-up save" : `save ${i}/${saves}`} ${engine.label}  first result ${sample.firstResultMs.toFixed(0)} ms, file done ${sample.fileDoneMs.toFixed(0)} ms`));
  return watchFigures(all.slice(1));
}

/** The medians of the samples that hold two usable times. */
export function watchFigures(samples: readonly WatchLatency[]): WatchFigures {
  const valid = samples.filter((sample) => isMs(sample.firstResultMs) && isMs(sample.fileDoneMs));
  if (valid.length === 0) return { kind: "not-measured", reason: `measureWatchSaves returned no usable sample: ${JSON.stringify(samples)}` };
  return {
    kind: "measured",
    firstResultMs: median(valid.map((sample) => sample.firstResultMs)),
    fileDoneMs: median(valid.map((sample) => sample.fileDoneMs)),
    samples: valid,
  };
}

/**
 * The watch figures on both engines: Pyodide on `workDir/watch`, the WASI
 * engine (`--sandbox=wasi`) on `workDir/wasi/watch` with its own cache dir,
 * unless `wasiMissing` says its build is missing.
 */
export async function measureWatchRows(
  workDir: string,
  caches: { pyodide: string; wasi: string },
  wasiMissing: string | null,
  saves: number,
  log: (line: string) => void,
): Promise<WatchByEngine> {
  const pyodide = await measureWatchRow(workDir, { suite: "watch", cacheDir: caches.pyodide, args: [], label: "watch" }, saves, log);
  const wasi: WatchFigures = wasiMissing
    ? { kind: "not-measured", reason: wasiMissing }
    : await measureWatchRow(workDir, { suite: path.join("wasi", "watch"), cacheDir: caches.wasi, args: ["--sandbox=wasi"], label: "watch, WASI engine" }, saves, log);
  return { pyodide, wasi };
}
