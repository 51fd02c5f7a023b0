import type { CollectError, CollectSkip, CollectedItem, HarnessConfig, RunEvent, RunFinish, WarningRecord } from "./protocol.js";
import { partitionFiles, type PlannedFile } from "./schedule.js";
import type { WorkerHandle } from "./worker-handle.js";

export type ItemEndEvent = Extract<RunEvent, { type: "itemEnd" }>;

/** What a session tells its reporters, in pytest's order. */
export interface SessionListener {
  onCollected(collection: Collection): void;
  /** The next item in collection order has started (not called for items that finish out of turn). */
  onItemStart(nodeid: string, location: CollectedItem["location"]): void;
  /** Items' results, delivered in collection order whatever worker ran them. */
  onItemEnd(event: ItemEndEvent): void;
  /** Output that escaped capture (`-s`), as it arrives. */
  onOutput(stream: "stdout" | "stderr", text: string): void;
  /** A warning raised while running, delivered after the item it belongs to. */
  onWarning(warning: WarningRecord): void;
}

export interface Collection {
  /** Selected items, in pytest's collection order. */
  items: CollectedItem[];
  errors: CollectError[];
  /** Modules skipped at collection: counted as skipped, as pytest does. */
  skipped: CollectSkip[];
  deselected: number;
  warnings: WarningRecord[];
}

export interface SessionOptions {
  config: HarnessConfig;
  /** Test files (absolute sandbox paths) in discovery order. */
  files: PlannedFile[];
  /** Booted workers with the project's files already written. */
  workers: WorkerHandle[];
  /**
   * Node ids or id prefixes given on the command line (`file::Class::test`),
   * relative to rootdir; items matching none are not collected. Empty: all.
   */
  selectors: string[];
  /** pytest stops after collection errors unless told to continue. */
  continueOnCollectionErrors: boolean;
  listener: SessionListener;
}

export interface SessionOutcome {
  collection: Collection;
  results: ItemEndEvent[];
  /** Set when the run stopped before running tests, with pytest's reason. */
  interrupted: string | null;
  /** Session-level teardown errors and warnings from every worker. */
  finish: RunFinish;
}

/** Collect on every worker, then run, streaming results in collection order. */
export async function runSession(options: SessionOptions): Promise<SessionOutcome> {
  const { workers, listener } = options;
  const bins = partitionFiles(options.files, workers.length);
  const active = bins.map((paths, index) => ({ worker: workers[index]!, paths }));

  const collected = await Promise.all(
    active.map(async ({ worker, paths }) => {
      await worker.configure(options.config);
      return worker.collect(paths);
    }),
  );
  const relative = relativeTo(options.config.rootdir);
  const fileOrder = options.files.map((f) => relative(f.path));
  const collection = mergeCollections(fileOrder, collected, options.selectors);
  listener.onCollected(collection);

  const finish: RunFinish = { errors: [], warnings: [] };
  if (collection.errors.length > 0 && !options.continueOnCollectionErrors) {
    const n = collection.errors.length;
    return { collection, results: [], interrupted: `${n} error${n === 1 ? "" : "s"} during collection`, finish };
  }

  const runs = active.map(({ worker, paths }) => {
    const mine = new Set(paths.map(relative));
    return { worker, nodeids: collection.items.filter((i) => mine.has(fileOf(i.nodeid))).map((i) => i.nodeid) };
  });
  const results = await runInOrder(runs, collection.items, listener);
  for (const part of await Promise.all(active.map(({ worker }) => worker.finish()))) {
    finish.errors.push(...part.errors);
    finish.warnings.push(...part.warnings);
  }
  return { collection, results, interrupted: null, finish };
}

function fileOf(nodeid: string): string {
  const cut = nodeid.indexOf("::");
  return cut < 0 ? nodeid : nodeid.slice(0, cut);
}

function matchesSelector(nodeid: string, selectors: string[]): boolean {
  if (selectors.length === 0) return true;
  return selectors.some(
    (s) => nodeid === s || nodeid.startsWith(`${s}::`) || nodeid.startsWith(`${s}[`) || fileOf(nodeid) === s,
  );
}

/** Node ids are relative to rootdir, with forward slashes. */
function relativeTo(rootdir: string): (path: string) => string {
  const prefix = rootdir.endsWith("/") ? rootdir : `${rootdir}/`;
  return (path) => (path.startsWith(prefix) ? path.slice(prefix.length) : path);
}

function mergeCollections(
  fileOrder: string[],
  results: Array<{ items: CollectedItem[]; errors: CollectError[]; skipped?: CollectSkip[]; warnings: WarningRecord[] }>,
  selectors: string[],
): Collection {
  // Reassemble per-file results in discovery order, as pytest would list them.
  const rank = new Map(fileOrder.map((path, i) => [path, i]));
  const rankOf = (nodeid: string) => rank.get(fileOf(nodeid)) ?? Number.MAX_SAFE_INTEGER;
  const all = results.flatMap((r) => r.items);
  const errors = results.flatMap((r) => r.errors);
  const warnings = results.flatMap((r) => r.warnings);
  const skipped = results.flatMap((r) => r.skipped ?? []);
  skipped.sort((a, b) => rankOf(a.nodeid) - rankOf(b.nodeid));
  // A stable sort keeps each file's items in the harness's order.
  all.sort((a, b) => rankOf(a.nodeid) - rankOf(b.nodeid));
  errors.sort((a, b) => rankOf(a.nodeid) - rankOf(b.nodeid));
  // Node ids on the command line narrow collection itself: pytest does not
  // count the other items of those files as deselected.
  const items = all.filter((item) => matchesSelector(item.nodeid, selectors));
  return { items, errors, skipped, deselected: 0, warnings };
}

async function runInOrder(
  runs: Array<{ worker: WorkerHandle; nodeids: string[] }>,
  items: CollectedItem[],
  listener: SessionListener,
): Promise<ItemEndEvent[]> {
  const position = new Map(items.map((item, i) => [item.nodeid, i]));
  const done: Array<ItemEndEvent | undefined> = new Array(items.length);
  const warningsOf = new Map<number, WarningRecord[]>();
  const started = new Set<number>();
  let next = 0;
  let announced = -1;
  const release = () => {
    while (next < items.length && done[next]) {
      if (announced < next) listener.onItemStart(items[next]!.nodeid, items[next]!.location);
      listener.onItemEnd(done[next]!);
      for (const warning of warningsOf.get(next) ?? []) listener.onWarning(warning);
      next += 1;
    }
    if (next < items.length && started.has(next) && announced < next) {
      announced = next;
      listener.onItemStart(items[next]!.nodeid, items[next]!.location);
    }
  };
  const onEvents = (events: RunEvent[]) => {
    for (const event of events) {
      if (event.type === "itemStart") {
        const at = position.get(event.nodeid);
        if (at !== undefined) started.add(at);
        release();
      } else if (event.type === "itemEnd") {
        const at = position.get(event.nodeid);
        if (at !== undefined) done[at] = event;
      } else if (event.type === "output") {
        release();
        listener.onOutput(event.stream, event.text);
      } else if (event.type === "warning") {
        // Kept with its item so the summary lists warnings in test order.
        const at = position.get(event.warning.nodeid);
        if (at === undefined || at < next) listener.onWarning(event.warning);
        else warningsOf.set(at, [...(warningsOf.get(at) ?? []), event.warning]);
      }
    }
    release();
  };
  await Promise.all(runs.filter((r) => r.nodeids.length > 0).map(({ worker, nodeids }) => worker.run(nodeids, onEvents)));
  release();
  return done.filter((e): e is ItemEndEvent => e !== undefined);
}
