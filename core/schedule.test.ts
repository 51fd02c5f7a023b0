import { describe, expect, it } from "vitest";
import { partitionFiles } from "./schedule.js";

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
