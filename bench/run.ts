/**
 * `npm run bench`: generate the suites, race the peers on them, measure the
 * watch latency, print the results and write docs/BENCHMARKS.md.
 *
 * Options: see bench/options.ts (`--rounds N`, `--pyodide-rounds N`,
 * `--suites small,large,...`, `--peers fastest,pytest,...`, `--out FILE`).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { extractBrowserSection, replaceBrowserSection } from "./browser-section.js";
import { pruneBenchSnapshots } from "./fastest-caches.js";
import { formatCommand, hasGnuTime, runOnce, type RunResult } from "./measure.js";
import { parseOptions, USAGE } from "./options.js";
import { breakdownTable, profileSuites } from "./profile.js";
import { wasiBuildDir } from "../node-host/engine-assets.js";
import { createPeers, wasiCacheDir, wasiEngineMissing, type Peer } from "./peers.js";
import { probePython, setupXdist } from "./python-env.js";
import { describeMachine, medianSeconds, renderReport, suiteTable, summarize, type PeerSummary } from "./report.js";
import { enginesSection } from "./report-engines.js";
import { parallelEfficiency, perWorkerMiB, targetsTable } from "./report-targets.js";
import { generateSuite, SUITE_NAMES, type Suite } from "./suites.js";
import { measureWatchRows, type WatchByEngine } from "./watch-row.js";

/** The repository root: the nearest folder above this file holding package.json. */
function findRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, "package.json"))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error("could not find the repository root (no package.json above bench/)");
    dir = parent;
  }
  return dir;
}

/** Keeps the progress log readable when a run fails with a long message. */
function describe(result: RunResult): string {
  if (result.ok) return `${result.seconds.toFixed(3)} s${result.cold ? " (cold: rebuilt its snapshot)" : ""}`;
  return `FAILED after ${result.seconds.toFixed(1)} s: ${result.error}`;
}

/** Rotates the peer order each round so no peer always runs right after another. */
function rotate<T>(items: readonly T[], by: number): T[] {
  const shift = items.length === 0 ? 0 : by % items.length;
  return [...items.slice(shift), ...items.slice(0, shift)];
}

/** Lines under a suite's table that derive figures from it. */
function suiteNotes(suite: Suite, summaries: readonly PeerSummary[], cores: number): string[] {
  const seconds = (id: string): number | null => medianSeconds(summaries.find((summary) => summary.peer.id === id));
  if (suite.name === "cpu") {
    const pairs: Array<[string, string, string]> = [["fastest", "fastest-n1", "fastest"], ["pytest -n 2", "pytest", "pytest-n2"]];
    const parts = pairs.flatMap(([label, serialId, parallelId]) => {
      const serial = seconds(serialId);
      const parallel = seconds(parallelId);
      return serial !== null && parallel !== null ? [`${label} ${(100 * parallelEfficiency(serial, parallel, cores)).toFixed(0)}%`] : [];
    });
    return parts.length > 0 ? [`Parallel efficiency (one-worker median / (${cores} cores × parallel median)): ${parts.join(", ")}.`] : [];
  }
  if (suite.name === "memory") {
    const results = new Map([[suite.name, summaries]]);
    return (["pyodide", "wasi"] as const).flatMap((engine) => {
      const figures = perWorkerMiB(results, engine);
      const which = engine === "wasi" ? ", WASI engine" : "";
      return figures.length > 0 ? [`Per worker${which} ((peak RSS of the run − peak RSS of the host part) / workers): ${figures.map((f) => `${f.mib.toFixed(0)} MiB with ${f.workers}`).join(", ")}.`] : [];
    });
  }
  return [];
}

