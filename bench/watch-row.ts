/**
 * The watch row: `measureWatchSaves` from bench/watch-latency.ts (owned by the
 * `--watch` work) on a copy of the large suite: one `fastest --watch` start,
 * then one timed save per round.
 */
import path from "node:path";
import { median } from "./report.js";
import { generateBasicSuite } from "./suite-basic.js";
import { LARGE_SPEC } from "./suites.js";
import { measureWatchSaves, type WatchLatency } from "./watch-latency.js";

export type WatchFigures =
  | { kind: "measured"; firstResultMs: number; fileDoneMs: number; samples: WatchLatency[] }
  | { kind: "not-measured"; reason: string };

const isMs = (value: unknown): value is number => typeof value === "number" && Number.isFinite(value) && value >= 0;

/** Medians of `saves` timed saves; `fastestCacheDir` is the bench's warm cache, handed on through the environment. */
export async function measureWatchRow(workDir: string, fastestCacheDir: string, saves: number, log: (line: string) => void): Promise<WatchFigures> {
  // measureWatchSaves starts fastest with this process's environment: use the bench's cache, not the user's.
  process.env["FASTEST_CACHE_DIR"] = fastestCacheDir;
  // A copy of the large suite: the measurement saves its files.
  const dir = path.join(workDir, "watch");
  generateBasicSuite(dir, "watch", LARGE_SPEC);
  let all: WatchLatency[];
  try {
    // The first save warms up (as in measureWatch) and is not counted.
    all = await measureWatchSaves(dir, saves + 1);
  } catch (error) {
    return { kind: "not-measured", reason: `fastest --watch failed: ${(error instanceof Error ? error.message : String(error)).split("\n")[0]}` };
  }
  all.forEach((sample, i) => log(`${i === 0 ? "warm-up save" : `save ${i}/${saves}`} watch  first result ${sample.firstResultMs.toFixed(0)} ms, file done ${sample.fileDoneMs.toFixed(0)} ms`));
  const samples = all.slice(1);
  const valid = samples.filter((sample) => isMs(sample.firstResultMs) && isMs(sample.fileDoneMs));
  if (valid.length === 0) return { kind: "not-measured", reason: `measureWatchSaves returned no usable sample: ${JSON.stringify(samples)}` };
  return {
    kind: "measured",
    firstResultMs: median(valid.map((sample) => sample.firstResultMs)),
    fileDoneMs: median(valid.map((sample) => sample.fileDoneMs)),
    samples: valid,
  };
}
