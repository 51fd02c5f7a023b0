/**
 * Parity of the terminal and JUnit reporters with real pytest 9: each
 * fixture suite is run by pytest, pytest's own reports are replayed
 * through our reporters, and the outputs are compared text for text
 * (timings and the platform line aside).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { JUnitReporter, type JUnitOptions } from "../core/reporters/junit.js";
import { JsonReporter } from "../core/reporters/json.js";
import { TerminalReporter, type TerminalReporterOptions } from "../core/reporters/terminal.js";
import { requirePytest, runPytest, type PytestRun } from "./fixtures/reporters/replay.js";

beforeAll(() => {
  expect(requirePytest()).toMatch(/pytest 9\./);
});

function replayTerminal(
  run: PytestRun,
  options: Omit<TerminalReporterOptions, "write">,
  stopReason?: string,
): { text: string; exitCode: number } {
  let text = "";
  const reporter = new TerminalReporter({ ...options, write: (chunk) => (text += chunk) });
  reporter.sessionStart({ platform: "linux", pythonVersion: "3", engineVersion: "0", rootdir: run.rootdir, configfile: null });
  reporter.collectionFinish({ collected: run.collected, deselected: run.deselected, errors: run.collectErrors });
  for (const event of run.events) {
    if (event.type === "item") reporter.itemEnd(event.item);
    else reporter.warning(event.warning);
  }
  const exitCode = reporter.sessionFinish({ duration: run.duration, stopReason: stopReason ?? null });
  return { text, exitCode };
}

/** Blank out what cannot match: the platform line and pytest's junit path line. */
function normalize(text: string): string {
  return text
    .replace(/^platform .*$/m, "platform <platform>")
    .replace(/^-+ generated xml file: .* -+\n/m, "");
}

interface TerminalCase {
  name: string;
  suite: string;
  args: string[];
  options: Omit<TerminalReporterOptions, "write">;
  exitCode: number;
  stopReason?: string;
}

const terminalCases: TerminalCase[] = [
  { name: "default with -rA", suite: "mixed", args: ["-rA"], options: { reportChars: "A" }, exitCode: 1 },
  { name: "default -r fE", suite: "mixed", args: [], options: {}, exitCode: 1 },
  {
    name: "-v --tb=no with deselection",
    suite: "mixed",
    args: ["-v", "--tb=no", "-k", "not record"],
    options: { verbosity: 1, tbStyle: "no" },
    exitCode: 1,
  },
  { name: "-q -rsxX", suite: "mixed", args: ["-q", "-rsxX"], options: { verbosity: -1, reportChars: "sxX" }, exitCode: 1 },
  { name: "-rN --show-capture=stderr", suite: "mixed", args: ["-rN", "--show-capture=stderr"], options: { reportChars: "N", showCapture: "stderr" }, exitCode: 1 },
  { name: "-p no:warnings", suite: "mixed", args: ["-p", "no:warnings"], options: { disableWarnings: true }, exitCode: 1 },
  { name: "collection error stops the run", suite: "collect-error", args: [], options: {}, exitCode: 2 },
  {
    name: "collection error with --continue-on-collection-errors -q",
    suite: "collect-error",
    args: ["-q", "--continue-on-collection-errors"],
    options: { verbosity: -1, continueOnCollectionErrors: true },
    exitCode: 1,
  },
  { name: "nothing collected", suite: "empty", args: [], options: {}, exitCode: 5 },
  { name: "nothing collected -q", suite: "empty", args: ["-q"], options: { verbosity: -1 }, exitCode: 5 },
  { name: "long progress lines wrap", suite: "all-pass", args: [], options: {}, exitCode: 0 },
  { name: "narrow terminal -v", suite: "all-pass", args: ["-v", "-k", "one or 1"], options: { verbosity: 1 }, exitCode: 0 },
  { name: "everything deselected", suite: "all-pass", args: ["-k", "nothing"], options: {}, exitCode: 5 },
  { name: "-qq", suite: "all-pass", args: ["-qq"], options: { verbosity: -2 }, exitCode: 0 },
  { name: "edge cases -rA", suite: "edge", args: ["-rA"], options: { reportChars: "A" }, exitCode: 1 },
  { name: "edge cases -v", suite: "edge", args: ["-v", "-rxs"], options: { verbosity: 1, reportChars: "xs" }, exitCode: 1 },
  { name: "edge cases -vv", suite: "edge", args: ["-vv"], options: { verbosity: 2 }, exitCode: 1 },
  { name: "edge cases -x", suite: "edge", args: ["-x"], options: {}, exitCode: 1, stopReason: "stopping after 1 failures" },
];

describe("terminal reporter matches pytest", () => {
  it.each(terminalCases)("$name", ({ suite, args, options, exitCode, stopReason }) => {
    const run = runPytest(suite, args);
    expect(run.exitCode).toBe(exitCode);
    const replayed = replayTerminal(run, options, stopReason);
    expect(normalize(replayed.text)).toBe(normalize(run.stdout));
    expect(replayed.exitCode).toBe(run.exitCode);
  });

  it("matches pytest's colours with --color=yes", () => {
    const run = runPytest("mixed", ["-rA"], { color: true });
    const replayed = replayTerminal(run, { reportChars: "A", color: true });
    expect(normalize(replayed.text)).toBe(normalize(run.stdout));
  });

  it("matches pytest's colours for an all-green and a -q run", () => {
    for (const [args, verbosity] of [[[], 0], [["-q"], -1]] as const) {
      const run = runPytest("all-pass", [...args], { color: true });
      const replayed = replayTerminal(run, { color: true, verbosity });
      expect(normalize(replayed.text)).toBe(normalize(run.stdout));
    }
  });
});

