/**
 * fastest's JSON report (schema version 1, documented in
 * `docs/JSON_REPORT.md`). Collects a session's events and renders one
 * plain object; nothing here reads a clock or the file system.
 */
import { emptyTally, itemOutcome, itemOutcomes, subtestOutcomes, tallyReports, type Tally } from "../outcome.js";
import type { CollectError, CollectSkip, ItemOutcome, PhaseName, PhaseReport, WarningRecord } from "../protocol.js";
import type { ItemEndEvent } from "./terminal.js";

/** One phase (setup, call or teardown) of a test in the report. */
export interface JsonPhase {
  outcome: PhaseReport["outcome"];
  /** Seconds. */
  duration: number;
  /** Formatted failure, or null. */
  longrepr: string | null;
  /** One-line failure message, or null. */
  message: string | null;
  /** Captured stdout of this phase ("" when none). */
  stdout: string;
  /** Captured stderr of this phase ("" when none). */
  stderr: string;
  /** Captured log records of this phase ("" when none). */
  log: string;
  /** Where a skip came from, for skipped phases. */
  skip: PhaseReport["skip"];
  /** The xfail reason when the test was marked xfail. */
  wasxfail: string | null;
}

/** One test in the report. */
export interface JsonTest {
  nodeid: string;
  /** The single outcome of the test (see `itemOutcome`). */
  outcome: ItemOutcome;
  /** Every outcome the test counts towards, e.g. `["passed", "error"]`. */
  outcomes: ItemOutcome[];
  location: { path: string; line: number | null; domain: string };
  /** Sum of the phases' durations, seconds. */
  duration: number;
  /** `record_property` pairs. */
  properties: Array<[string, string]>;
  /** `record_xml_attribute` pairs (recorded only when the run wrote JUnit XML); absent when none. */
  xmlAttributes?: Array<[string, string]>;
  phases: Partial<Record<PhaseName, JsonPhase>>;
  /** Subtests (`self.subTest`, the `subtests` fixture) in the order they ended; absent when none. */
  subtests?: JsonSubtest[];
  /** The worker that ran the test (`gw0`, `gw1`...), as pytest-xdist names them; absent when unknown. */
  worker?: string;
}

/** One subtest: its description as pytest shows it (`[msg] (i=1)`) and its report. */
export interface JsonSubtest extends JsonPhase {
  description: string;
  /** `passed`, `failed`, `skipped` or `xfailed`. */
  result: ItemOutcome;
}

/** Counts of the report: pytest's summary categories plus totals. */
export interface JsonSummary extends Tally {
  /** Tests reported (run, skipped or errored). */
  total: number;
  /** Items collected, deselected ones included. */
  collected: number;
}

/** The whole report. */
export interface JsonReport {
  version: 1;
  /** ISO 8601 time the session started. */
  created: string;
  /** Session wall time in seconds. */
  duration: number;
  /** pytest's exit code. */
  exitCode: number;
  /** Absolute rootdir; node ids are relative to it. */
  root: string;
  seed: number | null;
  environment: JsonEnvironment | null;
  summary: JsonSummary;
  collectErrors: CollectError[];
  /** Modules skipped while being collected (`pytest.skip(allow_module_level=True)`). */
  collectSkipped: CollectSkip[];
  warnings: WarningRecord[];
  tests: JsonTest[];
  /** Set when the run was one shard of several (`--shard K/N`). */
  shard?: JsonShard;
  /** `record_testsuite_property` pairs (recorded only when the run wrote JUnit XML); absent when none. */
  suiteProperties?: Array<[string, string]>;
}

/** Which part of a split run a report holds, so that `fastest merge-reports` can put the parts back together. */
export interface JsonShard {
  /** This shard, from 1 to `count`. */
  index: number;
  count: number;
  /** Tests this shard was given. */
  tests: number;
  /** Node ids of every shard's tests, in collection order. */
  selected: string[];
}

/** Facts about the interpreter, when the host knows them. */
export interface JsonEnvironment {
  platform: string;
  pythonVersion: string;
  engine: string;
  engineVersion: string;
}

/** What the report needs at the start of a session. */
export interface JsonSessionInfo {
  root: string;
  seed?: number | null;
  /** Session start: a Date or an ISO string. */
  created: Date | string;
  environment?: JsonEnvironment | null;
}

function captured(report: PhaseReport, prefix: string): string {
  return report.sections
    .filter(([name]) => name === `${prefix} ${report.when}`)
    .map(([, content]) => content)
    .join("");
}

