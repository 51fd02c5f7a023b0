/**
 * `fastest merge-reports`: put the JSON reports of a split run (`--shard
 * K/N` on several machines) back together as the report of one run. Tests
 * come back in the full run's collection order (each shard's report lists
 * every shard's node ids in that order); what every shard reports alike
 * (collection errors, modules skipped at import, warnings raised while
 * collecting) is kept once. The counts are recomputed from the tests, so the
 * result equals one run's report but for timings.
 */
import { ExitCode, type CollectError, type CollectSkip, type PhaseName, type PhaseReport, type WarningRecord } from "./protocol.js";
import { JsonReporter, type JsonPhase, type JsonReport, type JsonTest } from "./reporters/json.js";
import type { ItemEndEvent } from "./session.js";

/** Reports that cannot be merged: the message says which and why. */
export class MergeError extends Error {}

/** A report and where it came from (a file name, for messages). */
export interface NamedReport {
  name: string;
  report: JsonReport;
}

/** One run's worth of results, rebuilt from the reports. */
export interface MergedRun {
  /** The merged JSON report. */
  report: JsonReport;
  /** The tests as a session's `itemEnd` events, in collection order, for the other reporters. */
  events: ItemEndEvent[];
  collectErrors: CollectError[];
  collectSkipped: CollectSkip[];
  warnings: WarningRecord[];
  /** Items collected, deselected ones included, and those deselected. */
  collected: number;
  deselected: number;
  /** Earliest start and longest duration of the parts (they ran side by side). */
  created: string;
  duration: number;
  seed: number | null;
  /** Every part's `record_testsuite_property` pairs, in the order the parts were given. */
  suiteProperties: Array<[string, string]>;
  /** Parts that are missing (`no report for shard 3/4`), or tests no part reported. */
  problems: string[];
}

/** Parse and check one report's text. */
export function parseJsonReport(text: string, name: string): JsonReport {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    if (text.trimStart().startsWith("<")) {
      throw new MergeError(
        `${name} is XML (a JUnit report?): merge-reports reads the JSON reports fastest writes, which keep what a merge needs (each shard's place in the run); have every shard also write one with --json PATH`,
      );
    }
    throw new MergeError(`${name} is not JSON (${(error as Error).message})`);
  }
  const report = value as Partial<JsonReport> | null;
  if (typeof report !== "object" || report === null || !Array.isArray(report.tests) || typeof report.summary !== "object") {
    throw new MergeError(`${name} is not a fastest JSON report (written by --json): it has no "tests" and "summary"`);
  }
  if (report.version !== 1) throw new MergeError(`${name} is a JSON report of version ${String(report.version)}; this fastest reads version 1`);
  return report as JsonReport;
}

/** Merge the reports of the parts of one run. */
export function mergeReports(inputs: readonly NamedReport[]): MergedRun {
  if (inputs.length === 0) throw new MergeError("no reports to merge: name JSON reports written by --json, or folders holding them");
  const problems: string[] = [];
  const order = shardOrder(inputs, problems);

  const owner = new Map<string, string>();
  const tests: JsonTest[] = [];
  for (const { name, report } of inputs) {
    for (const test of report.tests) {
      const before = owner.get(test.nodeid);
      if (before !== undefined) {
        throw new MergeError(`${test.nodeid} is in both ${before} and ${name}: was one shard's report given twice, or are these reports of different runs?`);
      }
      owner.set(test.nodeid, name);
      tests.push(test);
    }
  }
  if (order) {
    const rank = (nodeid: string) => order.position.get(nodeid) ?? Number.MAX_SAFE_INTEGER;
    tests.sort((a, b) => rank(a.nodeid) - rank(b.nodeid));
    const missing = order.selected.filter((nodeid) => !owner.has(nodeid)).length;
    if (missing > 0 && problems.length === 0) {
      problems.push(`${missing} selected test${missing === 1 ? " has" : "s have"} no result: a shard stopped early (-x, --maxfail, an interruption or collection errors)`);
    }
  }

  const first = inputs[0]!.report;
  const sharded = order !== null && first.shard !== undefined;
  const collected = sharded ? first.summary.collected : sum(inputs, (r) => r.summary.collected);
  const deselected = sharded ? first.summary.deselected - (first.shard!.selected.length - first.shard!.tests) : sum(inputs, (r) => r.summary.deselected);
  const seeds = new Set(inputs.map(({ report }) => report.seed));
  const merged = {
    events: tests.map(eventFromJson),
    collectErrors: onceEach(inputs.map(({ report }) => report.collectErrors)),
    collectSkipped: onceEach(inputs.map(({ report }) => report.collectSkipped)),
    warnings: mergeWarnings(inputs, order?.position),
    collected,
    deselected,
    created: inputs.map(({ report }) => report.created).sort()[0]!,
    duration: Math.max(...inputs.map(({ report }) => report.duration)),
    seed: seeds.size === 1 ? first.seed : null,
    suiteProperties: inputs.flatMap(({ report }) => report.suiteProperties ?? []),
    problems,
  };
  const json = new JsonReporter();
  json.sessionStart({ root: first.root, seed: merged.seed, created: merged.created, environment: first.environment });
  json.collectionFinish({ collected, deselected, errors: merged.collectErrors, skipped: merged.collectSkipped });
  for (const warning of merged.warnings) json.warning(warning);
  for (const event of merged.events) json.itemEnd(event);
  json.suiteProperty(...merged.suiteProperties);
  const report = json.report({ duration: merged.duration, exitCode: mergedExitCode(inputs.map(({ report }) => report.exitCode)) });
  return { report, ...merged };
}

