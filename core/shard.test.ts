import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatTestDurations, parseShard, parseTestDurations, planShards, selectShard, updateTestDurations } from "./shard.js";
import type { CollectedItem } from "./protocol.js";

const item = (nodeid: string): CollectedItem => ({ nodeid, location: [nodeid.split("::")[0]!, 0, nodeid], markers: [], keywords: [] });

describe("parseShard", () => {
  it("reads K/N", () => {
    expect(parseShard("2/4")).toEqual({ index: 2, count: 4 });
    expect(parseShard(" 1 / 1 ")).toEqual({ index: 1, count: 1 });
  });
  it.each(["0/3", "4/3", "1/0", "3", "a/b", "1/2/3", "-1/2", ""])("refuses %j", (text) => {
    expect(() => parseShard(text)).toThrow(/--shard: invalid value.*K\/N/);
  });
});

describe("planShards", () => {
  it("puts every test in exactly one shard, whatever the order it comes in", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.string({ minLength: 1, maxLength: 6 }), { maxLength: 40 }),
        fc.integer({ min: 1, max: 6 }),
        fc.dictionary(fc.string({ minLength: 1, maxLength: 6 }), fc.double({ min: 0, max: 5, noNaN: true })),
        (ids, count, durations) => {
          const plan = planShards(ids, count, durations);
          expect(plan.shards).toHaveLength(count);
          expect(plan.shards.flat().sort()).toEqual([...ids].sort());
          // Same partition from a reversed list: order never decides.
          const reversed = planShards([...ids].reverse(), count, durations);
          expect(reversed.shards.map((shard) => [...shard].sort())).toEqual(plan.shards.map((shard) => [...shard].sort()));
        },
      ),
    );
  });

  it("balances by stored time, longest first", () => {
    const durations = { a: 6, b: 5, c: 4, d: 3, e: 2, f: 1 };
    const plan = planShards(["a", "b", "c", "d", "e", "f"], 2, durations);
    // Greedy longest first: a(6) | b(5); c -> second (9) ... totals 11 and 10.
    expect(plan.shards).toEqual([["a", "d", "e"], ["b", "c", "f"]]);
    expect(plan.expected).toEqual([11, 10]);
    expect(plan.estimated).toBe(0);
  });

  it("counts an unknown test as the median of the known ones", () => {
    const plan = planShards(["slow", "x", "y", "new1", "new2"], 2, { slow: 10, x: 1, y: 3 });
    expect(plan.estimated).toBe(2);
    expect(plan.estimateSeconds).toBe(3);
    expect(plan.shards[0]).toEqual(["slow"]);
    expect(plan.expected).toEqual([10, 10]);
  });

  it("splits by count when nothing is stored, and tests of no time still spread", () => {
    const ids = Array.from({ length: 7 }, (_, i) => `t${i}`);
    expect(planShards(ids, 3, {}).shards.map((s) => s.length)).toEqual([3, 2, 2]);
    const zero = Object.fromEntries(ids.map((id) => [id, 0]));
    expect(planShards(ids, 3, zero).shards.map((s) => s.length)).toEqual([3, 2, 2]);
  });
});

describe("selectShard", () => {
  it("keeps collection order and deselects the other shards' tests", () => {
    const items = ["b.py::t1", "a.py::t2", "a.py::t3", "c.py::t4"].map(item);
    const parts = [1, 2].map((index) => selectShard(items, { index, count: 2 }, {}));
    expect(parts[0]!.items.length + parts[1]!.items.length).toBe(4);
    for (const part of parts) {
      const order = items.map((i) => i.nodeid).filter((id) => part.items.some((i) => i.nodeid === id));
      expect(part.items.map((i) => i.nodeid)).toEqual(order);
      expect(part.deselected).toHaveLength(4 - part.items.length);
      expect(part.summary.selected).toEqual(items.map((i) => i.nodeid));
    }
  });
});

describe("durations file", () => {
  it("is sorted, one test a line, in milliseconds, and reads back", () => {
    const text = formatTestDurations({ "b.py::t": 0.12345, "a.py::t[1]": 2 });
    expect(text).toBe('{\n  "a.py::t[1]": 2,\n  "b.py::t": 0.123\n}\n');
    expect(parseTestDurations(JSON.parse(text))).toEqual({ "a.py::t[1]": 2, "b.py::t": 0.123 });
    expect(parseTestDurations({ ok: 1, bad: "x", neg: -1 })).toEqual({ ok: 1 });
    expect(formatTestDurations({})).toBe("{}\n");
    expect(parseTestDurations([["a.py::t", 1.5], ["bad"], [2, 3]])).toEqual({ "a.py::t": 1.5 });
  });

  it("updates the measured tests and drops the ones that are gone", () => {
    const phase = (duration: number, subtest?: string) => ({ duration, ...(subtest ? { subtest } : {}) });
    const updated = updateTestDurations(
      { "a.py::old": 9, "gone.py::t": 2, "a.py::kept": 3 },
      [{ nodeid: "a.py::old", reports: [phase(0.25), phase(0.5), phase(0.1, "[x]"), phase(0.25)] }],
      (nodeid) => !nodeid.startsWith("gone.py"),
    );
    expect(updated).toEqual({ "a.py::old": 1, "a.py::kept": 3 });
  });
});
