import type { CollectError, CollectSkip, CollectedItem, HarnessConfig, ListingLine, RunEvent, RunFinish, WarningRecord } from "./protocol.js";
import { collectSurvivingCrashes } from "./collect-recovery.js";
import { summaryRequest } from "./hook-summary.js";
import { stopAfterCollection, StopTracker } from "./run-stop.js";
import { SelectionError, selectItems, type SelectionOptions } from "./selection.js";
import { partitionFiles, type PlannedFile } from "./schedule.js";
import { fileOfNodeid as fileOf, matchesNodeSelector, notFoundMessages } from "./node-selectors.js";
import type { WorkerHandle } from "./worker-handle.js";
import { runOnWorkers, type FileIsolation, type RunPlan } from "./worker-run.js";

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
  /** `--fixtures`/`--fixtures-per-test`: the listing the workers returned, in worker order. */
  listing?: ListingLine[];
  /** Lines of conftests' `pytest_report_header` hooks, for the header. */
  reportHeader?: string[];
  /** Lines for stderr from the workers (`CollectResult.notices`), each once. */
  notices?: string[];
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
  /** `-k`, `-m`, `--deselect`: items left out after collection, counted as deselected. */
  selection?: SelectionOptions;
  /** Cache plugins (`--lf`, `--ff`, `--nf`, `--sw`): they narrow, reorder and deselect. */
  plugin?: CollectionPlugin;
  /** `--maxfail N` (`-x` is 1): stop after the N-th failure in collection order. 0: never. */
  maxfail?: number;
  /** The stop reason for `maxfail`, in place of pytest's `stopping after N failures`. */
  stopMessage?: string;
  /** `--collect-only`: collect and select, run nothing. */
  collectOnly?: boolean;
  /**
   * Items of files left out before collection because static discovery knew
   * `-k`/`-m`/`--deselect` leaves out all of them: counted as deselected.
   */
  deselectedBeforeCollection?: CollectedItem[];
  /** Idle workers take not-yet-started files from busy ones (default true). */
  steal?: boolean;
  /**
   * `--isolate=file`: each test file runs in a freshly restored interpreter,
   * so session fixtures are set up once per file (`FileIsolation`). Default
   * `"none"`: one interpreter per worker for all its files, as in pytest.
   */
  isolate?: "none" | "file";
  /**
   * A clock in milliseconds (`performance.now`), given by the host that
   * calls `runSession` (it does not cross processes): with `isolate`, the
   * outcome then says what the fresh interpreters cost (`isolation`).
   */
  clock?: () => number;
  /** Terminal width, for what conftests' `pytest_terminal_summary` hooks write. */
  terminalWidth?: number;
  /**
   * A conftest defines `pytest_collection_modifyitems`: every worker collects
   * every file, as under pytest-xdist, so that the hook sees all items; the
   * first worker's order and deselection are the run's.
   */
  collectAll?: boolean;
  listener: SessionListener;
}

/** Changes the collection before anything is reported, as pytest plugins' collection hooks do. */
export interface CollectionPlugin {
  /** Right after collection, before selection; `files` are rootdir-relative, in collection order. */
  collected?(collection: Pick<Collection, "items" | "errors" | "skipped">, files: string[]): void | Promise<void>;
  /** After `-k`/`-m`/`--deselect`: reorder the items and deselect some. */
  selected?(items: CollectedItem[]): Arranged | Promise<Arranged>;
}

/** Items a plugin kept, in the order to run them, and those it left out. */
export interface Arranged {
  items: CollectedItem[];
  deselected: CollectedItem[];
}

export interface SessionOutcome {
  collection: Collection;
  results: ItemEndEvent[];
  /** Set when the run stopped before running tests, with pytest's reason. */
  interrupted: string | null;
  /** `-x`/`--maxfail` stopped the run: pytest's `stopping after N failures`. */
  stopReason?: string | null;
  /** A bad `-k`/`-m` expression (pytest's usage error, exit 4): nothing ran. */
  usageError?: string | null;
  /** Items left out by selection or `arrange`, in collection order. */
  deselected?: CollectedItem[];
  /** Session-level teardown errors and warnings from every worker. */
  finish: RunFinish;
  /** `pytest.exit()` ended the run: pytest's `!!! ... !!!` message and the exit code asked for. */
  exit?: SessionExit | null;
  /** Seconds each file (rootdir-relative) took to collect on the worker that first collected it. */
  collectDurations?: Record<string, number>;
  /** How many items each file (rootdir-relative) collected, before node ids, selection or plugins narrowed them. */
  collectedPerFile?: Record<string, number>;
  /** With `recordImports`: which project files (rootdir-relative) each file collected imported, from every worker. */
  imports?: Record<string, string[]>;
  /** `--isolate=file` with a `clock`: how many fresh interpreters the workers put in, and the seconds they took together. */
  isolation?: { files: number; seconds: number };
}

