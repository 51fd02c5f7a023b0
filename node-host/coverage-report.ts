/**
 * The end of a `--cov` run on the host: merge the workers' measurements,
 * write the LCOV and Cobertura files, build the terminal section pytest-cov
 * prints, and check `--cov-fail-under`.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { CoverageData } from "../core/protocol.js";
import type { SummarySection } from "../core/reporters/durations.js";
import { TerminalWriter } from "../core/reporters/terminal-writer.js";
import { addNumbers, mergeCoverage, noNumbers, numbersOf, percentCovered } from "./coverage-data.js";
import { coberturaReport, coverageTable, lcovReport } from "./coverage-formats.js";
import type { CoverageSettings } from "./coverage-options.js";

export interface CoverageContext {
  cwd: string;
  rootdir: string;
  columns: number;
  pythonVersion: string;
  fastestVersion: string;
  /** The interpreter's `sys.platform`, for the section's rule: `emscripten` (Pyodide) or `wasi`. */
  platform: string;
}

/** What the coverage reports add to the end of a run. */
export interface CoverageEnd {
  /** pytest-cov's `tests coverage` section. */
  section: SummarySection;
  /** The total is under `--cov-fail-under`: the run fails (exit code 1, as with pytest-cov). */
  failed: boolean;
  /** The total percentage covered. */
  total: number;
}

/** Merge, write the files and build the terminal section. */
export function reportCoverage(settings: CoverageSettings, parts: readonly CoverageData[], context: CoverageContext): CoverageEnd {
  const coverage = mergeCoverage(parts, settings.measure.branch);
  // pytest-cov counts a run with nothing measured as 0%.
  const total = coverage.files.length === 0 ? 0 : percentCovered(coverage.files.reduce((sum, file) => addNumbers(sum, numbersOf(file)), noNumbers));
  let rule = "";
  new TerminalWriter((text) => (rule += text), context.columns, false).sep("_", `coverage: platform ${context.platform}, python ${context.pythonVersion}`);
  const lines = [rule.trimEnd(), ""];
  for (const warning of settings.warnings) lines.push(`CoverageWarning: ${warning}`);
  for (const warning of coverage.warnings) lines.push(`CoverageWarning: ${warning}`);
  if (coverage.files.length === 0) {
    // coverage.py writes no report then, and pytest-cov says why.
    lines.push("CoverageWarning: No data was collected. (no-data-collected)", "WARNING: Failed to generate report: No data to report.");
  }
  for (const report of coverage.files.length === 0 ? [] : settings.reports) {
    if (report.kind === "term") {
      lines.push(...coverageTable(coverage, { missing: report.missing, skipCovered: report.skipCovered }));
      continue;
    }
    const target = path.resolve(context.cwd, report.path);
    const text =
      report.kind === "lcov"
        ? lcovReport(coverage)
        : coberturaReport(coverage, { source: context.rootdir, version: context.fastestVersion, timestamp: Date.now() });
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, text);
    lines.push(`Coverage ${report.kind === "lcov" ? "LCOV" : "XML"} written to file ${report.path}`);
  }
  const failed = settings.failUnder !== null && total < settings.failUnder;
  if (settings.failUnder !== null && settings.failUnder > 0) {
    const required = `${Number.isInteger(settings.failUnder) ? settings.failUnder : settings.failUnder.toFixed(2)}%`;
    lines.push(
      "",
      failed
        ? `FAIL Required test coverage of ${required} not reached. Total coverage: ${total.toFixed(2)}%`
        : `Required test coverage of ${required} reached. Total coverage: ${total.toFixed(2)}%`,
    );
  }
  return { section: { title: "tests coverage", lines }, failed, total };
}
