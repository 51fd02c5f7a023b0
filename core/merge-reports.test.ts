import { describe, expect, it } from "vitest";
import { eventFromJson, MergeError, mergedExitCode, mergeReports, parseJsonReport, type NamedReport } from "./merge-reports.js";
import type { PhaseReport, WarningRecord } from "./protocol.js";
import { JsonReporter, jsonTest, type JsonReport } from "./reporters/json.js";
import type { ItemEndEvent } from "./session.js";

const phase = (when: PhaseReport["when"], outcome: PhaseReport["outcome"], extra: Partial<PhaseReport> = {}): PhaseReport => ({
  when,
  outcome,
  duration: 0.01,
  longrepr: null,
  message: null,
  skip: null,
  wasxfail: null,
  sections: [],
  ...extra,
});

const passed = (nodeid: string): ItemEndEvent => ({
  type: "itemEnd",
  nodeid,
  location: [nodeid.split("::")[0]!, 0, nodeid.split("::").slice(1).join(".")],
  reports: [phase("setup", "passed"), phase("call", "passed"), phase("teardown", "passed")],
  properties: [],
});

const failed = (nodeid: string): ItemEndEvent => ({
  ...passed(nodeid),
  reports: [phase("setup", "passed"), phase("call", "failed", { longrepr: "E  assert 0", message: "assert 0" }), phase("teardown", "passed")],
});

const collectionError = { nodeid: "test_broken.py", longrepr: "ImportError: no module named nope", message: "ImportError" };
const collectionWarning: WarningRecord = { nodeid: "", category: "UserWarning", message: "at import", filename: "test_w.py", lineno: 1 };

interface Part {
  events: ItemEndEvent[];
  shard?: { index: number; count: number; selected: string[] };
  warnings?: WarningRecord[];
  exitCode?: number;
  deselected?: number;
}

function build({ events, shard, warnings = [], exitCode = 0, deselected = 0 }: Part): JsonReport {
  const json = new JsonReporter();
  json.sessionStart({ root: "/project", seed: 3, created: "2026-01-01T00:00:00.000Z" });
  const others = shard ? shard.selected.length - events.length : 0;
  json.collectionFinish({ collected: events.length + others + deselected, deselected: others + deselected, errors: [collectionError] });
  for (const warning of warnings) json.warning(warning);
  for (const event of events) json.itemEnd(event);
  return json.report({ duration: 1, exitCode, ...(shard ? { shard: { ...shard, tests: events.length } } : {}) });
}

const named = (reports: JsonReport[]): NamedReport[] => reports.map((report, i) => ({ name: `r${i + 1}.json`, report }));

