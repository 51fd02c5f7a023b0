/**
 * The bench's own logic: its suites really pass under pytest with the counts
 * it expects, cold collection removes the right caches, and the Targets
 * table's verdicts follow the figures. No timing is asserted here.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { clearCollectionCaches, prepareColdCache, pruneBenchSnapshots } from "../bench/fastest-caches.js";
import { summaryCount } from "../bench/measure.js";
import type { Peer } from "../bench/peers.js";
import type { PeerSummary } from "../bench/report.js";
import { parallelEfficiency, perWorkerMiB, targetsTable, type Results } from "../bench/report-targets.js";
import { generateSuite, type SuiteName } from "../bench/suites.js";

const work = mkdtempSync(path.join(os.tmpdir(), "fastest-bench-test-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function pytest(args: string[]): string {
  const run = spawnSync("python3", ["-m", "pytest", "-q", "-p", "no:cacheprovider", ...args], {
    encoding: "utf8",
    env: { ...process.env, PYTEST_DISABLE_PLUGIN_AUTOLOAD: "1" },
  });
  expect(run.stderr).not.toMatch(/Traceback/);
  return run.stdout;
}

describe("bench suites", () => {
  it.each<SuiteName>(["small", "large", "cpu", "realistic"])("every test of %s passes under pytest, as many as expected", (name) => {
    const suite = generateSuite(work, name, { python: "python3" });
    expect(suite.expect.summary).toBe("passed");
    const output = pytest([suite.dir]);
    expect(summaryCount(output, "passed")).toBe(suite.expect.count);
    expect(output).not.toMatch(/failed|error/);
  });

  it("the collect suite collects 10,000 tests under pytest", () => {
    const suite = generateSuite(work, "collect", { python: "python3" });
    expect(suite.expect).toEqual({ summary: "collected", count: 10_000 });
    expect(summaryCount(pytest(["--collect-only", suite.dir]), "collected")).toBe(10_000);
  });
});

describe("cold collection", () => {
  it("removes fastest's per-file caches and the project's cache folder, and keeps the snapshot", () => {
    const cache = path.join(work, "cache");
    const project = path.join(work, "project");
    for (const dir of ["code-314.0.7-abc", "discovery", path.join(project, ".fastest_cache", "v")]) mkdirSync(path.resolve(cache, dir), { recursive: true });
    writeFileSync(path.join(cache, "pyodide-314.0.7-abc.snapshot"), "");
    clearCollectionCaches(cache, project);
    expect(["code-314.0.7-abc", "discovery"].map((entry) => existsSync(path.join(cache, entry)))).toEqual([false, false]);
    expect(existsSync(path.join(project, ".fastest_cache"))).toBe(false);
    expect(existsSync(path.join(cache, "pyodide-314.0.7-abc.snapshot"))).toBe(true);
  });
});

describe("the cold peer's cache", () => {
  it("copies the snapshot and engine facts into a dir of its own and leaves the warm cache whole", () => {
    const warm = path.join(work, "warm");
    const cold = path.join(work, "cold");
    const project = path.join(work, "cold-project");
    for (const dir of ["code-314.0.7-abc", "discovery", path.join(project, ".fastest_cache", "v")]) mkdirSync(path.resolve(warm, dir), { recursive: true });
    for (const file of ["pyodide-314.0.7-abc.snapshot", "engine-pyodide-314.0.7.json", "boot-times.json"]) writeFileSync(path.join(warm, file), "{}");
    mkdirSync(path.join(cold, "code-314.0.7-abc"), { recursive: true });
    prepareColdCache(warm, cold, project);
    expect(readdirSync(cold).sort()).toEqual(["boot-times.json", "engine-pyodide-314.0.7.json", "pyodide-314.0.7-abc.snapshot"]);
    expect(readdirSync(warm).sort()).toEqual(["boot-times.json", "code-314.0.7-abc", "discovery", "engine-pyodide-314.0.7.json", "pyodide-314.0.7-abc.snapshot"]);
    expect(existsSync(path.join(project, ".fastest_cache"))).toBe(false);
  });
});

describe("bench cache pruning", () => {
  it("keeps the newest snapshot and its code cache only", () => {
    const cache = path.join(work, "prune");
    mkdirSync(cache, { recursive: true });
    for (const [hash, age] of [["old", 100], ["new", 0]] as const) {
      const snapshot = path.join(cache, `pyodide-314.0.7-${hash}.snapshot`);
      writeFileSync(snapshot, "");
      const when = new Date(Date.now() - age * 1000);
      utimesSync(snapshot, when, when);
      mkdirSync(path.join(cache, `code-314.0.7-${hash}`));
    }
    mkdirSync(path.join(cache, "discovery"));
    pruneBenchSnapshots(cache);
    expect(readdirSync(cache).sort()).toEqual(["code-314.0.7-new", "discovery", "pyodide-314.0.7-new.snapshot"]);
  });
});

function summary(id: string, seconds: number[], rssMiB: number[] = []): PeerSummary {
  const peer = { id, label: id, note: "", unavailable: null, command: () => ({}) } as unknown as Peer;
  return { peer, label: id, attempted: seconds.length, ok: seconds, rssKiB: rssMiB.map((mib) => mib * 1024), failures: [], cold: 0 };
}

function row(table: string, suite: string, target: string): string {
  return table.split("\n").find((line) => line.startsWith(`| ${suite} | ${target}`)) ?? "";
}

describe("targets table", () => {
  const results: Results = new Map([
    ["small", [summary("fastest", [0.3, 0.1, 0.2]), summary("pytest", [0.4]), summary("pytest-pyodide", [1])]],
    ["cpu", [summary("fastest", [1]), summary("fastest-n1", [1.8]), summary("pytest", [2]), summary("pytest-n2", [1.25])]],
    ["memory", [summary("fastest-host", [0.3], [100]), summary("fastest-n1", [2], [240]), summary("fastest-n2", [2], [420])]],
  ]);
  const table = targetsTable({ results, cores: 2, watch: { kind: "not-measured", reason: "bench/watch-latency.ts does not exist yet" } });

  it("compares medians against each ceiling and says by how much a target is missed", () => {
    expect(row(table, "small", "<= 0.8x native pytest")).toContain("| 0.50x (0.200 s / 0.400 s) | met |");
    expect(row(table, "small", "<= 0.1x pytest in Pyodide")).toContain("| 0.20x (0.200 s / 1.000 s, 1/5.0) | missed: 2.00x the allowed time |");
  });

  it("reports parallel efficiency as one-worker time over cores × parallel time", () => {
    expect(parallelEfficiency(1.8, 1, 2)).toBeCloseTo(0.9);
    expect(row(table, "cpu", ">= 80% parallel efficiency")).toMatch(/\| 90% .*pytest -n 2: 80% \| met \|$/);
  });

  it("takes memory per worker as (run − host part) / workers and holds the target to the largest", () => {
    expect(perWorkerMiB(results)).toEqual([{ workers: 1, mib: 140 }, { workers: 2, mib: 160 }]);
    expect(row(table, "memory", "<= 150 MiB per worker")).toContain("missed by 10 MiB");
  });

  it("says what was not measured instead of a number", () => {
    expect(row(table, "large", "<= 0.5x native pytest")).toContain("| not measured | — |");
    expect(row(table, "watch", "first result <= 100 ms")).toContain("not measured: bench/watch-latency.ts does not exist yet");
  });
});
