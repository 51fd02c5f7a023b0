/**
 * Planning keeps each engine's measured boot times apart (boot-times.json in
 * fastest's cache dir), so that runs on one engine do not change how many
 * workers the other starts, and adds the engine's restore to each file's
 * estimate under `--isolate=file`. Per-file durations stay shared between
 * engines: Python runs at about the same speed on both (docs/BENCHMARKS.md).
 * The CLI's `-v` header says whose figures it planned with.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { defaultBootCostsByEngine } from "../core/cost-model.js";
import { wasiBuildDir } from "../node-host/engine-assets.js";
import { planRun, readBootCosts, recordBootTime, recordRestoreCost } from "../node-host/planning.js";
import { resolveRunConfig } from "../node-host/run-config.js";
import { inlineFiles } from "./helpers/inline-files.js";
import { runCli, testCacheDir } from "./helpers/run-cli.js";

const wasiBuilt = existsSync(path.join(wasiBuildDir, "manifest.json"));

describe("boot times per engine", () => {
  let saved: string | undefined;
  let cache: string;
  beforeEach(() => {
    saved = process.env["FASTEST_CACHE_DIR"];
    cache = mkdtempSync(path.join(os.tmpdir(), "fastest-boot-times-"));
    process.env["FASTEST_CACHE_DIR"] = cache;
  });
  afterEach(() => {
    if (saved === undefined) delete process.env["FASTEST_CACHE_DIR"];
    else process.env["FASTEST_CACHE_DIR"] = saved;
  });

  it("records and reads each engine's boots apart", () => {
    recordBootTime("wasi", 1, 0.1);
    recordBootTime("wasi", 2, 0.16);
    expect(readBootCosts("wasi")).toMatchObject({ engine: "wasi", first: 0.1, measured: true });
    expect(readBootCosts("wasi").extra).toBeCloseTo(0.06);
    // WASI's figures say nothing about Pyodide's.
    expect(readBootCosts("pyodide")).toEqual(defaultBootCostsByEngine.pyodide);
    recordBootTime("pyodide", 1, 0.5);
    expect(readBootCosts("pyodide")).toMatchObject({ engine: "pyodide", first: 0.5, measured: false });
    expect(JSON.parse(readFileSync(path.join(cache, "boot-times.json"), "utf8"))).toEqual({ pyodide: { 1: 0.5 }, wasi: { 1: 0.1, 2: 0.16 } });
    // A moving average: one run does not decide alone.
    recordBootTime("wasi", 1, 0.2);
    expect(readBootCosts("wasi").first).toBeCloseTo(0.13);
  });

  it("learns each engine's cost of a fresh interpreter per file from --isolate=file runs", () => {
    recordBootTime("wasi", 1, 0.1);
    recordRestoreCost("wasi", 0.05);
    expect(readBootCosts("wasi")).toMatchObject({ first: 0.1, restore: 0.05 });
    expect(readBootCosts("pyodide").restore).toBe(defaultBootCostsByEngine.pyodide.restore);
    recordRestoreCost("wasi", 0.15);
    expect(readBootCosts("wasi").restore).toBeCloseTo(0.08);
    // Nothing measured (no clock, no fresh interpreter) records nothing.
    recordRestoreCost("pyodide", Number.NaN);
    expect(JSON.parse(readFileSync(path.join(cache, "boot-times.json"), "utf8"))).toEqual({ wasi: { 1: 0.1, restore: 0.08 } });
  });

  it("drops the older layout, whose figures mixed the engines", () => {
    writeFileSync(path.join(cache, "boot-times.json"), JSON.stringify({ 1: 0.6, 2: 2.9 }));
    expect(readBootCosts("pyodide")).toEqual(defaultBootCostsByEngine.pyodide);
    expect(readBootCosts("wasi")).toEqual(defaultBootCostsByEngine.wasi);
    recordBootTime("wasi", 1, 0.1);
    expect(JSON.parse(readFileSync(path.join(cache, "boot-times.json"), "utf8"))).toEqual({ wasi: { 1: 0.1 } });
  });

  it("plans with the engine's restore added to each file under --isolate=file, and durations shared by both engines", async () => {
    const dir = inlineFiles({
      "test_a.py": "def test_a():\n    pass\n",
      "test_b.py": "def test_b():\n    pass\n",
      ".fastest_cache/v/fastest/durations": JSON.stringify({ "test_a.py": 0.5, "test_b.py": 0.25 }),
    });
    const files = [path.join(dir, "test_a.py"), path.join(dir, "test_b.py")];
    const weights = async (args: string[]) => (await planRun(resolveRunConfig(args, dir, {}, false), files)).files.map((f) => f.weight);
    expect(await weights([])).toEqual([0.5, 0.25]);
    expect(await weights(["--engine", "wasi"])).toEqual([0.5, 0.25]);
    const { restore: pyodideRestore } = defaultBootCostsByEngine.pyodide;
    const { restore: wasiRestore } = defaultBootCostsByEngine.wasi;
    expect(await weights(["--isolate=file"])).toEqual([0.5 + pyodideRestore, 0.25 + pyodideRestore]);
    expect(await weights(["--isolate=file", "--engine", "wasi"])).toEqual([0.5 + wasiRestore, 0.25 + wasiRestore]);
  });
});

describe("the -v header's planning reason", () => {
  it.skipIf(!wasiBuilt)("names the engine whose boot and restore figures it used", () => {
    const dir = inlineFiles({ "test_one.py": "def test_one():\n    pass\n", "test_two.py": "def test_two():\n    pass\n" });
    const workersLine = (engine: string) => {
      const result = runCli(["-v", "--engine", engine, "--isolate=file", "-p", "no:cacheprovider"], dir);
      expect(result.status).toBe(0);
      // The run measured its fresh interpreters for the next plan (this cache dir is shared by the test run).
      const times = JSON.parse(readFileSync(path.join(testCacheDir, "boot-times.json"), "utf8")) as Record<string, Record<string, number>>;
      expect(times[engine]?.["restore"]).toBeGreaterThan(0);
      return /^workers: .*$/m.exec(result.stdout)?.[0] ?? "";
    };
    const figures = "a worker boots in ~[\\d.]+s, \\+[\\d.]+s each more";
    expect(workersLine("pyodide")).toMatch(
      new RegExp(`^workers: \\d sandboxed workers? \\(pyodide\\): ~[\\d.]+s of tests and a fresh interpreter per file \\(~[\\d.]+s each\\) \\(from file sizes\\); ${figures} \\(Pyodide (default figures|figures from earlier runs)\\)$`),
    );
    expect(workersLine("wasi")).toMatch(
      new RegExp(`^workers: \\d sandboxed workers? \\(wasi\\): ~[\\d.]+s of tests and a fresh interpreter per file \\(~[\\d.]+s each\\) \\(from file sizes\\); ${figures} \\(WASI (default figures|figures from earlier runs)\\)$`),
    );
  });
});
