/** A test file as the planner sees it. */
export interface PlannedFile {
  path: string;
  /** A cost estimate: a cached duration, or the file's size until one exists. */
  weight: number;
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
