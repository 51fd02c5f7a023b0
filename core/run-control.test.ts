import { describe, expect, it } from "vitest";
import { collectOnlyLines, collectOnlySummaryParts } from "./reporters/collect-only.js";
import { durationsSection } from "./reporters/durations.js";
import { applyLastFailed, sortFailedFirst, updateLastFailed } from "./last-failed.js";
import { StopTracker, stopAfterCollection } from "./run-stop.js";
import { applyStepwise, formatAge } from "./stepwise.js";
import { STOP_NONE, type CollectedItem, type PhaseReport } from "./protocol.js";

function report(when: PhaseReport["when"], outcome: PhaseReport["outcome"], duration = 0): PhaseReport {
  return { when, outcome, duration, longrepr: null, message: null, skip: null, wasxfail: null, sections: [] };
}
const item = (nodeid: string, nodes?: CollectedItem["nodes"]): CollectedItem => ({ nodeid, location: ["", 0, ""], markers: [], keywords: [], ...(nodes ? { nodes } : {}) });

describe("StopTracker", () => {
  it("stops after the N-th failure in collection order, whatever order results arrive in", () => {
    const stop = new StopTracker(2, 0);
    expect(stop.limit).toBe(STOP_NONE);
    stop.record(7, [report("call", "failed")]);
    stop.record(9, [report("call", "failed")]);
    expect(stop.limit).toBe(10);
    stop.record(2, [report("setup", "failed")]);
    expect(stop.limit).toBe(8);
    expect(stop.reason).toBe("stopping after 2 failures");
    expect(stop.control([1, 3])?.indices).toEqual([1, 3]);
  });

  it("counts collection errors first and truncates collection at the one that reaches maxfail", () => {
    const collection = { items: [item("a.py::t"), item("c.py::t")], errors: [{ nodeid: "b.py" }, { nodeid: "d.py" }], skipped: [] };
    const rank = (nodeid: string) => "abcd".indexOf(nodeid[0]!);
    expect(stopAfterCollection(collection, 1, rank)).toBe("stopping after 1 failures");
    expect(collection.items.map((i) => i.nodeid)).toEqual(["a.py::t"]);
    expect(collection.errors).toEqual([{ nodeid: "b.py" }]);
  });
});

describe("--collect-only listing", () => {
  const items = [
    item("t.py::TestX::test_a", [{ type: "Dir", name: "root" }, { type: "Module", name: "t.py" }, { type: "Class", name: "TestX", doc: "Doc." }, { type: "Function", name: "test_a" }]),
    item("t.py::test_b", [{ type: "Dir", name: "root" }, { type: "Module", name: "t.py" }, { type: "Function", name: "test_b" }]),
  ];
  it("prints a tree, ids or per-file counts", () => {
    expect(collectOnlyLines(items, 0)).toEqual(["<Dir root>", "  <Module t.py>", "    <Class TestX>", "      <Function test_a>", "    <Function test_b>"]);
    expect(collectOnlyLines(items, 1)).toContain("      Doc.");
    expect(collectOnlyLines(items, -1)).toEqual(["t.py::TestX::test_a", "t.py::test_b"]);
    expect(collectOnlyLines(items, -2)).toEqual(["t.py: 2"]);
  });
  it("ends with pytest's collected line", () => {
    expect(collectOnlySummaryParts(3, 1, 0).parts[0]!.text).toBe("2/3 tests collected (1 deselected)");
    expect(collectOnlySummaryParts(1, 0, 2).parts.map((p) => p.text)).toEqual(["1 test collected", "2 errors"]);
  });
});

describe("--durations", () => {
  it("lists the slowest phases and hides the fast ones", () => {
    const section = durationsSection(
      [{ nodeid: "t.py::a", reports: [report("setup", "passed", 0.2), report("call", "passed", 1.234), report("teardown", "passed", 0)] }],
      { count: 0, min: null, verbosity: 0 },
    );
    expect(section).toEqual({
      title: "slowest durations",
      lines: ["1.23s call     t.py::a", "0.20s setup    t.py::a", "", "(1 durations < 0.005s hidden.  Use -vv to show these durations.)"],
    });
  });
});

describe("last failed and stepwise", () => {
  it("orders failing files first, folder by folder", () => {
    expect(sortFailedFirst(["a/x.py", "a/y.py", "b/z.py"], new Set(["b", "b/z.py", "a/y.py", "a"]))).toEqual(["a/y.py", "a/x.py", "b/z.py"]);
  });
  it("reruns failures and records outcomes", () => {
    const lf = applyLastFailed([item("t.py::a"), item("t.py::b")], { "t.py::b": true }, { lastFailed: true, failedFirst: false, noFailures: "all", skippedFiles: 1 });
    expect(lf.status).toBe("rerun previous 1 failure (skipped 1 file)");
    expect(lf.items.map((i) => i.nodeid)).toEqual(["t.py::b"]);
    const next = updateLastFailed({ "t.py::b": true, "bad.py": true }, [{ nodeid: "bad.py", failed: false, children: ["bad.py::t"] }], [
      { nodeid: "t.py::b", reports: [report("call", "passed")] },
      { nodeid: "t.py::a", reports: [report("call", "failed")] },
    ]);
    expect(next).toEqual({ "bad.py::t": true, "t.py::a": true });
  });
  it("skips to last time's failure", () => {
    const info = { last_failed: "t.py::b", last_test_count: 2, last_cache_date_str: "2020-01-01T00:00:00.000000" };
    const sw = applyStepwise([item("t.py::a"), item("t.py::b")], info, { reset: false, now: new Date(2020, 0, 1, 0, 0, 5) });
    expect(sw.deselected.map((i) => i.nodeid)).toEqual(["t.py::a"]);
    expect(sw.status[0]).toBe("skipping 1 already passed items (cache from 0:00:05 ago, use --sw-reset to discard).");
    expect(formatAge(90061)).toBe("1 day, 1:01:01");
  });
});
