/**
 * `-k`/`-m`/`--deselect` before collection: a test file whose items static
 * discovery knows exactly, and which the selection leaves out entirely, is
 * never sent to a worker. Its items still count as deselected, so the
 * summary stays pytest's (`N deselected`).
 */
import { matchesNodeSelector } from "../core/node-selectors.js";
import { readFileSync } from "node:fs";
import path from "node:path";
import type { CollectedItem } from "../core/protocol.js";
import { SelectionError, selectItems } from "../core/selection.js";
import type { RunConfig } from "./run-config.js";
import { discoverStatically } from "./static-discovery.js";

export interface Prefiltered {
  /** The test files still to collect, in their order. */
  testFiles: string[];
  /** Items of the files left out, in collection order. */
  deselected: CollectedItem[];
}


/** Whether leaving files out could change anything but the work done. */
function mayPrefilter(config: RunConfig): boolean {
  const { selection, cache } = config.control;
  if (process.env["FASTEST_STATIC_DISCOVERY"] === "0") return false;
  if (!selection.keyword && !selection.markexpr && !(selection.deselect ?? []).length) return false;
  // Doctests are items static discovery does not list: a file may still hold some that match.
  if (config.harness.doctest?.modules) return false;
  // Under --pytest-from-env, plugins may add marks and keywords that static discovery cannot see.
  if (config.harness.pytestFromEnv) return false;
  // The cache plugins look at every collected file (--lf, --ff, --nf, --sw); listings at every fixture.
  if (cache && (cache.lastFailed || cache.failedFirst || cache.newFirst || cache.stepwise)) return false;
  return !config.args.options["fixtures"] && !config.args.options["fixtures-per-test"];
}

/**
 * Files the lastfailed record names as having failed to collect: collecting
 * one again is what clears its entry, so those are never left out.
 */
function failedToCollect(config: RunConfig): Set<string> {
  const cache = config.control.cache;
  if (!cache || cache.clear) return new Set();
  try {
    const record = JSON.parse(readFileSync(path.join(config.rootdir, ".fastest_cache", "v", "cache", "lastfailed"), "utf8")) as Record<string, unknown>;
    return new Set(Object.keys(record).filter((key) => !key.includes("::")));
  } catch {
    return new Set();
  }
}

/**
 * Drop the test files whose statically known items are all deselected.
 * `FASTEST_DEBUG_DISCOVERY=1` reports through `debug` how many were dropped.
 */
export async function prefilterFiles(config: RunConfig, testFiles: string[], debug: (line: string) => void = () => undefined): Promise<Prefiltered> {
  const unchanged = { testFiles, deselected: [] };
  if (!mayPrefilter(config)) return unchanged;
  const discovery = await discoverStatically(config, testFiles);
  const keep: string[] = [];
  const deselected: CollectedItem[] = [];
  const failed = failedToCollect(config);
  for (const [index, file] of discovery.files.entries()) {
    const items = file.complete ? file.items.filter((item) => matchesNodeSelector(item.nodeid, config.selectors)) : [];
    let left = false;
    // A file that warns while importing keeps its warnings: it is collected as usual.
    if (items.length > 0 && file.warnings.length === 0 && !failed.has(file.path)) {
      try {
        left = selectItems(items, config.control.selection).selected.length === 0;
      } catch (error) {
        // A bad expression: the session reports it as pytest does.
        if (error instanceof SelectionError) return unchanged;
        throw error;
      }
    }
    if (left) deselected.push(...items);
    else keep.push(testFiles[index]!);
  }
  if (process.env["FASTEST_DEBUG_DISCOVERY"]) {
    debug(`fastest: static discovery: ${testFiles.length - keep.length} of ${testFiles.length} files left out before collection (${deselected.length} items deselected)\n`);
  }
  return { testFiles: keep, deselected };
}
