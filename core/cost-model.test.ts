import { describe, expect, it } from "vitest";
import { bootCostsFrom, chooseWorkers, defaultBootCosts, estimateWork, predictedSeconds } from "./cost-model.js";
import { measureFileDurations, mergeFileDurations, parseFileDurations } from "./file-durations.js";
import type { PhaseReport } from "./protocol.js";

const boot = { engine: "pyodide", first: 0.3, extra: 0.15, restore: 0.2, measured: true } as const;

describe("estimateWork", () => {
  it("uses cached durations, and sizes at the rate the cached files show", () => {
    const estimate = estimateWork([
      { path: "a", size: 1000, seconds: 2 },
      { path: "b", size: 500 },
    ]);
    expect(estimate.files).toEqual([{ path: "a", weight: 2 }, { path: "b", weight: 1 }]);
    expect(estimate).toMatchObject({ total: 3, largest: 2, measured: 1 });
  });

  it("falls back to the default rate when nothing is cached", () => {
    expect(estimateWork([{ path: "a", size: 100 }], 0.01).total).toBeCloseTo(1);
  });
});

describe("chooseWorkers", () => {
  const estimate = (...seconds: number[]) => estimateWork(seconds.map((s, i) => ({ path: `f${i}`, size: 1, seconds: s })));

  it("keeps a small suite on one worker: a second one costs more to boot than it saves", () => {
    expect(chooseWorkers({ estimate: estimate(0.05, 0.05, 0.1), boot, cores: 8, asked: null }).workers).toBe(1);
  });

  it("adds workers while the work they share outweighs their boot, up to the cores", () => {
    expect(chooseWorkers({ estimate: estimate(1, 1, 1, 1), boot, cores: 2, asked: null }).workers).toBe(2);
    expect(chooseWorkers({ estimate: estimate(1, 1, 1, 1), boot, cores: 8, asked: null }).workers).toBe(4);
  });

  it("does not add workers that would wait on one long file", () => {
    expect(chooseWorkers({ estimate: estimate(3, 0.05, 0.05), boot, cores: 4, asked: null }).workers).toBe(1);
    expect(predictedSeconds(estimate(3, 0.05, 0.05), boot, 2)).toBeGreaterThan(predictedSeconds(estimate(3, 0.05, 0.05), boot, 1));
  });

  it("follows -n, never beyond the files, and says where the estimate came from", () => {
    expect(chooseWorkers({ estimate: estimate(0.01, 0.01), boot, cores: 1, asked: 4 })).toEqual({ workers: 2, reason: "as asked with -n" });
    const mixed = estimateWork([{ path: "a", size: 10, seconds: 1 }, { path: "b", size: 10 }]);
    expect(chooseWorkers({ estimate: mixed, boot, cores: 1, asked: null }).reason).toBe(
      "~2.00s of tests (from cached durations of 1 of 2 files); a worker boots in ~0.30s, +0.15s each more (Pyodide figures from earlier runs)",
    );
  });
});

describe("bootCostsFrom", () => {
  it("derives the cost of each further worker from measured pool boots", () => {
    expect(bootCostsFrom({ 1: 0.3, 2: 0.5, 4: 0.9 })).toMatchObject({ first: 0.3, extra: 0.2, measured: true });
    expect(bootCostsFrom({ 1: 0.3, 3: 1.1 })).toMatchObject({ first: 0.3, extra: 0.4, measured: true });
    expect(bootCostsFrom({})).toEqual(defaultBootCosts);
    // A pair that happened to boot as fast as one worker still costs something.
    expect(bootCostsFrom({ 1: 0.5, 2: 0.45 }).extra).toBe(0.15);
    expect(bootCostsFrom({ 2: 0.5 })).toEqual({ ...defaultBootCosts, measured: false });
  });
});

const phase = (when: PhaseReport["when"], duration: number, subtest?: string): PhaseReport => ({
  when, outcome: "passed", duration, longrepr: null, message: null, skip: null, wasxfail: null, sections: [], ...(subtest ? { subtest } : {}),
});

describe("file durations", () => {
  it("adds up the phases and the collection of files that ran whole, subtests not counted twice", () => {
    const measured = measureFileDurations({
      collectedPerFile: { "a.py": 2, "b.py": 2, "c.py": 0 },
      collectDurations: { "a.py": 0.5, "b.py": 0.1 },
      results: [
        { nodeid: "a.py::t1", reports: [phase("setup", 0.25), phase("call", 1, "sub"), phase("call", 1), phase("teardown", 0.25)] },
        { nodeid: "a.py::t2", reports: [phase("call", 1)] },
        // b.py's second item did not run (-x, -k): its cost would be too low.
        { nodeid: "b.py::t1", reports: [phase("call", 1)] },
      ],
    });
    expect(measured).toEqual({ "a.py": 3 });
  });

  it("averages a file measured again, keeps older entries of files not measured, and reads only numbers back", () => {
    expect(mergeFileDurations({ "b.py": 1, "a.py": 5 }, { "a.py": 2, "c.py": 0.5 })).toEqual({ "a.py": 3.5, "b.py": 1, "c.py": 0.5 });
    expect(parseFileDurations({ "a.py": 1, "b.py": "x", "c.py": -1 })).toEqual({ "a.py": 1 });
    expect(parseFileDurations([1, 2])).toEqual({});
  });
});
