/**
 * What each test file cost in the last run that ran it whole: its items'
 * setup, call and teardown durations plus the time its collection (import)
 * took. Kept in the run cache so that the next run can plan with it.
 *
 * One set for both engines, not one per engine: Python runs at about the
 * same speed on Pyodide and on WASI (the bench's CPU-bound suite: 2.45 s
 * and 2.35 s, docs/BENCHMARKS.md), so a file measured on one is a fair
 * estimate on the other, and keying them apart would throw the measurements
 * away at each switch. What differs by engine is the cost of booting and
 * restoring interpreters, which planning keeps per engine (boot-times.json,
 * `BootCosts`). The restore under `--isolate=file` is not part of a file's
 * duration: planning adds it.
 */
import type { PhaseReport } from "./protocol.js";

/** Cache key of the per-file durations: `<rootdir>/.fastest_cache/v/fastest/durations` on Node. */
export const fileDurationsKey = "fastest/durations";

/** Seconds by rootdir-relative file path. */
export type FileDurations = Record<string, number>;

/** The stored value, with anything that is not a file's seconds left out. */
export function parseFileDurations(value: unknown): FileDurations {
  const durations: FileDurations = {};
  if (typeof value !== "object" || value === null || Array.isArray(value)) return durations;
  for (const [file, seconds] of Object.entries(value)) {
    if (typeof seconds === "number" && Number.isFinite(seconds) && seconds >= 0) durations[file] = seconds;
  }
  return durations;
}

export interface MeasuredRun {
  /** How many items each file collected, before any selection narrowed them. */
  collectedPerFile: Record<string, number>;
  /** Seconds each file took to collect. */
  collectDurations: Record<string, number>;
  results: ReadonlyArray<{ nodeid: string; reports: readonly PhaseReport[] }>;
}

/**
 * Each file's cost in this run, for the files whose every collected item
 * has a result: a file cut short by selection (`-k`, `--lf`), by `-x` or by
 * `pytest.exit()` would look cheaper than it is, so it is left out.
 */
export function measureFileDurations(run: MeasuredRun): FileDurations {
  const seconds = new Map<string, number>();
  const ran = new Map<string, number>();
  for (const result of run.results) {
    const file = fileOf(result.nodeid);
    // Subtest reports are part of their item's call; counting them would count twice.
    const own = result.reports.filter((report) => report.subtest === undefined);
    seconds.set(file, (seconds.get(file) ?? 0) + own.reduce((sum, report) => sum + report.duration, 0));
    ran.set(file, (ran.get(file) ?? 0) + 1);
  }
  const measured: FileDurations = {};
  for (const [file, count] of Object.entries(run.collectedPerFile)) {
    if (count === 0 || ran.get(file) !== count) continue;
    measured[file] = round(seconds.get(file)! + (run.collectDurations[file] ?? 0));
  }
  return measured;
}

/**
 * Older entries updated with this run's: a file measured again keeps the
 * mean of its old and new cost, so that one run on a busy machine does not
 * decide alone; files this run did not measure keep their value.
 */
export function mergeFileDurations(older: FileDurations, fresh: FileDurations): FileDurations {
  const merged: FileDurations = { ...older };
  for (const [file, seconds] of Object.entries(fresh)) {
    const before = older[file];
    merged[file] = before === undefined ? seconds : round((before + seconds) / 2);
  }
  return Object.fromEntries(Object.keys(merged).sort().map((file) => [file, merged[file]!]));
}

function fileOf(nodeid: string): string {
  const cut = nodeid.indexOf("::");
  return cut < 0 ? nodeid : nodeid.slice(0, cut);
}

/** Microseconds are plenty, and keep the file readable. */
function round(seconds: number): number {
  return Math.round(seconds * 1e6) / 1e6;
}
