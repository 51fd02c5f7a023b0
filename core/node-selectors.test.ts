import { describe, expect, it } from "vitest";
import { fileOfNodeid, matchesNodeSelector } from "./node-selectors.js";

describe("matchesNodeSelector", () => {
  it("selects everything without selectors", () => {
    expect(matchesNodeSelector("a/test_x.py::test_one", [])).toBe(true);
  });

  it("matches node ids, their children and parametrized variants", () => {
    const selectors = ["a/test_x.py::TestK"];
    expect(matchesNodeSelector("a/test_x.py::TestK::test_one", selectors)).toBe(true);
    expect(matchesNodeSelector("a/test_x.py::TestKind::test_one", selectors)).toBe(false);
    expect(matchesNodeSelector("a/test_x.py::test_p[1]", ["a/test_x.py::test_p"])).toBe(true);
    expect(matchesNodeSelector("a/test_x.py::test_pq", ["a/test_x.py::test_p"])).toBe(false);
  });

  it("matches whole files and folders given beside a node id", () => {
    const selectors = ["a/test_x.py::test_one", "pkg", "b/test_y.py"];
    expect(matchesNodeSelector("pkg/sub/test_z.py::test_z", selectors)).toBe(true);
    expect(matchesNodeSelector("pkgs/test_z.py::test_z", selectors)).toBe(false);
    expect(matchesNodeSelector("b/test_y.py::test_y", selectors)).toBe(true);
    expect(matchesNodeSelector("a/test_x.py::test_two", selectors)).toBe(false);
    expect(matchesNodeSelector("c/test_w.py::test_w", ["a/test_x.py::test_one", ""])).toBe(true);
  });

  it("splits off the file part", () => {
    expect(fileOfNodeid("a/test_x.py::T::t")).toBe("a/test_x.py");
    expect(fileOfNodeid("a/test_x.py")).toBe("a/test_x.py");
  });
});
