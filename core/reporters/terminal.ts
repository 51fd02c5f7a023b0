/**
 * A terminal reporter that prints what pytest 9 prints (non-tty layout):
 * header, `collected N items`, progress per file (or one line per test
 * with `-v`), the summary sections and the final stats line.
 *
 * Drive it with the session's events in order:
 * `sessionStart(header)`, `collectionFinish(summary)`, `itemEnd(event)` for
 * each item in collection order, `warning(w)` whenever one arrives, and
 * `sessionFinish(end)`, which returns the exit code.
 */
import { emptyTally, exitCode, phaseStatus, summaryColor } from "../outcome.js";
import { cwdRelativeNodeid } from "../paths.js";
import type { CollectError, CollectSkip, ExitCode, PhaseReport, RunEvent } from "../protocol.js";
import {
  effectiveReportChars,
  resolveOptions,
  type CollectionSummary,
  type ResolvedOptions,
  type SessionEnd,
  type TerminalHeader,
  type TerminalReporterOptions,
  type TerminalStats,
  type TerminalWarning,
} from "./terminal-state.js";
import {
  pluralItems,
  writeErrors,
  writeFailures,
  writePasses,
  writeShortSummary,
  writeStatsLine,
  writeWarnings,
  type SummaryContext,
} from "./terminal-summary.js";
import { TerminalWriter, wrapText, type Markup } from "./terminal-writer.js";
import { collectOnlyLines, collectOnlySummaryParts } from "./collect-only.js";

export type {
  CollectionSummary,
  SessionEnd,
  TerminalHeader,
  TerminalReporterOptions,
  TerminalWarning,
} from "./terminal-state.js";

/** The `itemEnd` event the reporter consumes. */
export type ItemEndEvent = Extract<RunEvent, { type: "itemEnd" }>;

const PROGRESS_WIDTH = " [100%]".length;
// pytest marks "a line is open after a verbose word" with a non-path value.
const LINE_OPEN = Symbol("line open");

/** pytest's terminal reporter over fastest's event stream. */
export class TerminalReporter {
  private options: ResolvedOptions;
  private readonly tw: TerminalWriter;
  private readonly reportChars: string;
  private readonly stats: TerminalStats = {
    tally: emptyTally(), errors: [], failed: [], passed: [], skipped: [], xfailed: [], xpassed: [], quiet: [], warnings: [],
  };
  private rootdir = "";
  private invocationDir = "";
  private selected = 0;
  private collectErrors = 0;
  private readonly reported = new Set<string>();
  private current: string | typeof LINE_OPEN | null = null;
  private collectOnlyCounts = { collected: 0, deselected: 0 };

  constructor(options: TerminalReporterOptions) {
    this.options = resolveOptions(options);
    this.tw = new TerminalWriter(options.write, this.options.width, this.options.color);
    this.reportChars = effectiveReportChars(this.options.reportChars, this.options.disableWarnings);
  }

  /** The counts so far. */
  get tally(): Readonly<TerminalStats["tally"]> {
    return this.stats.tally;
  }

  /** Print `=== test session starts ===` and the header lines (not with `-q`). */
  sessionStart(header: TerminalHeader): void {
    this.rootdir = header.rootdir;
    this.invocationDir = header.invocationDir ?? header.rootdir;
    if (this.options.verbosity < 0) return;
    this.writeSep("=", "test session starts", { bold: true });
    if (this.options.noHeader) return;
    let platform = `platform ${header.platform} -- Python ${header.pythonVersion}`;
    if (header.engineVersion) platform += `, pyodide-${header.engineVersion}`;
    if (header.runnerVersion) platform += `, fastest-${header.runnerVersion}`;
    this.writeLine(platform);
    for (const line of header.hookLines ?? []) this.writeLine(line);
    this.writeLine(`rootdir: ${header.rootdir}`);
    if (header.configfile) this.writeLine(`configfile: ${header.configfile}`);
    if (header.testpaths && header.testpaths.length > 0) this.writeLine(`testpaths: ${header.testpaths.join(", ")}`);
    if (header.seed !== undefined) this.writeLine(`seed: ${header.seed}`);
    if (header.workers) this.writeLine(`workers: ${header.workers}`);
    for (const line of header.extraLines ?? []) this.writeLine(line);
  }

