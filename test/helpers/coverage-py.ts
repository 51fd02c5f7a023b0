/**
 * coverage.py as the oracle for `--cov`: find a way to run it here and read
 * its JSON report for a project (test/coverage.test.ts, test/coverage-wasi.test.ts).
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect } from "vitest";

/**
 * How to run coverage.py here, if it is installed with a pytest it can run:
 * `python3 -m coverage`, else Debian's `python3-coverage` (which runs the
 * system Python's pytest). Null when neither works.
 */
export function findCoveragePy(): string[] | null {
  const scratch = mkdtempSync(path.join(os.tmpdir(), "fastest-cov-probe-"));
  for (const command of [["python3", "-m", "coverage"], ["python3-coverage"]]) {
    const probe = spawnSync(command[0]!, [...command.slice(1), "run", "-m", "pytest", "--version"], { cwd: scratch, encoding: "utf8" });
    if (probe.status === 0) return command;
  }
  return null;
}

/** One file of coverage.py's JSON report. */
export interface CoveragePyFile {
  summary: { num_statements: number; missing_lines: number; excluded_lines: number };
  missing_lines: number[];
  excluded_lines: number[];
  missing_branches?: Array<[number, number]>;
}

/** Run the project's tests under coverage.py (`command` from `findCoveragePy`; pytest with plugins off) and read its JSON report. */
export function runCoveragePy(command: string[], dir: string, source: string, branch: boolean): Record<string, CoveragePyFile> {
  const [program, ...prefix] = command;
  const args = [...prefix, "run", ...(branch ? ["--branch"] : []), `--source=${source}`, "-m", "pytest", "-q", "-p", "no:cacheprovider"];
  const run = spawnSync(program!, args, { cwd: dir, encoding: "utf8", env: { ...process.env, PYTEST_DISABLE_PLUGIN_AUTOLOAD: "1" } });
  expect(run.status, run.stdout + run.stderr).toBe(0);
  const json = spawnSync(program!, [...prefix, "json", "--fail-under=0", "-o", "ref.json"], { cwd: dir, encoding: "utf8" });
  expect(json.status, json.stderr).toBe(0);
  return (JSON.parse(readFileSync(path.join(dir, "ref.json"), "utf8")) as { files: Record<string, CoveragePyFile> }).files;
}
