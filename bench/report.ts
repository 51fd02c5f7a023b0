/** Turns timed runs into the markdown written to docs/BENCHMARKS.md. */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { RunResult } from "./measure.js";
import type { Peer } from "./peers.js";
import type { PythonInfo } from "./python-env.js";
import type { Suite } from "./suites.js";

export interface Machine {
  cpu: string;
  cores: number;
  memoryGiB: number;
  os: string;
  node: string;
  python: string;
  pytest: string;
  pyodide: string;
  pyodidePython: string;
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

export function describeMachine(root: string, python: PythonInfo): Machine {
  const pyodideDir = path.join(root, "node_modules", "pyodide");
  const pkg = readJson(path.join(pyodideDir, "package.json")) as { version?: string } | null;
  const lock = readJson(path.join(pyodideDir, "pyodide-lock.json")) as { info?: { python?: string } } | null;
  return {
    cpu: os.cpus()[0]?.model.trim() ?? "unknown",
    cores: os.availableParallelism(),
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    os: osName(),
    node: process.version,
    python: python.version,
    pytest: python.pytestVersion,
    pyodide: pkg?.version ?? "unknown",
    pyodidePython: lock?.info?.python ?? "unknown",
    commit: gitCommit(root),
    loadAverage: os.loadavg().map((load) => load.toFixed(2)).join(", "),
  };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export interface PeerSummary {
  peer: Peer;
  ok: number[];
  rssKiB: number[];
  failures: string[];
  /** Passing runs that did not start warm; still timed. */
  cold: number;
}

/** Groups one suite's runs by peer. */
export function summarize(peers: readonly Peer[], runs: ReadonlyMap<string, RunResult[]>): PeerSummary[] {
  return peers.map((peer) => {
    const results = runs.get(peer.id) ?? [];
    const summary: PeerSummary = { peer, ok: [], rssKiB: [], failures: [], cold: 0 };
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

function statusOf(summary: PeerSummary, rounds: number): string {
  if (summary.peer.unavailable) return `unavailable: ${summary.peer.unavailable}`;
  const cold = summary.cold > 0 ? `; ${summary.cold} cold (rebuilt its snapshot)` : "";
  if (summary.failures.length === 0) return `${summary.ok.length}/${rounds} ok${cold}`;
  return `${summary.failures.length}/${rounds} failed: ${summary.failures[0]}${cold}`;
}

/** One suite's table: the fastest / peer column compares medians of passing runs. */
export function suiteTable(suite: Suite, summaries: readonly PeerSummary[], rounds: number): string {
  const fastest = summaries.find((summary) => summary.peer.id === "fastest");
  const fastestMedian = fastest && fastest.ok.length > 0 ? median(fastest.ok) : null;
  const lines = [
    `### ${suite.name}: ${suite.description}`,
    "",
    "| peer | median | min | max | fastest / peer | peak RSS (median) | runs |",
    "|---|---:|---:|---:|---:|---:|---|",
  ];
  for (const summary of summaries) {
    const times = summary.ok;
    const timed = times.length > 0;
    const peerMedian = timed ? median(times) : null;
    const ratio = peerMedian !== null && fastestMedian !== null ? `${(fastestMedian / peerMedian).toFixed(2)}x` : "—";
    const rss = summary.rssKiB.length > 0 ? `${(median(summary.rssKiB) / 1024).toFixed(0)} MiB` : "—";
    lines.push(
      `| ${cell(summary.peer.label)} | ${timed ? seconds(peerMedian!) : "—"} | ${timed ? seconds(Math.min(...times)) : "—"} | ${timed ? seconds(Math.max(...times)) : "—"} | ${ratio} | ${rss} | ${cell(statusOf(summary, rounds))} |`,
    );
  }
  const fastestRss = fastest?.rssKiB ?? [];
  if (fastestRss.length > 0) {
    lines.push("", `fastest peak RSS per passing run: ${fastestRss.map((kib) => (kib / 1024).toFixed(0)).join(", ")} MiB`);
  }
  return lines.join("\n");
}

export interface ReportInput {
  command: string;
  machine: Machine;
  rounds: number;
  peers: readonly Peer[];
  tables: readonly string[];
  rssNote: string;
}

export function renderReport(input: ReportInput): string {
  const { machine } = input;
  return [
    "# Benchmarks",
    "",
    "<!-- Generated by `npm run bench` (bench/run.ts). Do not edit by hand: rerun the command. -->",
    "",
    "This file is regenerated by `npm run bench`; edits made by hand are overwritten.",
    "",
    "## Machine",
    "",
    `- CPU: ${machine.cpu}, ${machine.cores} cores; memory: ${machine.memoryGiB} GiB`,
    `- OS: ${machine.os}`,
    `- Node ${machine.node}; Python ${machine.python}; pytest ${machine.pytest}; Pyodide ${machine.pyodide} (Python ${machine.pyodidePython})`,
    `- fastest at commit ${machine.commit}; load average at start: ${machine.loadAverage}`,
    "",
    "## Method",
    "",
    `Command: \`${input.command}\``,
    "",
    `Wall time of each whole command, spawned as a child process, ${input.rounds} round(s) interleaved:`,
    "each round runs every suite with every peer once (the peer order rotates each round),",
    "so background load hits all peers alike. Every peer first gets one untimed warm-up run",
    "per suite (OS file cache, `__pycache__`, fastest's snapshot cache). A run counts only if",
    "it exits 0 and reports exactly the suite's number of passed tests; failed runs are listed,",
    "not timed. `fastest / peer` divides medians: below 1.00x, fastest is faster. A fastest run",
    "that had to rebuild its snapshot (its harness changed after the warm-up) is timed and flagged cold.",
    input.rssNote,
    "",
    "Peers:",
    "",
    ...input.peers.map((peer) => `- **${peer.label}**: ${peer.note}`),
    "",
    "## Results",
    "",
    input.tables.join("\n\n"),
    "",
  ].join("\n");
}