function replayJunit(run: PytestRun, options: JUnitOptions): string {
  const reporter = new JUnitReporter(options);
  reporter.collectionFinish(run.collectErrors);
  for (const event of run.events) if (event.type === "item") reporter.itemEnd(event.item);
  const suite = /<testsuite [^>]*time="([\d.]+)" timestamp="([^"]+)" hostname="([^"]*)"/.exec(run.junit ?? "");
  if (!suite) throw new Error(`no <testsuite> in pytest's junit xml:\n${run.junit}`);
  return reporter.toXml({ duration: Number(suite[1]), timestamp: suite[2] ?? "", hostname: suite[3] ?? "" });
}

describe("JUnit reporter matches pytest --junitxml", () => {
  const cases: Array<{ name: string; suite: string; args: string[]; options: JUnitOptions }> = [
    { name: "xunit2 defaults", suite: "mixed", args: [], options: {} },
    { name: "junit_logging=all", suite: "mixed", args: ["-o", "junit_logging=all"], options: { logging: "all" } },
    {
      name: "out-err, passing tests not logged, call durations",
      suite: "mixed",
      args: ["-o", "junit_logging=out-err", "-o", "junit_log_passing_tests=false", "-o", "junit_duration_report=call"],
      options: { logging: "out-err", logPassingTests: false, durationReport: "call" },
    },
    {
      name: "xunit1, prefix, suite name",
      suite: "mixed",
      args: ["-o", "junit_family=xunit1", "--junit-prefix=pre", "-o", "junit_suite_name=mine"],
      options: { family: "xunit1", prefix: "pre", suiteName: "mine" },
    },
    { name: "collection errors", suite: "collect-error", args: ["--continue-on-collection-errors"], options: {} },
    { name: "nothing collected", suite: "empty", args: [], options: {} },
    { name: "edge cases, junit_logging=all", suite: "edge", args: ["-o", "junit_logging=all"], options: { logging: "all" } },
  ];
  it.each(cases)("$name", ({ suite, args, options }) => {
    const run = runPytest(suite, ["-q", ...args], { junit: true });
    expect(replayJunit(run, options)).toBe(run.junit);
  });
});

describe("JSON reporter", () => {
  it("counts what pytest counts and keeps every phase", () => {
    const run = runPytest("mixed", ["-q", "-k", "not record"]);
    const reporter = new JsonReporter();
    reporter.sessionStart({ root: run.rootdir, seed: 7, created: "2026-01-01T00:00:00.000Z" });
    reporter.collectionFinish({ collected: run.collected, deselected: run.deselected, errors: run.collectErrors });
    for (const event of run.events) {
      if (event.type === "item") reporter.itemEnd(event.item);
      else reporter.warning(event.warning);
    }
    const report = JSON.parse(reporter.toJson({ duration: run.duration, exitCode: run.exitCode }));
    const last = run.stdout.trimEnd().split("\n").pop() ?? "";
    expect(last).toMatch(/^4 failed, 4 passed, 4 skipped, 1 deselected, 1 xfailed, 1 xpassed, 1 warning, 3 errors in/);
    expect(report.summary).toMatchObject({ failed: 4, passed: 4, skipped: 4, deselected: 1, xfailed: 1, xpassed: 1, warnings: 1, error: 3 });
    expect(report.summary.total).toBe(15);
    expect(report.summary.collected).toBe(16);
    expect(report).toMatchObject({ version: 1, exitCode: 1, seed: 7, root: run.rootdir, created: "2026-01-01T00:00:00.000Z" });
    const byId = new Map(report.tests.map((t: { nodeid: string }) => [t.nodeid, t]));
    expect(byId.get("tests/test_fixtures.py::test_teardown_error")).toMatchObject({
      outcome: "error",
      outcomes: ["passed", "error"],
      phases: { call: { outcome: "passed", stdout: "out in call\n", stderr: "err in call\n" }, teardown: { outcome: "failed" } },
    });
    expect(byId.get("tests/test_fixtures.py::test_fail_and_teardown_error")).toMatchObject({ outcome: "failed", outcomes: ["failed", "error"] });
    expect(byId.get("tests/test_fixtures.py::test_setup_error")).toMatchObject({ outcome: "error", phases: { setup: { message: "RuntimeError: setup went wrong" } } });
    expect(byId.get("tests/test_outcomes.py::test_xfail")).toMatchObject({ outcome: "xfailed", phases: { call: { wasxfail: "known bug" } } });
    expect(byId.get("tests/test_outcomes.py::TestGroup::test_param[2]")).toMatchObject({
      location: { path: "tests/test_outcomes.py", line: 48, domain: "TestGroup.test_param[2]" },
    });
  });
});
