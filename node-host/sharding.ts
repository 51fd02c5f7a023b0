/**
 * The host side of `--shard K/N`, `--store-durations` and `--durations-path`:
 * reading and writing the durations file (meant to be committed), choosing
 * this shard's tests after selection, and the line the report prints.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { UsageError, type ParsedArgs } from "../core/cli-args.js";
import type { CollectedItem } from "../core/protocol.js";
import {
  formatTestDurations,
  parseShard,
  parseTestDurations,
  selectShard,
  shardReportLine,
  updateTestDurations,
  type ShardSpec,
  type ShardSummary,
  type TestDurations,
} from "../core/shard.js";
import type { SessionOutcome } from "../core/session.js";
import type { RunConfig } from "./run-config.js";
import { writeFileAtomic } from "./write-atomic.js";

/** The durations file's name at the rootdir, unless `--durations-path` names another. */
export const defaultDurationsFile = ".fastest-durations.json";

/** What the command line asked of sharding. */
export interface ShardOptions {
  /** `--shard K/N`, or null. */
  shard: ShardSpec | null;
  /** `--store-durations`. */
  store: boolean;
  /** The durations file (absolute). */
  durationsPath: string;
}

/** Read and check the sharding options; throws a UsageError for a bad `--shard`. */
export function shardOptions(args: ParsedArgs, cwd: string, rootdir: string): ShardOptions {
  const text = args.options["shard"];
  let shard: ShardSpec | null = null;
  if (typeof text === "string") {
    try {
      shard = parseShard(text);
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    if (args.options["watch"]) throw new UsageError("--shard splits one run across machines; it cannot be combined with --watch");
  }
  const given = args.options["durations-path"];
  return {
    shard,
    store: Boolean(args.options["store-durations"]),
    durationsPath: typeof given === "string" ? path.resolve(cwd, given) : path.join(rootdir, defaultDurationsFile),
  };
}

/** Sharding and duration storing for one run. */
export class HostSharding {
  private summary: ShardSummary | null = null;

  private constructor(
    private readonly options: ShardOptions,
    private readonly rootdir: string,
    private readonly cwd: string,
    private readonly durations: TestDurations,
    /** Node ids on the command line narrowed collection: a file's other tests were not collected, not removed. */
    private readonly narrowed: boolean,
    /** `-q` leaves the shard's line out, as it leaves out the header. */
    private readonly quiet: boolean,
  ) {}

  /** Null when the run neither shards nor stores durations. Throws a UsageError for bad options or a broken durations file. */
  static create(config: Pick<RunConfig, "args" | "cwd" | "rootdir" | "selectors" | "harness">): HostSharding | null {
    const options = shardOptions(config.args, config.cwd, config.rootdir);
    if (!options.shard && !options.store) return null;
    const durations = options.shard ? readDurations(options.durationsPath) : {};
    return new HostSharding(options, config.rootdir, config.cwd, durations, config.selectors.length > 0, config.harness.verbosity < 0);
  }

  /** After selection and the cache plugins: keep this shard's tests, deselect the rest. */
  select(items: CollectedItem[]): { items: CollectedItem[]; deselected: CollectedItem[] } {
    if (!this.options.shard) return { items, deselected: [] };
    const chosen = selectShard(items, this.options.shard, this.durations);
    this.summary = chosen.summary;
    return { items: chosen.items, deselected: chosen.deselected };
  }

  /** What this shard ran, for the JSON report; null when not sharding (or nothing was collected). */
  shardSummary(): ShardSummary | null {
    return this.summary;
  }

  /** The line under `collected N items` (none with `-q`). */
  reportLines(): string[] {
    if (!this.summary || this.quiet) return [];
    const shown = path.relative(this.cwd, this.options.durationsPath) || this.options.durationsPath;
    return [shardReportLine(this.summary, shown.split(path.sep).join("/"))];
  }

  /** `--store-durations`: write the tests this run measured into the durations file. */
  save(outcome: SessionOutcome): void {
    if (!this.options.store || outcome.usageError) return;
    const file = this.options.durationsPath;
    const gone = (nodeid: string) => !existsSync(path.join(this.rootdir, nodeid.split("::")[0]!));
    const collected = new Set([...outcome.collection.items, ...(outcome.deselected ?? [])].map((item) => item.nodeid));
    const collectedFiles = new Set([...collected].map((nodeid) => nodeid.split("::")[0]!));
    // A test of a file this run collected that is no longer among its items was removed or renamed.
    const removed = (nodeid: string) => !this.narrowed && collectedFiles.has(nodeid.split("::")[0]!) && !collected.has(nodeid);
    const exists = (nodeid: string) => !gone(nodeid) && !removed(nodeid);
    writeDurations(file, updateTestDurations(readDurations(file), outcome.results, exists));
  }
}

/** Write the durations file (sorted, one test a line); an unchanged file is left alone. */
export function writeDurations(file: string, durations: TestDurations): void {
  const text = formatTestDurations(durations);
  try {
    if (existsSync(file) && readFileSync(file, "utf8") === text) return;
    writeFileAtomic(file, text);
  } catch (error) {
    throw new Error(`could not write the durations file ${file}: ${(error as Error).message}`);
  }
}

/** The durations stored in `file`; none when it is missing. A file that is not JSON is an error worth fixing. */
export function readDurations(file: string): TestDurations {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return {};
  }
  try {
    return parseTestDurations(JSON.parse(text));
  } catch (error) {
    throw new UsageError(`the durations file ${file} is not valid JSON (${(error as Error).message}): fix it, or delete it and run with --store-durations`);
  }
}
