/**
 * `--shard K/N`: split the selected tests of one suite across N machines so
 * that each runs about the same share of the expected time.
 *
 * Sharding is per test, as pytest-shard's is: every shard collects every
 * file (so node ids, `-k` and the other selection options mean the same on
 * every machine), then keeps only its own tests; the others count as
 * deselected. Tests are weighed by the seconds stored in the durations file
 * (`--store-durations`), unknown ones by the median of the known, and
 * handed out longest first, each to the shard with the least expected time
 * so far (ties: the lowest shard). Only node ids and the durations decide,
 * never collection order, so every machine computes the same partition.
 */
import type { CollectedItem } from "./protocol.js";

/** Which shard this machine runs: `index` counts from 1 up to `count`. */
export interface ShardSpec {
  index: number;
  count: number;
}

/** Seconds each test took (setup + call + teardown), by node id. */
export type TestDurations = Record<string, number>;

/** What a shard got, for the report's header and the JSON report. Plain data. */
export interface ShardSummary extends ShardSpec {
  /** Tests this shard runs. */
  tests: number;
  /** Node ids of every shard's tests, in collection order: what `merge-reports` orders and checks by. */
  selected: string[];
  /** Seconds this shard is expected to take, and all shards together. */
  expectedSeconds: number;
  totalSeconds: number;
  /** Selected tests without a stored duration, and the seconds each was counted as (0 when none is known). */
  estimated: number;
  estimateSeconds: number;
}

/** A test counts at least this much: the runner's own work per test is never free. */
const minimumMicros = 1000;

/** Parse `K/N` (1 <= K <= N); the error says what is expected. */
export function parseShard(text: string): ShardSpec {
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  const index = match ? Number(match[1]) : NaN;
  const count = match ? Number(match[2]) : NaN;
  if (!match || count < 1 || index < 1 || index > count) {
    throw new Error(`argument --shard: invalid value: '${text}' (expected K/N with 1 <= K <= N, e.g. --shard 2/4 runs the second of four parts)`);
  }
  return { index, count };
}

/**
 * The stored durations, leaving out anything that is not a node id's
 * seconds. Also reads pytest-split's older format, a list of `[nodeid, seconds]` pairs.
 */
export function parseTestDurations(value: unknown): TestDurations {
  const durations: TestDurations = {};
  if (typeof value !== "object" || value === null) return durations;
  const pairs = Array.isArray(value)
    ? value.filter((pair): pair is [string, unknown] => Array.isArray(pair) && pair.length === 2 && typeof pair[0] === "string")
    : Object.entries(value);
  for (const [nodeid, seconds] of pairs) {
    if (typeof seconds === "number" && Number.isFinite(seconds) && seconds >= 0) durations[nodeid] = seconds;
  }
  return durations;
}

/**
 * The durations file's text: one test per line, sorted by node id, seconds
 * rounded to milliseconds, so that a refresh changes few lines of a diff.
 */
export function formatTestDurations(durations: TestDurations): string {
  const ids = Object.keys(durations).sort(compareIds);
  if (ids.length === 0) return "{}\n";
  const lines = ids.map((id) => `  ${JSON.stringify(id)}: ${roundSeconds(durations[id]!)}`);
  return `{\n${lines.join(",\n")}\n}\n`;
}

/** Seconds a test took in a run: its setup, call and teardown (subtests are part of the call). */
export function testSeconds(reports: ReadonlyArray<{ duration: number; subtest?: string }>): number {
  return reports.filter((report) => report.subtest === undefined).reduce((sum, report) => sum + report.duration, 0);
}

/**
 * The durations to store after a run: the older entries, minus tests that
 * no longer exist (`exists` says no), with this run's tests measured anew.
 */
