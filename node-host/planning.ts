import { readFileSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { bootCostsFrom, chooseWorkers, estimateWork, type BootCosts, type WorkEstimate } from "../core/cost-model.js";
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
 * earlier runs (its size otherwise) and pick the pool size the cost model
 * predicts fastest on this machine, unless `-n` says.
 */
export async function planRun(config: RunConfig, testFiles: string[], options: { singleWorker?: boolean } = {}): Promise<HostPlan> {
  const durations = await readFileDurations(config);
  const toRoot = (file: string) => path.relative(config.rootdir, file).split(path.sep).join("/");
  const estimate = estimateWork(
    testFiles.map((file) => {
      const seconds = durations[toRoot(file)];
      return { path: file.split(path.sep).join("/"), size: sizeOf(file), ...(seconds !== undefined ? { seconds } : {}) };
    }),
  );
  const choice = options.singleWorker
    ? { workers: 1, reason: "listings come from one interpreter" }
    : chooseWorkers({ estimate, boot: readBootCosts(), cores: os.availableParallelism(), asked: config.workers });
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

/** Measured pool boots on this machine: `{ "<workers>": seconds }`, next to the snapshots. */
function bootTimesFile(): string {
  return path.join(cacheDir(), "boot-times.json");
}

function readBootTimes(): Record<number, number> {
  try {
    const raw = JSON.parse(readFileSync(bootTimesFile(), "utf8")) as Record<string, unknown>;
    return Object.fromEntries(Object.entries(raw).filter(([size, s]) => Number(size) >= 1 && typeof s === "number" && s > 0)) as Record<number, number>;
  } catch {
    return {};
  }
}

/** What booting workers costs here, from earlier runs (defaults until measured). */
export function readBootCosts(): BootCosts {
  return bootCostsFrom(readBootTimes());
}

/**
 * Remember how long a pool of `size` workers took from spawn to ready.
 * A moving average, so one run on a busy machine does not decide alone.
 */
export function recordBootTime(size: number, seconds: number): void {
  const times = readBootTimes();
  const before = times[size];
  times[size] = Math.round((before === undefined ? seconds : before * 0.7 + seconds * 0.3) * 1e4) / 1e4;
  try {
    writeFileAtomic(bootTimesFile(), `${JSON.stringify(times, null, 2)}\n`);
  } catch {
    // A read-only cache dir: plan with the defaults.
  }
}
