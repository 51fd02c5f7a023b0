/**
 * Reduces one side of a parity run to what is compared: per case, one line
 * per test id (its outcome and the key line of each failure, skip or xfail),
 * the collection problems, the warning count and the chosen stdout lines;
 * per group, the counts of the final summary line.
 */
import type { ParityGroup } from "./corpus.js";

/** One phase of one test, as both sides report it. */
export interface Phase {
  when: string;
  outcome: string;
  longrepr: string | null;
  message: string | null;
  skip: string | null;
  wasxfail: string | null;
  /** The label of a subtest's own report, e.g. "(i=1)". */
  subtest?: string | null;
}

export interface SideReport {
  phases: Map<string, Phase[]>;
  collect: Array<{ nodeid: string; outcome: string; longrepr: string | null; message: string | null; reason: string | null }>;
  warnings: Array<{ nodeid: string; filename: string }>;
  stdout: string;
  status: number;
  /** Set when the run did not produce a report at all. */
  crash: string | null;
}

/** A side reduced to what is compared. */
export interface SideView {
  cases: Map<string, string[]>;
  /** Counts of the final summary line, e.g. { passed: 3, failed: 1 }. */
  counts: Record<string, number>;
  /** Each case's own share of those counts, computed from its reports. */
  caseCounts: Map<string, Record<string, number>>;
  status: number;
  crash: string | null;
}


/** pytest's terminal category of one test, e.g. "passed+error(teardown)". */
export function outcomeOf(phases: Phase[]): string {
  let main = "";
  const extra: string[] = [];
  for (const phase of phases) {
    if (phase.subtest != null) {
      extra.push(`subtest${phase.subtest ? ` ${phase.subtest}` : ""} ${phase.outcome}`);
      continue;
    }
    if (phase.outcome === "failed") {
      if (phase.when === "call") main = "failed";
      else if (phase.when === "setup") main = "error(setup)";
      else extra.push("error(teardown)");
    } else if (phase.outcome === "skipped" && phase.when !== "teardown") {
      main = phase.wasxfail !== null ? "xfailed" : "skipped";
    } else if (phase.when === "call" && phase.outcome === "passed") {
      main = phase.wasxfail !== null ? "xpassed" : "passed";
    }
  }
  return [main || "no-call", ...extra].join("+");
}

/**
 * The `E` lines of a failure, without their common indentation: that follows
 * the source line of the frame that raised, which may be pytest's own code.
 */
function eLines(text: string | null): string[] {
  const lines = (text ?? "").split("\n").filter((line) => line === "E" || line.startsWith("E ")).map((line) => line.slice(1).trimEnd());
  const indents = lines.filter((line) => line.trim() !== "").map((line) => /^ */.exec(line)![0].length);
  const cut = indents.length > 0 ? Math.min(...indents) : 0;
  return lines.map((line) => `E ${line.slice(cut)}`.trimEnd());
}

/** The key line of a failure: its first `E` line, else pytest's short-summary message. */
function keyLines(text: string | null, message: string | null, all: boolean): string[] {
  const lines = eLines(text);
  if (lines.length > 0) return all ? lines : [lines[0]!];
  const first = (message ?? "").split("\n")[0]!.trimEnd();
  return [first || doctestKey(text ?? "")];
}

/** A failed doctest has no `E` line: its key is the expected and actual output, or the unexpected exception. */
function doctestKey(text: string): string {
  const unexpected = /^UNEXPECTED EXCEPTION: (.*)$/m.exec(text);
  if (unexpected) return `UNEXPECTED EXCEPTION: ${unexpected[1]!.trim()}`;
  const block = (label: string) => new RegExp(`^${label}:\\n((?:    .*\\n?)*)`, "m").exec(text)?.[1]?.trim().replace(/\s+/g, " ");
  const expected = block("Expected");
  return expected === undefined ? "" : `Expected: ${expected} Got: ${block("Got") ?? ""}`;
}

/** A skip reason as the short summary shows it (pytest's report carries a "Skipped: " prefix). */
function skipReason(reason: string | null): string {
  return (reason ?? "").replace(/^Skipped: /, "");
}

function caseOf(nodeid: string, entries: string[]): string | null {
  const head = nodeid.split("::")[0]!.split("/")[0]!;
  return entries.includes(head) ? head : null;
}

/** Which case a stdout line talks about: the one whose file or folder it names. */
function caseOfLine(line: string, entries: string[]): string | null {
  for (const entry of entries) {
    if (new RegExp(`(^|[\\s/<])${entry.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(::|/|:|>|\\s|$)`).test(line)) return entry;
  }
  return null;
}

const COUNT_WORDS: Record<string, string> = { error: "errors", errors: "errors", warning: "warnings", warnings: "warnings" };

