import type { ProjectFile } from "../core/protocol.js";
import type { CollectionPlugin, SessionOptions, SessionOutcome } from "../core/session.js";
import { fileOfNodeid } from "../core/node-selectors.js";
import { saveTestMap } from "./changed-map.js";
import type { ChangedTests } from "./changed-tests.js";
import { FileCacheStore } from "./cache-store.js";

/**
 * How a run applies `--changed` to single tests and records the per-test
 * map for the next one (node-host/changed-tests.ts, changed-map.ts).
 */

type Narrowed = NonNullable<ChangedTests["narrowed"]>;

/**
 * The session options with `--changed`'s per-test choice first in line:
 * in the narrowed files, tests that ran no changed function are
 * deselected before the cache plugins and `--shard` see the items.
 * `lines` gets the line the report shows after collection.
 */
export function withChangedTests<T extends Pick<SessionOptions, "plugin">>(options: T, narrowed: Narrowed | null, ref: string, lines: string[]): T {
  if (!narrowed) return options;
  const base = options.plugin;
  const plugin: CollectionPlugin = {
    ...(base?.collected ? { collected: (collection, files) => base.collected!(collection, files) } : {}),
    selected: async (items) => {
      const inNarrowed = items.filter((item) => narrowed.files.has(fileOfNodeid(item.nodeid)));
      const dropped = new Set(inNarrowed.filter((item) => !narrowed.keep(item.nodeid)).map((item) => item.nodeid));
      const kept = inNarrowed.length - dropped.size;
      lines.push(`changed since ${ref}: ${kept} of ${inNarrowed.length} tests in those files affected (they ran a changed function, or have no record)`);
      const remaining = items.filter((item) => !dropped.has(item.nodeid));
      const deselected = items.filter((item) => dropped.has(item.nodeid));
      const arranged = base?.selected ? await base.selected(remaining) : { items: remaining, deselected: [] };
      return { items: arranged.items, deselected: [...deselected, ...arranged.deselected] };
    },
  };
  return { ...options, plugin };
}

/** Keep what this run recorded for a later `--changed`: which functions each test, collection and import ran. */
export async function saveChangedMap(rootdir: string, outcome: SessionOutcome, projectFiles: ProjectFile[], selectors: string[]): Promise<void> {
  const records = outcome.finish.execution;
  if (!records || records.length === 0) return;
  // A file's node ids are kept only when the run saw all of them (no node ids named, no collection error or skip).
  const items: Record<string, string[]> = {};
  if (selectors.length === 0) {
    const broken = new Set([...outcome.collection.errors, ...outcome.collection.skipped].map((entry) => fileOfNodeid(entry.nodeid)));
    for (const item of [...outcome.collection.items, ...(outcome.deselected ?? [])]) {
      const file = fileOfNodeid(item.nodeid);
      if (!broken.has(file)) (items[file] ??= []).push(item.nodeid);
    }
  }
  await saveTestMap(new FileCacheStore(rootdir), { records, projectFiles, rootdir, items });
}
