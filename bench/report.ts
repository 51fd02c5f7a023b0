/** Turns timed runs into the markdown written to docs/BENCHMARKS.md. */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { RunResult } from "./measure.js";
import type { Options } from "./options.js";
import type { Peer } from "./peers.js";
import type { PythonInfo, XdistSetup } from "./python-env.js";
import type { Suite } from "./suites.js";

export interface Machine {
  cpu: string;
  cores: number;
  memoryGiB: number;
  os: string;
  node: string;
  python: string;
  pytest: string;
  /** e.g. "pytest-xdist 3.1.0" or why it is missing. */
  xdist: string;
  pyodide: string;
  pyodidePython: string;
  /** The WASI engine's CPython version, or why it is missing. */
  wasi: string;
  commit: string;
  loadAverage: string;
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, "utf8"));
  } catch {
    return null;
  }
}

function osName(): string {
  try {
    const pretty = /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(readFileSync("/etc/os-release", "utf8"))?.[1];
    return `${pretty ?? os.type()}, kernel ${os.release()}`;
  } catch {
    return `${os.type()} ${os.release()}`;
  }
}

function gitCommit(root: string): string {
  const head = spawnSync("git", ["rev-parse", "--short", "HEAD"], { cwd: root, encoding: "utf8" });
  if (head.status !== 0) return "unknown";
  const dirty = spawnSync("git", ["status", "--porcelain", "--untracked-files=no"], { cwd: root, encoding: "utf8" });
  return `${head.stdout.trim()}${dirty.stdout.trim() ? " (with uncommitted changes)" : ""}`;
}

