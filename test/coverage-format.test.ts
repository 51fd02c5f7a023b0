/**
 * The coverage figures and texts the host computes from merged data: how
 * coverage.py rounds, groups missed lines and counts branches.
 */
import { describe, expect, it } from "vitest";
import type { CoverageData } from "../core/protocol.js";
import { displayPercent, mergeCoverage, missingText, numbersOf, percentCovered } from "../node-host/coverage-data.js";
import { coverageTable, lcovReport } from "../node-host/coverage-formats.js";

const file = (executed: number[], executedArcs: Array<[number, number]> = []): CoverageData => ({
  warnings: [],
  files: [{ path: "m.py", statements: [1, 2, 4, 6, 7, 9], excluded: [8], executed, arcs: [[2, 4], [2, 6], [7, 9], [7, -1]], executedArcs }],
});

describe("coverage figures", () => {
  it("rounds like coverage.py: never 0% or 100% unless exactly so", () => {
    expect(displayPercent(0)).toBe("0%");
    expect(displayPercent(0.4)).toBe("1%");
    expect(displayPercent(99.6)).toBe("99%");
    expect(displayPercent(100)).toBe("100%");
    expect(displayPercent(87.5)).toBe("88%");
  });

  it("groups missed statements across lines that are no statements, and lists missed exits of lines that ran", () => {
    const merged = mergeCoverage([file([1, 2, 9], [[2, 4]])], true);
    // 4, 6, 7 are consecutive statements (5 is none); 2->6 went to a missed line, so 6 says it.
    expect(missingText(merged.files[0]!, true)).toBe("4-7");
    const ran = mergeCoverage([file([1, 2, 4, 6, 7], [[2, 4], [7, 9]])], true);
    expect(missingText(ran.files[0]!, true)).toBe("2->6, 7->exit, 9");
  });

  it("merges workers: a line or an exit taken in any of them counts, and every figure follows", () => {
    const merged = mergeCoverage([file([1, 2, 4], [[2, 4]]), file([1, 2, 6, 7, 9], [[2, 6], [7, 9]])], true);
    const n = numbersOf(merged.files[0]!);
    expect(n).toEqual({ statements: 6, missing: 0, branches: 4, partialBranches: 1, missingBranches: 1 });
    expect(percentCovered(n)).toBe(90);
    expect(coverageTable(merged, { missing: true, skipCovered: false })).toEqual([
      "Name    Stmts   Miss Branch BrPart  Cover   Missing",
      "---------------------------------------------------",
      "m.py        6      0      4      1    90%   7->exit",
    ]);
    expect(lcovReport(merged)).toBe(
      ["TN:", "SF:m.py", "DA:1,1", "DA:2,1", "DA:4,1", "DA:6,1", "DA:7,1", "DA:9,1", "LF:6", "LH:6",
        "BRDA:2,0,0,1", "BRDA:2,0,1,1", "BRDA:7,0,0,1", "BRDA:7,0,1,0", "BRF:4", "BRH:3", "end_of_record", ""].join("\n"),
    );
  });

  it("leaves fully covered files out with skip-covered and says how many", () => {
    const merged = mergeCoverage(
      [{ warnings: [], files: [{ path: "a.py", statements: [1], excluded: [], executed: [1] }, { path: "b.py", statements: [1, 2], excluded: [], executed: [1] }] }],
      false,
    );
    expect(coverageTable(merged, { missing: false, skipCovered: true })).toEqual([
      "Name    Stmts   Miss  Cover",
      "---------------------------",
      "b.py        2      1    50%",
      "---------------------------",
      "TOTAL       3      1    67%",
      "",
      "1 file skipped due to complete coverage.",
    ]);
  });
});
