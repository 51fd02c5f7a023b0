/**
 * pytest's bookkeeping of results: how a phase report is categorised
 * (`pytest_report_teststatus`), how an item's reports add up, the final
 * summary line (`=== 1 failed, 2 passed in 0.12s ===`), its colour and the
 * session's exit code.
 */
import { ExitCode, type ItemOutcome, type PhaseReport } from "./protocol.js";

/**
 * A stats category as pytest's terminal reporter keys it; "" is a passing
 * setup or teardown (or a subtest pytest does not show at this verbosity).
 */
export type StatCategory = ItemOutcome | "" | "subtests passed";

/** What pytest shows for one phase report: its category, progress letter and verbose word. */
export interface PhaseStatus {
  category: StatCategory;
  /** Progress character (`.`, `F`, `E`, `s`, `x`, `X`; `u`, `-`, `y` for subtests), or "" when nothing is shown. */
  letter: string;
  /** Word for `-v` lines and the short summary (`PASSED`, `XFAIL`, `SUBFAILED[msg]`...), or "". */
  word: string;
}

/** How reports are shown; subtests depend on it. */
export interface StatusOptions {
  /**
   * pytest's subtest verbosity (the `verbosity_subtests` ini, by default the
   * run's verbosity): at 0, passed, skipped and xfailed subtests are neither
   * shown nor counted.
   */
  subtestVerbosity?: number;
}

/** Categorise one phase report the way pytest's terminal reporter does. */
export function phaseStatus(report: PhaseReport, options: StatusOptions = {}): PhaseStatus {
  if (report.subtest !== undefined) return subtestStatus(report, report.subtest, (options.subtestVerbosity ?? 0) === 0);
  if (report.wasxfail !== null) {
    if (report.outcome === "skipped") return { category: "xfailed", letter: "x", word: "XFAIL" };
    if (report.outcome === "passed") return { category: "xpassed", letter: "X", word: "XPASS" };
  }
  if (report.when !== "call") {
    if (report.outcome === "failed") return { category: "error", letter: "E", word: "ERROR" };
    if (report.outcome === "skipped") return { category: "skipped", letter: "s", word: "SKIPPED" };
    return { category: "", letter: "", word: "" };
  }
  if (report.outcome === "passed") return { category: "passed", letter: ".", word: "PASSED" };
  if (report.outcome === "skipped") return { category: "skipped", letter: "s", word: "SKIPPED" };
  return { category: "failed", letter: "F", word: "FAILED" };
}

function subtestStatus(report: PhaseReport, description: string, quiet: boolean): PhaseStatus {
  if (report.outcome === "failed") return { category: "failed", letter: "u", word: `SUBFAILED${description}` };
  if (quiet) return { category: "", letter: "", word: "" };
  if (report.wasxfail !== null) return { category: "xfailed", letter: "y", word: `SUBXFAIL${description}` };
  if (report.outcome === "skipped") return { category: "skipped", letter: "-", word: `SUBSKIPPED${description}` };
  return { category: "subtests passed", letter: "u", word: `SUBPASSED${description}` };
}

/**
 * Every outcome an item counts towards, in report order. Usually one; a
 * test whose call passed or failed and whose teardown failed counts twice
 * (`["passed", "error"]`), as in pytest. Subtest reports are left out (see
 * {@link subtestOutcomes}).
 */
export function itemOutcomes(reports: readonly PhaseReport[]): ItemOutcome[] {
  const outcomes: ItemOutcome[] = [];
  for (const report of reports) {
    if (report.subtest !== undefined) continue;
    const { category } = phaseStatus(report);
    if (category !== "" && category !== "subtests passed") outcomes.push(category);
  }
  return outcomes;
}

/** The outcome of each subtest report of an item, in order (`passed`, `failed`, `skipped`, `xfailed`). */
export function subtestOutcomes(reports: readonly PhaseReport[]): Array<{ description: string; outcome: ItemOutcome }> {
  return reports.flatMap((report) => {
    if (report.subtest === undefined) return [];
    const { category } = phaseStatus(report, { subtestVerbosity: 1 });
    const outcome: ItemOutcome = category === "subtests passed" || category === "" ? "passed" : category;
    return [{ description: report.subtest, outcome }];
  });
}

/**
 * One outcome per item, for reports that need a single word (JSON): a
 * failing setup is "error"; otherwise the call's (or skip's) outcome wins,
 * except that a passing call with a failing teardown is "error".
 */
export function itemOutcome(reports: readonly PhaseReport[]): ItemOutcome {
  const outcomes = itemOutcomes(reports);
  const first = outcomes[0];
  if (first === undefined) return "passed";
  if (first === "passed" && outcomes.includes("error")) return "error";
  return first;
}

