/**
 * The Targets table of docs/BENCHMARKS.md: issue 4's targets, each with what
 * was measured and whether it is met. A target whose runs were not made (or
 * all failed) says "not measured", never a number.
 */
import { medianRssMiB, medianSeconds, type PeerSummary } from "./report.js";
import type { WatchFigures } from "./watch-row.js";

/** Summaries by suite name, then by peer id. */
export type Results = ReadonlyMap<string, readonly PeerSummary[]>;

export interface TargetInput {
  results: Results;
  /** Cores the machine offers (the parallel efficiency's denominator). */
  cores: number;
  watch: WatchFigures;
}

interface Row {
  suite: string;
  target: string;
  measured: string;
  verdict: string;
}

function find(results: Results, suite: string, peer: string): PeerSummary | undefined {
  return results.get(suite)?.find((summary) => summary.peer.id === peer);
}

const NOT_MEASURED = "not measured";
const times = (value: number): string => `${value.toFixed(2)}x`;

/** A `fastest / peer` ratio against a ceiling; `missed` says by how much. */
function ratioRow(input: TargetInput, suite: string, fastestId: string, peerId: string, ceiling: number, target: string): Row {
  const fastest = medianSeconds(find(input.results, suite, fastestId));
  const peer = medianSeconds(find(input.results, suite, peerId));
  if (fastest === null || peer === null) return { suite, target, measured: NOT_MEASURED, verdict: "—" };
  const ratio = fastest / peer;
  const fraction = ratio < 0.5 ? `, 1/${(1 / ratio).toFixed(1)}` : "";
  const measured = `${ratio < 0.1 ? ratio.toFixed(3) : ratio.toFixed(2)}x (${fastest.toFixed(3)} s / ${peer.toFixed(3)} s${fraction})`;
  return { suite, target, measured, verdict: ratio <= ceiling ? "met" : `missed: ${times(ratio / ceiling)} the allowed time` };
}

/**
 * Parallel efficiency of a runner on the cpu suite: its one-worker wall time
 * divided by (cores × its parallel wall time), i.e. speedup per core. 100%
 * means every core did useful work for the whole run.
 */
export function parallelEfficiency(serialSeconds: number, parallelSeconds: number, cores: number): number {
  return serialSeconds / (cores * parallelSeconds);
}

function efficiencyRow(input: TargetInput): Row {
  const target = ">= 80% parallel efficiency";
  const serial = medianSeconds(find(input.results, "cpu", "fastest-n1"));
  const parallel = medianSeconds(find(input.results, "cpu", "fastest"));
  if (serial === null || parallel === null) return { suite: "cpu", target, measured: NOT_MEASURED, verdict: "—" };
  const efficiency = parallelEfficiency(serial, parallel, input.cores);
  const pytestSerial = medianSeconds(find(input.results, "cpu", "pytest"));
  const pytestParallel = medianSeconds(find(input.results, "cpu", "pytest-n2"));
  const reference =
    pytestSerial !== null && pytestParallel !== null
      ? `; pytest -n 2: ${(100 * parallelEfficiency(pytestSerial, pytestParallel, input.cores)).toFixed(0)}%`
      : "";
  const measured = `${(100 * efficiency).toFixed(0)}% (${serial.toFixed(3)} s with -n 1 / (${input.cores} × ${parallel.toFixed(3)} s))${reference}`;
  return { suite: "cpu", target, measured, verdict: efficiency >= 0.8 ? "met" : `missed by ${(100 * (0.8 - efficiency)).toFixed(0)} points` };
}

/** The memory suite's peers of each engine: its host part alone, then its runs with 1 and 2 workers. */
const MEMORY_PEERS = {
  pyodide: { host: "fastest-host", runs: [["fastest-n1", 1], ["fastest-n2", 2]] },
  wasi: { host: "fastest-wasi-host", runs: [["fastest-wasi-n1", 1], ["fastest-wasi-n2", 2]] },
} as const;