  /** Print `collected N items / ...` and remember what was selected. */
  collectionFinish(summary: CollectionSummary): void {
    const deselected = summary.deselected ?? 0;
    const errors = summary.errors ?? [];
    this.selected = summary.collected - deselected;
    this.collectErrors = errors.length;
    for (const error of errors) this.addError(error);
    const skipped = summary.skipped ?? [];
    for (const skip of skipped) this.addCollectSkip(skip);
    this.stats.tally.deselected += deselected;
    this.collectOnlyCounts = { collected: summary.collected, deselected };
    if (this.options.verbosity >= 0) this.writeCollectedLine(summary, errors, skipped, deselected);
    for (const line of summary.reportLines ?? []) this.writeLine(line);
    for (const line of summary.listing ?? []) {
      if (typeof line === "string") this.writeLine(line);
      else this.writeSep("-", line.sep);
    }
    if (this.options.collectOnly && (summary.items ?? []).length > 0) {
      if (this.options.verbosity > -1) this.writeLine("");
      for (const line of collectOnlyLines(summary.items!, this.options.verbosity)) this.writeLine(line);
    }
    // pytest's logging plugin turns -v on for the test loop: live log sections need a line per test.
    if (this.options.liveLog && !this.options.collectOnly && this.options.verbosity < 1) this.options = { ...this.options, verbosity: 1 };
  }

  private writeCollectedLine(summary: CollectionSummary, errors: CollectError[], skipped: CollectSkip[], deselected: number): void {
    let line = `collected ${pluralItems(summary.collected)}`;
    if (errors.length > 0) line += ` / ${errors.length} error${errors.length === 1 ? "" : "s"}`;
    if (deselected > 0) line += ` / ${deselected} deselected`;
    if (skipped.length > 0) line += ` / ${skipped.length} skipped`;
    if (summary.collected > this.selected) line += ` / ${this.selected} selected`;
    // pytest writes "collecting ... " first when verbose and not on a tty (not before a --fixtures listing).
    this.writeLine(this.options.verbosity >= 1 && !summary.listing ? `collecting ... ${line}` : line);
  }

  /** A module skipped at collection counts as one skipped, listed by `-rs`. */
  private addCollectSkip(skip: CollectSkip): void {
    this.stats.tally.skipped += 1;
    this.stats.skipped.push({ nodeid: skip.nodeid, location: [skip.nodeid, null, skip.nodeid], report: collectSkipReport(skip) });
  }

  /** Record a warning for the summary. */
  warning(warning: TerminalWarning): void {
    this.stats.warnings.push(warning);
    this.stats.tally.warnings += 1;
  }

  /** Record a session-level error (for example a failing session fixture teardown). */
  sessionError(error: CollectError): void {
    this.addError(error);
  }

  /**
   * An item is about to run: print its file (or, with `-v`, its id) first,
   * so output that escapes capture (`-s`) lands after it, as in pytest.
   */
  itemStart(nodeid: string, location: ItemEndEvent["location"]): void {
    if (this.options.verbosity > 0) this.writeEnsurePrefix(`${location[0] ? this.display(nodeid) : "[location]"} `, "");
    else if (this.options.verbosity >= 0) this.writeFspath(nodeid);
  }

  /** Print one finished item's progress: letters, or `-v` lines. */
  itemEnd(event: ItemEndEvent): void {
    const { nodeid, location } = event;
    const verbose = this.options.verbosity > 0;
    const line = `${location[0] ? this.display(nodeid) : "[location]"} `;
    if (verbose) this.writeEnsurePrefix(line, "");
    else if (this.options.verbosity >= 0) this.writeFspath(nodeid);
    let logShown = false;
    for (const report of event.reports) {
      if (report.liveLog) logShown = this.writeLiveLog(report, logShown);
      const status = phaseStatus(report, { subtestVerbosity: this.options.subtestVerbosity ?? this.options.verbosity });
      const entry = { nodeid, location, report };
      if (status.category === "") this.stats.quiet.push(entry);
      else if (status.category === "subtests passed") this.stats.tally[status.category] += 1;
      else {
        this.stats.tally[status.category] += 1;
        if (status.category === "error") this.stats.errors.push({ kind: "phase", ...entry });
        else this.stats[status.category].push(entry);
      }
      if (!status.letter) continue;
      this.reported.add(nodeid);
      const markup: Markup = report.outcome === "failed" ? { red: true }
        : report.outcome === "passed" && report.wasxfail === null ? { green: true } : { yellow: true };
      if (!verbose) {
        this.tw.write(status.letter, markup);
        if (this.options.showProgress && !this.isLastItem) this.progressIfPastEdge();
        continue;
      }
      this.writeEnsurePrefix(line, status.word, markup);
      if (report.outcome === "skipped" || report.wasxfail !== null) this.writeReason(report.wasxfail ?? report.skip?.reason ?? "");
      if (this.options.showProgress) this.progressFillingSpace();
    }
  }

