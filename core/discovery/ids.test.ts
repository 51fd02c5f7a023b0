/**
 * The id rules against pytest itself: python3 with pytest computes the same
 * escapes, float reprs and duplicate suffixes, and they must agree.
 */
import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { asciiEscapedBytes, asciiEscapedText, pythonFloatRepr, uniqueIds } from "./ids.js";

function python<T>(code: string, input: unknown): T {
  const out = execFileSync("python3", ["-c", `import json, sys\ndata = json.load(sys.stdin)\n${code}`], { input: JSON.stringify(input), encoding: "utf8" });
  return JSON.parse(out) as T;
}

const strings = ["", "plain", "a\nb\tc\rd", "\x00\x01\x07\x1b\x7f", "back\\slash", "quote ' and \"", "é", "ü€", "😀", "\u2028", "\x80\xff", "-", "[x]", "a b"];

describe("parametrize ids", () => {
  it("escapes strings as pytest's ascii_escaped does", () => {
    const theirs = python<string[]>("from _pytest.compat import ascii_escaped\nprint(json.dumps([ascii_escaped(s) for s in data]))", strings);
    expect(strings.map(asciiEscapedText)).toEqual(theirs);
  });

  it("escapes bytes as pytest does", () => {
    const bytes = [[0, 9, 10, 13, 32, 65, 126, 127, 128, 255], [], [92, 39, 34]];
    const theirs = python<string[]>("from _pytest.compat import ascii_escaped\nprint(json.dumps([ascii_escaped(bytes(b)) for b in data]))", bytes);
    expect(bytes.map(asciiEscapedBytes)).toEqual(theirs);
  });

  it("prints floats as Python's str does", () => {
    const floats = [0.1, 2.5, 1.0, 100.0, 1e15, 1e16, 1.5e16, 123456789012345680, 1e-4, 1e-5, 0.00012345, 1.5e300, 5e-324, 1e22, 3.141592653589793, -2.5, 1 / 3, 2 ** 53, 9007199254740993];
    const theirs = python<string[]>("print(json.dumps([str(float(x)) for x in data]))", floats);
    expect(floats.map(pythonFloatRepr)).toEqual(theirs);
    expect([-0, Infinity, -Infinity, NaN].map(pythonFloatRepr)).toEqual(["-0.0", "inf", "-inf", "nan"]);
  });

  it("makes duplicate ids unique as pytest 9 does", () => {
    const cases = [["a", "a", "a"], ["a", "a0", "a"], ["1", "1", "2"], ["x1", "x1", "x1_0"], ["", ""], ["b", "c"], ["a", "b", "a", "b", "a0"]];
    const code = [
      "from _pytest.python import IdMaker",
      "from _pytest.mark.structures import ParameterSet",
      "out = []",
      "for ids in data:",
      "    sets = [ParameterSet.param(i, id=i) for i in ids]",
      "    out.append(IdMaker(('x',), sets, None, None, None, None, None).make_unique_parameterset_ids())",
      "print(json.dumps(out))",
    ].join("\n");
    const theirs = python<string[][]>(code, cases);
    expect(cases.map((c) => uniqueIds(c))).toEqual(theirs);
  });
});
