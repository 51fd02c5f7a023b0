/**
 * The sections pytest prints after the run: ERRORS, FAILURES, warnings
 * summary, PASSES, short test summary info and the final stats line.
 */
import { formatDuration, summaryColor, summaryParts, type SummaryColor, type Tally } from "../outcome.js";
import type { CollectError, PhaseReport } from "../protocol.js";
import { displayWidth, type Markup, type TerminalWriter } from "./terminal-writer.js";
import type { ErrorEntry, ReportEntry, ResolvedOptions, TerminalStats, TerminalWarning } from "./terminal-state.js";

/** What the section writers need. */
export interface SummaryContext {
  tw: TerminalWriter;
  stats: TerminalStats;
  options: ResolvedOptions;
  /** Effective `-r` characters (see `effectiveReportChars`). */
  reportChars: string;
  rootdir: string;
  /** Shows a node id relative to the invocation folder. */
  display: (nodeid: string) => string;
  /** Write a line, ending any open progress line first. */
  writeLine(text: string, markup?: Markup): void;
  /** Write a separator line, ending any open progress line first. */
  writeSep(sepChar: string, title?: string, markup?: Markup, fullwidth?: number): void;
}

/** `path` relative to the rootdir when it lies inside it. */
export function relativeToRoot(path: string, rootdir: string): string {
  const root = rootdir.endsWith("/") ? rootdir : `${rootdir}/`;
  return path.startsWith(root) ? path.slice(root.length) : path;
}

function collectHeadline(error: CollectError): string {
  return error.nodeid.split("::")[0] || "test session";
}

function writeLongrepr(ctx: SummaryContext, longrepr: string | null, sections: Array<[string, string]>): void {
  if (longrepr !== null) ctx.tw.write(longrepr.endsWith("\n") ? longrepr : `${longrepr}\n`);
  const show = ctx.options.showCapture;
  if (show === "no") return;
  for (const [name, content] of sections) {
    if (show !== "all" && !name.includes(show)) continue;
    ctx.tw.sep("-", name);
    ctx.tw.line(content.endsWith("\n") ? content.slice(0, -1) : content);
  }
}

function writeTeardownSections(ctx: SummaryContext, nodeid: string): void {
  const show = ctx.options.showCapture;
  if (show === "no") return;
  for (const entry of ctx.stats.quiet) {
    if (entry.nodeid !== nodeid || entry.report.when !== "teardown") continue;
    for (const [name, content] of entry.report.sections) {
      if ((show !== "all" && !name.includes(show)) || !name.includes("teardown")) continue;
      ctx.tw.sep("-", name);
      ctx.tw.line(content.endsWith("\n") ? content.slice(0, -1) : content);
    }
  }
}

/** The ERRORS section: collection errors and failed setups/teardowns. */
export function writeErrors(ctx: SummaryContext): void {
  if (ctx.options.tbStyle === "no" || ctx.stats.errors.length === 0) return;
  ctx.writeSep("=", "ERRORS");
  for (const entry of ctx.stats.errors) {
    if (entry.kind === "collect") {
      ctx.writeSep("_", `ERROR collecting ${collectHeadline(entry.error)}`, { red: true, bold: true });
      writeLongrepr(ctx, entry.error.longrepr, []);
    } else {
      ctx.writeSep("_", `ERROR at ${entry.report.when} of ${entry.location[2]}`, { red: true, bold: true });
      writeLongrepr(ctx, entry.report.longrepr, entry.report.sections);
    }
  }
}

/** The FAILURES section. */
export function writeFailures(ctx: SummaryContext): void {
  const style = ctx.options.tbStyle;
  if (style === "no" || ctx.stats.failed.length === 0) return;
  ctx.writeSep("=", "FAILURES");
  for (const entry of ctx.stats.failed) {
    // With --tb=line the harness already reduced the longrepr to one line.
    if (style !== "line") ctx.writeSep("_", headLine(entry), { red: true, bold: true });
    writeLongrepr(ctx, entry.report.longrepr, entry.report.sections);
    if (style !== "line") writeTeardownSections(ctx, entry.nodeid);
  }
}

/** A report's title in FAILURES: the test's domain, and a subtest's description after it. */
function headLine(entry: ReportEntry): string {
  return entry.report.subtest === undefined ? entry.location[2] : `${entry.location[2]} ${entry.report.subtest}`;
}

/** The short summary word of a report: `word`, or pytest 9's `SUB...` word for a subtest. */
function wordOf(report: PhaseReport, word: string): string {
  if (report.subtest === undefined) return word;
  const sub = { FAILED: "SUBFAILED", SKIPPED: "SUBSKIPPED", XFAIL: "SUBXFAIL" }[word] ?? word;
  return `${sub}${report.subtest}`;
}

