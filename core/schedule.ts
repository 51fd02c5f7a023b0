/** A test file as the planner sees it. */
export interface PlannedFile {
  path: string;
  /** Estimated cost in seconds: the cached duration, else a size-based guess (`core/cost-model.ts`). */
  weight: number;
}

/**
 * Test source (bytes) that keeps one more worker busy long enough to pay for
 * its boot. Measured with `npm run bench` on a 2-core machine: 200 trivial
 * tests in 10 files (~13 KB) ran faster on one worker (0.67 s vs 0.80 s),
 * 2,000 tests in 50 files (~200 KB) on two (1.33 s vs 2.29 s); a worker's boot
 * (~0.25 s) is worth it from roughly 32 KB of tests on.
 */
export const bytesPerExtraWorker = 32 * 1024;

/**
 * How many workers an automatic (`-n auto`) run uses: no more than cores or
 * files, and one more only per `bytesPerExtraWorker` of test source, so small
 * suites do not pay for boots they cannot use.
 */
export function automaticWorkerCount(cores: number, files: PlannedFile[]): number {
  const bytes = files.reduce((sum, file) => sum + file.weight, 0);
  const useful = 1 + Math.floor(bytes / bytesPerExtraWorker);
  return Math.max(1, Math.min(cores, files.length, useful));
}

/**
 * Split files across `workers` bins, heaviest first onto the lightest bin
 * (longest-processing-time first). Each bin keeps the files' original order,
 * so a worker collects and runs them as pytest would.
 */
export function partitionFiles(files: PlannedFile[], workers: number): string[][] {
  const count = Math.max(1, Math.min(workers, files.length));
  const bins = Array.from({ length: count }, () => ({ load: 0, files: new Set<string>() }));
  const heaviestFirst = [...files].sort((a, b) => b.weight - a.weight || (a.path < b.path ? -1 : 1));
  for (const file of heaviestFirst) {
    let lightest = bins[0]!;
    for (const bin of bins) if (bin.load < lightest.load) lightest = bin;
    lightest.load += file.weight;
    lightest.files.add(file.path);
  }
  return bins.map((bin) => files.filter((f) => bin.files.has(f.path)).map((f) => f.path));
}
