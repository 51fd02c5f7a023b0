/** Runs one peer command as a child process and checks that it really passed. */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { performance } from "node:perf_hooks";
import type { Expectation } from "./suites.js";

export interface Command {
  file: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Output that shows the run did not start warm (e.g. a snapshot was rebuilt). */
  coldMarker?: RegExp;
  /** The summary a good run prints; null: exiting 0 is enough. */
  expect: Expectation | null;
  /** Runs before each timed run, outside the timing (e.g. clearing a cache). */
  prepare?: () => void;
}

export type RunResult =
  | { ok: true; seconds: number; peakRssKiB: number | null; cold: boolean }
  | { ok: false; seconds: number; error: string };

/** GNU time reports the peak RSS of the largest process in the tree (`%M`, KiB). */
const GNU_TIME = "/usr/bin/time";
// A hung peer must not eat the whole bench: the slowest run (pytest in Pyodide collecting 10,000 tests) takes under a minute even on a busy machine.
const TIMEOUT_MS = 3 * 60_000;

export function hasGnuTime(): boolean {
  return existsSync(GNU_TIME) && spawnSync(GNU_TIME, ["-f", "%M", "true"], { encoding: "utf8" }).status === 0;
}

export function formatCommand(command: Command): string {
  return [command.file, ...command.args].map((part) => (/^[\w@%+=:,./-]+$/.test(part) ? part : `'${part}'`)).join(" ");
}

/** The line that names the error: the last `SomeError: ...` line (a Python traceback's end), else the last line (progress notes come first). */
function errorLine(stderr: string): string {
  const lines = stderr.split("\n").map((line) => line.trim()).filter((line) => line !== "");
  return lines.filter((line) => /^[\w.]*(Error|Exception)\b/.test(line)).pop() ?? lines.at(-1) ?? "";
}

function lastLine(text: string): string {
  return text.split("\n").map((line) => line.trim()).filter((line) => line !== "").pop() ?? "";
}

const SUMMARY_PATTERNS: Record<Expectation["summary"], RegExp> = {
  passed: /\b(\d+) passed\b/g,
  collected: /\b(\d+) tests? collected\b/g,
};

/** The count from a pytest-style summary (`10 passed in 0.12s`, `10 tests collected in 0.05s`), if any. */
export function summaryCount(output: string, summary: Expectation["summary"]): number | null {
  const last = [...output.matchAll(SUMMARY_PATTERNS[summary])].at(-1);
  return last ? Number(last[1]) : null;
}

/**
 * Times the whole command (spawn to exit). A run counts only if it exited 0
 * and its summary reports exactly the expected count.
 */
export function runOnce(command: Command, rssFile: string | null): RunResult {
  const [file, args] = rssFile ? [GNU_TIME, ["-f", "%M", "-o", rssFile, command.file, ...command.args]] : [command.file, command.args];
  if (rssFile) rmSync(rssFile, { force: true });
  command.prepare?.();
  const start = performance.now();
  const child = spawnSync(file, args, { cwd: command.cwd, env: command.env, encoding: "utf8", maxBuffer: 64 * 1024 * 1024, timeout: TIMEOUT_MS });
  const seconds = (performance.now() - start) / 1000;
  const stdout = child.stdout ?? "";
  const stderr = child.stderr ?? "";
  if (child.error) return { ok: false, seconds, error: `${path.basename(command.file)}: ${child.error.message}` };
  if (child.status !== 0) {
    const why = errorLine(stderr) || lastLine(stdout) || "no output";
    return { ok: false, seconds, error: `exit ${child.status ?? child.signal}: ${why}` };
  }
  const { expect } = command;
  const count = expect ? summaryCount(stdout + "\n" + stderr, expect.summary) : null;
  if (expect && count !== expect.count) {
    const seen = count === null ? `no 'N ${expect.summary}' summary` : `${count} ${expect.summary}`;
    return { ok: false, seconds, error: `exit 0 but ${seen}, expected ${expect.count} ${expect.summary}` };
  }
  const cold = command.coldMarker?.test(stderr + stdout) ?? false;
  return { ok: true, seconds, peakRssKiB: rssFile ? readRss(rssFile) : null, cold };
}

function readRss(rssFile: string): number | null {
  try {
    // GNU time may prefix the value with a "Command exited ..." line; the number is last.
    const value = Number(lastLine(readFileSync(rssFile, "utf8")));
    return Number.isFinite(value) && value > 0 ? value : null;
  } catch {
    return null;
  }
}
