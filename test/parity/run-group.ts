/**
 * Runs one parity group under real pytest (with the oracle plugin) and under
 * `fastest --sandbox` (its --json report), each on its own copy of the tree,
 * and reads both into the same per-phase shape for view.ts.
 */
import { execFile } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { repoRoot, testCacheDir } from "../helpers/run-cli.js";
import { PARITY_ROOT, type ParityGroup } from "./corpus.js";
import { view, type Phase, type SideReport, type SideView } from "./view.js";

const FASTEST_BIN = join(repoRoot, "node-host", "bin", "fastest.js");
const ORACLE_PLUGIN_DIR = join(PARITY_ROOT, "_support");

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

const RUN_TIMEOUT_MS = 90_000;

function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<RunOutput> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { cwd, env, timeout: RUN_TIMEOUT_MS, maxBuffer: 64 << 20 }, (error, stdout, stderr) => {
      if (error && typeof error.code === "string") {
        reject(new Error(`${command} ${args.join(" ")} could not run in ${cwd}: ${error.message}\n${stderr}`));
        return;
      }
      // A run killed by the timeout (or a signal) fails its group only, saying so.
      const killed = error && error.code == null ? `killed by ${error.signal ?? "a signal"}${error.killed ? ` after ${RUN_TIMEOUT_MS / 1000} s` : ""}` : "";
      resolve({ status: error ? (typeof error.code === "number" ? error.code : -1) : 0, stdout, stderr: killed ? `${killed}\n${stderr}` : stderr });
    });
  });
}

const scratchDirs: string[] = [];

/** Remove the copies of the groups made by the runs so far. */
export function removeScratchDirs(): void {
  for (const dir of scratchDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

function copyGroup(group: ParityGroup, side: string): string {
  const scratch = mkdtempSync(join(tmpdir(), `fastest-parity-${side}-`));
  scratchDirs.push(scratch);
  const dir = join(scratch, group.name);
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
  tests: Array<{ nodeid: string; phases: Record<string, JsonPhase>; subtests?: Array<JsonPhase & { description: string }> }>;
  collectErrors: Array<{ nodeid: string; longrepr: string | null; message: string | null }>;
  collectSkipped: Array<{ nodeid: string; reason: string }>;
  warnings: Array<{ nodeid: string; filename: string }>;
}

async function runFastestSide(group: ParityGroup, engine: "pyodide" | "wasi"): Promise<SideReport> {
  const dir = copyGroup(group, "fastest");
  const base = [FASTEST_BIN, engine === "wasi" ? "--sandbox=wasi" : "--sandbox"];
  for (const args of group.config.prerun ?? []) await run(process.execPath, [...base, "-n", "1", ...args], dir, fastestEnv);
  const reportFile = join(dir, "..", "fastest.json");
  // A small group gains nothing from a second interpreter and would pay for its start.
  const workers = group.cases.length < 20 ? ["-n", "1"] : [];
  const out = await run(process.execPath, [...base, ...workers, "--json", reportFile, ...(group.config.args ?? []), ...(group.config.paths ?? ["."])], dir, fastestEnv);
  const report: SideReport = { phases: new Map(), collect: [], warnings: [], stdout: out.stdout, status: out.status, crash: null };
  if (!existsSync(reportFile)) {
    // Listing options (--markers, --fixtures) need not write a report; their output is what is compared.
    if (group.config.outputOnly && out.status === 0) return normalizeReport(report, dir);
    return { ...report, crash: `fastest exited ${out.status} without a report: ${firstLine(out.stderr) || firstLine(out.stdout)}` };
  }
  const json = JSON.parse(readFileSync(reportFile, "utf8")) as JsonReport;
  const phaseOf = (when: string, phase: JsonPhase, subtest: string | null = null): Phase => ({
    when, outcome: phase.outcome, longrepr: phase.skip ? null : phase.longrepr, message: phase.message,
    skip: phase.skip?.reason ?? null, wasxfail: phase.wasxfail, subtest,
  });
  for (const test of json.tests) {
    // In the order pytest reports them: setup, each subtest as it ends, the call, teardown.
    const phases = test.phases["setup"] ? [phaseOf("setup", test.phases["setup"])] : [];
    for (const subtest of test.subtests ?? []) phases.push(phaseOf("call", subtest, subtest.description));
    for (const when of ["call", "teardown"]) if (test.phases[when]) phases.push(phaseOf(when, test.phases[when]!));
    report.phases.set(test.nodeid, phases);
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

async function timed<T>(work: Promise<T>): Promise<[T, number]> {
  const start = performance.now();
  const value = await work;
  return [value, (performance.now() - start) / 1000];
}

/** Run a group under real pytest and under fastest on `engine` (test/parity-wasi.test.ts runs the WASI engine). */
export async function runGroup(group: ParityGroup, engine: "pyodide" | "wasi" = "pyodide"): Promise<GroupResult> {
  const [[pytest, pytestSeconds], [fastest, fastestSeconds]] = await Promise.all([timed(runPytestSide(group)), timed(runFastestSide(group, engine))]);
  return { pytest: view(group, pytest), fastest: view(group, fastest), seconds: { pytest: pytestSeconds, fastest: fastestSeconds } };
}
