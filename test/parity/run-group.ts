/**
 * Runs one parity group under real pytest and under `fastest --sandbox`, and
 * reduces each side to the same comparable shape: per case, one line per
 * test id (its outcome and the key line of each failure, skip or xfail), the
 * collection problems, the warning count and, for flag groups, the chosen
 * stdout lines; per group, the counts of the final summary line.
 */
import { execFile } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { repoRoot, testCacheDir } from "../helpers/run-cli.js";
import { PARITY_ROOT, type ParityGroup } from "./corpus.js";

const FASTEST_BIN = join(repoRoot, "node-host", "bin", "fastest.js");
const ORACLE_PLUGIN_DIR = join(PARITY_ROOT, "_support");

/** One phase of one test, as both sides report it. */
interface Phase {
  when: string;
  outcome: string;
  longrepr: string | null;
  message: string | null;
  skip: string | null;
  wasxfail: string | null;
  /** The label of a subtest's own report, e.g. "(i=1)". */
  subtest?: string | null;
}

interface SideReport {
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

export interface GroupResult {
  pytest: SideView;
  fastest: SideView;
  /** Wall time of each side's runs, in seconds. */
  seconds: { pytest: number; fastest: number };
}

interface RunOutput {
  status: number;
  stdout: string;
  stderr: string;
}

function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<RunOutput> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { cwd, env, timeout: 90_000, maxBuffer: 64 << 20 }, (error, stdout, stderr) => {
      if (error && typeof error.code !== "number") {
        reject(new Error(`${command} ${args.join(" ")} could not run: ${error.message}\n${stderr}`));
        return;
      }
      resolve({ status: error ? Number(error.code) : 0, stdout, stderr });
    });
  });
}

function copyGroup(group: ParityGroup, side: string): string {
  const dir = join(mkdtempSync(join(tmpdir(), `fastest-parity-${side}-`)), group.name);
  cpSync(group.dir, dir, { recursive: true, filter: (src) => !src.includes("__pycache__") });
  return dir;
}

function pytestEnv(reportFile: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env, PYTEST_DISABLE_PLUGIN_AUTOLOAD: "1", PYTHONPATH: ORACLE_PLUGIN_DIR,
    PARITY_ORACLE_FILE: reportFile, PYTHONDONTWRITEBYTECODE: "1", COLUMNS: "80", NO_COLOR: "1",
  };
  // pytest prints longer summary lines on CI; both sides run as if off CI.
  for (const name of ["CI", "BUILD_NUMBER", "PYTEST_ADDOPTS", "FORCE_COLOR"]) delete env[name];
  return env;
}

const fastestEnv: NodeJS.ProcessEnv = {
  PATH: process.env["PATH"] ?? "", HOME: process.env["HOME"] ?? tmpdir(), FASTEST_CACHE_DIR: testCacheDir,
  COLUMNS: "80", NO_COLOR: "1",
};

async function runPytestSide(group: ParityGroup): Promise<SideReport> {
  const dir = copyGroup(group, "pytest");
  const base = ["-m", "pytest", "-p", "parity_oracle", ...(group.config.cache ? [] : ["-p", "no:cacheprovider"])];
  for (const [index, args] of (group.config.prerun ?? []).entries()) {
    await run("python3", [...base, ...args], dir, pytestEnv(join(dir, "..", `prerun-${index}.jsonl`)));
  }
  const reportFile = join(dir, "..", "oracle.jsonl");
  const out = await run("python3", [...base, ...(group.config.args ?? []), ...(group.config.paths ?? ["."])], dir, pytestEnv(reportFile));
  if (/No module named pytest/.test(out.stderr)) throw new Error("real pytest is missing: install it (`apt-get install python3-pytest`)");
  const report: SideReport = { phases: new Map(), collect: [], warnings: [], stdout: out.stdout, status: out.status, crash: null };
  if (!existsSync(reportFile)) return { ...report, crash: `pytest exited ${out.status} without a report: ${firstLine(out.stderr)}` };
  for (const line of readFileSync(reportFile, "utf8").split("\n").filter(Boolean)) {
    const record = JSON.parse(line);
    if (record.kind === "phase") {
      const phases = report.phases.get(record.nodeid) ?? [];
      phases.push({ when: record.when, outcome: record.outcome, longrepr: record.longrepr, message: record.message, skip: record.skip, wasxfail: record.wasxfail, subtest: record.subtest });
      report.phases.set(record.nodeid, phases);
    } else if (record.kind === "collect") {
      report.collect.push({ nodeid: record.nodeid, outcome: record.outcome, longrepr: record.longrepr, message: record.message, reason: record.reason ?? null });
    } else if (record.kind === "warning") {
      report.warnings.push({ nodeid: record.nodeid, filename: relative(dir, record.filename) });
    }
  }
  return normalizeReport(report, dir);
}

