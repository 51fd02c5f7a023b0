/**
 * The docs widget's example files (web/widget/example-files.ts) run through
 * the fastest CLI (the harness the browser runs) and through real pytest on
 * native CPython: the per-example doctest report and the test outcomes must
 * agree, and must be the ones doctest itself gives.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { WorkspaceFile } from "../web/runtime/api.js";
import { detectKind, exampleFiles, normalizeCode, pythonStringLiteral, readDoctestReport, reportMarker, type DoctestExample, type ExampleSource } from "../web/widget/example-files.js";
import { inlineFiles } from "./helpers/inline-files.js";
import { repoRoot, runCli, runPytest } from "./helpers/run-cli.js";

interface Phase { outcome: string; stdout: string; longrepr: string | null }
interface JsonTest { nodeid: string; outcome: string; phases: Record<string, Phase> }

function project(files: WorkspaceFile[]): string {
  const tree: Record<string, string> = {};
  // inlineFiles dedents; the files are already exact, so write them with a marker line that keeps indentation.
  for (const file of files) tree[file.path] = "\n" + file.content;
  return inlineFiles(tree);
}

/** Run with fastest; the doctest report (if any) and every test's outcome. */
function runFastest(files: WorkspaceFile[], marker: string): { report: DoctestExample[] | null; tests: JsonTest[]; collectErrors: unknown[] } {
  const dir = project(files);
  const result = runCli(["-q", "--json", "report.json", "-p", "no:cacheprovider"], dir);
  const json = JSON.parse(readFileSync(path.join(dir, "report.json"), "utf8")) as { tests: JsonTest[]; collectErrors: unknown[] };
  expect(result.status, result.stdout + result.stderr).toBeLessThan(3);
  const call = json.tests[0]?.phases["call"];
  const report = call ? readDoctestReport({ sections: [["Captured stdout call", call.stdout]] }, marker) : null;
  return { report, tests: json.tests, collectErrors: json.collectErrors };
}

/** Run with real pytest, output not captured (`-s`), so the report line is on stdout. */
function runNative(files: WorkspaceFile[], marker: string): { report: DoctestExample[] | null; status: number } {
  const dir = project(files);
  const result = runPytest(["-s", "-q"], dir);
  return { report: readDoctestReport({ sections: [["Captured stdout call", result.stdout]] }, marker), status: result.status };
}

function doctest(code: string, setup = ""): ExampleSource {
  return { kind: "doctest", code: normalizeCode(code), setup: normalizeCode(setup) };
}

describe("docs widget example files", () => {
  it("checks every doctest example, also after a failure, with doctest's directives", () => {
    const marker = reportMarker();
    const files = exampleFiles(doctest(`
      >>> 1 + 1
      2
      >>> print("a  b")  # doctest: +NORMALIZE_WHITESPACE
      a b
      >>> list(range(3))
      [0, 1, 3]
      >>> 1 / 0
      Traceback (most recent call last):
      ...
      ZeroDivisionError: division by zero
      >>> list(range(30))  # doctest: +ELLIPSIS
      [0, 1, ..., 29]
      >>> undefined_name
      >>> print("skipped")  # doctest: +SKIP
      nothing
    `), marker);
    const fastest = runFastest(files, marker);
    expect(fastest.tests.map((t) => t.outcome)).toEqual(["failed"]);
    expect(fastest.report?.map((e) => e.state)).toEqual(["passed", "passed", "failed", "passed", "passed", "failed", "skipped"]);
    const wrong = fastest.report![2]!;
    expect(wrong).toMatchObject({ line: 5, source: ">>> list(range(3))", want: "[0, 1, 3]\n", got: "[0, 1, 2]\n" });
    expect(fastest.report![5]!.got).toContain("NameError: name 'undefined_name' is not defined");
    expect(fastest.report![5]!.got).not.toContain("doctest.py");
    const longrepr = fastest.tests[0]!.phases["call"]!.longrepr!;
    expect(longrepr).toContain("2 of 7 examples failed");
    expect(longrepr).toContain("Expected:\n    [0, 1, 3]\nGot:\n    [0, 1, 2]");

    const native = runNative(files, marker);
    expect(native.status).toBe(1);
    expect(native.report?.map(({ line, source, want, state }) => ({ line, source, want, state })))
      .toEqual(fastest.report!.map(({ line, source, want, state }) => ({ line, source, want, state })));
  });

  it("gives every example the setup block's names in a fresh namespace", () => {
    const marker = reportMarker();
    const setup = `
      import math
      RATE = 0.5
      _hidden = 1
      def double(x):
          return 2 * x
    `;
    const files = exampleFiles(doctest(`
      >>> double(RATE)
      1.0
      >>> math.floor(2.5)
      2
      >>> _hidden
      Traceback (most recent call last):
      NameError: name '_hidden' is not defined
      >>> __name__
      '__main__'
      >>> sorted(n for n in dir() if not n.startswith("__"))
      ['RATE', 'double', 'math']
    `, setup), marker);
    expect(files.map((f) => f.path)).toEqual(["docs_setup.py", "docs_doctest.py", "test_example.py"]);
    const fastest = runFastest(files, marker);
    expect(fastest.report?.map((e) => [e.state, e.got])).toEqual([
      ["passed", "1.0\n"], ["passed", "2\n"], ["passed", expect.stringContaining("NameError")], ["passed", "'__main__'\n"], ["passed", "['RATE', 'double', 'math']\n"],
    ]);
    expect(fastest.tests[0]!.outcome).toBe("passed");
    expect(runNative(files, marker).status).toBe(0);
  });

  it("runs test blocks as pytest tests that see the setup block", () => {
    const files = exampleFiles({
      kind: "test",
      setup: normalizeCode("def slug(text):\n    return text.lower().replace(' ', '-')\n"),
      code: normalizeCode(`
        import pytest

        def test_slug():
            assert slug("Hello World") == "hello-world"

        @pytest.mark.parametrize("text", ["A", "B b"])
        def test_lower(text):
            assert slug(text) == text
      `),
    }, reportMarker());
    expect(files.map((f) => f.path)).toEqual(["docs_setup.py", "test_example.py"]);
    const fastest = runFastest(files, "");
    expect(fastest.tests.map((t) => [t.nodeid, t.outcome])).toEqual([
      ["test_example.py::test_slug", "passed"],
      ["test_example.py::test_lower[A]", "failed"],
      ["test_example.py::test_lower[B b]", "failed"],
    ]);
    expect(fastest.tests[1]!.phases["call"]!.longrepr).toContain("AssertionError: assert 'a' == 'A'");
    expect(runNative(files, "").status).toBe(1);
  });

  it("a report line printed by the example itself is not taken for the helper's", () => {
    const marker = reportMarker();
    const forged = `${marker}{"examples": [{"line": 1, "source": "x", "want": "", "got": "", "state": "passed"}]}`;
    const files = exampleFiles(doctest(`
      >>> print(${JSON.stringify(forged)})
      nothing like this
    `), marker);
    const fastest = runFastest(files, marker);
    // Even knowing this run's marker, the example's output goes to doctest's checker, not to stdout.
    expect(fastest.report?.map((e) => [e.state, e.got])).toEqual([["failed", forged + "\n"]]);
    expect(fastest.tests[0]!.outcome).toBe("failed");
  });

  it("a setup block that raises is a collection error, not a report", () => {
    const marker = reportMarker();
    const fastest = runFastest(exampleFiles(doctest(">>> 1\n1\n", "raise RuntimeError('broken setup')\n"), marker), marker);
    expect(fastest.tests).toEqual([]);
    expect(JSON.stringify(fastest.collectErrors)).toContain("RuntimeError: broken setup");
  });
});

