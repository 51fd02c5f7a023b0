import { readFileSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { bootCostsFrom, chooseWorkers, estimateWork, type BootCosts, type EngineName, type WorkEstimate } from "../core/cost-model.js";
import { fileDurationsKey, measureFileDurations, mergeFileDurations, parseFileDurations, type FileDurations } from "../core/file-durations.js";
import type { PlannedFile } from "../core/schedule.js";
import type { SessionOutcome } from "../core/session.js";
import { FileCacheStore } from "./cache-store.js";
import type { RunConfig } from "./run-config.js";
import { cacheDir } from "./snapshot-cache.js";
import { writeFileAtomic } from "./write-atomic.js";

/** What the host decided before spawning workers, and why. */
export interface HostPlan {
  /** Pool size for a run that boots its own workers. */
  workers: number;
  /** Why that size, for the `-v` header. */
  reason: string;
  /** Test files (POSIX paths) with their estimated seconds as weights, in discovery order. */
  files: PlannedFile[];
  estimate: WorkEstimate;
}

/**
 * Plan a run: estimate each test file's cost from the durations cached by
 * earlier runs (its size otherwise), plus the engine's restore per file
 * under `--isolate=file`, and pick the pool size the cost model predicts
 * fastest on this machine for the run's engine, unless `-n` says.
 */
export async function planRun(config: RunConfig, testFiles: string[], options: { singleWorker?: boolean } = {}): Promise<HostPlan> {
  const durations = await readFileDurations(config);
  const boot = readBootCosts(config.engine);
  const toRoot = (file: string) => path.relative(config.rootdir, file).split(path.sep).join("/");
  const estimate = estimateWork(
    testFiles.map((file) => {
      const seconds = durations[toRoot(file)];
      return { path: file.split(path.sep).join("/"), size: sizeOf(file), ...(seconds !== undefined ? { seconds } : {}) };
    }),
    undefined,
    config.isolate === "file" ? boot.restore : 0,
  );
  const choice = options.singleWorker
    ? { workers: 1, reason: "listings come from one interpreter" }
    : chooseWorkers({ estimate, boot, cores: os.availableParallelism(), asked: config.workers });
  return { workers: choice.workers, reason: choice.reason, files: estimate.files, estimate };
}

/** The durations earlier runs stored (none with `-p no:cacheprovider` or `--cache-clear`). */
async function readFileDurations(config: RunConfig): Promise<FileDurations> {
  const cache = config.control.cache;
  if (!cache || cache.clear) return {};
  return parseFileDurations(await new FileCacheStore(config.rootdir).get(fileDurationsKey));
}

/** Store what each file cost in this run next to the older entries. */
export async function saveFileDurations(config: RunConfig, outcome: SessionOutcome): Promise<void> {
  if (!config.control.cache || !outcome.collectedPerFile) return;
  const fresh = measureFileDurations({
    collectedPerFile: outcome.collectedPerFile,
    collectDurations: outcome.collectDurations ?? {},
    results: outcome.results,
  });
  if (Object.keys(fresh).length === 0) return;
  const store = new FileCacheStore(config.rootdir);
  // Read again: --cache-clear has emptied the cache since planning read it.
  const older = parseFileDurations(await store.get(fileDurationsKey));
  await store.set(fileDurationsKey, mergeFileDurations(older, fresh));
}

function sizeOf(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    // Gone since it was found: the harness reports it.
    return 0;
  }
}

/**
 * Measured pool boots on this machine, next to the snapshots, by engine:
 * `{ "pyodide": { "<workers>": seconds }, "wasi": { ... } }`. Entries of the
 * older flat layout (`{ "<workers>": seconds }`, engines mixed) are dropped.
 */
function bootTimesFile(): string {
  return path.join(cacheDir(), "boot-times.json");
}

/** Per engine: seconds by pool size (`"1"`, `"2"`...) and, once measured, `"restore"`: a fresh interpreter's cost per file. */
type BootTimes = Partial<Record<EngineName, Record<string, number>>>;

function readBootTimes(): BootTimes {
  try {
    const raw = JSON.parse(readFileSync(bootTimesFile(), "utf8")) as Record<string, unknown>;
    const times: BootTimes = {};
    for (const engine of ["pyodide", "wasi"] as const) {
      const entries = raw[engine];
      if (typeof entries !== "object" || entries === null || Array.isArray(entries)) continue;
      times[engine] = Object.fromEntries(
        Object.entries(entries).filter(([key, s]) => (key === "restore" || Number(key) >= 1) && typeof s === "number" && s > 0),
      ) as Record<string, number>;
    }
    return times;
  } catch {
    return {};
  }
}

/** What booting `engine`'s workers, and restoring a fresh interpreter per file, costs here (that engine's defaults until measured). */
export function readBootCosts(engine: EngineName): BootCosts {
  const { restore, ...sizes } = readBootTimes()[engine] ?? {};
  return bootCostsFrom(sizes as Record<number, number>, engine, restore);
}

/**
 * Remember how long a pool of `size` workers of `engine` took from spawn to
 * ready. A moving average, so one run on a busy machine does not decide alone.
 */
export function recordBootTime(engine: EngineName, size: number, seconds: number): void {
  remember(engine, String(size), seconds);
}

/** Remember what a fresh interpreter per file cost a run under `--isolate=file` (a moving average too). */
export function recordRestoreCost(engine: EngineName, seconds: number): void {
  if (Number.isFinite(seconds) && seconds > 0) remember(engine, "restore", seconds);
}

function remember(engine: EngineName, key: string, seconds: number): void {
  const all = readBootTimes();
  const times = (all[engine] ??= {});
  const before = times[key];
  times[key] = Math.round((before === undefined ? seconds : before * 0.7 + seconds * 0.3) * 1e4) / 1e4;
  try {
    writeFileAtomic(bootTimesFile(), `${JSON.stringify(all, null, 2)}\n`);
  } catch {
    // A read-only cache dir: plan with the defaults.
  }
}
