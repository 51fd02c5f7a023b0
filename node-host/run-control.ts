import { existsSync, statSync } from "node:fs";
import path from "node:path";
import { CachePlugins } from "../core/cache-plugins.js";
import { durationsSection, type SummarySection } from "../core/reporters/durations.js";
import type { CollectionPlugin, SessionOptions, SessionOutcome } from "../core/session.js";
import type { ShardSummary } from "../core/shard.js";
import { stepwiseStopMessage } from "../core/stepwise.js";
import { FileCacheStore } from "./cache-store.js";
import type { RunConfig } from "./run-config.js";
import { HostSharding } from "./sharding.js";

/** How the selection and run-control options end a run, for the reporter. */
export interface RunControlEnd {
  /** Plugin sections (`--durations`). */
  sections: SummarySection[];
  /** `-x`/`--maxfail`: `stopping after N failures`. */
  stopReason: string | null;
  /** `--sw` stopped the run: pytest reports it as an interruption. */
  interrupted: string | null;
  /** A bad `-k`/`-m` expression: printed as `ERROR: ...`, exit 4. */
  usageError: string | null;
}

/**
 * The host side of selection and run control: the cache plugins on disk
 * (`.fastest_cache/`), the session options they and the flags imply, and
 * what the reporter prints at the end.
 */
export class RunControl {
  private constructor(
    private readonly config: RunConfig,
    private readonly plugins: CachePlugins | null,
    private readonly store: FileCacheStore | null = null,
    private readonly sharding: HostSharding | null = null,
  ) {}

  static async create(config: RunConfig): Promise<RunControl> {
    const { control, rootdir } = config;
    const sharding = HostSharding.create(config);
    if (!control.cache) return new RunControl(config, null, null, sharding);
    const store = new FileCacheStore(rootdir);
    const toRoot = (p: string) => path.relative(rootdir, p).split(path.sep).join("/");
    const initPaths = new Set(config.paths.filter((p) => existsSync(p) && statSync(p).isFile()).map(toRoot));
    const plugins = await CachePlugins.load(store, control.cache, {
      verbosity: config.harness.verbosity,
      collectOnly: control.collectOnly,
      exists: (relative) => existsSync(path.join(rootdir, relative)),
      mtime: (relative) => {
        try {
          return statSync(path.join(rootdir, relative)).mtimeMs;
        } catch {
          return 0;
        }
      },
      initPaths,
      now: () => new Date(),
    });
    return new RunControl(config, plugins, store, sharding);
  }

  /** The cache's values for `config.cache` in the sandbox (after `--cache-clear`); undefined when the cache is off. */
  cacheValues(): Record<string, string> | undefined {
    return this.store?.entries();
  }

  /** Lines to print under `collected N items`. */
  reportLines(): string[] {
    return [...(this.plugins?.reportLines() ?? []), ...(this.sharding?.reportLines() ?? [])];
  }

  /** What the session needs: selection, cache plugins, stop point, collect-only. */
  sessionOptions(): Pick<SessionOptions, "selection" | "plugin" | "maxfail" | "stopMessage" | "collectOnly"> {
    const { control } = this.config;
    const stepwise = this.plugins?.stopAfter ?? 0;
    // pytest checks --maxfail before the stepwise stop: the lower count wins, maxfail on a tie.
    const stepwiseFirst = stepwise > 0 && (control.maxfail === 0 || stepwise < control.maxfail);
    return {
      selection: control.selection,
      ...(this.plugins || this.sharding ? { plugin: this.collectionPlugin() } : {}),
      maxfail: stepwiseFirst ? stepwise : control.maxfail,
      ...(stepwiseFirst ? { stopMessage: `Interrupted: ${stepwiseStopMessage}` } : {}),
      collectOnly: control.collectOnly,
    };
  }

  /** The cache plugins, then `--shard` (which splits what they leave). */
  private collectionPlugin(): CollectionPlugin {
    const { plugins, sharding } = this;
    if (!sharding) return plugins!;
    return {
      ...(plugins ? { collected: (collection, files) => plugins.collected(collection, files) } : {}),
      selected: (items) => {
        const arranged = plugins ? plugins.selected(items) : { items, deselected: [] };
        const mine = sharding.select(arranged.items);
        return { items: mine.items, deselected: [...arranged.deselected, ...mine.deselected] };
      },
    };
  }

  /**
   * `--shard`: more shards than tests leaves some without any. Such a shard
   * did its part, so it exits 0 where pytest would exit 5 (no tests ran).
   */
  emptyShard(): boolean {
    const summary = this.shardSummary();
    return summary !== null && summary.tests === 0 && summary.selected.length > 0;
  }

  /** `--shard`: what this shard ran, for the JSON report; null otherwise. */
  shardSummary(): ShardSummary | null {
    return this.sharding?.shardSummary() ?? null;
  }

  /** Sections and stop lines for the end of the report. */
  endOf(outcome: SessionOutcome | undefined): RunControlEnd {
    const { control, harness } = this.config;
    const sections: SummarySection[] = [];
    if (outcome && control.durations !== null) {
      const section = durationsSection(outcome.results, { count: control.durations, min: control.durationsMin, verbosity: harness.verbosity });
      if (section) sections.push(section);
    }
    const reason = outcome?.stopReason ?? null;
    const interrupted = reason?.startsWith("Interrupted: ") ? reason : null;
    return { sections, stopReason: interrupted ? null : reason, interrupted, usageError: outcome?.usageError ?? null };
  }

  /** Keep what this run learned (`--lf`, `--nf`, `--sw` next time). */
  async save(outcome: SessionOutcome): Promise<void> {
    this.sharding?.save(outcome);
    if (!this.plugins || outcome.usageError) return;
    // What tests stored first: the plugins' own keys win.
    for (const [key, text] of Object.entries(outcome.finish.cacheWrites ?? {})) await this.store?.setText(key, text);
    await this.plugins.save(outcome.collection, outcome.results);
  }
}
