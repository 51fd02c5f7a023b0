/**
 * The cache-backed plugins of a run, as pytest's cacheprovider and stepwise
 * plugins: `--lf`, `--ff`, `--nf`, `--sw`. Load them before the session,
 * hand them to it as its collection plugin, and save after the run.
 */
import type { CacheStore } from "./cache.js";
import { applyLastFailed, lastFailedCollection, lastFailedPaths, updateLastFailed, type LastFailed } from "./last-failed.js";
import type { CollectError, CollectSkip, CollectedItem, PhaseReport } from "./protocol.js";
import { applyStepwise, readStepwise, updateStepwise, type StepwiseInfo } from "./stepwise.js";

/** Command-line options of the cache plugins. */
export interface CacheOptions {
  lastFailed: boolean;
  failedFirst: boolean;
  newFirst: boolean;
  lastFailedNoFailures: "all" | "none";
  stepwise: boolean;
  stepwiseSkip: boolean;
  stepwiseReset?: boolean;
  /** `--cache-clear`: start from an empty cache. */
  clear: boolean;
}

/** What the plugins need to know of the host and the run. */
export interface CacheContext {
  verbosity: number;
  collectOnly: boolean;
  /** Whether a rootdir-relative path still exists. */
  exists(path: string): boolean;
  /** Modification time (ms) of a rootdir-relative file. */
  mtime(file: string): number;
  /** Files named on the command line, rootdir-relative. */
  initPaths: Set<string>;
  now(): Date;
}

/** The collection as the plugins may change it. */
export interface PluginCollection {
  items: CollectedItem[];
  errors: CollectError[];
  skipped: CollectSkip[];
}

const fileOf = (nodeid: string) => nodeid.split("::")[0]!;

export class CachePlugins {
  private skippedFiles = 0;
  private files: string[] = [];
  private readonly status: string[] = [];
  private seen: string[] = [];

  private constructor(
    private readonly store: CacheStore,
    private readonly options: CacheOptions,
    private readonly context: CacheContext,
    private readonly lastfailed: LastFailed,
    private readonly nodeids: Set<string>,
    private readonly stepwise: { info: StepwiseInfo; status: string[] } | null,
  ) {}

  static async load(store: CacheStore, options: CacheOptions, context: CacheContext): Promise<CachePlugins> {
    if (options.clear) await store.clear();
    const lastfailed = (await store.get("cache/lastfailed")) ?? {};
    const nodeids = (await store.get("cache/nodeids")) ?? [];
    const stepwise = options.stepwise ? readStepwise(await store.get("cache/stepwise"), context.now()) : null;
    return new CachePlugins(
      store,
      options,
      context,
      typeof lastfailed === "object" && !Array.isArray(lastfailed) ? (lastfailed as LastFailed) : {},
      new Set(Array.isArray(nodeids) ? nodeids.map(String) : []),
      stepwise,
    );
  }

  /** Failing reports after which the run stops (`--sw`: 1, `--sw-skip`: 2), or 0. */
  get stopAfter(): number {
    return this.options.stepwise ? (this.options.stepwiseSkip ? 2 : 1) : 0;
  }

  /** Right after collection: `--lf` narrows and reorders what counts as collected. */
  collected(collection: PluginCollection, files: string[]): void {
    this.files = files;
    if (!this.options.lastFailed || Object.keys(this.lastfailed).length === 0) return;
    const lfPaths = lastFailedPaths(this.lastfailed, this.context.exists);
    const lf = lastFailedCollection(files, collection.items, this.lastfailed, lfPaths, this.context.initPaths);
    this.skippedFiles = lf.skippedFiles.size;
    const rank = new Map(lf.files.map((file, i) => [file, i]));
    const byFile = <T extends { nodeid: string }>(list: T[]) =>
      list
        .filter((entry) => !lf.skippedFiles.has(fileOf(entry.nodeid)))
        .map((entry, i) => ({ entry, i }))
        .sort((a, b) => (rank.get(fileOf(a.entry.nodeid)) ?? 0) - (rank.get(fileOf(b.entry.nodeid)) ?? 0) || a.i - b.i)
        .map(({ entry }) => entry);
    collection.items = byFile(collection.items.filter(lf.keep));
    collection.errors = byFile(collection.errors);
    collection.skipped = byFile(collection.skipped);
  }

  /** After `-k`/`-m`: stepwise, last-failed and new-first reorder and deselect. */
  selected(items: CollectedItem[]): { items: CollectedItem[]; deselected: CollectedItem[] } {
    let current = items;
    const deselected: CollectedItem[] = [];
    const { options } = this;
    if (options.lastFailed || options.failedFirst) {
      const lf = applyLastFailed(current, this.lastfailed, {
        lastFailed: options.lastFailed,
        failedFirst: options.failedFirst,
        noFailures: options.lastFailedNoFailures,
        skippedFiles: this.skippedFiles,
      });
      current = lf.items;
      deselected.push(...lf.deselected);
      this.status.push(`run-last-failure: ${lf.status}`);
    }
    if (this.stepwise) {
      const sw = applyStepwise(current, this.stepwise.info, { reset: Boolean(options.stepwiseReset), now: this.context.now() });
      current = sw.items;
      deselected.push(...sw.deselected);
      this.status.push(...[...this.stepwise.status, ...sw.status].map((line) => `stepwise: ${line}`));
    }
    if (options.newFirst) {
      const newest = (list: CollectedItem[]) =>
        list
          .map((item, i) => ({ item, i, mtime: this.context.mtime(fileOf(item.nodeid)) }))
          .sort((a, b) => b.mtime - a.mtime || a.i - b.i)
          .map(({ item }) => item);
      current = [...newest(current.filter((i) => !this.nodeids.has(i.nodeid))), ...newest(current.filter((i) => this.nodeids.has(i.nodeid)))];
    }
    this.seen = current.map((item) => item.nodeid);
    return { items: current, deselected };
  }

  /** Lines printed under `collected N items` (not with `-q`). */
  reportLines(): string[] {
    return this.context.verbosity >= 0 ? this.status : [];
  }

  /** Write what this run learned. */
  async save(
    collection: { errors: CollectError[]; items: CollectedItem[] },
    results: ReadonlyArray<{ nodeid: string; reports: readonly PhaseReport[] }>,
  ): Promise<void> {
    const failedFiles = new Set(collection.errors.map((e) => e.nodeid));
    const children = (file: string) => [
      ...new Set(collection.items.filter((i) => fileOf(i.nodeid) === file).map((i) => i.nodeid.split("::").slice(0, 2).join("::"))),
    ];
    const files = this.files.map((file) => ({ nodeid: file, failed: failedFiles.has(file), children: children(file) }));
    for (const nodeid of failedFiles) if (!this.files.includes(nodeid)) files.push({ nodeid, failed: true, children: [] });
    const lastfailed = updateLastFailed(this.lastfailed, files, results);
    // pytest writes the record only when it changed.
    if (JSON.stringify(lastfailed) !== JSON.stringify(this.lastfailed)) await this.store.set("cache/lastfailed", lastfailed);
    if (!this.context.collectOnly) {
      const nodeids = new Set([...this.nodeids, ...this.seen]);
      await this.store.set("cache/nodeids", [...nodeids].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    }
    if (this.stepwise) {
      await this.store.set("cache/stepwise", updateStepwise(this.stepwise.info, results, this.options.stepwiseSkip, this.context.now()));
    }
  }
}