export interface SessionExit {
  /** Collection index just past the item that called `pytest.exit()`; nothing from there on is reported. */
  at: number;
  message: string;
  returncode: number | null;
}

/** Collect on every worker, then run, streaming results in collection order. */
export async function runSession(options: SessionOptions): Promise<SessionOutcome> {
  const { workers, listener } = options;
  const bins = partitionFiles(options.files, workers.length);
  const active = bins.map((paths, index) => ({ worker: workers[index]!, paths }));

  const allPaths = options.files.map((file) => file.path);
  const collectedByWorker = await Promise.all(
    active.map(async ({ worker, paths }) => {
      await worker.configure(options.config);
      return collectSurvivingCrashes(worker, options.config, options.collectAll ? allPaths : paths, relativeTo(options.config.rootdir));
    }),
  );
  // With collectAll the workers collected the same items: the first one's answer stands for all.
  const collected = options.collectAll ? collectedByWorker.slice(0, 1) : collectedByWorker;
  const relative = relativeTo(options.config.rootdir);
  const fileOrder = options.files.map((f) => relative(f.path));
  const collection = mergeCollections(fileOrder, collected, options.selectors, Boolean(options.collectAll));
  // Items conftest hooks deselected (`pytest_deselected`) count as deselected, as in pytest.
  const rankOfFile = new Map(fileOrder.map((path, i) => [path, i]));
  const hookDeselected = collected.flatMap((result) => result.deselected ?? [])
    .filter((item) => matchesNodeSelector(item.nodeid, options.selectors))
    .sort((a, b) => (rankOfFile.get(fileOf(a.nodeid)) ?? 0) - (rankOfFile.get(fileOf(b.nodeid)) ?? 0));
  const reportHeader = collected.find((result) => result.reportHeader)?.reportHeader;
  if (reportHeader) collection.reportHeader = reportHeader;
  const notices = [...new Set(collected.flatMap((result) => result.notices ?? []))];
  if (notices.length > 0) collection.notices = notices;
  // Node ids on the command line that name nothing: pytest's usage error, once collection is reported.
  const notFound = notFoundMessages(collected.flatMap((result) => result.items), collection.errors, options.selectors, options.config.rootdir);
  const collectDurations: Record<string, number> = {};
  for (const [file, seconds] of collected.flatMap((result) => Object.entries(result.durations ?? {}))) {
    collectDurations[relative(file)] = seconds;
  }
  const collectedPerFile: Record<string, number> = {};
  for (const item of collected.flatMap((result) => result.items)) {
    collectedPerFile[fileOf(item.nodeid)] = (collectedPerFile[fileOf(item.nodeid)] ?? 0) + 1;
  }
  const finish: RunFinish = { errors: [], warnings: [] };
  const maxfail = options.maxfail ?? 0;
  // Collection errors count towards --maxfail; reaching it ends collection there.
  await options.plugin?.collected?.(collection, fileOrder);
  const rank = new Map(fileOrder.map((path, i) => [path, i]));
  const collectStop = stopAfterCollection(collection, maxfail, (nodeid) => rank.get(fileOf(nodeid)) ?? Number.MAX_SAFE_INTEGER);
  let deselected: CollectedItem[];
  try {
    ({ selected: collection.items, deselected } = selectItems(collection.items, options.selection ?? {}));
    if (options.deselectedBeforeCollection) deselected = [...options.deselectedBeforeCollection, ...deselected];
    if (hookDeselected.length > 0) deselected = [...hookDeselected, ...deselected];
  } catch (error) {
    if (!(error instanceof SelectionError)) throw error;
    listener.onCollected(collection);
    return { collection, results: [], interrupted: null, usageError: error.message, finish };
  }
  if (options.plugin?.selected) {
    const arranged = await options.plugin.selected(collection.items);
    collection.items = arranged.items;
    deselected = [...deselected, ...arranged.deselected];
  }
  collection.deselected = deselected.length;
  listener.onCollected(collection);
  if (notFound.length > 0) return { collection, results: [], interrupted: null, usageError: notFound.join("\n\nERROR: "), deselected, finish };
  if (collectStop) return { collection, results: [], interrupted: null, stopReason: collectStop, deselected, finish };
  if (options.collectOnly) return { collection, results: [], interrupted: null, deselected, finish };

  if (collection.errors.length > 0 && !options.continueOnCollectionErrors) {
    const n = collection.errors.length;
    return { collection, results: [], interrupted: `${n} error${n === 1 ? "" : "s"} during collection`, deselected, finish };
  }

  const stop = maxfail > 0 ? new StopTracker(maxfail, collection.errors.length, options.stopMessage) : null;
  const sandboxPaths = new Map(options.files.map((f) => [relative(f.path), f.path]));
  const weights = new Map(options.files.map((f) => [relative(f.path), f.weight]));
  const runs = active.map(({ worker, paths }) => {
    const mine = new Set(paths.map(relative));
    const indices = collection.items.flatMap((item, i) => (mine.has(fileOf(item.nodeid)) ? [i] : []));
    return { worker, indices, collected: options.collectAll ? new Set(fileOrder) : mine };
  });
  const exited: { request: SessionExit | null } = { request: null };
  const plan: RunPlan = {
    sandboxPath: (file) => sandboxPaths.get(file) ?? file,
    weight: (file) => weights.get(file) ?? 1,
    steal: options.steal ?? true,
    onCollected: (result) => {
      for (const [file, seconds] of Object.entries(result.durations ?? {})) collectDurations[relative(file)] ??= seconds;
    },
  };
  const summaryBase = { errors: collection.errors, deselected, selected: collection.items.length, continueOnCollectionErrors: options.continueOnCollectionErrors, width: options.terminalWidth };
  // --isolate=file: what the interpreters done with their files reported, ahead of the last ones'.
  const finishedEarlier: RunFinish[] = [];
  const isolation = { files: 0, seconds: 0 };
  const resultsSoFar: { get: () => ItemEndEvent[] } = { get: () => [] };
  if (options.isolate === "file") {
    plan.isolate = {
      summary: () => summaryRequest({ ...summaryBase, results: resultsSoFar.get() }, false),
      onFinished: (part) => finishedEarlier.push(part),
      ...(options.clock ? { now: options.clock, onFresh: (seconds: number) => { isolation.files += 1; isolation.seconds += seconds; } } : {}),
    } satisfies FileIsolation;
  }
  const results = await runInOrder(runs, collection.items, listener, options.config, stop, exited, plan, resultsSoFar);
  // pytest_sessionfinish on every worker; pytest_terminal_summary on the first, with the run's results.
  const summaryInput = { ...summaryBase, results };
  const wantsStats = collected[0]?.terminalSummary === true;
  const summaries = active.map((_, i) => summaryRequest(summaryInput, wantsStats && i === 0));
  for (const part of [...finishedEarlier, ...await Promise.all(active.map(({ worker }, i) => worker.finish(summaries[i])))]) {
    finish.errors.push(...part.errors);
    finish.warnings.push(...part.warnings);
    if (part.output) finish.output = (finish.output ?? "") + part.output;
    // Workers in order: a key set by several keeps the last worker's value.
    if (part.cacheWrites) finish.cacheWrites = { ...finish.cacheWrites, ...part.cacheWrites };
    // --cov: each interpreter's measurement, merged by the host.
    if (part.coverage) (finish.coverage ??= []).push(...part.coverage);
    if (part.suiteProperties) (finish.suiteProperties ??= []).push(...part.suiteProperties);
    if (part.terminalSummary) finish.terminalSummary = (finish.terminalSummary ?? "") + part.terminalSummary;
    if (part.execution) (finish.execution ??= []).push(...part.execution);
  }
  const imports = options.config.recordImports ? Object.assign({}, ...collected.map((result) => result.imports ?? {})) as Record<string, string[]> : undefined;
  return { collection, results, interrupted: null, stopReason: stop?.reason ?? null, deselected, finish, exit: exited.request, collectDurations, collectedPerFile, ...(imports ? { imports } : {}), ...(isolation.files > 0 ? { isolation } : {}) };
}