export function updateTestDurations(
  older: TestDurations,
  results: ReadonlyArray<{ nodeid: string; reports: ReadonlyArray<{ duration: number; subtest?: string }> }>,
  exists: (nodeid: string) => boolean,
): TestDurations {
  const updated: TestDurations = {};
  for (const [nodeid, seconds] of Object.entries(older)) if (exists(nodeid)) updated[nodeid] = seconds;
  for (const result of results) updated[result.nodeid] = roundSeconds(testSeconds(result.reports));
  return updated;
}

/** The partition of `nodeids` into `count` shards, each list in the order given. */
export interface ShardPlan {
  shards: string[][];
  /** Expected seconds of each shard. */
  expected: number[];
  estimated: number;
  estimateSeconds: number;
}

/** Split node ids into `count` shards balanced by expected time (greedy, longest first). */
export function planShards(nodeids: readonly string[], count: number, durations: TestDurations): ShardPlan {
  const known = nodeids.flatMap((id) => (durations[id] === undefined ? [] : [durations[id]!]));
  const estimateSeconds = median(known.length > 0 ? known : Object.values(durations));
  const micros = (id: string) => Math.max(minimumMicros, Math.round((durations[id] ?? estimateSeconds) * 1e6));
  const unique = [...new Set(nodeids)];
  const weighed = unique.map((id) => ({ id, weight: micros(id) })).sort((a, b) => b.weight - a.weight || compareIds(a.id, b.id));
  const load = new Array<number>(count).fill(0);
  const shardOf = new Map<string, number>();
  for (const { id, weight } of weighed) {
    let lightest = 0;
    for (let shard = 1; shard < count; shard++) if (load[shard]! < load[lightest]!) lightest = shard;
    load[lightest]! += weight;
    shardOf.set(id, lightest);
  }
  const shards = Array.from({ length: count }, () => [] as string[]);
  for (const id of unique) shards[shardOf.get(id)!]!.push(id);
  return {
    shards,
    expected: load.map((us) => us / 1e6),
    estimated: unique.length - unique.filter((id) => durations[id] !== undefined).length,
    estimateSeconds,
  };
}

/** Keep this shard's items (in their order); the others are deselected. */
export function selectShard(
  items: readonly CollectedItem[],
  spec: ShardSpec,
  durations: TestDurations,
): { items: CollectedItem[]; deselected: CollectedItem[]; summary: ShardSummary } {
  const selected = items.map((item) => item.nodeid);
  const plan = planShards(selected, spec.count, durations);
  const mine = new Set(plan.shards[spec.index - 1]);
  const kept = items.filter((item) => mine.has(item.nodeid));
  return {
    items: kept,
    deselected: items.filter((item) => !mine.has(item.nodeid)),
    summary: {
      ...spec,
      tests: kept.length,
      selected,
      expectedSeconds: plan.expected[spec.index - 1]!,
      totalSeconds: plan.expected.reduce((sum, seconds) => sum + seconds, 0),
      estimated: plan.estimated,
      estimateSeconds: plan.estimateSeconds,
    },
  };
}

/** The line under `collected N items`: which shard this is, what it runs, and on what the split was based. */
export function shardReportLine(summary: ShardSummary, durationsFile: string): string {
  const { index, count, tests } = summary;
  const total = summary.selected.length;
  const head = `shard ${index}/${count}: running ${tests} of ${total} test${total === 1 ? "" : "s"}`;
  if (summary.estimated === total) {
    return `${head} (no stored durations in ${durationsFile}: split by count; --store-durations records them)`;
  }
  const expected = `expected ${summary.expectedSeconds.toFixed(2)}s of ${summary.totalSeconds.toFixed(2)}s`;
  const unknown = summary.estimated > 0 ? `; ${summary.estimated} without a stored duration counted as ${summary.estimateSeconds.toFixed(3)}s each` : "";
  return `${head} (${expected}, durations from ${durationsFile}${unknown})`;
}

function median(values: number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function roundSeconds(seconds: number): number {
  return Math.round(seconds * 1000) / 1000;
}

/** Code-unit order, the same in every locale (localeCompare is not). */
function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