/** The counts of pytest's last line: "1 failed, 2 passed, 1 warning in 0.1s". */
export function summaryCounts(stdout: string): Record<string, number> {
  const last = stdout.trim().split("\n").at(-1) ?? "";
  const counts: Record<string, number> = {};
  const collected = /(\d+)(?:\/\d+)? tests? collected/.exec(last);
  if (collected) counts["collected"] = Number(collected[1]);
  for (const match of last.matchAll(/(\d+) (failed|passed|skipped|deselected|xfailed|xpassed|warnings?|errors?)\b/g)) {
    counts[COUNT_WORDS[match[2]!] ?? match[2]!] = Number(match[1]);
  }
  return counts;
}

function add(counts: Record<string, number>, key: string, by = 1): void {
  counts[key] = (counts[key] ?? 0) + by;
}

export function view(group: ParityGroup, report: SideReport): SideView {
  const entries = group.cases.map((c) => c.entry);
  const cases = new Map<string, string[]>(entries.map((entry) => [entry, []]));
  const caseCounts = new Map<string, Record<string, number>>(entries.map((entry) => [entry, {}]));
  // Reports that name no case (session errors) count for the group's first case.
  const orphan = (what: string) => cases.get(entries[0]!)!.push(`(no case) ${what}`);
  const all = group.config.allELines ?? false;
  if (!group.config.outputOnly) {
    for (const [nodeid, phases] of report.phases) {
      const entry = caseOf(nodeid, entries);
      if (entry === null) {
        orphan(nodeid);
        continue;
      }
      const outcome = outcomeOf(phases);
      const keys: string[] = [];
      for (const phase of phases) {
        if (phase.outcome === "failed") {
          const lines = group.config.keyByMessage ? keyLines(null, phase.message, false) : keyLines(phase.longrepr, phase.message, all);
          keys.push(...lines.map((k) => `${phase.when}${phase.subtest ? ` ${phase.subtest}` : ""}: ${k}`));
        }
        else if (phase.outcome === "skipped" && phase.wasxfail !== null) keys.push(`xfail reason: ${phase.wasxfail}`);
        else if (phase.outcome === "skipped") keys.push(`skip reason: ${skipReason(phase.skip)}`);
      }
      cases.get(entry)!.push([`${nodeid}  ${outcome}`, ...keys.map((k) => `    ${k}`)].join("\n"));
      for (const part of outcome.split("+")) {
        // Of a subtest's own reports, only failures reach the summary counts.
        if (part.startsWith("subtest")) {
          if (part.endsWith(" failed")) add(caseCounts.get(entry)!, "failed");
        } else add(caseCounts.get(entry)!, part.startsWith("error") ? "errors" : part);
      }
    }
    for (const problem of report.collect) {
      const entry = caseOf(problem.nodeid, entries);
      const line = problem.outcome === "skipped"
        ? `${problem.nodeid}  skipped at collection\n    skip reason: ${skipReason(problem.reason)}`
        : `${problem.nodeid}  collection error\n    ${keyLines(problem.longrepr, problem.message, false)[0]}`;
      if (entry === null) orphan(line);
      else {
        cases.get(entry)!.push(line);
        add(caseCounts.get(entry)!, problem.outcome === "skipped" ? "skipped" : "errors");
      }
    }
    for (const warning of report.warnings) {
      const entry = caseOf(warning.nodeid || warning.filename, entries);
      if (entry !== null) add(caseCounts.get(entry)!, "warnings");
    }
    for (const [entry, counts] of caseCounts) if (counts["warnings"]) cases.get(entry)!.push(`warnings: ${counts["warnings"]}`);
  }
  if (group.config.output) {
    const pattern = new RegExp(group.config.output);
    let current: string | null = null;
    for (const line of report.stdout.split("\n").filter((l) => pattern.test(l))) {
      const entry: string | null = caseOfLine(line, entries) ?? (group.config.outputFollows ? current : null);
      current = entry;
      // A line that names no case counts for the group's first case, so that every difference belongs to a case.
      cases.get(entry ?? entries[0]!)!.push(`output: ${line.replace(/\s*\[\s*\d+%\]$/, "").trimEnd()}`);
    }
  }
  // Test lines are sorted (workers finish in any order); output lines keep their order unless told.
  for (const [entry, lines] of cases) {
    const output = lines.filter((line) => line.startsWith("output: "));
    const rest = lines.filter((line) => !line.startsWith("output: ")).sort();
    cases.set(entry, [...rest, ...(group.config.outputSorted ? output.sort() : output)]);
  }
  if (report.crash) for (const lines of cases.values()) lines.push(report.crash);
  return { cases, counts: summaryCounts(report.stdout), caseCounts, status: report.status, crash: report.crash };
}