interface JsonPhase { outcome: string; longrepr: string | null; message: string | null; skip: { reason: string } | null; wasxfail: string | null }
interface JsonReport {
  tests: Array<{ nodeid: string; phases: Record<string, JsonPhase> }>;
  collectErrors: Array<{ nodeid: string; longrepr: string | null; message: string | null }>;
  collectSkipped: Array<{ nodeid: string; reason: string }>;
  warnings: Array<{ nodeid: string; filename: string }>;
}

async function runFastestSide(group: ParityGroup): Promise<SideReport> {
  const dir = copyGroup(group, "fastest");
  const base = [FASTEST_BIN, "--sandbox"];
  for (const args of group.config.prerun ?? []) await run(process.execPath, [...base, "-n", "1", ...args], dir, fastestEnv);
  const reportFile = join(dir, "..", "fastest.json");
  // A small group gains nothing from a second interpreter and would pay for its start.
  const workers = group.cases.length < 20 ? ["-n", "1"] : [];
  const out = await run(process.execPath, [...base, ...workers, "--json", reportFile, ...(group.config.args ?? []), ...(group.config.paths ?? ["."])], dir, fastestEnv);
  const report: SideReport = { phases: new Map(), collect: [], warnings: [], stdout: out.stdout, status: out.status, crash: null };
  if (!existsSync(reportFile)) {
    return { ...report, crash: `fastest exited ${out.status} without a report: ${firstLine(out.stderr) || firstLine(out.stdout)}` };
  }
  const json = JSON.parse(readFileSync(reportFile, "utf8")) as JsonReport;
  for (const test of json.tests) {
    report.phases.set(test.nodeid, ["setup", "call", "teardown"].filter((when) => test.phases[when]).map((when) => {
      const phase = test.phases[when]!;
      return { when, outcome: phase.outcome, longrepr: phase.skip ? null : phase.longrepr, message: phase.message, skip: phase.skip?.reason ?? null, wasxfail: phase.wasxfail };
    }));
  }
  for (const error of json.collectErrors) report.collect.push({ ...error, outcome: "failed", reason: null });
  for (const skipped of json.collectSkipped) report.collect.push({ nodeid: skipped.nodeid, outcome: "skipped", longrepr: null, message: null, reason: skipped.reason });
  report.warnings = json.warnings.map((w) => ({ nodeid: w.nodeid, filename: w.filename.startsWith("/") ? relative(dir, w.filename) : w.filename }));
  return normalizeReport(report, dir);
}

function firstLine(text: string): string {
  return text.trim().split("\n").find((line) => line.trim() !== "")?.trim() ?? "";
}

/** Addresses, the temporary root and timings differ between any two runs. */
function normalizeText(text: string, root: string): string {
  return text
    .split(root).join("<root>")
    .replace(/\/tmp\/fastest-parity-(pytest|fastest)-\w+/g, "<tmp>")
    .replace(/0x[0-9a-f]+/gi, "0xADDR")
    .replace(/\d+\.\d+s\b/g, "N.NNs");
}

function normalizeReport(report: SideReport, root: string): SideReport {
  const fix = (text: string | null) => (text === null ? null : normalizeText(text, root));
  for (const phases of report.phases.values()) {
    for (const phase of phases) {
      phase.longrepr = fix(phase.longrepr);
      phase.message = fix(phase.message);
      phase.skip = fix(phase.skip);
    }
  }
  for (const problem of report.collect) {
    problem.longrepr = fix(problem.longrepr);
    problem.message = fix(problem.message);
    problem.reason = fix(problem.reason);
  }
  report.stdout = normalizeText(report.stdout, root);
  return report;
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

function view(group: ParityGroup, report: SideReport): SideView {
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

async function timed<T>(work: Promise<T>): Promise<[T, number]> {
  const start = performance.now();
  const value = await work;
  return [value, (performance.now() - start) / 1000];
}

export async function runGroup(group: ParityGroup): Promise<GroupResult> {
  const [[pytest, pytestSeconds], [fastest, fastestSeconds]] = await Promise.all([timed(runPytestSide(group)), timed(runFastestSide(group))]);
  return { pytest: view(group, pytest), fastest: view(group, fastest), seconds: { pytest: pytestSeconds, fastest: fastestSeconds } };
}