/**
 * pytest's exit code of the whole run from the parts': an internal error,
 * usage error or interruption anywhere wins, then failures, then success;
 * "no tests collected" only when no part ran any.
 */
export function mergedExitCode(codes: readonly number[]): number {
  const priority = [ExitCode.INTERNAL_ERROR, ExitCode.USAGE_ERROR, ExitCode.INTERRUPTED, ExitCode.TESTS_FAILED, ExitCode.OK, ExitCode.NO_TESTS_COLLECTED];
  return priority.find((code) => codes.includes(code)) ?? Math.max(...codes);
}

/** A test of the JSON report as the `itemEnd` event it came from. */
export function eventFromJson(test: JsonTest): ItemEndEvent {
  const reports: PhaseReport[] = [];
  // The harness's sections accumulate over the phases, as pytest's do: each report holds the earlier phases' output too.
  const sections: Array<[string, string]> = [];
  const add = (when: PhaseName, phase: JsonPhase | undefined, subtest?: string) => {
    if (!phase) return;
    const own = ([["stdout", phase.stdout], ["stderr", phase.stderr], ["log", phase.log]] as const)
      .filter(([, text]) => text !== "")
      .map(([kind, text]): [string, string] => [`Captured ${kind} ${when}`, text]);
    if (subtest === undefined) sections.push(...own);
    reports.push({
      when,
      outcome: phase.outcome,
      duration: phase.duration,
      longrepr: phase.longrepr,
      message: phase.message,
      skip: phase.skip,
      wasxfail: phase.wasxfail,
      sections: subtest === undefined ? [...sections] : [...sections, ...own],
      ...(subtest !== undefined ? { subtest } : {}),
    });
  };
  add("setup", test.phases.setup);
  for (const subtest of test.subtests ?? []) add("call", subtest, subtest.description);
  add("call", test.phases.call);
  add("teardown", test.phases.teardown);
  return {
    type: "itemEnd",
    nodeid: test.nodeid,
    location: [test.location.path, test.location.line, test.location.domain],
    reports,
    properties: test.properties,
    ...(test.xmlAttributes ? { xmlAttributes: test.xmlAttributes } : {}),
    ...(test.worker ? { worker: test.worker } : {}),
  };
}

/** With shard information: each node id's place in the full run, after checking the parts belong together. */
function shardOrder(inputs: readonly NamedReport[], problems: string[]): { position: Map<string, number>; selected: string[] } | null {
  const shards = inputs.filter(({ report }) => report.shard !== undefined);
  if (shards.length === 0) return null;
  if (shards.length < inputs.length) {
    const plain = inputs.find(({ report }) => report.shard === undefined)!;
    throw new MergeError(`${plain.name} is not a shard's report but ${shards[0]!.name} is: merge the reports of one split run (--shard K/N) at a time`);
  }
  const base = shards[0]!;
  const { count, selected } = base.report.shard!;
  const seen = new Map<number, string>();
  for (const { name, report } of shards) {
    const shard = report.shard!;
    if (shard.count !== count) throw new MergeError(`${base.name} is a shard of ${count} but ${name} a shard of ${shard.count}: merge the reports of one split run`);
    if (shard.selected.length !== selected.length || shard.selected.some((id, i) => id !== selected[i])) {
      throw new MergeError(`${base.name} and ${name} split different selections of tests: were they run on the same commit with the same options?`);
    }
    const other = seen.get(shard.index);
    if (other !== undefined) throw new MergeError(`${other} and ${name} are both shard ${shard.index}/${count}`);
    seen.set(shard.index, name);
  }
  for (let index = 1; index <= count; index++) {
    if (!seen.has(index)) problems.push(`no report for shard ${index}/${count}: its tests are missing from the merged report`);
  }
  return { position: new Map(selected.map((id, i) => [id, i])), selected };
}

/** Entries that every part reports alike (collection errors, skipped modules) kept once, in first-seen order. */
function onceEach<T>(lists: ReadonlyArray<readonly T[]>): T[] {
  const seen = new Set<string>();
  const kept: T[] = [];
  for (const entry of lists.flat()) {
    const key = JSON.stringify(entry);
    if (!seen.has(key)) {
      seen.add(key);
      kept.push(entry);
    }
  }
  return kept;
}

/**
 * Warnings of tests come from the shard that ran them; warnings raised
 * outside any test (collection, session teardown) are raised by every shard,
 * so each is kept as often as the one part that raised it most.
 */
function mergeWarnings(inputs: readonly NamedReport[], position: Map<string, number> | undefined): WarningRecord[] {
  const general = new Map<string, { warning: WarningRecord; count: number }>();
  const ofTests: WarningRecord[] = [];
  for (const { report } of inputs) {
    const counts = new Map<string, number>();
    for (const warning of report.warnings) {
      if (warning.nodeid !== "") {
        ofTests.push(warning);
        continue;
      }
      const key = JSON.stringify(warning);
      counts.set(key, (counts.get(key) ?? 0) + 1);
      const entry = general.get(key) ?? { warning, count: 0 };
      entry.count = Math.max(entry.count, counts.get(key)!);
      general.set(key, entry);
    }
  }
  const rank = (nodeid: string) => position?.get(nodeid) ?? 0;
  const sorted = ofTests.map((warning, i) => ({ warning, i })).sort((a, b) => rank(a.warning.nodeid) - rank(b.warning.nodeid) || a.i - b.i);
  return [...[...general.values()].flatMap(({ warning, count }) => new Array<WarningRecord>(count).fill(warning)), ...sorted.map(({ warning }) => warning)];
}

function sum(inputs: readonly NamedReport[], of: (report: JsonReport) => number): number {
  return inputs.reduce((total, { report }) => total + of(report), 0);
}
