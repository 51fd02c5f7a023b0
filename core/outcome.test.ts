import { describe, expect, it } from "vitest";
import {
  emptyTally,
  exitCode,
  formatDuration,
  itemOutcome,
  itemOutcomes,
  phaseStatus,
  summaryColor,
  summaryText,
  tallyReports,
} from "./outcome.js";
import type { PhaseReport } from "./protocol.js";

function phase(when: PhaseReport["when"], outcome: PhaseReport["outcome"], wasxfail: string | null = null): PhaseReport {
  return { when, outcome, duration: 0.001, longrepr: null, message: null, skip: null, wasxfail, sections: [] };
}

const passing = [phase("setup", "passed"), phase("call", "passed"), phase("teardown", "passed")];

describe("item outcomes", () => {
  it.each([
    ["passed", passing, ["passed"], "passed"],
    ["failed call", [phase("setup", "passed"), phase("call", "failed"), phase("teardown", "passed")], ["failed"], "failed"],
    ["setup error", [phase("setup", "failed"), phase("teardown", "passed")], ["error"], "error"],
    ["skip in setup", [phase("setup", "skipped"), phase("teardown", "passed")], ["skipped"], "skipped"],
    ["pass + teardown error", [phase("setup", "passed"), phase("call", "passed"), phase("teardown", "failed")], ["passed", "error"], "error"],
    ["fail + teardown error", [phase("setup", "passed"), phase("call", "failed"), phase("teardown", "failed")], ["failed", "error"], "failed"],
    ["xfailed", [phase("setup", "passed"), phase("call", "skipped", "bug"), phase("teardown", "passed")], ["xfailed"], "xfailed"],
    ["xfail run=False", [phase("setup", "skipped", "not run"), phase("teardown", "passed")], ["xfailed"], "xfailed"],
    ["xpassed", [phase("setup", "passed"), phase("call", "passed", ""), phase("teardown", "passed")], ["xpassed"], "xpassed"],
  ] as const)("%s", (_name, reports, outcomes, outcome) => {
    expect(itemOutcomes(reports)).toEqual(outcomes);
    expect(itemOutcome(reports)).toBe(outcome);
  });

  it("gives pytest's letters and words", () => {
    expect(phaseStatus(phase("setup", "failed"))).toEqual({ category: "error", letter: "E", word: "ERROR" });
    expect(phaseStatus(phase("teardown", "passed"))).toEqual({ category: "", letter: "", word: "" });
    expect(phaseStatus(phase("call", "skipped", "r")).letter).toBe("x");
    expect(phaseStatus(phase("call", "passed", "r")).word).toBe("XPASS");
  });
});

describe("summary line", () => {
  it("orders and pluralises like pytest 9", () => {
    const tally = { ...emptyTally(), failed: 3, passed: 10, skipped: 1, deselected: 2, xfailed: 2, xpassed: 1, warnings: 1, error: 2 };
    expect(summaryText(tally, 0.523)).toBe(
      "3 failed, 10 passed, 1 skipped, 2 deselected, 2 xfailed, 1 xpassed, 1 warning, 2 errors in 0.52s",
    );
    expect(summaryText({ ...emptyTally(), error: 1, warnings: 2 }, 0)).toBe("2 warnings, 1 error in 0.00s");
    expect(summaryText(emptyTally(), 0.01)).toBe("no tests ran in 0.01s");
  });

  it("formats long durations with a clock", () => {
    expect(formatDuration(75)).toBe("75.00s (0:01:15)");
    expect(formatDuration(3725.5)).toBe("3725.50s (1:02:05)");
    expect(formatDuration(90000)).toBe("90000.00s (1 day, 1:00:00)");
  });

  it("picks pytest's colour", () => {
    expect(summaryColor({ ...emptyTally(), passed: 2, error: 1 })).toBe("red");
    expect(summaryColor({ ...emptyTally(), passed: 2, warnings: 1 })).toBe("yellow");
    expect(summaryColor({ ...emptyTally(), passed: 2, xpassed: 1 })).toBe("yellow");
    expect(summaryColor({ ...emptyTally(), passed: 2, skipped: 3, xfailed: 1 })).toBe("green");
    expect(summaryColor({ ...emptyTally(), skipped: 3 })).toBe("yellow");
    expect(summaryColor(emptyTally())).toBe("yellow");
    expect(summaryColor({ ...emptyTally(), skipped: 3 }, false)).toBe("green");
  });
});

describe("exit code", () => {
  const tally = (reports: PhaseReport[][]) => reports.reduce((t, r) => tallyReports(t, r), emptyTally());
  it("follows pytest", () => {
    expect(exitCode({ tally: tally([passing]), selected: 1, collectErrors: 0 })).toBe(0);
    expect(exitCode({ tally: tally([[phase("setup", "failed")]]), selected: 1, collectErrors: 0 })).toBe(1);
    expect(exitCode({ tally: tally([passing]), selected: 1, collectErrors: 1 })).toBe(2);
    expect(exitCode({ tally: { ...tally([passing]), error: 1 }, selected: 1, collectErrors: 1, continueOnCollectionErrors: true })).toBe(1);
    expect(exitCode({ tally: tally([passing]), selected: 1, collectErrors: 0, interrupted: true })).toBe(2);
    expect(exitCode({ tally: emptyTally(), selected: 0, collectErrors: 0 })).toBe(5);
    expect(exitCode({ tally: { ...emptyTally(), deselected: 4 }, selected: 0, collectErrors: 0 })).toBe(5);
  });
});