/**
 * Memory per worker: (median peak RSS of `fastest -n W` − median peak RSS of
 * its host part alone) / W, on the large suite, for each W measured, on the
 * given engine (Pyodide unless told); the target holds for the largest figure.
 */
export function perWorkerMiB(results: Results, engine: keyof typeof MEMORY_PEERS = "pyodide"): Array<{ workers: number; mib: number }> {
  const peers = MEMORY_PEERS[engine];
  const host = medianRssMiB(find(results, "memory", peers.host));
  if (host === null) return [];
  const figures: Array<{ workers: number; mib: number }> = [];
  for (const [peer, workers] of peers.runs) {
    const run = medianRssMiB(find(results, "memory", peer));
    if (run !== null) figures.push({ workers, mib: (run - host) / workers });
  }
  return figures;
}

function memoryRow(input: TargetInput): Row {
  const target = "<= 150 MiB per worker";
  const figures = perWorkerMiB(input.results);
  const host = medianRssMiB(find(input.results, "memory", "fastest-host"));
  if (figures.length === 0 || host === null) return { suite: "memory", target, measured: NOT_MEASURED, verdict: "—" };
  const worst = Math.max(...figures.map((figure) => figure.mib));
  const measured = `${figures.map((f) => `${f.mib.toFixed(0)} MiB per worker with ${f.workers}`).join(", ")} (host part ${host.toFixed(0)} MiB)`;
  return { suite: "memory", target, measured, verdict: worst <= 150 ? "met" : `missed by ${(worst - 150).toFixed(0)} MiB` };
}

function watchRows(watch: WatchFigures): Row[] {
  const rows: Array<[string, number | null, number]> = [
    ["first result <= 100 ms", watch.kind === "measured" ? watch.firstResultMs : null, 100],
    ["that file done <= 300 ms", watch.kind === "measured" ? watch.fileDoneMs : null, 300],
  ];
  return rows.map(([target, ms, ceiling]) => {
    if (ms === null) return { suite: "watch", target, measured: watch.kind === "measured" ? NOT_MEASURED : `not measured: ${watch.reason}`, verdict: "—" };
    return { suite: "watch", target, measured: `${ms.toFixed(0)} ms`, verdict: ms <= ceiling ? "met" : `missed by ${(ms - ceiling).toFixed(0)} ms` };
  });
}

const cell = (text: string): string => text.replaceAll("|", "\\|");

export function targetsTable(input: TargetInput): string {
  const rows: Row[] = [
    ratioRow(input, "small", "fastest", "pytest", 0.8, "<= 0.8x native pytest"),
    ratioRow(input, "small", "fastest", "pytest-pyodide", 0.1, "<= 0.1x pytest in Pyodide (cold)"),
    ratioRow(input, "large", "fastest", "pytest", 0.5, "<= 0.5x native pytest"),
    ratioRow(input, "large", "fastest", "pytest-n2", 0.5, "<= 0.5x `pytest -n 2`"),
    ratioRow(input, "cpu", "fastest", "pytest-n2", 1, "<= 1x `pytest -n 2`"),
    efficiencyRow(input),
    ratioRow(input, "realistic", "fastest", "pytest", 0.7, "<= 0.7x native pytest"),
    ratioRow(input, "collect", "fastest-cold", "pytest", 1 / 30, "cold cache <= 1/30 of `pytest --collect-only`"),
    ratioRow(input, "collect", "fastest", "pytest", 1 / 100, "warm cache <= 1/100 of `pytest --collect-only`"),
    ...watchRows(input.watch),
    memoryRow(input),
  ];
  return [
    "| suite | target | measured (fastest / peer, medians) | verdict |",
    "|---|---|---|---|",
    ...rows.map((row) => `| ${row.suite} | ${cell(row.target)} | ${cell(row.measured)} | ${row.verdict} |`),
  ].join("\n");
}
