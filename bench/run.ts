/**
 * `npm run bench`: generate the suites, race the peers on them, print the
 * results and write docs/BENCHMARKS.md.
 *
 * Options: `--rounds N` (default 5), `--suites small,large`,
 * `--peers fastest,pytest,pytest-n2,pytest-pyodide`.
 */
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { formatCommand, hasGnuTime, runOnce, type RunResult } from "./measure.js";
import { createPeers, PEER_IDS, type Peer } from "./peers.js";
import { probePython, setupXdist } from "./python-env.js";
import { describeMachine, renderReport, suiteTable, summarize } from "./report.js";
import { generateSuite, SUITE_SPECS, type Suite } from "./suites.js";

interface Options {
  rounds: number;
  suites: string[];
  peers: string[] | null;
}

function splitList(value: string | undefined, allowed: readonly string[], what: string): string[] | null {
  if (value === undefined) return null;
  const items = value.split(",").map((item) => item.trim()).filter(Boolean);
  const unknown = items.filter((item) => !allowed.includes(item));
  if (unknown.length > 0) throw new Error(`unknown ${what} ${unknown.join(", ")}: choose from ${allowed.join(", ")}`);
  return items;
}

function parseOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: { rounds: { type: "string" }, suites: { type: "string" }, peers: { type: "string" } },
    strict: true,
  });
  const rounds = values.rounds === undefined ? 5 : Number(values.rounds);
  if (!Number.isInteger(rounds) || rounds < 1) throw new Error(`--rounds must be a positive integer, got ${values.rounds}`);
  const suiteNames = SUITE_SPECS.map((spec) => spec.name);
  return {
    rounds,
    suites: splitList(values.suites, suiteNames, "suite") ?? suiteNames,
    peers: splitList(values.peers, PEER_IDS, "peer"),
  };
}

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

function main(): void {
  const options = parseOptions(process.argv.slice(2));
  const root = findRoot();
  const workDir = path.join(root, "bench", ".suites");
  mkdirSync(workDir, { recursive: true });

  const suites: Suite[] = SUITE_SPECS.filter((spec) => options.suites.includes(spec.name)).map((spec) => generateSuite(workDir, spec));
  const python = probePython();
  const machine = describeMachine(root, python);
  const xdist = setupXdist(python, workDir);
  if (xdist.kind === "unavailable") console.log(`pytest -n 2 is unavailable: ${xdist.reason}`);
  else if (xdist.kind === "debian") console.log(`pytest -n 2 uses ${xdist.note}`);

  const peers = createPeers({ root, fastestCacheDir: path.join(workDir, ".fastest-cache"), python, xdist }, options.peers);
  const runnable = peers.filter((peer) => !peer.unavailable);
  for (const peer of peers) {
    const how = peer.unavailable ? `unavailable, ${peer.unavailable}` : suites[0] ? formatCommand(peer.command(suites[0])) : "";
    console.log(`${peer.label.padEnd(20)} ${how}`);
  }
  const rssFile = hasGnuTime() ? path.join(workDir, "peak-rss.txt") : null;

  // runs[suite][peer] in the order they happened.
  const runs = new Map<string, Map<string, RunResult[]>>(suites.map((suite) => [suite.name, new Map(peers.map((peer) => [peer.id, []]))]));
  const record = (suite: Suite, peer: Peer, result: RunResult): void => {
    runs.get(suite.name)?.get(peer.id)?.push(result);
  };

  for (const suite of suites) {
    for (const peer of runnable) {
      const warm = runOnce(peer.command(suite), suite.tests, null);
      console.log(`warm-up  ${suite.name.padEnd(6)} ${peer.label.padEnd(20)} ${describe(warm)}`);
    }
  }
  for (let round = 0; round < options.rounds; round++) {
    for (const suite of suites) {
      for (const peer of rotate(runnable, round)) {
        const result = runOnce(peer.command(suite), suite.tests, rssFile);
        record(suite, peer, result);
        console.log(`round ${round + 1}/${options.rounds} ${suite.name.padEnd(6)} ${peer.label.padEnd(20)} ${describe(result)}`);
      }
    }
  }

  const tables = suites.map((suite) => suiteTable(suite, summarize(peers, runs.get(suite.name) ?? new Map()), options.rounds));
  const report = renderReport({
    command: ["npm run bench", ...(process.argv.length > 2 ? ["--", ...process.argv.slice(2)] : [])].join(" "),
    machine,
    rounds: options.rounds,
    peers,
    tables,
    rssNote: rssFile
      ? `Peak RSS is GNU time's \`%M\` (the largest single process of the run, so for \`-n 2\` one worker, not the sum).`
      : `Peak RSS was not measured (\`/usr/bin/time\` is missing).`,
  });
  const out = path.join(root, "docs", "BENCHMARKS.md");
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, report);
  console.log(`\n${report}`);
  console.log(`wrote ${path.relative(root, out)}`);
}

try {
  main();
} catch (error) {
  console.error(`bench: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