/** Convert one phase report to its JSON form. */
export function jsonPhase(report: PhaseReport): JsonPhase {
  return {
    outcome: report.outcome,
    duration: report.duration,
    longrepr: report.longrepr,
    message: report.message,
    stdout: captured(report, "Captured stdout"),
    stderr: captured(report, "Captured stderr"),
    log: captured(report, "Captured log"),
    skip: report.skip,
    wasxfail: report.wasxfail,
  };
}

/** Convert one `itemEnd` event to its JSON form. */
export function jsonTest(event: ItemEndEvent): JsonTest {
  const phases: Partial<Record<PhaseName, JsonPhase>> = {};
  for (const report of event.reports) if (report.subtest === undefined) phases[report.when] = jsonPhase(report);
  const results = subtestOutcomes(event.reports);
  const subtests = event.reports
    .filter((report) => report.subtest !== undefined)
    .map((report, i) => ({ description: report.subtest!, result: results[i]!.outcome, ...jsonPhase(report) }));
  return {
    nodeid: event.nodeid,
    outcome: itemOutcome(event.reports),
    outcomes: itemOutcomes(event.reports),
    location: { path: event.location[0], line: event.location[1], domain: event.location[2] },
    duration: event.reports.reduce((sum, report) => sum + report.duration, 0),
    properties: event.properties,
    ...(event.xmlAttributes && event.xmlAttributes.length > 0 ? { xmlAttributes: event.xmlAttributes } : {}),
    phases,
    ...(subtests.length > 0 ? { subtests } : {}),
    ...(event.worker ? { worker: event.worker } : {}),
  };
}

/** Accumulates a session and builds a {@link JsonReport}. */
export class JsonReporter {
  private info: JsonSessionInfo = { root: "", created: "" };
  private readonly tally = emptyTally();
  private collected = 0;
  private readonly collectErrors: CollectError[] = [];
  private readonly collectSkipped: CollectSkip[] = [];
  private readonly warnings: WarningRecord[] = [];
  private readonly tests: JsonTest[] = [];
  private readonly suiteProperties: Array<[string, string]> = [];

  sessionStart(info: JsonSessionInfo): void {
    this.info = info;
  }

  collectionFinish(summary: { collected: number; deselected?: number; errors?: CollectError[]; skipped?: CollectSkip[] }): void {
    this.collected = summary.collected;
    this.tally.deselected += summary.deselected ?? 0;
    for (const error of summary.errors ?? []) this.sessionError(error);
    for (const skip of summary.skipped ?? []) {
      this.collectSkipped.push(skip);
      this.tally.skipped += 1;
    }
  }

  /** A collection or session-level error. */
  sessionError(error: CollectError): void {
    this.collectErrors.push(error);
    this.tally.error += 1;
  }

  warning(warning: WarningRecord): void {
    this.warnings.push(warning);
    this.tally.warnings += 1;
  }

  /** `record_testsuite_property` pairs of the session (`RunFinish.suiteProperties`). */
  suiteProperty(...pairs: Array<[string, string]>): void {
    this.suiteProperties.push(...pairs);
  }

  itemEnd(event: ItemEndEvent): void {
    // Every subtest counts, as in pytest's summary line with -v.
    tallyReports(this.tally, event.reports, { subtestVerbosity: 1 });
    this.tests.push(jsonTest(event));
  }

  /** The report as a plain object. */
  report(end: { duration: number; exitCode: number; shard?: JsonShard }): JsonReport {
    const created = this.info.created;
    return {
      version: 1,
      created: typeof created === "string" ? created : created.toISOString(),
      duration: end.duration,
      exitCode: end.exitCode,
      root: this.info.root,
      seed: this.info.seed ?? null,
      environment: this.info.environment ?? null,
      summary: { ...this.tally, total: this.tests.length, collected: this.collected },
      collectErrors: [...this.collectErrors],
      collectSkipped: [...this.collectSkipped],
      warnings: [...this.warnings],
      tests: [...this.tests],
      ...(end.shard ? { shard: end.shard } : {}),
      ...(this.suiteProperties.length > 0 ? { suiteProperties: [...this.suiteProperties] } : {}),
    };
  }

  /** The report as JSON text (two-space indented, trailing newline). */
  toJson(end: { duration: number; exitCode: number; shard?: JsonShard }): string {
    return `${JSON.stringify(this.report(end), null, 2)}\n`;
  }
}