/** Node ids are relative to rootdir, with forward slashes. */
function relativeTo(rootdir: string): (path: string) => string {
  const prefix = rootdir.endsWith("/") ? rootdir : `${rootdir}/`;
  return (path) => (path.startsWith(prefix) ? path.slice(prefix.length) : path);
}

function mergeCollections(
  fileOrder: string[],
  results: Array<{ items: CollectedItem[]; errors: CollectError[]; skipped?: CollectSkip[]; warnings: WarningRecord[]; listing?: ListingLine[] }>,
  selectors: string[],
  hookOrder = false,
): Collection {
  // Reassemble per-file results in discovery order, as pytest would list them
  // (unless one worker's collection hook ordered all of them: `hookOrder`).
  const rank = new Map(fileOrder.map((path, i) => [path, i]));
  const rankOf = (nodeid: string) => rank.get(fileOf(nodeid)) ?? Number.MAX_SAFE_INTEGER;
  const all = results.flatMap((r) => r.items);
  const errors = results.flatMap((r) => r.errors);
  const warnings = results.flatMap((r) => r.warnings);
  const skipped = results.flatMap((r) => r.skipped ?? []);
  skipped.sort((a, b) => rankOf(a.nodeid) - rankOf(b.nodeid));
  // A stable sort keeps each file's items in the harness's order.
  if (!hookOrder) all.sort((a, b) => rankOf(a.nodeid) - rankOf(b.nodeid));
  errors.sort((a, b) => rankOf(a.nodeid) - rankOf(b.nodeid));
  // Node ids on the command line narrow collection itself: pytest does not
  // count the other items of those files as deselected.
  const items = all.filter((item) => matchesNodeSelector(item.nodeid, selectors));
  const listing = results.some((r) => r.listing) ? results.flatMap((r) => r.listing ?? []) : undefined;
  return { items, errors, skipped, deselected: 0, warnings, ...(listing ? { listing } : {}) };
}

