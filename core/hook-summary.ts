/**
 * What a session hands to the workers' `finish` for the conftest hooks that
 * run at the end: `pytest_sessionfinish` gets the exit status, and the one
 * worker that calls `pytest_terminal_summary` also gets
 * `terminalreporter.stats` (every phase report by category, as pytest's
 * terminal reporter keeps them).
 */
import { emptyTally, exitCode, phaseStatus, tallyReports } from "./outcome.js";
import type { CollectError, CollectedItem, RunEvent, SummaryRequest } from "./protocol.js";

type ItemEnd = Extract<RunEvent, { type: "itemEnd" }>;
type StatsReport = NonNullable<SummaryRequest["stats"]>[string][number];

export interface SummaryInput {
  results: readonly ItemEnd[];
  errors: readonly CollectError[];
  deselected: readonly CollectedItem[];
  selected: number;
  continueOnCollectionErrors: boolean;
  /** Terminal width for `terminalreporter.write_sep`. */
  width?: number;
}

/** The request for every worker; `withStats` adds `stats` (for the worker that calls `pytest_terminal_summary`). */
export function summaryRequest(input: SummaryInput, withStats: boolean): SummaryRequest {
  const tally = emptyTally();
  for (const result of input.results) tallyReports(tally, result.reports);
  const exitstatus = exitCode({
    tally,
    selected: input.selected,
    collectErrors: input.errors.length,
    continueOnCollectionErrors: input.continueOnCollectionErrors,
  });
  const request: SummaryRequest = { exitstatus, ...(input.width ? { width: input.width } : {}) };
  if (!withStats) return request;
  const stats: Record<string, StatsReport[]> = {};
  const add = (category: string, report: StatsReport) => (stats[category] ??= []).push(report);
  for (const error of input.errors) add("error", { nodeid: error.nodeid, when: "collect", outcome: "failed", longrepr: error.longrepr });
  for (const result of input.results) {
    for (const report of result.reports) {
      const { category } = phaseStatus(report);
      add(category, { nodeid: result.nodeid, when: report.when, outcome: report.outcome, longrepr: report.longrepr });
    }
  }
  for (const item of input.deselected) add("deselected", { nodeid: item.nodeid, when: "collect", outcome: "deselected", longrepr: null });
  request.stats = stats;
  return request;
}
