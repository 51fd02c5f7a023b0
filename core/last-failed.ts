/**
 * pytest's last-failed plugin (`--lf`, `--ff`): which tests failed last
 * time, how that narrows and reorders collection, and how a run updates it.
 * The record is a `{ nodeid: true }` object under `cache/lastfailed`.
 */
import type { CollectedItem, PhaseReport } from "./protocol.js";

export type LastFailed = Record<string, true>;

const fileOf = (nodeid: string) => nodeid.split("::")[0]!;

function parents(path: string): string[] {
  const out: string[] = [];
  for (let cut = path.lastIndexOf("/"); cut > 0; cut = path.lastIndexOf("/", cut - 1)) out.push(path.slice(0, cut));
  return out;
}

/** Files of the recorded failures and their folders (rootdir-relative), those that still exist. */
export function lastFailedPaths(lastfailed: LastFailed, exists: (path: string) => boolean): Set<string> {
  const paths = new Set<string>();
  for (const nodeid of Object.keys(lastfailed)) {
    const file = fileOf(nodeid);
    for (const path of [file, ...parents(file)]) paths.add(path);
  }
  return new Set([...paths].filter(exists));
}

/** Files in pytest's `--lf` collection order: in each folder, the entries holding failures come first. */
export function sortFailedFirst(files: readonly string[], lfPaths: Set<string>): string[] {
  const rank = new Map(files.map((f, i) => [f, i]));
  const compare = (a: string, b: string): number => {
    const pa = a.split("/");
    const pb = b.split("/");
    for (let depth = 0; depth < Math.min(pa.length, pb.length); depth++) {
      if (pa[depth] === pb[depth]) continue;
      const inA = lfPaths.has(pa.slice(0, depth + 1).join("/"));
      const inB = lfPaths.has(pb.slice(0, depth + 1).join("/"));
      if (inA !== inB) return inA ? -1 : 1;
      break;
    }
    return rank.get(a)! - rank.get(b)!;
  };
  return [...files].sort(compare);
}

/** What `--lf` does while collecting: files reordered, items and whole files left out. */
export interface LastFailedCollection {
  /** Files in their new order. */
  files: string[];
  /** Files not collected at all (pytest's `skipped N files`). */
  skippedFiles: Set<string>;
  /** Whether an item stays collected (the others are dropped, not deselected). */
  keep: (item: CollectedItem) => boolean;
}

/**
 * Emulates pytest's collection under `--lf`: once a file holding a recorded
 * failure is collected, files without failures are skipped and, inside
 * files with failures, module-level tests that passed are not collected
 * (tests in classes stay, to be deselected later). Files named on the
 * command line keep all their tests.
 */
export function lastFailedCollection(
  files: readonly string[],
  items: readonly CollectedItem[],
  lastfailed: LastFailed,
  lfPaths: Set<string>,
  initPaths: Set<string>,
): LastFailedCollection {
  const ordered = sortFailedFirst(files, lfPaths);
  const itemsOf = new Map<string, CollectedItem[]>();
  for (const item of items) itemsOf.set(fileOf(item.nodeid), [...(itemsOf.get(fileOf(item.nodeid)) ?? []), item]);
  const skippedFiles = new Set<string>();
  const filtered = new Set<string>();
  let sawFailure = false;
  for (const file of ordered) {
    if (lfPaths.has(file)) {
      if (!sawFailure) {
        if (!(itemsOf.get(file) ?? []).some((item) => item.nodeid in lastfailed)) continue;
        sawFailure = true;
      }
      filtered.add(file);
    } else if (sawFailure) {
      skippedFiles.add(file);
    }
  }
  const keep = (item: CollectedItem) => {
    const file = fileOf(item.nodeid);
    if (skippedFiles.has(file)) return false;
    if (!filtered.has(file) || initPaths.has(file)) return true;
    return item.nodeid in lastfailed || item.nodeid.split("::").length > 2;
  };
  return { files: ordered, skippedFiles, keep };
}

/** pytest's `run-last-failure:` status and the items `--lf`/`--ff` leave and deselect. */
export function applyLastFailed(
  items: CollectedItem[],
  lastfailed: LastFailed,
  mode: { lastFailed: boolean; failedFirst: boolean; noFailures: "all" | "none"; skippedFiles: number },
): { items: CollectedItem[]; deselected: CollectedItem[]; status: string } {
  const known = Object.keys(lastfailed).length;
  if (known === 0) {
    if (mode.noFailures === "none") return { items: [], deselected: items, status: "no previously failed tests, deselecting all items." };
    return { items, deselected: [], status: "no previously failed tests, not deselecting items." };
  }
  const failed = items.filter((item) => item.nodeid in lastfailed);
  const passed = items.filter((item) => !(item.nodeid in lastfailed));
  let result = { items, deselected: [] as CollectedItem[], status: `${known} known failures not in selected tests` };
  if (failed.length > 0) {
    const noun = failed.length === 1 ? "failure" : "failures";
    const status = `rerun previous ${failed.length} ${noun}${mode.failedFirst ? " first" : ""}`;
    result = mode.lastFailed ? { items: failed, deselected: passed, status } : { items: [...failed, ...passed], deselected: [], status };
  }
  if (mode.skippedFiles > 0) result.status += ` (skipped ${mode.skippedFiles} file${mode.skippedFiles === 1 ? "" : "s"})`;
  return result;
}

/** The record after a run: collection outcomes first, then each phase report in order. */
export function updateLastFailed(
  previous: LastFailed,
  collectedFiles: ReadonlyArray<{ nodeid: string; failed: boolean; children: string[] }>,
  results: ReadonlyArray<{ nodeid: string; reports: readonly PhaseReport[] }>,
): LastFailed {
  const next: LastFailed = { ...previous };
  for (const file of collectedFiles) {
    if (file.failed) next[file.nodeid] = true;
    else if (file.nodeid in next) {
      delete next[file.nodeid];
      for (const child of file.children) next[child] = true;
    }
  }
  for (const { nodeid, reports } of results) {
    for (const report of reports) {
      if ((report.when === "call" && report.outcome === "passed") || report.outcome === "skipped") delete next[nodeid];
      else if (report.outcome === "failed") next[nodeid] = true;
    }
  }
  return next;
}
