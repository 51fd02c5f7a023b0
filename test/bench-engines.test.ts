/**
 * The bench's WASI engine peers (`npm run bench`, issue 8): they are left out
 * with the reason when the engine is not built, their command lines really
 * pass on a bench suite, the Engines section compares medians and memory per
 * worker of both engines, and the bench's cache keeps each engine's newest
 * snapshot. No timing is asserted here. The runs on the engine itself are
 * skipped with the reason when `npm run build:wasi` has not been run (CI runs it).
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { pruneBenchSnapshots } from "../bench/fastest-caches.js";
import { runOnce } from "../bench/measure.js";
import { createPeers, WASI_PEER_IDS, wasiCacheDir, wasiEngineMissing, type Peer, type PeerContext } from "../bench/peers.js";
import type { PeerSummary } from "../bench/report.js";
import { enginesSection } from "../bench/report-engines.js";
import type { Results } from "../bench/report-targets.js";
import { generateSuite } from "../bench/suites.js";
import { measureWatchSaves } from "../bench/watch-latency.js";
import { watchFigures, type WatchByEngine } from "../bench/watch-row.js";
import { wasiBuildDir } from "../node-host/engine-assets.js";
import { inlineFiles } from "./helpers/inline-files.js";
import { repoRoot, testCacheDir } from "./helpers/run-cli.js";

const wasiBuilt = existsSync(path.join(wasiBuildDir, "manifest.json"));
if (!wasiBuilt) console.warn(`bench-engines: runs on the WASI engine are skipped: ${wasiBuildDir} is not built (run \`npm run build:wasi\`)`);

const work = mkdtempSync(path.join(os.tmpdir(), "fastest-bench-engines-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const context: PeerContext = {
  root: repoRoot,
  fastestCacheDir: testCacheDir,
  python: { executable: "python3", version: "3", pytestVersion: "8", sitePackages: "" },
  xdist: { kind: "unavailable", reason: "not used here" },
};

describe("the WASI engine's peers", () => {
  it("are left out when the engine is not built, the others stay", () => {
    const ids = createPeers(context, null, "build/wasi has no WASI build").map((peer) => peer.id);
    expect(ids).toContain("fastest");
    expect(ids).toContain("fastest-host");
    expect(ids.filter((id) => WASI_PEER_IDS.includes(id))).toEqual([]);
  });

  it("are all there when it is built, and pick the engine with --sandbox=wasi", () => {
    const peers = createPeers(context, null, null);
    expect(peers.map((peer) => peer.id).filter((id) => WASI_PEER_IDS.includes(id)).sort()).toEqual(["fastest-wasi", "fastest-wasi-host", "fastest-wasi-n1", "fastest-wasi-n2"]);
    const suite = generateSuite(work, "small", { python: "python3" });
    const byId = new Map(peers.map((peer) => [peer.id, peer]));
    expect(byId.get("fastest-wasi")!.command(suite).args).toContain("--sandbox=wasi");
    expect(byId.get("fastest-wasi-n2")!.command(suite).args).toEqual(expect.arrayContaining(["--sandbox=wasi", "-n", "2"]));
    expect(byId.get("fastest")!.command(suite).args).not.toContain("--sandbox=wasi");
    expect(suite.peers).toContain("fastest-wasi");
  });

  it("keep a cache dir and a copy of the suite of their own, so their boot times and durations stay out of the Pyodide peers' plans", () => {
    const suite = generateSuite(work, "medium", { python: "python3" });
    // A durations file an earlier Pyodide run left: the copy starts without it.
    mkdirSync(path.join(suite.dir, ".fastest_cache", "v"), { recursive: true });
    const byId = new Map(createPeers(context, null, null).map((peer) => [peer.id, peer]));
    const wasi = byId.get("fastest-wasi")!.command(suite);
    const pyodide = byId.get("fastest")!.command(suite);
    expect(wasi.env["FASTEST_CACHE_DIR"]).toBe(wasiCacheDir(testCacheDir));
    expect(pyodide.env["FASTEST_CACHE_DIR"]).toBe(testCacheDir);
    const copy = path.resolve(repoRoot, wasi.args.at(-1)!);
    expect(copy).toBe(path.join(work, "wasi", "medium"));
    expect(path.resolve(repoRoot, pyodide.args.at(-1)!)).toBe(suite.dir);
    expect(readdirSync(copy).sort()).toEqual(readdirSync(suite.dir).filter((entry) => entry !== ".fastest_cache").sort());
    expect(byId.get("fastest-wasi-host")!.command(suite).args.at(-1)).toBe(wasi.args.at(-1));
  });

  it("race on the collect suite too, with --collect-only on their own copy of it", () => {
    const suite = generateSuite(work, "collect", { python: "python3" });
    expect(suite.peers).toEqual(expect.arrayContaining(["fastest", "fastest-wasi"]));
    expect(suite.labels["fastest-wasi"]).toBe("fastest, WASI engine, warm cache");
    const command = new Map(createPeers(context, null, null).map((peer) => [peer.id, peer])).get("fastest-wasi")!.command(suite);
    expect(command.args).toEqual(expect.arrayContaining(["--sandbox=wasi", "--collect-only"]));
    expect(path.resolve(repoRoot, command.args.at(-1)!)).toBe(path.join(work, "wasi", "collect"));
  });

  it("the reason it is missing names the folder and the command that builds it", () => {
    expect(wasiEngineMissing(repoRoot)).toEqual(wasiBuilt ? null : expect.stringContaining("npm run build:wasi"));
  });

  it.skipIf(!wasiBuilt)(
    "the WASI run of the small suite passes with its expected count, then its host part runs from the cached snapshot",
    () => {
      const suite = generateSuite(work, "small", { python: "python3" });
      const byId = new Map(createPeers(context, ["fastest-wasi", "fastest-wasi-host"], null).map((peer): [string, Peer] => [peer.id, peer]));
      const run = runOnce(byId.get("fastest-wasi")!.command(suite), null);
      expect(run).toMatchObject({ ok: true });
      const host = runOnce(byId.get("fastest-wasi-host")!.command(suite), null);
      expect(host).toMatchObject({ ok: true });
    },
    300_000,
  );
});

describe.skipIf(!wasiBuilt)("the WASI engine's runs, for real", () => {
  it(
    "collects with the collect suite's arguments and counts what it printed as the bench does (on the small suite's files: a cold collect of 10,000 tests takes too long for a test)",
    () => {
      const collect = generateSuite(work, "collect", { python: "python3" });
      const small = generateSuite(work, "small", { python: "python3" });
      const suite = { ...collect, dir: small.dir, expect: { summary: "collected" as const, count: small.expect.count } };
      const peer = createPeers(context, ["fastest-wasi"], null)[0]!;
      expect(runOnce(peer.command(suite), null)).toMatchObject({ ok: true });
      // The count is checked: a wrong one fails the run.
      expect(runOnce(peer.command({ ...suite, expect: { summary: "collected", count: small.expect.count + 1 } }), null)).toMatchObject({ ok: false });
    },
    300_000,
  );

  it(
    "times a save under fastest --watch on the WASI engine (the bench's watch row, on a small suite)",
    async () => {
      const dir = inlineFiles({
        "test_one.py": "def test_one():\n    assert True\n",
        "test_two.py": "def test_two():\n    assert True\n",
      });
      const samples = await measureWatchSaves(dir, 1, { args: ["--sandbox=wasi"], env: { FASTEST_CACHE_DIR: wasiCacheDir(testCacheDir) } });
      const figures = watchFigures(samples);
      expect(figures.kind).toBe("measured");
      if (figures.kind === "measured") {
        expect(figures.firstResultMs).toBeGreaterThan(0);
        expect(figures.fileDoneMs).toBeGreaterThanOrEqual(figures.firstResultMs);
      }
    },
    300_000,
  );
});

function summary(id: string, seconds: number[], rssMiB: number[] = []): PeerSummary {
  const peer = { id, label: id, note: "", unavailable: null, command: () => ({}) } as unknown as Peer;
  return { peer, label: id, attempted: seconds.length, ok: seconds, rssKiB: rssMiB.map((mib) => mib * 1024), failures: [], cold: 0 };
}

function row(section: string, what: string): string {
  return section.split("\n").find((line) => line.startsWith(`| ${what} |`)) ?? "";
}

describe("the Engines section", () => {
  const results: Results = new Map([
    ["small", [summary("fastest", [0.8, 0.9, 0.7]), summary("fastest-wasi", [0.4, 0.6, 0.4]), summary("pytest", [0.2])]],
    ["large", [summary("fastest", [2]), summary("fastest-wasi", []), summary("pytest", [1])]],
    ["collect", [summary("fastest", [0.1]), summary("pytest", [5])]],
    ["realistic", [summary("fastest", [1.2]), summary("pytest", [1])]],
    [
      "memory",
      [
        summary("fastest-host", [0.3], [100]),
        summary("fastest-n1", [2], [240]),
        summary("fastest-n2", [2], [420]),
        summary("fastest-wasi-host", [0.2], [80]),
        summary("fastest-wasi-n1", [3], [110]),
        summary("fastest-wasi-n2", [3], [150]),
      ],
    ],
  ]);
  const section = enginesSection({ results, wasiMissing: null });

  it("divides the WASI engine's median by Pyodide's on each suite both race on", () => {
    expect(row(section, "small")).toBe("| small | 0.800 s | 0.400 s | 0.50x |");
    expect(row(section, "realistic")).toBe("");
  });

  it("names the collect suite's row by what it runs", () => {
    expect(row(section, "collect (`--collect-only`, warm cache)")).toBe("");
    const both: Results = new Map([["collect", [summary("fastest", [0.6, 0.5, 0.7]), summary("fastest-wasi", [0.45]), summary("pytest", [5])]]]);
    expect(row(enginesSection({ results: both, wasiMissing: null }), "collect (`--collect-only`, warm cache)")).toBe("| collect (`--collect-only`, warm cache) | 0.600 s | 0.450 s | 0.75x |");
  });

  it("adds the watch rows from each engine's watch session, saying which was not measured", () => {
    const measured = (firstResultMs: number, fileDoneMs: number) => ({ kind: "measured" as const, firstResultMs, fileDoneMs, samples: [] });
    const both: WatchByEngine = { pyodide: measured(80, 120), wasi: measured(40, 90) };
    const withWatch = enginesSection({ results, wasiMissing: null, watch: both });
    expect(row(withWatch, "watch: first result after a save")).toBe("| watch: first result after a save | 80 ms | 40 ms | 0.50x |");
    expect(row(withWatch, "watch: that file done")).toBe("| watch: that file done | 120 ms | 90 ms | 0.75x |");
    const wasiFailed: WatchByEngine = { pyodide: measured(80, 120), wasi: { kind: "not-measured", reason: "fastest --watch failed" } };
    expect(row(enginesSection({ results, wasiMissing: null, watch: wasiFailed }), "watch: that file done")).toBe("| watch: that file done | 120 ms | not measured | — |");
    const neither: WatchByEngine = { pyodide: { kind: "not-measured", reason: "not selected" }, wasi: { kind: "not-measured", reason: "not selected" } };
    expect(enginesSection({ results, wasiMissing: null, watch: neither })).not.toContain("watch:");
  });

  it("takes the median of the watch samples that hold two times", () => {
    expect(watchFigures([{ firstResultMs: 50, fileDoneMs: 70 }, { firstResultMs: Number.NaN, fileDoneMs: 1 }, { firstResultMs: 30, fileDoneMs: 90 }, { firstResultMs: 40, fileDoneMs: 80 }])).toMatchObject({
      kind: "measured",
      firstResultMs: 40,
      fileDoneMs: 80,
    });
    expect(watchFigures([]).kind).toBe("not-measured");
  });

  it("says a suite's WASI figure was not measured when none of its runs passed", () => {
    expect(row(section, "large")).toBe("| large | 2.000 s | not measured | — |");
  });

  it("works out memory per worker from each engine's own host part", () => {
    expect(row(section, "memory: per worker, -n 1")).toBe("| memory: per worker, -n 1 | 140 MiB | 30 MiB | 0.21x |");
    expect(row(section, "memory: per worker, -n 2")).toBe("| memory: per worker, -n 2 | 160 MiB | 35 MiB | 0.22x |");
    expect(row(section, "memory: host part alone")).toBe("| memory: host part alone | 100 MiB | 80 MiB | 0.80x |");
  });

  it("says why there are no figures instead of a table", () => {
    expect(enginesSection({ results, wasiMissing: "build/wasi has no WASI build" })).toBe("The WASI engine was not measured: build/wasi has no WASI build.");
    const pyodideOnly: Results = new Map([["small", [summary("fastest", [0.8])]]]);
    expect(enginesSection({ results: pyodideOnly, wasiMissing: null })).toMatch(/^The WASI engine was not measured: no suite/);
  });
});

describe("bench cache pruning with both engines", () => {
  it("keeps the newest snapshot of each engine and their code caches", () => {
    const cache = path.join(work, "prune");
    mkdirSync(cache, { recursive: true });
    const entries: Array<[string, number]> = [
      ["pyodide-314.0.7-old", 300],
      ["wasi-cpython-3.11.2-k1-old", 200],
      ["wasi-cpython-3.11.2-k1-new", 100],
      ["pyodide-314.0.7-new", 0],
    ];
    for (const [stamp, age] of entries) {
      const snapshot = path.join(cache, `${stamp}.snapshot`);
      writeFileSync(snapshot, "");
      const when = new Date(Date.now() - age * 1000);
      utimesSync(snapshot, when, when);
      mkdirSync(path.join(cache, `code-${stamp.replace(/^(pyodide|wasi)-/, "")}`));
    }
    mkdirSync(path.join(cache, "discovery"));
    pruneBenchSnapshots(cache);
    expect(readdirSync(cache).sort()).toEqual([
      "code-314.0.7-new",
      "code-cpython-3.11.2-k1-new",
      "discovery",
      "pyodide-314.0.7-new.snapshot",
      "wasi-cpython-3.11.2-k1-new.snapshot",
    ]);
  });
});