  /**
   * A phase's live log records under a `live log <phase>` rule, placed as
   * pytest's live logging handler places them: the first records of a test
   * start on a new line, and teardown's after the test's outcome word.
   */
  private writeLiveLog(report: PhaseReport, logShown: boolean): boolean {
    if (!logShown || report.when === "teardown") this.tw.write("\n");
    this.tw.sep("-", `live log ${report.when}`, { bold: true });
    this.tw.write(report.liveLog!);
    return true;
  }

  /** Print the summary sections and the final line; returns pytest's exit code. */
  sessionFinish(end: SessionEnd): ExitCode {
    for (const error of end.errors ?? []) this.addError(error);
    // pytest's run loop ends by raising when -x/--maxfail or an interrupt stopped it: no final progress then.
    const stopped = Boolean(end.stopReason) || Boolean(end.interrupted) || Boolean(end.exit);
    // pytest prints no summary sections when pytest.exit() asks for an exit code outside these.
    const exitSummary = !end.exit || end.exit.returncode === null || [0, 1, 2, 4, 5].includes(end.exit.returncode);
    if (this.options.verbosity <= 0 && this.options.showProgress && this.reported.size > 0 && !stopped) {
      this.progressFillingSpace();
    }
    this.tw.line("");
    const ctx = this.summaryContext();
    if (!this.options.noSummary && exitSummary) {
      writeErrors(ctx);
      writeFailures(ctx);
      writeWarnings(ctx);
      writePasses(ctx, "passed");
      writePasses(ctx, "xpassed");
      for (const notice of end.notices ?? []) this.writeSep("-", notice);
      for (const section of end.sections ?? []) {
        this.writeSep("=", section.title);
        for (const line of section.lines) this.writeLine(line);
      }
      if (end.hookSummary) {
        // Written through pytest's reporter: a new line first when only the progress was written.
        this.ensureNewline();
        this.tw.write(end.hookSummary);
      }
      writeShortSummary(ctx);
    }
    if (end.stopReason) this.writeSep("!", end.stopReason, { red: true });
    // Its `!!!` line comes before the stats for pytest's own "interrupted" code, after them otherwise.
    const exitFirst = Boolean(end.exit) && (end.exit!.returncode === null || end.exit!.returncode === 2);
    if (exitFirst) this.writeSep("!", end.exit!.message, { red: true });
    const stoppedByCollection = this.collectErrors > 0 && !this.options.continueOnCollectionErrors;
    if (end.interrupted) {
      this.writeSep("!", end.interrupted.message);
      if (end.interrupted.message.includes("KeyboardInterrupt")) {
        if (end.interrupted.location) this.tw.line(`${end.interrupted.location}: ${end.interrupted.message}`);
        this.tw.line("(to show a full traceback on KeyboardInterrupt use --full-trace)", { yellow: true });
      }
    } else if (stoppedByCollection && !end.stopReason) {
      const n = this.collectErrors;
      this.writeSep("!", `Interrupted: ${n} error${n === 1 ? "" : "s"} during collection`);
    }
    const counts = this.collectOnlyCounts;
    const override = this.options.collectOnly ? collectOnlySummaryParts(counts.collected, counts.deselected, this.stats.tally.error) : undefined;
    writeStatsLine(ctx, this.stats.tally, end.duration, override);
    if (end.exit && !exitFirst) this.writeSep("!", end.exit.message, { red: true });
    if (end.exit) return (end.exit.returncode ?? 2) as ExitCode;
    return exitCode({
      tally: this.stats.tally,
      selected: this.selected,
      collectErrors: this.collectErrors,
      continueOnCollectionErrors: this.options.continueOnCollectionErrors,
      interrupted: Boolean(end.interrupted),
    });
  }

  private addError(error: CollectError): void {
    this.stats.errors.push({ kind: "collect", error });
    this.stats.tally.error += 1;
  }