describe("mergeReports", () => {
  const selected = ["a.py::t1", "a.py::t2", "b.py::t3", "b.py::t4", "c.py::t5"];

  it("puts a split run back in collection order, with shared entries once and counts recomputed", () => {
    const warn = (nodeid: string): WarningRecord => ({ ...collectionWarning, nodeid, message: `from ${nodeid}` });
    const one = build({ events: [passed("a.py::t2"), failed("b.py::t4")], shard: { index: 1, count: 2, selected }, warnings: [collectionWarning, warn("b.py::t4")], exitCode: 1, deselected: 2 });
    const two = build({ events: [passed("a.py::t1"), passed("b.py::t3"), passed("c.py::t5")], shard: { index: 2, count: 2, selected }, warnings: [collectionWarning, warn("a.py::t1")], deselected: 2 });
    const merged = mergeReports(named([two, one]));
    expect(merged.report.tests.map((t) => t.nodeid)).toEqual(selected);
    expect(merged.report.collectErrors).toEqual([collectionError]);
    expect(merged.report.warnings.map((w) => w.message)).toEqual(["at import", "from a.py::t1", "from b.py::t4"]);
    expect(merged.report.summary).toMatchObject({ passed: 4, failed: 1, error: 1, warnings: 3, deselected: 2, collected: 7, total: 5 });
    expect(merged.report.exitCode).toBe(1);
    expect(merged.report.shard).toBeUndefined();
    expect(merged.problems).toEqual([]);
  });

  it("names a missing shard and tests no shard reported", () => {
    const one = build({ events: [passed("a.py::t1"), passed("a.py::t2")], shard: { index: 1, count: 3, selected } });
    expect(mergeReports(named([one])).problems).toEqual(["no report for shard 2/3: its tests are missing from the merged report", "no report for shard 3/3: its tests are missing from the merged report"]);
    const stopped = build({ events: [passed("a.py::t1")], shard: { index: 1, count: 1, selected } });
    expect(mergeReports(named([stopped])).problems).toEqual(["4 selected tests have no result: a shard stopped early (-x, --maxfail, an interruption or collection errors)"]);
  });

  it("refuses parts that do not belong together", () => {
    const shard = (index: number, count: number, ids = selected) => build({ events: [passed(`x.py::t${index}`)], shard: { index, count, selected: ids } });
    expect(() => mergeReports(named([shard(1, 2), shard(1, 2)]))).toThrow(/r1.json and r2.json are both shard 1\/2/);
    expect(() => mergeReports(named([shard(1, 2), shard(2, 3)]))).toThrow(/a shard of 2 but r2.json a shard of 3/);
    expect(() => mergeReports(named([shard(1, 2), shard(2, 2, ["other.py::t"])]))).toThrow(/split different selections/);
    expect(() => mergeReports(named([shard(1, 2), build({ events: [] })]))).toThrow(/r2.json is not a shard's report/);
    expect(() => mergeReports(named([build({ events: [passed("a.py::t1")] }), build({ events: [passed("a.py::t1")] })]))).toThrow(/a.py::t1 is in both r1.json and r2.json/);
    expect(() => mergeReports([])).toThrow(MergeError);
  });

  it("joins reports of separate runs in the order given, adding their counts", () => {
    const merged = mergeReports(named([build({ events: [passed("z.py::t")], deselected: 1 }), build({ events: [failed("a.py::t")], exitCode: 1, deselected: 2 })]));
    expect(merged.report.tests.map((t) => t.nodeid)).toEqual(["z.py::t", "a.py::t"]);
    expect(merged.report.summary).toMatchObject({ passed: 1, failed: 1, deselected: 3, collected: 5 });
  });
});

describe("eventFromJson", () => {
  it("gives back an event whose JSON form is the one it was read from", () => {
    const events: ItemEndEvent[] = [
      {
        ...failed("a.py::TestX::test_y[1]"),
        properties: [["key", "value"]],
        worker: "gw1",
        reports: [
          phase("setup", "passed", { sections: [["Captured stdout setup", "set\n"]] }),
          phase("call", "failed", { subtest: "[one] (i=1)", sections: [["Captured stdout setup", "set\n"], ["Captured stderr call", "sub\n"]], longrepr: "E  x", message: "x" }),
          phase("call", "failed", { sections: [["Captured stdout setup", "set\n"], ["Captured stdout call", "out\n"], ["Captured log call", "INFO x\n"]], longrepr: "E  y", message: "y" }),
          phase("teardown", "failed", { sections: [["Captured stdout setup", "set\n"], ["Captured stdout call", "out\n"], ["Captured log call", "INFO x\n"]], longrepr: "E  z", message: "z" }),
        ],
      },
      { ...passed("b.py::test_skip"), reports: [phase("setup", "skipped", { skip: { path: "b.py", lineno: 3, reason: "Skipped: no" } }), phase("teardown", "passed")] },
      { ...passed("b.py::test_xfail"), reports: [phase("setup", "passed"), phase("call", "skipped", { wasxfail: "reason: known" }), phase("teardown", "passed")] },
    ];
    for (const event of events) {
      const rebuilt = eventFromJson(jsonTest(event));
      expect(jsonTest(rebuilt)).toEqual(jsonTest(event));
      expect(rebuilt.reports.map((r) => r.sections)).toEqual(event.reports.map((r) => r.sections));
    }
  });
});

describe("mergedExitCode", () => {
  it.each([
    [[0, 0], 0],
    [[0, 1], 1],
    [[5, 0], 0],
    [[5, 5], 5],
    [[1, 2], 2],
    [[2, 4, 1], 4],
    [[3, 0], 3],
  ])("%j -> %i", (codes, expected) => {
    expect(mergedExitCode(codes)).toBe(expected);
  });
});

describe("parseJsonReport", () => {
  it("tells a JUnit report apart from broken JSON and says what to give instead", () => {
    expect(() => parseJsonReport('<?xml version="1.0"?>\n<testsuites/>', "shard-1.xml")).toThrow(/^shard-1\.xml is XML \(a JUnit report\?\): .*with --json PATH$/);
    expect(() => parseJsonReport("{oops", "broken.json")).toThrow(/^broken\.json is not JSON \(/);
    expect(() => parseJsonReport("{}", "other.json")).toThrow(MergeError);
  });
});