/** Why the WASI engine's watch session is left out: its build is missing, or `--peers` names no WASI peer. */
function wasiWatchMissing(wasiMissing: string | null, peers: readonly string[] | null): string | null {
  if (wasiMissing) return wasiMissing;
  return peers && !peers.includes("fastest-wasi") ? "--peers does not name fastest-wasi" : null;
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const started = performance.now();
  const root = findRoot();
  const workDir = path.join(root, "bench", ".suites");
  mkdirSync(workDir, { recursive: true });

  const python = probePython();
  const xdist = setupXdist(python, workDir);
  const machine = describeMachine(root, python, xdist, wasiBuildDir);
  const suites = SUITE_NAMES.filter((name) => options.parts.includes(name)).map((name) => generateSuite(workDir, name, { python: python.executable }));
  if (xdist.kind === "unavailable") console.log(`pytest -n 2 is unavailable: ${xdist.reason}`);
  else if (xdist.kind === "debian") console.log(`pytest -n 2 uses ${xdist.note}`);

  const fastestCacheDir = path.join(workDir, ".fastest-cache");
  pruneBenchSnapshots(fastestCacheDir);
  pruneBenchSnapshots(wasiCacheDir(fastestCacheDir));
  const wasiMissing = wasiEngineMissing(root);
  if (wasiMissing) console.log(`the WASI engine is left out: ${wasiMissing}`);
  const peers = createPeers({ root, fastestCacheDir, python, xdist }, options.peers, wasiMissing);
  const byId = new Map(peers.map((peer) => [peer.id, peer]));
  const peersOf = (suite: Suite): Peer[] => suite.peers.flatMap((id) => byId.get(id) ?? []);
  const usedPeers = peers.filter((peer) => suites.some((suite) => suite.peers.includes(peer.id)));
  for (const peer of usedPeers) {
    const suite = suites.find((candidate) => candidate.peers.includes(peer.id));
    const how = peer.unavailable ? `unavailable, ${peer.unavailable}` : suite ? formatCommand(peer.command(suite)) : "";
    console.log(`${peer.label.padEnd(20)} ${how}`);
  }
  const rssFile = hasGnuTime() ? path.join(workDir, "peak-rss.txt") : null;

  // runs[suite][peer] in the order they happened.
  const runs = new Map<string, Map<string, RunResult[]>>(suites.map((suite) => [suite.name, new Map(peersOf(suite).map((peer) => [peer.id, []]))]));
  // pytest in Pyodide warms up once: its cost is its own cold start, the same for every suite.
  const warmedOnce = new Set<string>();
  for (const suite of suites) {
    for (const peer of peersOf(suite).filter((candidate) => !candidate.unavailable && !warmedOnce.has(candidate.id))) {
      if (peer.id === "pytest-pyodide") warmedOnce.add(peer.id);
      const warm = runOnce(peer.command(suite), null);
      console.log(`warm-up  ${suite.name.padEnd(9)} ${peer.label.padEnd(20)} ${describe(warm)}`);
    }
  }
  for (let round = 0; round < options.rounds; round++) {
    for (const suite of suites) {
      const racing = peersOf(suite).filter((peer) => !peer.unavailable && (peer.id !== "pytest-pyodide" || round < options.pyodideRounds));
      for (const peer of rotate(racing, round)) {
        const result = runOnce(peer.command(suite), rssFile);
        runs.get(suite.name)?.get(peer.id)?.push(result);
        console.log(`round ${round + 1}/${options.rounds} ${suite.name.padEnd(9)} ${peer.label.padEnd(20)} ${describe(result)}`);
      }
    }
  }
  console.log("profiling: one more run of fastest (--json) and pytest (--junitxml) per suite");
  const breakdowns = profileSuites(suites, byId.get("fastest"), byId.get("pytest"), workDir);
  const notSelected = { kind: "not-measured", reason: "not selected with --suites" } as const;
  const watch: WatchByEngine = options.parts.includes("watch")
    ? await measureWatchRows(workDir, { pyodide: fastestCacheDir, wasi: wasiCacheDir(fastestCacheDir) }, wasiWatchMissing(wasiMissing, options.peers), options.rounds, (line) => console.log(line))
    : { pyodide: notSelected, wasi: notSelected };
  if (watch.pyodide.kind === "not-measured") console.log(`watch: not measured: ${watch.pyodide.reason}`);
  if (watch.wasi.kind === "not-measured") console.log(`watch, WASI engine: not measured: ${watch.wasi.reason}`);

  const cores = os.availableParallelism();
  const results = new Map(suites.map((suite) => [suite.name, summarize(suite, peersOf(suite), runs.get(suite.name) ?? new Map())]));
  const tables = suites.map((suite) => suiteTable(suite, results.get(suite.name) ?? [], suiteNotes(suite, results.get(suite.name) ?? [], cores)));
  const report = renderReport({
    command: ["npm run bench", ...(process.argv.length > 2 ? ["--", ...process.argv.slice(2)] : [])].join(" "),
    machine,
    options,
    peers: usedPeers,
    targets: targetsTable({ results, cores, watch: watch.pyodide }),
    engines: enginesSection({ results, wasiMissing, watch }),
    tables,
    breakdown: breakdownTable(breakdowns),
    benchSeconds: (performance.now() - started) / 1000,
    measuresRss: rssFile !== null,
  });
  const out = options.out ? path.resolve(options.out) : path.join(root, "docs", "BENCHMARKS.md");
  mkdirSync(path.dirname(out), { recursive: true });
  // The browser figures come from another bench (bench/browser.ts): keep them.
  const browserSection = existsSync(out) ? extractBrowserSection(readFileSync(out, "utf8")) : null;
  writeFileSync(out, browserSection === null ? report : replaceBrowserSection(report, browserSection));
  console.log(`\n${report}`);
  console.log(`wrote ${path.relative(root, out)} after ${((performance.now() - started) / 1000).toFixed(0)} s`);
}

main().catch((error: unknown) => {
  console.error(`bench: ${error instanceof Error ? error.message : String(error)}`);
  if (error instanceof Error && /unknown|must be/.test(error.message)) console.error(USAGE);
  process.exitCode = 1;
});
