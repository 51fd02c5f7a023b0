/**
 * The Engines section of docs/BENCHMARKS.md: fastest on Pyodide (its default
 * engine) and on CPython built for WASI (`--engine wasi`, issue 8), side by
 * side on the same suites and the memory per worker. A figure that was not
 * measured says so, never a number.
 */
import { medianRssMiB, medianSeconds, type PeerSummary } from "./report.js";
import { perWorkerMiB, type Results } from "./report-targets.js";
import type { WatchByEngine, WatchFigures } from "./watch-row.js";

export interface EnginesInput {
  results: Results;
  /** Why the WASI engine was left out (its build is missing), or null. */
  wasiMissing: string | null;
  /** `fastest --watch` on each engine (bench/watch-row.ts); no rows when neither was measured. */
  watch?: WatchByEngine;
}

interface Row {
  what: string;
  pyodide: number | null;
  wasi: number | null;
  unit: "s" | "MiB" | "ms";
}

/** What a suite's row is called: the collect suite runs `--collect-only`, on warm caches. */
function suiteLabel(suite: string): string {
  return suite === "collect" ? "collect (`--collect-only`, warm cache)" : suite;
}

/** The two watch rows, when either engine's watch session was measured. */
function watchRows(watch: WatchByEngine | undefined): Row[] {
  if (!watch || (watch.pyodide.kind !== "measured" && watch.wasi.kind !== "measured")) return [];
  const ms = (figures: WatchFigures, which: "firstResultMs" | "fileDoneMs"): number | null => (figures.kind === "measured" ? figures[which] : null);
  return [
    { what: "watch: first result after a save", pyodide: ms(watch.pyodide, "firstResultMs"), wasi: ms(watch.wasi, "firstResultMs"), unit: "ms" },
    { what: "watch: that file done", pyodide: ms(watch.pyodide, "fileDoneMs"), wasi: ms(watch.wasi, "fileDoneMs"), unit: "ms" },
  ];
}

function find(results: Results, suite: string, peer: string): PeerSummary | undefined {
  return results.get(suite)?.find((summary) => summary.peer.id === peer);
}

/** One row per suite both engines race on, then the memory figures (the watch rows come after). */
function engineRows(results: Results): Row[] {
  const rows: Row[] = [];
  for (const [suite, summaries] of results) {
    if (suite === "memory") continue;
    const ids = summaries.map((summary) => summary.peer.id);
    if (!ids.includes("fastest") || !ids.includes("fastest-wasi")) continue;
    rows.push({ what: suiteLabel(suite), pyodide: medianSeconds(find(results, suite, "fastest")), wasi: medianSeconds(find(results, suite, "fastest-wasi")), unit: "s" });
  }
  const memory = results.get("memory");
  if (memory?.some((summary) => summary.peer.id.startsWith("fastest-wasi"))) {
    const pyodide = perWorkerMiB(results, "pyodide");
    const wasi = perWorkerMiB(results, "wasi");
    for (const workers of [1, 2]) {
      const figure = (figures: typeof pyodide): number | null => figures.find((entry) => entry.workers === workers)?.mib ?? null;
      rows.push({ what: `memory: per worker, -n ${workers}`, pyodide: figure(pyodide), wasi: figure(wasi), unit: "MiB" });
    }
    rows.push({
      what: "memory: host part alone",
      pyodide: medianRssMiB(find(results, "memory", "fastest-host")),
      wasi: medianRssMiB(find(results, "memory", "fastest-wasi-host")),
      unit: "MiB",
    });
  }
  return rows;
}

function value(figure: number | null, unit: Row["unit"]): string {
  if (figure === null) return "not measured";
  if (unit === "s") return `${figure.toFixed(3)} s`;
  return `${figure.toFixed(0)} ${unit}`;
}

/** WASI / Pyodide; "—" when either is missing or the Pyodide figure is not positive (a per-worker figure can be, under noise). */
function ratio(row: Row): string {
  if (row.pyodide === null || row.wasi === null || row.pyodide <= 0) return "—";
  return `${(row.wasi / row.pyodide).toFixed(2)}x`;
}

/** The section's body (without its heading): a sentence and the table, or why there is none. */
export function enginesSection(input: EnginesInput): string {
  if (input.wasiMissing !== null) return `The WASI engine was not measured: ${input.wasiMissing}.`;
  const rows = [...engineRows(input.results), ...watchRows(input.watch)];
  if (rows.length === 0) return "The WASI engine was not measured: no suite it races on was selected (`--suites`, `--peers`).";
  return [
    "fastest on its default engine, Pyodide, and with `--engine wasi` (CPython built for WASI), on the same suites: medians of the runs in",
    "Results. WASI / Pyodide below 1.00x means the WASI engine is faster (or, for memory, smaller). Memory per worker is worked out",
    "for each engine from its own host part, as for the Targets table. The watch rows time one `fastest --watch` session per engine",
    "on the large suite, from a save to that file's first result and to the run's summary line (medians; see Method).",
    "",
    "| suite | Pyodide | WASI | WASI / Pyodide |",
    "|---|---:|---:|---:|",
    ...rows.map((row) => `| ${row.what} | ${value(row.pyodide, row.unit)} | ${value(row.wasi, row.unit)} | ${ratio(row)} |`),
  ].join("\n");
}
