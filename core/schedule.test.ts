import { describe, expect, it } from "vitest";
import { automaticWorkerCount, bytesPerExtraWorker, partitionFiles } from "./schedule.js";

describe("partitionFiles", () => {
  it("balances by weight and keeps each bin in the original order", () => {
    const files = [
      { path: "a", weight: 1 },
      { path: "b", weight: 10 },
      { path: "c", weight: 5 },
      { path: "d", weight: 5 },
    ];
    const bins = partitionFiles(files, 2);
    expect(bins).toEqual([["a", "b"], ["c", "d"]]);
  });

  it("never makes more bins than files", () => {
    expect(partitionFiles([{ path: "a", weight: 1 }], 4)).toEqual([["a"]]);
  });
});

describe("automaticWorkerCount", () => {
  const files = (count: number, weight: number) => Array.from({ length: count }, (_, i) => ({ path: `f${i}`, weight }));

  it("keeps small suites on one worker", () => {
    expect(automaticWorkerCount(8, files(10, 1300))).toBe(1);
  });

  it("adds a worker per share of test source, up to the cores and the files", () => {
    expect(automaticWorkerCount(8, files(4, bytesPerExtraWorker))).toBe(4);
    expect(automaticWorkerCount(2, files(50, 4000))).toBe(2);
    expect(automaticWorkerCount(8, files(3, bytesPerExtraWorker * 10))).toBe(3);
  });
});
