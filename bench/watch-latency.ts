/**
 * Watch-mode latency: how long after one test file is saved `fastest --watch`
 * prints that file's first result, and its whole run.
 *
 * `measureWatch(suiteDir)` starts `fastest --watch` in the suite's folder,
 * waits for the first run, lets the warm workers boot (1.5 s), saves one
 * test file once to warm up, then saves another and times two output
 * markers from the moment of the write: the file's first result (its name
 * followed by a progress character) and the run's summary line
 * (`N passed in ...`). The CLI prints three saves per round.
 *
 * By hand: `npm run build && node dist/bench/watch-latency.js [suiteDir] [--rounds N] [--engine wasi] [--settle MS]`
 * (without a folder it writes a copy of the large suite to a temporary one;
 * `--engine wasi` watches on the WASI engine, which `npm run build:wasi` builds;
 * `--settle MS` saves that long after each report instead of 1.5 s, for saves
 * that come before the warm workers are ready).
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { packageRoot } from "../node-host/assets.js";
import { generateBasicSuite } from "./suite-basic.js";
import { LARGE_SPEC } from "./suites.js";

// The package's folder, found from here whether this runs compiled (dist/bench) or from source (tests).
const bin = path.join(packageRoot, "node-host", "bin", "fastest.js");

export interface WatchLatency {
  /** From the save to the saved file's first result on stdout, in ms. */
  firstResultMs: number;
  /** From the save to the end of that run's report (its summary line), in ms. */
  fileDoneMs: number;
}

/** How long to leave the warm workers to boot after a run (they boot in the background). */
const settleMs = 1500;
const markerTimeoutMs = 120_000;

/** How `fastest --watch` is started besides the suite's folder. */
export interface WatchStart {
  /** More arguments, e.g. `["--sandbox=wasi"]` for the WASI engine. */
  args?: readonly string[];
  /** Environment variables over this process's own (e.g. `FASTEST_CACHE_DIR`). */
  env?: NodeJS.ProcessEnv;
  /** How long to wait after each report before the next save (ms; default 1,500: the warm workers are ready by then). */
  settleMs?: number;
}

/**
 * Start `fastest --watch` on `suiteDir`, save one of its test files (a first
 * save warms up), then another, and time the rerun of the second.
 */
export async function measureWatch(suiteDir: string, start: WatchStart = {}): Promise<WatchLatency> {
  return (await measureWatchSaves(suiteDir, 2, start)).at(-1)!;
}

/** Start `fastest --watch` on `suiteDir` and time `saves` saves of different test files, one after the other. */
export async function measureWatchSaves(suiteDir: string, saves: number, start: WatchStart = {}): Promise<WatchLatency[]> {
  const tests = readdirSync(suiteDir).filter((name) => /^test_.*\.py$/.test(name)).sort();
  if (tests.length < 2) throw new Error(`${suiteDir} holds fewer than two test files (test_*.py)`);
  const child = spawn(process.execPath, [bin, "--watch", "-p", "no:cacheprovider", ...(start.args ?? [])], {
    cwd: suiteDir,
    env: { ...process.env, ...start.env, COLUMNS: "80", NO_COLOR: "1" },
    stdio: ["pipe", "pipe", "pipe"],
  });
  let output = "";
  let waiters: Array<() => void> = [];
  const onData = (chunk: Buffer) => {
    output += chunk.toString("utf8");
    const woken = waiters;
    waiters = [];
    for (const wake of woken) wake();
  };
  child.stdout.on("data", onData);
  child.stderr.on("data", onData);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));

  /** Resolve with the time `pattern` shows up in the output from `from` on. */
  const waitFor = async (pattern: RegExp, from: number): Promise<number> => {
    const deadline = performance.now() + markerTimeoutMs;
    for (;;) {
      if (pattern.test(output.slice(from))) return performance.now();
      if (child.exitCode !== null) throw new Error(`fastest --watch exited (code ${child.exitCode}):\n${output}`);
      if (performance.now() > deadline) throw new Error(`no ${pattern} in fastest --watch output after ${markerTimeoutMs} ms:\n${output}`);
      await new Promise<void>((resolve) => {
        waiters.push(resolve);
        setTimeout(resolve, 250);
      });
    }
  };
  const runDone = /Waiting for changes\./;
  const save = async (name: string): Promise<WatchLatency> => {
    await new Promise((resolve) => setTimeout(resolve, start.settleMs ?? settleMs));
    const file = path.join(suiteDir, name);
    const from = output.length;
    const source = readFileSync(file, "utf8");
    const started = performance.now();
    writeFileSync(file, `${source}# saved ${Date.now()}\n`);
    const escaped = name.replace(/[.]/g, "\\.");
    const [first, done] = await Promise.all([
      waitFor(new RegExp(`${escaped} [.FEsxX]`), from),
      waitFor(/=+ [^=\n]*\d+ (passed|failed)[^=\n]* in [\d.]+s =+/, from),
    ]);
    await waitFor(runDone, from);
    return { firstResultMs: first - started, fileDoneMs: done - started };
  };
  try {
    await waitFor(runDone, 0);
    const samples: WatchLatency[] = [];
    for (let i = 0; i < saves; i++) samples.push(await save(tests[Math.floor((i * tests.length) / saves + tests.length / (2 * saves))]!));
    return samples;
  } finally {
    child.stdin.end("q\n");
    const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
    await exited;
    clearTimeout(timer);
  }
}

async function main(argv: string[]): Promise<void> {
  const roundsAt = argv.indexOf("--rounds");
  const rounds = roundsAt >= 0 ? Number(argv[roundsAt + 1]) : 3;
  const engineAt = argv.indexOf("--engine");
  const settleAt = argv.indexOf("--settle");
  const start: WatchStart = {
    ...(engineAt >= 0 ? { args: [`--sandbox=${argv[engineAt + 1]}`] } : {}),
    ...(settleAt >= 0 ? { settleMs: Number(argv[settleAt + 1]) } : {}),
  };
  const given = argv.find((arg, i) => !arg.startsWith("--") && ![roundsAt + 1, engineAt + 1, settleAt + 1].includes(i));
  const temporary = given ? undefined : mkdtempSync(path.join(os.tmpdir(), "fastest-watch-"));
  const dir = given ? path.resolve(given) : path.join(temporary!, "large");
  if (!given) generateBasicSuite(dir, "large", LARGE_SPEC);
  try {
    for (let round = 1; round <= rounds; round++) {
      const samples = await measureWatchSaves(dir, 3, start);
      const shown = samples.map((s, i) => `save ${i + 1}: first result ${s.firstResultMs.toFixed(0)} ms, file done ${s.fileDoneMs.toFixed(0)} ms`);
      console.log(`round ${round}/${rounds}: ${shown.join("; ")}`);
    }
  } finally {
    if (temporary) rmSync(temporary, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await main(process.argv.slice(2));
}
