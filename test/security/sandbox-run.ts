import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect } from "vitest";
import { inlineFiles } from "../helpers/inline-files.js";
import { runCli, type CliResult } from "../helpers/run-cli.js";

/** A folder outside every test project: what the sandbox must neither read nor change. */
export interface HostCanary {
  dir: string;
  /** A file holding `secret`; no test may read it. */
  secretFile: string;
  secret: string;
  /** A path in `dir` that no test may create. */
  marker(name: string): string;
}

export function hostCanary(): HostCanary {
  const dir = mkdtempSync(path.join(os.tmpdir(), "fastest-host-"));
  const secret = `host-secret-${process.pid}-${Date.now()}`;
  const secretFile = path.join(dir, "secret.txt");
  writeFileSync(secretFile, secret);
  return { dir, secretFile, secret, marker: (name) => path.join(dir, name) };
}

interface JsonTest {
  nodeid: string;
  outcome: string;
  phases: Record<string, { message: string | null; longrepr: string | null; stdout: string; stderr: string }>;
}

export interface SandboxRun extends CliResult {
  project: string;
  /** node id -> outcome (`passed`, `failed`, `error`, ...), from the JSON report. */
  outcomes: Record<string, string>;
  tests: JsonTest[];
  /** Everything the run printed, and every report it wrote, in one string (for "secret not shown" checks). */
  everything: string;
}

/**
 * Run the real CLI on a fresh project made of `files` (one worker unless
 * `args` say otherwise), with JSON and JUnit reports written outside it.
 */
export interface SandboxRunOptions {
  /** Host environment variables for the CLI. */
  env?: Record<string, string>;
  /** Changes to the project tree that inline files cannot express (symlinks). */
  prepare?: (project: string) => void;
  /** Keep pytest's cache plugin (`.fastest_cache/`) on; off by default, so runs leave no state. */
  cacheProvider?: boolean;
}

export function runInSandbox(files: Record<string, string>, args: string[] = [], options: SandboxRunOptions = {}): SandboxRun {
  const project = inlineFiles(files);
  options.prepare?.(project);
  const reports = mkdtempSync(path.join(os.tmpdir(), "fastest-reports-"));
  const json = path.join(reports, "report.json");
  const xml = path.join(reports, "report.xml");
  const noCache = options.cacheProvider ? [] : ["-p", "no:cacheprovider"];
  const result = runCli(["-n", "1", ...noCache, "-rA", "--json", json, "--junitxml", xml, ...args], project, options.env ?? {});
  let report: { tests: JsonTest[] } = { tests: [] };
  let jsonText = "";
  let xmlText = "";
  try {
    jsonText = readFileSync(json, "utf8");
    xmlText = readFileSync(xml, "utf8");
    report = JSON.parse(jsonText) as { tests: JsonTest[] };
  } catch {
    // No report: the checks on outcomes fail and show stdout/stderr.
  }
  const outcomes = Object.fromEntries(report.tests.map((t) => [t.nodeid, t.outcome]));
  return { ...result, project, outcomes, tests: report.tests, everything: [result.stdout, result.stderr, jsonText, xmlText].join("\n") };
}

/** The run finished normally (no internal error, no crash of the host) and reported every test once. */
export function expectCompleteRun(run: SandboxRun, expected: Record<string, string>): void {
  expect(run.stderr, run.stdout).not.toMatch(/internal error|Traceback|Pyodide has suffered a fatal error/);
  expect(run.stdout).not.toMatch(/internal error/);
  expect(run.outcomes, run.stdout).toEqual(expected);
}

/** The failure text the report shows for one test (all phases). */
export function failureText(run: SandboxRun, nodeid: string): string {
  const test = run.tests.find((t) => t.nodeid === nodeid);
  if (!test) return "";
  return Object.values(test.phases).map((p) => `${p.message ?? ""}\n${p.longrepr ?? ""}`).join("\n");
}

/** Plain tests put beside the attacks: their outcomes must not change. */
export const bystanders = {
  "test_bystander.py": `
    import pytest

    def test_bystander_passes():
        assert sum(range(10)) == 45

    def test_bystander_fails():
        assert 1 == 2

    @pytest.mark.parametrize("n", [1, 2])
    def test_bystander_param(n):
        assert n > 0
  `,
};

export const bystanderOutcomes = {
  "test_bystander.py::test_bystander_passes": "passed",
  "test_bystander.py::test_bystander_fails": "failed",
  "test_bystander.py::test_bystander_param[1]": "passed",
  "test_bystander.py::test_bystander_param[2]": "passed",
};