  private summaryContext(): SummaryContext {
    return {
      tw: this.tw,
      stats: this.stats,
      options: this.options,
      reportChars: this.reportChars,
      rootdir: this.rootdir,
      display: (nodeid) => this.display(nodeid),
      writeLine: (text, markup) => this.writeLine(text, markup),
      writeSep: (sepChar, title, markup, fullwidth) => this.writeSep(sepChar, title, markup, fullwidth),
    };
  }

  private get isLastItem(): boolean {
    return this.reported.size === this.selected;
  }

  private ensureNewline(): void {
    if (this.current !== null) {
      this.tw.line();
      this.current = null;
    }
  }

  private writeLine(text: string, markup: Markup = {}): void {
    this.ensureNewline();
    this.tw.line(text, markup);
  }

  private writeSep(sepChar: string, title?: string, markup: Markup = {}, fullwidth?: number): void {
    this.ensureNewline();
    this.tw.sep(sepChar, title, markup, fullwidth);
  }

  private display(nodeid: string): string {
    return cwdRelativeNodeid(nodeid, this.rootdir, this.invocationDir);
  }

  private writeFspath(nodeid: string): void {
    const path = this.display(nodeid).split("::")[0] ?? nodeid;
    if (this.current === path) return;
    if (this.current !== null && this.options.showProgress) this.progressFillingSpace();
    this.current = path;
    this.tw.line();
    this.tw.write(`${path} `);
  }

  private writeEnsurePrefix(prefix: string, extra: string, markup: Markup = {}): void {
    if (this.current !== prefix) {
      this.tw.line();
      this.current = prefix;
      this.tw.write(prefix);
    }
    if (extra) {
      this.tw.write(extra, markup);
      this.current = LINE_OPEN;
    }
  }

  /** ` (reason)` after a SKIPPED/XFAIL/XPASS word, cut to the room left before the progress. */
  private writeReason(raw: string): void {
    let reason = raw;
    if (reason.startsWith("reason: ")) reason = reason.slice("reason: ".length);
    else if (reason.startsWith("Skipped: ")) reason = reason.slice("Skipped: ".length);
    else if (reason === "Skipped") reason = "";
    if (!reason) return;
    reason = reason.split("\n")[0] ?? "";
    if (this.options.verbosity >= 2) {
      this.wrapWrite(` (${reason})`);
      return;
    }
    const available = this.tw.fullwidth - this.tw.widthOfCurrentLine - PROGRESS_WIDTH - 1;
    if (3 + 3 > available) return;
    const chars = [...reason];
    if (3 + chars.length > available) reason = `${chars.slice(0, available - 6).join("")}...`;
    this.wrapWrite(` (${reason})`);
  }

  /** pytest's `wrap_write`: wrap at the width minus an 8-column margin, continuing the current line. */
  private wrapWrite(content: string): void {
    const indent = this.tw.widthOfCurrentLine;
    const lines = wrapText(" ".repeat(indent) + content, this.tw.fullwidth - 8);
    this.tw.write(lines.join("\n").slice(indent));
  }

  private progressMessage(): string {
    if (this.selected === 0) return " [100%]";
    const percent = Math.floor((this.reported.size * 100) / this.selected);
    return ` [${String(percent).padStart(3, " ")}%]`;
  }

  private mainColor(): Markup {
    return { [summaryColor(this.stats.tally, this.isLastItem)]: true };
  }

  private progressIfPastEdge(): void {
    if (this.tw.widthOfCurrentLine + PROGRESS_WIDTH + 1 >= this.tw.fullwidth) {
      this.tw.write(`${this.progressMessage()}\n`, this.mainColor());
    }
  }

  private progressFillingSpace(): void {
    const message = this.progressMessage();
    const fill = this.tw.fullwidth - this.tw.widthOfCurrentLine - 1;
    this.tw.write(message.padStart(fill, " "), this.mainColor());
  }
}

/** The phase report pytest's summary sees for a module skipped at collection. */
export function collectSkipReport(skip: CollectSkip): PhaseReport {
  return {
    when: "setup",
    outcome: "skipped",
    duration: 0,
    longrepr: null,
    message: null,
    skip: { path: skip.path, lineno: skip.lineno, reason: skip.reason },
    wasxfail: null,
    sections: [],
  };
}