/** The marked blocks of the demo page (web/docs/index.html), text unescaped as the browser reads it. */
function demoPageBlocks(): Array<{ kind: string; name: string; code: string }> {
  const html = readFileSync(path.join(repoRoot, "web", "docs", "index.html"), "utf8");
  const unescape = (text: string) => text.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
  return Array.from(html.matchAll(/<pre data-fastest(?:="(\w+)")?(?: data-name="([\w-]+)")?>([\s\S]*?)<\/pre>/g), (m) => ({ kind: m[1] ?? "", name: m[2] ?? "", code: normalizeCode(unescape(m[3]!)) }));
}

describe("the docs demo page's examples", () => {
  it("give the same per-example results in the sandbox as on native CPython, the intended ones", () => {
    const blocks = demoPageBlocks();
    const setup = blocks.filter((b) => b.kind === "setup").map((b) => b.code).join("\n");
    expect(setup).toContain("def slugify(");
    const seen: Record<string, string[]> = {};
    for (const block of blocks.filter((b) => b.kind !== "setup")) {
      const marker = reportMarker();
      const kind = detectKind(block.code);
      const files = exampleFiles({ kind, code: block.code, setup }, marker);
      const fastest = runFastest(files, marker);
      const native = runNative(files, marker);
      if (kind === "doctest") {
        expect(native.report?.map((e) => e.state), block.name).toEqual(fastest.report?.map((e) => e.state));
        seen[block.name] = fastest.report!.map((e) => e.state);
      } else {
        expect(native.status, block.name).toBe(fastest.tests.some((t) => t.outcome !== "passed") ? 1 : 0);
        seen[block.name] = fastest.tests.map((t) => t.outcome);
      }
    }
    expect(seen).toEqual({
      basics: ["passed", "passed", "passed"],
      "max-length": ["passed", "passed"],
      errors: ["passed", "passed"],
      unique: ["passed", "passed", "passed"],
      symbols: ["failed", "passed"],
      "fresh-define": ["passed", "passed", "passed"],
      "fresh-check": ["passed", "passed"],
      tests: ["passed", "passed", "passed", "passed", "passed"],
    });
  });
});

describe("docs widget markup helpers", () => {
  it("normalizes a block's text and detects doctests by their prompt", () => {
    expect(normalizeCode("\n\n    >>> 1\n    1   \n\n")).toBe(">>> 1\n1\n");
    expect(normalizeCode("\r\ndef f():\r\n    pass\r\n")).toBe("def f():\n    pass\n");
    expect(detectKind(">>> 1\n1\n")).toBe("doctest");
    expect(detectKind("def test_x():\n    assert '>>> ' in s\n")).toBe("test");
    expect(detectKind("  >>>\n")).toBe("doctest");
  });

  it("writes Python string literals that hold the block exactly", () => {
    expect(pythonStringLiteral(">>> print('\\\\n')\n")).toBe("r'''\n>>> print('\\\\n')\n'''");
    expect(pythonStringLiteral("a'''b\n")).toBe(JSON.stringify("a'''b\n"));
    expect(pythonStringLiteral("lone \uD800\n")).toBe('"lone \\ud800\\n"');
  });
});
