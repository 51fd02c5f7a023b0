import { describe, expect, it } from "vitest";
import { iniArgs, iniLines, iniList, parseIni } from "./ini.js";

describe("parseIni", () => {
  it("reads sections, both separators and continuation lines", () => {
    const sections = parseIni(["# comment", "[pytest]", "addopts = -q", "markers =", "    slow: slow tests", "    db: uses the db", "xfail_strict: true", "[other]", "x=1"].join("\n"));
    expect(sections.get("pytest")).toEqual({ addopts: "-q", markers: "slow: slow tests\ndb: uses the db", xfail_strict: "true" });
    expect(iniLines(sections.get("pytest")!["markers"])).toEqual(["slow: slow tests", "db: uses the db"]);
    expect(sections.get("other")).toEqual({ x: "1" });
  });

  it("names the line it cannot read", () => {
    expect(() => parseIni("[pytest]\nthis is not a pair")).toThrow(/line 2/);
  });

  it("splits addopts like a shell line (pytest's shlex.split)", () => {
    expect(iniArgs(`-W "ignore:a b:UserWarning" -p no:x\n--doctest-glob='*.md' a\\ b ""`)).toEqual([
      "-W", "ignore:a b:UserWarning", "-p", "no:x", "--doctest-glob=*.md", "a b", "",
    ]);
  });

  it("splits list values on whitespace", () => {
    expect(iniList("test_*.py  check_*.py\n*_spec.py")).toEqual(["test_*.py", "check_*.py", "*_spec.py"]);
  });
});