/** `wasiBuildDir`: where the WASI engine's build is (node-host/engine-assets.ts). */
export function describeMachine(root: string, python: PythonInfo, xdist: XdistSetup, wasiBuildDir: string): Machine {
  const pyodideDir = path.join(root, "node_modules", "pyodide");
  const pkg = readJson(path.join(pyodideDir, "package.json")) as { version?: string } | null;
  const lock = readJson(path.join(pyodideDir, "pyodide-lock.json")) as { info?: { python?: string } } | null;
  const wasi = readJson(path.join(wasiBuildDir, "manifest.json")) as { python?: string } | null;
  return {
    cpu: os.cpus()[0]?.model.trim() ?? "unknown",
    cores: os.availableParallelism(),
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    os: osName(),
    node: process.version,
    python: python.version,
    pytest: python.pytestVersion,
    xdist: xdist.kind === "unavailable" ? "no pytest-xdist" : `pytest-xdist ${xdist.version}`,
    pyodide: pkg?.version ?? "unknown",
    pyodidePython: lock?.info?.python ?? "unknown",
    wasi: wasi?.python ? `CPython-WASI ${wasi.python}` : "CPython-WASI not built",
    commit: gitCommit(root),
    loadAverage: os.loadavg().map((load) => load.toFixed(2)).join(", "),
  };
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export interface PeerSummary {
  peer: Peer;
  /** Table label (a suite may rename a peer, e.g. "fastest, warm cache"). */
  label: string;
  attempted: number;
  ok: number[];
  rssKiB: number[];
  failures: string[];
  /** Passing runs that did not start warm; still timed. */
  cold: number;
}

/** Median wall time (s) of a peer's passing runs, or null if none passed. */
export function medianSeconds(summary: PeerSummary | undefined): number | null {
  return summary && summary.ok.length > 0 ? median(summary.ok) : null;
}

/** Median peak RSS (MiB) of a peer's passing runs, or null if unmeasured. */
export function medianRssMiB(summary: PeerSummary | undefined): number | null {
  return summary && summary.rssKiB.length > 0 ? median(summary.rssKiB) / 1024 : null;
}

/** Groups one suite's runs by peer, in the suite's peer order. */
export function summarize(suite: Suite, peers: readonly Peer[], runs: ReadonlyMap<string, RunResult[]>): PeerSummary[] {
  return peers.map((peer) => {
    const results = runs.get(peer.id) ?? [];
    const label = suite.labels[peer.id] ?? peer.label;
    const summary: PeerSummary = { peer, label, attempted: results.length, ok: [], rssKiB: [], failures: [], cold: 0 };
    for (const result of results) {
      if (!result.ok) summary.failures.push(result.error);
      else {
        summary.ok.push(result.seconds);
        if (result.cold) summary.cold += 1;
        if (result.peakRssKiB !== null) summary.rssKiB.push(result.peakRssKiB);
      }
    }
    return summary;
  });
}

const seconds = (value: number): string => `${value.toFixed(3)} s`;
const cell = (text: string): string => text.replaceAll("|", "\\|").replaceAll("\n", " ");

function statusOf(summary: PeerSummary): string {
  if (summary.peer.unavailable) return `unavailable: ${summary.peer.unavailable}`;
  if (summary.attempted === 0) return "not run";
  const cold = summary.cold > 0 ? `; ${summary.cold} cold (rebuilt its snapshot)` : "";
  if (summary.failures.length === 0) return `${summary.ok.length}/${summary.attempted} ok${cold}`;
  return `${summary.failures.length}/${summary.attempted} failed: ${summary.failures[0]}${cold}`;
}

/** One suite's table: the fastest / peer column compares medians of passing runs; `notes` follow it. */
export function suiteTable(suite: Suite, summaries: readonly PeerSummary[], notes: readonly string[] = []): string {
  const fastestMedian = medianSeconds(summaries.find((summary) => summary.peer.id === "fastest"));
  const lines = [
    `### ${suite.name}: ${suite.description}`,
    "",
    "| peer | median | min | max | fastest / peer | peak RSS (median) | runs |",
    "|---|---:|---:|---:|---:|---:|---|",
  ];
  for (const summary of summaries) {
    const times = summary.ok;
    const peerMedian = medianSeconds(summary);
    const ratio = peerMedian !== null && fastestMedian !== null ? `${(fastestMedian / peerMedian).toFixed(2)}x` : "—";
    const rss = medianRssMiB(summary);
    lines.push(
      `| ${cell(summary.label)} | ${peerMedian !== null ? seconds(peerMedian) : "—"} | ${times.length ? seconds(Math.min(...times)) : "—"} | ${times.length ? seconds(Math.max(...times)) : "—"} | ${ratio} | ${rss !== null ? `${rss.toFixed(0)} MiB` : "—"} | ${cell(statusOf(summary))} |`,
    );
  }
  for (const summary of summaries) {
    if (summary.peer.id.startsWith("fastest") && summary.rssKiB.length > 1) {
      lines.push("", `${summary.label} peak RSS per passing run: ${summary.rssKiB.map((kib) => (kib / 1024).toFixed(0)).join(", ")} MiB`);
    }
  }
  if (notes.length > 0) lines.push("", ...notes);
  return lines.join("\n");
}

export interface ReportInput {
  command: string;
  machine: Machine;
  options: Options;
  peers: readonly Peer[];
  /** The Targets table (report-targets.ts). */
  targets: string;
  /** The Engines section's body (report-engines.ts). */
  engines: string;
  tables: readonly string[];
  /** Where the time goes (profile.ts). */
  breakdown: string;
  benchSeconds: number;
  measuresRss: boolean;
}

/** A 1-minute load average at start above this marks the figures as noisy. */
const BUSY_LOAD = 0.5;

function method(input: ReportInput): string[] {
  const { options } = input;
  const pyodideRounds = options.pyodideRounds < options.rounds ? ` (pytest in Pyodide, slow and steady, in the first ${options.pyodideRounds === 1 ? "round" : `${options.pyodideRounds} rounds`} only)` : "";
  return [
    `- Wall time of each whole command, spawned as a child process, ${options.rounds} round(s)${pyodideRounds}, interleaved: each round runs every suite with every peer once, the peer order rotating each round, so background load hits all peers alike.`,
    "- Every peer first gets one untimed warm-up run per suite (OS file cache, `__pycache__`, fastest's snapshot and code caches); pytest in Pyodide, which starts cold by design, only on the first suite.",
    "- A run counts only if it exits 0 and reports exactly the suite's number of passed (or, for `--collect-only`, collected) tests; failed runs are listed, not timed. A fastest run that had to rebuild its snapshot (its harness changed after the warm-up) is timed and flagged cold.",
    "- `fastest / peer` divides medians: below 1.00x, fastest is faster. The Targets table uses the same medians.",
    "- **cold cache** (collect): the cold peer has a cache dir of its own, and before each such run the bench removes what fastest keeps there between runs about a project's files: static discovery's cache, the rewritten-code cache and the project's `.fastest_cache` (bench/fastest-caches.ts). The interpreter snapshot, made once per fastest and Pyodide version, is copied in and stays. The warm peers' cache is never cleared, so the other suites keep their rewritten code. pytest keeps its `__pycache__` in both cases.",
    "- **Parallel efficiency** (cpu): the runner's one-worker median wall time divided by (cores × its parallel median), i.e. its speedup per core; for pytest the one-worker run is plain `pytest`.",
    "- **Memory per worker**: (median peak RSS of `fastest -n W` on the large suite − median peak RSS of fastest's host part alone) / W, for W = 1 and 2. The largest process of a fastest run is its sandbox process, which holds the workers; the host part (bench/host-part.ts) loads the CLI's modules, compiles Pyodide, reads the snapshot and the project's files, and starts no worker, about what the sandbox process holds besides its workers; what remains is each worker's thread, its restored wasm heap and the code V8 compiles for it.",
    "- **Engines**: the WASI engine's peers are fastest's own command line with `--sandbox=wasi` (the same as `--engine wasi`); they race in the same rounds as the others and get the same warm-up, which makes their snapshot. They keep a cache dir of their own and run on a copy of each suite (`bench/.suites/wasi/`), so the test durations fastest records for planning (shared by both engines in one project) stay apart; boot times fastest keeps per engine itself. Its memory per worker subtracts its own host part (`host-part.js --engine wasi`). Without the files of `npm run build:wasi` they are left out and the Engines section says so.",
    `- **Watch**: \`measureWatchSaves\` of bench/watch-latency.ts (written with \`--watch\`) on a copy of the large suite: one \`fastest --watch\`, then ${options.rounds} timed save(s) of one test file each (after a warm-up save); medians of the time from the write to the file's first result and to the run's summary line. The Targets table has the default engine's (Pyodide); the same session on the WASI engine (\`--sandbox=wasi\`, its own copy of the suite and cache dir) goes to the Engines section.`,
    input.measuresRss
      ? "- Peak RSS is GNU time's `%M`: the largest single process of the run (so for `pytest -n 2` one process, not the sum; for fastest the sandbox process, whose threads are the workers; the CLI process beside it is smaller)."
      : "- Peak RSS was not measured (`/usr/bin/time` is missing).",
  ];
}

export function renderReport(input: ReportInput): string {
  const { machine } = input;
  const load = Number(machine.loadAverage.split(",")[0]);
  const busy = load >= BUSY_LOAD
    ? ["", `**Noisy:** the machine was busy when this run started (load average ${machine.loadAverage}); treat these figures as rough.`]
    : [];
  return [
    "# Benchmarks",
    "",
    "<!-- Generated by `npm run bench` (bench/run.ts). Do not edit by hand: rerun the command. -->",
    "",
    "This file is regenerated by `npm run bench`; edits made by hand are overwritten.",
    ...busy,
    "",
    "## Machine",
    "",
    `- CPU: ${machine.cpu}, ${machine.cores} cores; memory: ${machine.memoryGiB} GiB`,
    `- OS: ${machine.os}`,
    `- Node ${machine.node}; Python ${machine.python}; pytest ${machine.pytest}; ${machine.xdist}; Pyodide ${machine.pyodide} (Python ${machine.pyodidePython}); ${machine.wasi}`,
    `- fastest at commit ${machine.commit}; load average at start: ${machine.loadAverage}; the whole bench took ${(input.benchSeconds / 60).toFixed(1)} min`,
    "",
    "## Targets",
    "",
    "Issue 4's targets; ratios are fastest's median wall time over the peer's.",
    "",
    input.targets,
    "",
    "## Engines",
    "",
    input.engines,
    "",
    "## Method",
    "",
    `Command: \`${input.command}\``,
    "",
    ...method(input),
    "",
    "Peers:",
    "",
    ...input.peers.map((peer) => `- **${peer.label}**: ${peer.note}`),
    "",
    "## Results",
    "",
    input.tables.join("\n\n"),
    "",
    "## Where the time goes",
    "",
    "One more run of fastest (with `--json`) and of pytest (with `--junitxml`) per suite, outside the timed rounds.",
    "Start-up: process start until the session clock starts (the reports' session duration). Boot, collect, report:",
    "the session minus its tests. Tests: the tests' own setup, call and teardown time; with several workers, the busiest",
    "worker's. The last column adds up every test's time on both sides: how much slower the same Python code runs",
    "in fastest's WebAssembly interpreter than in native CPython (fastest's per-test times include its harness's bookkeeping;",
    "\"—\" where pytest's tests take under 0.05 s in all, too little to compare).",
    "",
    input.breakdown,
    "",
  ].join("\n");
}
