/**
 * The watch row: `measureWatch(suiteDir)` from bench/watch-latency.ts (owned
 * by the `--watch` work) on a copy of the large suite, once per round. Until
 * that module exists the row reports why it was not measured.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { median } from "./report.js";
import { generateBasicSuite } from "./suite-basic.js";
import { LARGE_SPEC } from "./suites.js";

export type WatchFigures =
  | { kind: "measured"; firstResultMs: number; fileDoneMs: number; samples: Array<{ firstResultMs: number; fileDoneMs: number }>; failures: string[] }
  | { kind: "not-measured"; reason: string };

type MeasureWatch = (suiteDir: string) => Promise<{ firstResultMs: number; fileDoneMs: number }>;

/** measureWatch, if bench/watch-latency.ts has been built and exports it. */
async function loadMeasureWatch(): Promise<MeasureWatch | string> {
  const module = new URL("./watch-latency.js", import.meta.url);
  if (!existsSync(module)) return "bench/watch-latency.ts does not exist yet";
  try {
    const loaded = (await import(module.href)) as { measureWatch?: unknown };
    return typeof loaded.measureWatch === "function" ? (loaded.measureWatch as MeasureWatch) : "bench/watch-latency.ts does not export measureWatch";
  } catch (error) {
    return `bench/watch-latency.ts failed to load: ${error instanceof Error ? error.message : String(error)}`;
  }
}

const isMs = (value: unknown): value is number => typeof value === "number" && Number.isFinite(value) && value >= 0;

/** Medians of `rounds` calls; `fastestCacheDir` is the bench's warm cache, handed on through the environment. */
export async function measureWatchRow(workDir: string, fastestCacheDir: string, rounds: number, log: (line: string) => void): Promise<WatchFigures> {
  const measureWatch = await loadMeasureWatch();
  if (typeof measureWatch === "string") return { kind: "not-measured", reason: measureWatch };
  // measureWatch starts fastest with this process's environment: use the bench's cache, not the user's.
  process.env["FASTEST_CACHE_DIR"] = fastestCacheDir;
  // A copy of the large suite: the measurement saves one of its files.
  const dir = path.join(workDir, "watch");
  generateBasicSuite(dir, "watch", LARGE_SPEC);
  const samples: Array<{ firstResultMs: number; fileDoneMs: number }> = [];
  const failures: string[] = [];
  for (let round = 0; round < rounds; round++) {
    try {
      const sample = await measureWatch(dir);
      if (!isMs(sample.firstResultMs) || !isMs(sample.fileDoneMs)) throw new Error(`measureWatch returned ${JSON.stringify(sample)}`);
      samples.push(sample);
      log(`round ${round + 1}/${rounds} watch  first result ${sample.firstResultMs.toFixed(0)} ms, file done ${sample.fileDoneMs.toFixed(0)} ms`);
    } catch (error) {
      failures.push(error instanceof Error ? error.message : String(error));
      log(`round ${round + 1}/${rounds} watch  FAILED: ${failures.at(-1)}`);
    }
  }
  if (samples.length === 0) return { kind: "not-measured", reason: `every measureWatch call failed: ${failures[0] ?? "no rounds"}` };
  return {
    kind: "measured",
    firstResultMs: median(samples.map((sample) => sample.firstResultMs)),
    fileDoneMs: median(samples.map((sample) => sample.fileDoneMs)),
    samples,
    failures,
  };
}