/** PASSES (`-rP`) or XPASSES (`-rX`): captured output of passing tests. */
export function writePasses(ctx: SummaryContext, which: "passed" | "xpassed"): void {
  const char = which === "passed" ? "P" : "X";
  if (ctx.options.tbStyle === "no" || !ctx.reportChars.includes(char)) return;
  const entries = ctx.stats[which];
  if (entries.length === 0) return;
  ctx.writeSep("=", which === "passed" ? "PASSES" : "XPASSES");
  for (const entry of entries) {
    if (entry.report.sections.length > 0) {
      ctx.writeSep("_", entry.location[2], { green: true, bold: true });
      writeLongrepr(ctx, entry.report.longrepr, entry.report.sections);
    }
    writeTeardownSections(ctx, entry.nodeid);
  }
}

/** Python's `warnings.formatwarning` without the source line, when the harness gave no text. */
function warningText(warning: TerminalWarning): string {
  return warning.formatted ?? `${warning.filename}:${warning.lineno}: ${warning.category}: ${warning.message}\n`;
}

function warningLocation(warning: TerminalWarning, rootdir: string): string | null {
  if (warning.nodeid) return warning.nodeid;
  if (warning.filename) return `${relativeToRoot(warning.filename, rootdir)}:${warning.lineno}`;
  return null;
}

/** The warnings summary, grouped by message as pytest does. */
export function writeWarnings(ctx: SummaryContext): void {
  if (!ctx.reportChars.includes("w") || ctx.stats.warnings.length === 0) return;
  const groups = new Map<string, TerminalWarning[]>();
  for (const warning of ctx.stats.warnings) {
    const text = warningText(warning);
    groups.set(text, [...(groups.get(text) ?? []), warning]);
  }
  ctx.writeSep("=", "warnings summary", { yellow: true, bold: false });
  for (const [message, warnings] of groups) {
    const locations = warnings.map((w) => warningLocation(w, ctx.rootdir)).filter((l): l is string => l !== null);
    if (locations.length > 0) {
      ctx.tw.line(collapseLocations(locations));
      ctx.tw.line(splitLines(message).map((line) => `  ${line}`).join("\n").trimEnd());
    } else {
      ctx.tw.line(message.trimEnd());
    }
    ctx.tw.line();
  }
  ctx.tw.line("-- Docs: https://docs.pytest.org/en/stable/how-to/capture-warnings.html");
}

function collapseLocations(locations: string[]): string {
  if (locations.length < 10) return locations.join("\n");
  const counts = new Map<string, number>();
  for (const location of locations) {
    const file = location.split("::")[0] ?? location;
    counts.set(file, (counts.get(file) ?? 0) + 1);
  }
  return [...counts].map(([file, n]) => `${file}: ${n} warning${n > 1 ? "s" : ""}`).join("\n");
}

/** Python's `str.splitlines()` for the line breaks that occur in practice. */
function splitLines(text: string): string[] {
  const lines = text.split(/\r\n|\r|\n/);
  if (lines.length > 0 && lines[lines.length - 1] === "") lines.pop();
  return lines;
}

/** `_format_trimmed`: first line of `message` after ` - `, shortened with `...` to fit. */
function trimmedSuffix(message: string, available: number): string | null {
  let text = message.split("\n")[0] ?? "";
  const formatWidth = 3;
  if (formatWidth + 3 > available) return null;
  const width = displayWidth(text);
  if (formatWidth + width > available) {
    const room = available - 3;
    text = [...text].slice(0, room).join("");
    while (formatWidth + displayWidth(text) > room) text = [...text].slice(0, -1).join("");
    text += "...";
  }
  return ` - ${text}`;
}

function nodeWithMarkup(ctx: SummaryContext, nodeid: string): string {
  const [path = "", ...parts] = ctx.display(nodeid).split("::");
  return parts.length > 0 ? `${path}::${ctx.tw.markup(parts.join("::"), { bold: true })}` : path;
}

function crashLine(ctx: SummaryContext, word: string, color: SummaryColor, nodeid: string, message: string | null): string {
  const line = `${ctx.tw.markup(word, { [color]: true })} ${nodeWithMarkup(ctx, nodeid)}`;
  if (message === null || message === "") return line;
  if (ctx.options.fullSummaryMessages || ctx.options.verbosity >= 2) return `${line} - ${message}`;
  const suffix = trimmedSuffix(message, ctx.tw.fullwidth - displayWidth(line));
  return suffix === null ? line : line + suffix;
}

function errorLine(ctx: SummaryContext, entry: ErrorEntry): string {
  if (entry.kind === "collect") return crashLine(ctx, "ERROR", "red", entry.error.nodeid || "test session", entry.error.message);
  return crashLine(ctx, "ERROR", "red", entry.nodeid, entry.report.message);
}

