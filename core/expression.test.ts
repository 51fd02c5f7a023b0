import { describe, expect, it } from "vitest";
import { compileExpression, ExpressionError } from "./expression.js";
import { keywordMatcher, markMatcher, selectItems, SelectionError } from "./selection.js";
import type { CollectedItem } from "./protocol.js";

const names = (...present: string[]) => (name: string) => present.includes(name);

describe("compileExpression", () => {
  it.each([
    ["a", true],
    ["not a", false],
    ["a and b", false],
    ["a or b", true],
    ["not (a and b) and a", true],
    ["b or not a or c", false],
    ["a and not b or b", true],
    ["", false],
    ["True", false],
  ])("%s", (input, expected) => {
    expect(compileExpression(input).evaluate(names("a"))).toBe(expected);
  });

  it("binds and tighter than or, and not tightest", () => {
    expect(compileExpression("a or b and c").evaluate(names("a"))).toBe(true);
    expect(compileExpression("not a or b").evaluate(names("a"))).toBe(false);
  });

  it("accepts pytest's identifier characters", () => {
    const seen: string[] = [];
    compileExpression("test_x[1-2] or a.b::c/d\\e+f").evaluate((name) => (seen.push(name), false));
    expect(seen).toEqual(["test_x[1-2]", "a.b::c/d\\e+f"]);
  });

  it("passes keyword arguments with Python's literal types", () => {
    let got: unknown;
    compileExpression("mark(a=1, b='x', c=True, d=None, e=-3)").evaluate((_name, kwargs) => ((got = kwargs), true));
    expect(got).toEqual({ a: 1, b: "x", c: true, d: null, e: -3 });
  });

  it.each([
    ["a and (", 8, "expected not OR left parenthesis OR identifier; got end of input"],
    ["(a", 3, "expected right parenthesis; got end of input"],
    ["a b", 3, "expected end of input; got identifier"],
    ["a & b", 3, 'unexpected character "&"'],
    ["m(x=1", 6, "expected right parenthesis; got end of input"],
    ["m(1x=1)", 3, "not a valid python identifier 1x"],
    ["m(if=1)", 3, "unexpected reserved python keyword `if`"],
    ["m(x=y)", 5, 'unexpected character/s "y"'],
    ["m(x='y)", 5, 'closing quote "\'" is missing'],
  ])("rejects %j at column %i", (input, column, reason) => {
    try {
      compileExpression(input);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ExpressionError);
      expect((error as ExpressionError).column).toBe(column);
      expect((error as ExpressionError).reason).toBe(reason);
    }
  });
});

function item(nodeid: string, keywords: string[], marks: CollectedItem["marks"] = []): CollectedItem {
  return { nodeid, location: [nodeid.split("::")[0]!, 0, ""], markers: marks.map((m) => m.name), keywords, marks };
}

describe("selection", () => {
  const a = item("t.py::test_Parse", ["test_Parse", "t.py", "slow"], [{ name: "slow", kwargs: {} }]);
  const b = item("t.py::TestX::test_b", ["test_b", "TestX", "t.py", "level"], [{ name: "level", kwargs: { n: 2 } }]);

  it("-k matches substrings of keywords, ignoring case", () => {
    expect(compileExpression("parse").evaluate(keywordMatcher(a))).toBe(true);
    expect(compileExpression("testx and not parse").evaluate(keywordMatcher(b))).toBe(true);
    expect(() => compileExpression("x(a=1)").evaluate(keywordMatcher(a))).toThrow(SelectionError);
  });

  it("-m matches mark names and keyword arguments with Python's equality", () => {
    expect(compileExpression("level(n=2)").evaluate(markMatcher(b))).toBe(true);
    expect(compileExpression("level(n=3)").evaluate(markMatcher(b))).toBe(false);
    expect(compileExpression("level").evaluate(markMatcher(b))).toBe(true);
    expect(compileExpression("lev").evaluate(markMatcher(b))).toBe(false);
  });

  it("splits items, deselecting by prefix, -k and -m, and reports bad expressions as pytest does", () => {
    expect(selectItems([a, b], { deselect: ["t.py::TestX"] }).selected).toEqual([a]);
    expect(selectItems([a, b], { keyword: "  b", markexpr: "level" }).deselected).toEqual([a]);
    expect(() => selectItems([a], { markexpr: "(" })).toThrow("Wrong expression passed to '-m': (: at column 2: expected not OR left parenthesis OR identifier; got end of input");
  });
});