/** Counts behind the summary line. */
export interface Tally {
  failed: number;
  passed: number;
  skipped: number;
  deselected: number;
  xfailed: number;
  xpassed: number;
  warnings: number;
  /** Failed setups/teardowns plus collection errors. */
  error: number;
  /** Passed subtests, counted only when shown (see {@link StatusOptions}). */
  "subtests passed": number;
}

/** The categories of the summary line, in pytest's order. */
export const SUMMARY_ORDER: ReadonlyArray<keyof Tally> = [
  "failed", "passed", "skipped", "deselected", "xfailed", "xpassed", "warnings", "error", "subtests passed",
];

/** A tally with every count at zero. */
export function emptyTally(): Tally {
  return { failed: 0, passed: 0, skipped: 0, deselected: 0, xfailed: 0, xpassed: 0, warnings: 0, error: 0, "subtests passed": 0 };
}

/** Add one item's reports to `tally` (in place) and return it; subtests count as the terminal shows them. */
export function tallyReports(tally: Tally, reports: readonly PhaseReport[], options: StatusOptions = {}): Tally {
  for (const report of reports) {
    const { category } = phaseStatus(report, options);
    if (category !== "") tally[category] += 1;
  }
  return tally;
}

/** Colours pytest uses for the summary line. */
export type SummaryColor = "red" | "yellow" | "green";

/**
 * The main colour of the run: red with any failure or error, yellow with
 * warnings or xpasses, green once something passed, yellow when nothing
 * did (only skips/xfails, or nothing ran). `finished: false` gives the
 * colour pytest uses for progress markers mid-run (green until something
 * goes wrong).
 */
export function summaryColor(tally: Tally, finished = true): SummaryColor {
  if (tally.failed > 0 || tally.error > 0) return "red";
  if (tally.warnings > 0 || tally.xpassed > 0) return "yellow";
  if (tally.passed > 0 || !finished) return "green";
  return "yellow";
}

/** One `N word` part of the summary line with pytest's colour for it. */
export interface SummaryPart {
  text: string;
  color: SummaryColor;
}

function partColor(key: keyof Tally): SummaryColor {
  if (key === "failed" || key === "error") return "red";
  if (key === "passed" || key === "subtests passed") return "green";
  return "yellow";
}

function partText(key: keyof Tally, count: number): string {
  if (key === "error") return `${count} ${count === 1 ? "error" : "errors"}`;
  if (key === "warnings") return `${count} ${count === 1 ? "warning" : "warnings"}`;
  return `${count} ${key}`;
}

/** The parts of the summary line (`["3 failed", "10 passed"]`), or "no tests ran". */
export function summaryParts(tally: Tally): SummaryPart[] {
  const parts = SUMMARY_ORDER.filter((key) => tally[key] > 0).map((key) => ({
    text: partText(key, tally[key]),
    color: partColor(key),
  }));
  return parts.length > 0 ? parts : [{ text: "no tests ran", color: "yellow" }];
}

/** pytest's session duration: `0.52s`, or `75.00s (0:01:15)` from a minute on. */
export function formatDuration(seconds: number): string {
  const fixed = `${seconds.toFixed(2)}s`;
  if (seconds < 60) return fixed;
  const whole = Math.floor(seconds);
  const hours = Math.floor(whole / 3600);
  const minutes = String(Math.floor((whole % 3600) / 60)).padStart(2, "0");
  const secs = String(whole % 60).padStart(2, "0");
  const days = Math.floor(hours / 24);
  const clock = `${hours % 24}:${minutes}:${secs}`;
  return `${fixed} (${days > 0 ? `${days} day${days === 1 ? "" : "s"}, ` : ""}${clock})`;
}

/** The summary text without `=` padding: `1 failed, 2 passed in 0.12s`. */
export function summaryText(tally: Tally, durationSeconds: number): string {
  const parts = summaryParts(tally).map((part) => part.text);
  return `${parts.join(", ")} in ${formatDuration(durationSeconds)}`;
}

/** What decides the exit code of a session. */
export interface ExitStatusInput {
  tally: Tally;
  /** Items selected to run (collected minus deselected). */
  selected: number;
  /** Collection errors (they stop the run unless `continueOnCollectionErrors`). */
  collectErrors: number;
  continueOnCollectionErrors?: boolean;
  /** The run was interrupted (KeyboardInterrupt, `-x` does not count). */
  interrupted?: boolean;
}

/**
 * pytest's exit code: 2 when interrupted or stopped by collection errors,
 * 1 when anything failed or errored, 5 when nothing was selected, else 0.
 */
export function exitCode(input: ExitStatusInput): ExitCode {
  if (input.interrupted) return ExitCode.INTERRUPTED;
  if (input.collectErrors > 0 && !input.continueOnCollectionErrors) return ExitCode.INTERRUPTED;
  if (input.tally.failed > 0 || input.tally.error > 0) return ExitCode.TESTS_FAILED;
  if (input.selected === 0) return ExitCode.NO_TESTS_COLLECTED;
  return ExitCode.OK;
}
