/**
 * Property-based fuzzing of what the person running `fastest` types or
 * writes: the `-k`/`-m` expression parser, the command line, and the config
 * files. Bad input must end as one of the errors the CLI prints as
 * `ERROR: ...` with exit 4, never as an exception the CLI does not expect
 * (a stack trace). Seeds are fixed, so every run tries the same inputs.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { UsageError } from "../../core/cli-args.js";
import { compileExpression, ExpressionError } from "../../core/expression.js";
import { parseIni } from "../../core/ini.js";
import { markMatcher, SelectionError, selectItems } from "../../core/selection.js";
import { ConfigError, findRootdir } from "../../node-host/project.js";
import { resolveRunConfig } from "../../node-host/run-config.js";

const params = { seed: 20261121, numRuns: 2000 };

/** Run `action`; an error must be one of `allowed`, anything else fails the property with its stack. */
function onlyThrows(allowed: (new (...args: never[]) => Error)[], action: () => unknown): void {
  try {
    action();
  } catch (error) {
    if (allowed.some((type) => error instanceof type)) return;
    throw new Error(`unexpected ${(error as Error).constructor?.name}: ${(error as Error).stack ?? String(error)}`);
  }
}

// Pieces that reach every branch of the tokenizer and the parser.
const expressionPiece = fc.constantFrom(
  "(", ")", " ", "\t", "and", "or", "not", "x", "test_a", "T1", "=", ",", "'", '"', "\\", "1", "-3", "True", "None",
  "def", "a.b", "[0]", "/", ":", "\0", "é", "\u{1F600}", "\n", "\u00a0",
);
const expressionText = fc.oneof(fc.string({ unit: "binary", maxLength: 40 }), fc.array(expressionPiece, { maxLength: 25 }).map((p) => p.join("")));

type Tree = { name: string } | { not: Tree } | { op: "and" | "or"; left: Tree; right: Tree };
const names = ["a", "b", "test_x", "Foo", "x1", "nota", "ander", "or_"];
const tree: fc.Arbitrary<Tree> = fc.letrec<{ tree: Tree }>((tie) => ({
  tree: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.constantFrom(...names).map((name) => ({ name })),
    tie("tree").map((operand) => ({ not: operand })),
    fc.record({ op: fc.constantFrom("and" as const, "or" as const), left: tie("tree"), right: tie("tree") }),
  ),
})).tree;

const precedence = (t: Tree) => ("name" in t ? 4 : "not" in t ? 3 : t.op === "and" ? 2 : 1);

/** Render with the fewest parentheses the precedence needs, plus those `extra` asks for. */
function render(t: Tree, extra: () => boolean): string {
  const child = (c: Tree, min: number) => {
    const text = render(c, extra);
    return precedence(c) < min || extra() ? `(${text})` : text;
  };
  if ("name" in t) return t.name;
  if ("not" in t) return `not ${child(t.not, 3)}`;
  const min = t.op === "and" ? 2 : 1;
  // The right operand of a left-associative operator needs parentheses at equal precedence.
  return `${child(t.left, min)} ${t.op} ${child(t.right, min + 1)}`;
}

function reference(t: Tree, truth: Record<string, boolean>): boolean {
  if ("name" in t) return truth[t.name]!;
  if ("not" in t) return !reference(t.not, truth);
  return t.op === "and" ? reference(t.left, truth) && reference(t.right, truth) : reference(t.left, truth) || reference(t.right, truth);
}

describe("the -k/-m expression parser under fuzzing", () => {
  it("throws nothing but ExpressionError for arbitrary text, and evaluates whatever it accepts", () => {
    fc.assert(
      fc.property(expressionText, fc.boolean(), (text, answer) => {
        onlyThrows([ExpressionError], () => compileExpression(text).evaluate(() => answer));
      }),
      params,
    );
  });

  it("agrees with a reference evaluator on generated expressions", () => {
    fc.assert(
      fc.property(tree, fc.array(fc.boolean(), { minLength: names.length, maxLength: names.length }), fc.array(fc.boolean(), { maxLength: 64 }), (t, bits, parens) => {
        const truth = Object.fromEntries(names.map((n, i) => [n, bits[i]!]));
        let p = 0;
        const text = render(t, () => parens[p++ % Math.max(1, parens.length)] ?? false);
        expect(compileExpression(text).evaluate((name) => truth[name]!), text).toBe(reference(t, truth));
      }),
      params,
    );
  });

  it("turns deep nesting into a usage error, not a stack overflow", () => {
    for (const text of ["(".repeat(100_000) + "a" + ")".repeat(100_000), "not ".repeat(100_000) + "a", "a and ".repeat(100_000) + "a", "a or not ".repeat(100_000) + "a"]) {
      onlyThrows([ExpressionError], () => compileExpression(text).evaluate(() => true));
    }
    expect(() => compileExpression("(".repeat(501) + "a" + ")".repeat(501))).toThrow(/at column 501: more than 500 nested "not" or parentheses/);
    // Ordinary nesting still works.
    expect(compileExpression("(".repeat(50) + "a" + ")".repeat(50)).evaluate(() => true)).toBe(true);
  });

  it("matches a mark keyword only when the mark has it, whatever its name (__proto__, constructor)", () => {
    const item = (kwargs: Record<string, string>) => ({ nodeid: "t.py::t", keywords: ["t"], markers: ["slow"], marks: [{ name: "slow", kwargs }] });
    expect(compileExpression("slow(constructor=1)").evaluate(markMatcher(item({}) as never))).toBe(false);
    expect(compileExpression("slow(__proto__=1)").evaluate(markMatcher(item({}) as never))).toBe(false);
    expect(compileExpression("slow(__proto__='x')").evaluate(markMatcher(item(JSON.parse('{"__proto__": "x"}')) as never))).toBe(true);
  });

  it("reports bad -k and -m text only as SelectionError during selection", () => {
    const items = [{ nodeid: "test_a.py::test_one", keywords: ["test_one", "test_a.py"], markers: ["slow"] }];
    fc.assert(
      fc.property(expressionText, expressionText, (keyword, markexpr) => {
        onlyThrows([SelectionError], () => selectItems(items as never, { keyword, markexpr }));
      }),
      params,
    );
  });
});