function foldedSkips(ctx: SummaryContext): string[] {
  const groups = new Map<string, { count: number; path: string; lineno: number | null; reason: string }>();
  for (const { nodeid, report } of ctx.stats.skipped) {
    const path = report.skip?.path
      ? ctx.display(relativeToRoot(report.skip.path, ctx.rootdir))
      : (ctx.display(nodeid).split("::")[0] ?? "");
    const lineno = report.skip?.lineno ?? null;
    const reason = report.skip?.reason ?? "";
    const key = JSON.stringify([path, lineno, reason]);
    const group = groups.get(key);
    if (group) group.count += 1;
    else groups.set(key, { count: 1, path, lineno, reason });
  }
  // pytest words every line after the first skipped report (`SUBSKIPPED[msg]` when that is a subtest).
  const first = ctx.stats.skipped[0]?.report;
  const word = ctx.tw.markup(first ? wordOf(first, "SKIPPED") : "SKIPPED", { yellow: true });
  return [...groups.values()].map(({ count, path, lineno, reason }) => {
    const text = reason.startsWith("Skipped: ") ? reason.slice("Skipped: ".length) : reason;
    return lineno === null ? `${word} [${count}] ${path}: ${text}` : `${word} [${count}] ${path}:${lineno}: ${text}`;
  });
}

function xfailLines(ctx: SummaryContext, entries: ReportEntry[], word: string): string[] {
  return entries.map(({ nodeid, report }) => {
    const line = `${ctx.tw.markup(wordOf(report, word), { yellow: true })} ${nodeWithMarkup(ctx, nodeid)}`;
    return report.wasxfail ? `${line} - ${report.wasxfail}` : line;
  });
}

function simpleLines(ctx: SummaryContext, entries: ReportEntry[], word: string, color: SummaryColor): string[] {
  return entries.map(({ nodeid, report }) => crashLine(ctx, wordOf(report, word), color, nodeid, messageOf(report)));
}

function messageOf(report: PhaseReport): string | null {
  return report.outcome === "passed" ? null : report.message;
}

/** `short test summary info`, driven by the `-r` characters. */
export function writeShortSummary(ctx: SummaryContext): void {
  const lines: string[] = [];
  for (const char of ctx.reportChars) {
    if (char === "f") lines.push(...simpleLines(ctx, ctx.stats.failed, "FAILED", "red"));
    else if (char === "E") lines.push(...ctx.stats.errors.map((entry) => errorLine(ctx, entry)));
    else if (char === "p") lines.push(...simpleLines(ctx, ctx.stats.passed, "PASSED", "green"));
    else if (char === "s") lines.push(...foldedSkips(ctx));
    else if (char === "x") lines.push(...xfailLines(ctx, ctx.stats.xfailed, "XFAIL"));
    else if (char === "X") lines.push(...xfailLines(ctx, ctx.stats.xpassed, "XPASS"));
  }
  if (lines.length === 0) return;
  ctx.writeSep("=", "short test summary info", { cyan: true, bold: true });
  for (const line of lines) ctx.writeLine(line);
}

/** The final `=== 1 failed, 2 passed in 0.12s ===` line (no padding with `-q`). */
export function writeStatsLine(
  ctx: SummaryContext,
  tally: Tally,
  duration: number,
  /** Replaces the counts (`--collect-only` prints `N tests collected`). */
  override?: { parts: Array<{ text: string; color: string }>; main: string },
): void {
  const { tw, options } = ctx;
  if (options.verbosity < -1) return;
  const main = override?.main ?? summaryColor(tally);
  const parts = (override?.parts ?? summaryParts(tally)).map(({ text, color }) => ({
    text,
    markup: (text === "no tests ran" ? { yellow: true } : { [color]: true, bold: color === main }) as Markup,
  }));
  const displaySep = options.verbosity >= 0;
  // Escapes take no columns: widen the separator by their length so the line still fits.
  let fullwidth = tw.fullwidth;
  const marked = parts.map(({ text, markup }) => {
    const withMarkup = tw.markup(text, markup);
    fullwidth += withMarkup.length - text.length;
    return withMarkup;
  });
  const durationText = ` in ${formatDuration(duration)}`;
  const durationMarked = tw.markup(durationText, { [main]: true });
  fullwidth += durationMarked.length - durationText.length;
  let message = marked.join(", ") + durationMarked;
  if (!displaySep) {
    ctx.writeLine(message, { [main]: true });
    return;
  }
  let reopen = tw.markup("", { [main]: true });
  if (reopen.endsWith("\x1b[0m")) reopen = reopen.slice(0, -4);
  fullwidth += reopen.length;
  message += reopen;
  ctx.writeSep("=", message, { [main]: true }, fullwidth);
}

/** Exported for the reporter's collection line. */
export function pluralItems(count: number): string {
  return `${count} item${count === 1 ? "" : "s"}`;
}