async function runInOrder(
  runs: Array<{ worker: WorkerHandle; indices: number[]; collected: Set<string> }>,
  items: CollectedItem[],
  listener: SessionListener,
  config: HarnessConfig,
  stop: StopTracker | null,
  exited: { request: SessionExit | null },
  plan: RunPlan,
  soFar: { get: () => ItemEndEvent[] },
): Promise<ItemEndEvent[]> {
  const position = new Map(items.map((item, i) => [item.nodeid, i]));
  const done: Array<ItemEndEvent | undefined> = new Array(items.length);
  soFar.get = () => done.filter((e): e is ItemEndEvent => e !== undefined);
  const warningsOf = new Map<number, WarningRecord[]>();
  const started = new Set<number>();
  let next = 0;
  let announced = -1;
  // Nothing past a -x/--maxfail stop point is reported, whatever ran.
  const limit = () => Math.min(items.length, stop?.limit ?? items.length, exited.request?.at ?? items.length);
  const release = () => {
    while (next < limit() && done[next]) {
      if (announced < next) listener.onItemStart(items[next]!.nodeid, items[next]!.location);
      listener.onItemEnd(done[next]!);
      for (const warning of warningsOf.get(next) ?? []) listener.onWarning(warning);
      next += 1;
    }
    if (next < limit() && started.has(next) && announced < next) {
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
        // Exactly once: a result that arrived already (from any worker) stays.
        if (at !== undefined && !done[at]) {
          done[at] = event;
          stop?.record(at, event.reports);
        }
      } else if (event.type === "exit") {
        // The exiting item keeps the phases it finished (pytest logged them); nothing after it counts.
        const at = (position.get(event.nodeid) ?? -1) + 1;
        if (!exited.request || at < exited.request.at) exited.request = { at, message: event.message, returncode: event.returncode };
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
  await runOnWorkers({
    ...plan,
    workers: runs,
    items,
    config,
    fileOf: (i) => fileOf(items[i]!.nodeid),
    // Past a -x/--maxfail stop or a pytest.exit(), nothing starts.
    runnable: (i) => i < limit(),
    stop,
    onEvents,
    done: (i) => done[i] !== undefined,
  });
  release();
  return done.slice(0, limit()).filter((e): e is ItemEndEvent => e !== undefined);
}