/** Arguments made of real option names, values and junk. */
const argPiece = fc.oneof(
  fc.constantFrom(
    "-k", "-m", "-n", "-x", "-q", "-v", "-vvq", "-p", "-W", "-c", "-o", "-rA", "-nabc", "-n=2", "--timeout", "--timeout=-1", "--timeout=abc",
    "--max-memory", "--max-memory=12", "--seed", "--seed=-4", "--maxfail", "--maxfail=x", "--tb", "--tb=nope", "--color=maybe", "--durations=x",
    "--json", "--junitxml", "--rootdir", "--deselect", "--lf", "--ff", "--sw", "--capture=bogus", "--import-mode=x", "-", "--", "--=", "---",
    "--timeout=", "-k=", "abc", "-1", "1e999", "NaN", "\0", "é", "::", "x::y::z", "",
  ),
  fc.string({ unit: "binary", maxLength: 12 }),
);

describe("the command line under fuzzing", () => {
  const cwd = mkdtempSync(path.join(os.tmpdir(), "fastest-fuzz-cli-"));
  it("resolves arbitrary argv to a config or a usage/config error", () => {
    fc.assert(
      fc.property(fc.array(argPiece, { maxLength: 8 }), (argv) => {
        onlyThrows([UsageError, ConfigError], () => resolveRunConfig(argv, cwd, {}, false));
      }),
      { ...params, numRuns: 3000 },
    );
  });
});

const iniLine = fc.oneof(
  fc.constantFrom("[pytest]", "[tool:pytest]", "[", "]", "[]", "addopts = -x", "addopts = -n abc", "addopts = --timeout -1", "addopts = '", "timeout = abc",
    "timeout = -1", "testpaths = a b", "markers =", "  slow: slow tests", "python_files = *", "xfail_strict = maybe", "key", "=", ":", "# c", "; c", "\0", "\ufeff[pytest]",
    "minversion = 99", "required_plugins = nope", "filterwarnings = error::Nope", "log_level = LOUD", "console_output_style = odd", "norecursedirs = ["),
  fc.string({ unit: "binary", maxLength: 30 }),
);
const tomlLine = fc.oneof(
  fc.constantFrom("[tool.pytest.ini_options]", "[tool.pytest]", "[tool]", "pytest = 1", "[tool.pytest.ini_options.x]", 'addopts = "-x"', "addopts = ['-n', 'abc']",
    'timeout = "abc"', "timeout = -1", "timeout = 1e400", "testpaths = 5", "testpaths = [1, {a = 1}]", "markers = [[]]", "ini_options = 3", 'x = """', "a.b.c = 1",
    "[[tool.pytest.ini_options]]", "= 1", "'", "\0", "tool = 1", "python_files = {}"),
  fc.string({ unit: "binary", maxLength: 30 }),
);

describe("config files under fuzzing", () => {
  it("parseIni returns sections or throws a message naming the line", () => {
    fc.assert(
      fc.property(fc.array(iniLine, { maxLength: 12 }), (lines) => {
        try {
          parseIni(lines.join("\n"));
        } catch (error) {
          expect((error as Error).constructor).toBe(Error);
          expect((error as Error).message).toMatch(/^line \d+: /);
        }
      }),
      params,
    );
  });

  it("names the table and option when pyproject.toml holds a table where a value belongs", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "fastest-fuzz-toml-"));
    const cases: [string, RegExp][] = [
      ["[[tool.pytest.ini_options]]\n", /\[tool\.pytest\.ini_options\] must be a table of options, not a list/],
      ["[tool.pytest.ini_options]\nmarkers = [{ a = 1 }]\n", /option 'markers' holds a table; use a string or a list of strings/],
      ["[tool]\npytest = 1\n", /\[tool\.pytest\] must be a table of options, not the number 1/],
    ];
    for (const [text, message] of cases) {
      writeFileSync(path.join(dir, "pyproject.toml"), text);
      expect(() => findRootdir([], dir)).toThrow(ConfigError);
      expect(() => findRootdir([], dir)).toThrow(message);
    }
  });

  for (const [file, line] of [["pytest.ini", iniLine], ["tox.ini", iniLine], ["setup.cfg", iniLine], ["pyproject.toml", tomlLine]] as const) {
    it(`a fuzzed ${file} gives a run config or a usage/config error`, () => {
      const dir = mkdtempSync(path.join(os.tmpdir(), "fastest-fuzz-config-"));
      const header = file === "pyproject.toml" ? "[tool.pytest.ini_options]" : file === "setup.cfg" ? "[tool:pytest]" : "[pytest]";
      fc.assert(
        fc.property(fc.boolean(), fc.array(line, { maxLength: 8 }), (withHeader, lines) => {
          writeFileSync(path.join(dir, file), [...(withHeader ? [header] : []), ...lines].join("\n"));
          onlyThrows([UsageError, ConfigError], () => {
            findRootdir([], dir);
            resolveRunConfig([], dir, {}, false);
          });
        }),
        { ...params, numRuns: 500 },
      );
    });
  }
});
