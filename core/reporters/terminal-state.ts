/**
 * Options and the collected state shared by the terminal reporter and its
 * end-of-session summary sections.
 */
import type { CollectError, CollectSkip, CollectedItem, ListingLine, PhaseReport, TracebackStyle, WarningRecord } from "../protocol.js";
import type { Tally } from "../outcome.js";
import type { SummarySection } from "./durations.js";

/** Options of {@link TerminalReporter}; only `write` is required. */
export interface TerminalReporterOptions {
  /** Receives the output, chunk by chunk. */
  write(text: string): void;
  /** Terminal width in columns (pytest's `COLUMNS`). Default 80. */
  width?: number;
  /** Emit ANSI colours. Default false. */
  color?: boolean;
  /** pytest's verbosity: -2 (`-qq`), -1 (`-q`), 0, 1 (`-v`), 2 (`-vv`). Default 0. */
  verbosity?: number;
  /** `-r` characters (`fEsxXpPaAN`). Default `fE`, pytest's default. */
  reportChars?: string;
  /** `--tb`: `no` drops the ERRORS, FAILURES and PASSES sections. Default `auto`. */
  tbStyle?: TracebackStyle;
  /** `--show-capture`: which captured sections are printed. Default `all`. */
  showCapture?: "no" | "stdout" | "stderr" | "log" | "all";
  /** `-p no:warnings` / `--disable-warnings`: no warnings summary. Default false. */
  disableWarnings?: boolean;
  /** Show `[ NN%]` progress. pytest turns it off with `-s`. Default true. */
  showProgress?: boolean;
  /** `--no-header`: keep the `test session starts` line, drop the lines under it. */
  noHeader?: boolean;
  /** `--no-summary`: no sections after the run, only the final line. */
  noSummary?: boolean;
  /** Do not shorten `FAILED id - message` lines (pytest does this on CI and with `-vv`). */
  fullSummaryMessages?: boolean;
  /** `--continue-on-collection-errors`: collection errors do not stop the run. */
  continueOnCollectionErrors?: boolean;
  /** `--collect-only`: list the collected items and end with `N tests collected`. */
  collectOnly?: boolean;
  /** pytest's `verbosity_subtests` ini (default: `verbosity`): at 0 only failed subtests show. */
  subtestVerbosity?: number;
  /** Live logging is on (`log_cli`): phases' `liveLog` records are shown, and the test loop runs at `-v` at least, as pytest's. */
  liveLog?: boolean;
}

/** Facts printed under `test session starts`. */
export interface TerminalHeader {
  /** Platform name, e.g. `emscripten`. */
  platform: string;
  pythonVersion: string;
  /** Pyodide version, printed as `pyodide-<version>`. */
  engineVersion?: string;
  /** fastest's own version, printed as `fastest-<version>`. */
  runnerVersion?: string;
  /** Absolute rootdir; node ids are relative to it. */
  rootdir: string;
  /** Folder the run was started in; ids and paths are shown relative to it, as pytest does. Default: rootdir. */
  invocationDir?: string;
  /** Config file relative to rootdir, if one was read. */
  configfile?: string | null;
  /** `testpaths` when they chose what ran. */
  testpaths?: string[];
  /** Random seed of the run, printed as `seed: <n>`. */
  seed?: number;
  /** Free text describing the workers, printed as `workers: <text>`. */
  workers?: string;
  /** Further header lines, printed as given. */
  extraLines?: string[];
  /** Lines of conftests' `pytest_report_header` hooks, printed after the platform line as pytest prints them. */
  hookLines?: string[];
}

/** What collection found, as the `collected ...` line needs it. */
export interface CollectionSummary {
  /** Items collected, deselected ones included. */
  collected: number;
  /** Items removed by `-k`, `-m`, node-id or last-failed selection. */
  deselected?: number;
  /** Files (or conftests) that failed to collect. */
  errors?: CollectError[];
  /** Modules that skipped themselves while being collected. */
  skipped?: CollectSkip[];
  /** Lines plugins print under the `collected` line (`run-last-failure: ...`), as given. */
  reportLines?: string[];
  /** The selected items, listed (as a tree, ids or counts) with `collectOnly`. */
  items?: CollectedItem[];
  /** `--fixtures`/`--fixtures-per-test`: printed under the `collected` line. */
  listing?: ListingLine[];
}

