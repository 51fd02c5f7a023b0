/**
 * The caches a cold `fastest --collect-only` starts without: everything fastest
 * keeps between runs about a project's test files. The interpreter snapshot
 * stays: it is made once per fastest and Pyodide version, not per project.
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync, statSync } from "node:fs";
import path from "node:path";

/** Entries of fastest's cache dir that hold per-file collection work. */
const PER_FILE_CACHES: readonly RegExp[] = [
  // Test files rewritten for assertion introspection (node-host/code-cache.ts): code-<pyodide>-<harness>/.
  /^code-/,
  // Static discovery's facts per file, one JSON per rootdir (node-host/static-discovery.ts): discovery/.
  /^discovery$/,
];

/** The paths `clearCollectionCaches` removes, as they exist now. */
export function collectionCachePaths(cacheDir: string, projectDir: string): string[] {
  const shared = existsSync(cacheDir)
    ? readdirSync(cacheDir)
        .filter((entry) => PER_FILE_CACHES.some((pattern) => pattern.test(entry)))
        .map((entry) => path.join(cacheDir, entry))
    : [];
  // The project's own cache folder (pytest's .pytest_cache layout).
  const project = path.join(projectDir, ".fastest_cache");
  return [...shared, ...(existsSync(project) ? [project] : [])];
}

/** Removes fastest's per-project and per-file caches, keeping the interpreter snapshot. */
export function clearCollectionCaches(cacheDir: string, projectDir: string): void {
  for (const target of collectionCachePaths(cacheDir, projectDir)) rmSync(target, { recursive: true, force: true });
}

/** What a cold run keeps of the warm cache: the interpreter snapshot and what fastest learned about the engine. */
const PER_MACHINE_ENTRIES: readonly RegExp[] = [/\.snapshot$/, /^engine-.*\.json$/, /^boot-times\.json$/];

/**
 * Cold runs get a cache dir of their own (`coldDir`), holding copies of the
 * warm cache's per-machine entries but none of its per-file ones: clearing
 * the shared dir instead would also take the rewritten-code cache away from
 * the warm peers and suites that run next, and slow them down.
 */
export function prepareColdCache(warmDir: string, coldDir: string, projectDir: string): void {
  mkdirSync(coldDir, { recursive: true });
  if (existsSync(warmDir)) {
    for (const entry of readdirSync(warmDir)) {
      if (!PER_MACHINE_ENTRIES.some((pattern) => pattern.test(entry)) || existsSync(path.join(coldDir, entry))) continue;
      copyFileSync(path.join(warmDir, entry), path.join(coldDir, entry));
    }
  }
  pruneBenchSnapshots(coldDir);
  clearCollectionCaches(coldDir, projectDir);
}

/**
 * Keeps only the newest interpreter snapshot of each engine
 * (`pyodide-<version>-<harness>.snapshot`, `wasi-<version>-<harness>.snapshot`)
 * and its code cache (`code-<version>-<harness>/`) in the bench's own cache:
 * while the harness changes, every build leaves a 30 MiB snapshot behind, and
 * fastest itself removes unused ones only after a week. Keeping one per
 * engine, not one in all, spares the warm-up a rebuild of the other's.
 */
export function pruneBenchSnapshots(cacheDir: string): void {
  if (!existsSync(cacheDir)) return;
  const entries = readdirSync(cacheDir);
  const snapshots = entries
    .map((entry) => ({ entry, match: /^(pyodide|wasi)-(.*)\.snapshot$/.exec(entry) }))
    .filter((snapshot): snapshot is { entry: string; match: RegExpExecArray } => snapshot.match !== null)
    .map(({ entry, match }) => ({ entry, engine: match[1]!, stamp: match[2]!, modified: statSync(path.join(cacheDir, entry)).mtimeMs }))
    .sort((a, b) => b.modified - a.modified);
  const newest = new Map<string, (typeof snapshots)[number]>();
  for (const snapshot of snapshots) if (!newest.has(snapshot.engine)) newest.set(snapshot.engine, snapshot);
  if (newest.size === 0) return;
  const kept = new Set([...newest.values()].flatMap((snapshot) => [snapshot.entry, `code-${snapshot.stamp}`]));
  const stale = entries.filter((entry) => (entry.endsWith(".snapshot") || entry.startsWith("code-")) && !kept.has(entry));
  for (const entry of stale) rmSync(path.join(cacheDir, entry), { recursive: true, force: true });
}