/** A warning, optionally with the text Python's `warnings.formatwarning` gives it. */
export type TerminalWarning = WarningRecord & {
  /** `file:line: Category: message\n  source line\n`; built from the fields when absent. */
  formatted?: string;
};

/** How the session ended. */
export interface SessionEnd {
  /** Wall time of the session in seconds. */
  duration: number;
  /** `pytest.exit()`: its `!!! ... !!!` message and the exit code it asked for (pytest's 2 when null). */
  exit?: { message: string; returncode: number | null } | null;
  /** Set when the run was interrupted (KeyboardInterrupt, timeout): the crash message. */
  interrupted?: { message: string; location?: string } | null;
  /** `-x` / `--maxfail` stop message, e.g. `stopping after 1 failures`. */
  stopReason?: string | null;
  /** Session-level teardown errors (`RunFinish.errors`); shown as errors. */
  errors?: CollectError[];
  /** Plugin notices such as `generated xml file: PATH`, printed as `---` lines before `sections`. */
  notices?: string[];
  /** Plugin sections (`--durations`), printed before the short test summary. */
  sections?: SummarySection[];
  /** What conftests' `pytest_terminal_summary` hooks wrote, printed after `sections`. */
  hookSummary?: string;
}

/** One phase report with the item it belongs to. */
export interface ReportEntry {
  nodeid: string;
  location: CollectedItem["location"];
  report: PhaseReport;
}

/** An entry of the `error` stats: a phase report or a collection error. */
export type ErrorEntry = ({ kind: "phase" } & ReportEntry) | { kind: "collect"; error: CollectError };

/** Everything the summary sections read. */
export interface TerminalStats {
  tally: Tally;
  errors: ErrorEntry[];
  failed: ReportEntry[];
  passed: ReportEntry[];
  skipped: ReportEntry[];
  xfailed: ReportEntry[];
  xpassed: ReportEntry[];
  /** Passing setup/teardown reports (pytest's "" category): their teardown sections. */
  quiet: ReportEntry[];
  warnings: TerminalWarning[];
}

/** Options with defaults applied. */
export type ResolvedOptions = Required<Omit<TerminalReporterOptions, "write" | "subtestVerbosity">> &
  Pick<TerminalReporterOptions, "subtestVerbosity">;

/** Apply defaults. */
export function resolveOptions(options: TerminalReporterOptions): ResolvedOptions {
  return {
    width: options.width ?? 80,
    color: options.color ?? false,
    verbosity: options.verbosity ?? 0,
    reportChars: options.reportChars ?? "fE",
    tbStyle: options.tbStyle ?? "auto",
    showCapture: options.showCapture ?? "all",
    disableWarnings: options.disableWarnings ?? false,
    showProgress: options.showProgress ?? true,
    noHeader: options.noHeader ?? false,
    noSummary: options.noSummary ?? false,
    fullSummaryMessages: options.fullSummaryMessages ?? false,
    continueOnCollectionErrors: options.continueOnCollectionErrors ?? false,
    collectOnly: options.collectOnly ?? false,
    subtestVerbosity: options.subtestVerbosity,
    liveLog: options.liveLog ?? false,
  };
}

/** pytest's effective report characters: `a`/`A`/`N` expanded, `w` added unless warnings are off. */
export function effectiveReportChars(chars: string, disableWarnings: boolean): string {
  let result = "";
  for (const raw of chars) {
    const char = raw === "F" || raw === "S" ? raw.toLowerCase() : raw;
    if (char === "a") result = "sxXEf";
    else if (char === "A") result = "PpsxXEf";
    else if (char === "N") result = "";
    else if (!result.includes(char)) result += char;
  }
  if (!disableWarnings && !result.includes("w")) result = `w${result}`;
  if (disableWarnings) result = result.replace("w", "");
  return result;
}
