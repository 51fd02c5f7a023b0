/**
 * `--cov` on the WASI engine (Python 3.11, measured with `sys.settrace`)
 * gives the report the Pyodide engine (Python 3.14, `sys.monitoring`) gives:
 * same statements, missed lines, branches and partial branches, in the
 * terminal table, LCOV and Cobertura XML; and the misses coverage.py itself
 * finds on 3.11. A test that replaces or removes the trace function does not
 * end the measurement of the tests after it.
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { wasiBuildDir } from "../node-host/engine-assets.js";
import { findCoveragePy, runCoveragePy } from "./helpers/coverage-py.js";
import { inlineFiles } from "./helpers/inline-files.js";
import { repoRoot, runCli } from "./helpers/run-cli.js";

const wasiBuilt = existsSync(path.join(wasiBuildDir, "manifest.json"));
if (!wasiBuilt) console.warn(`coverage-wasi: skipped: ${wasiBuildDir} is not built (run \`npm run build:wasi\`)`);
const coveragePy = findCoveragePy();

/**
 * A fresh copy of a project. `pythonpath = .` lets its tests import the
 * package from the project folder on both engines (the WASI engine does not
 * put the working folder on `sys.path`, as `pytest` without `python -m` does not).
 */
function projectCopy(from: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "fastest-cov-wasi-"));
  cpSync(from, dir, { recursive: true });
  if (!existsSync(path.join(dir, "pytest.ini"))) writeFileSync(path.join(dir, "pytest.ini"), "[pytest]\npythonpath = .\n");
  return dir;
}

interface EngineReport {
  /** The terminal table, from its header to the TOTAL line. */
  table: string;
  lcov: string;
  /** Cobertura XML without its timestamp. */
  xml: string;
}

/** Run the project with `--cov` on one engine and read back its three reports. */
function coverOn(engine: "pyodide" | "wasi", dir: string, args: string[]): EngineReport {
  const result = runCli(["--engine", engine, ...args, "--cov-report=term-missing", `--cov-report=lcov:${engine}.lcov`, `--cov-report=xml:${engine}.xml`, "-q", "-p", "no:cacheprovider"], dir);
  expect(result.status, result.stdout + result.stderr).toBe(0);
  // pytest-cov's rule names the interpreter's platform and Python.
  expect(result.stdout).toMatch(engine === "wasi" ? /coverage: platform wasi, python 3\.11\./ : /coverage: platform emscripten, python 3\.14\./);
  const table = result.stdout.slice(result.stdout.indexOf("Name "), result.stdout.indexOf("\n", result.stdout.indexOf("TOTAL ")));
  expect(table).toMatch(/^Name .*Branch BrPart/);
  return {
    table,
    lcov: readFileSync(path.join(dir, `${engine}.lcov`), "utf8"),
    xml: readFileSync(path.join(dir, `${engine}.xml`), "utf8").replace(/ timestamp="\d+"/, ""),
  };
}

/** The XML's `missing-branches` of one file, as sorted `from->to` arcs. */
function xmlMissedBranches(xml: string, filename: string): string[] {
  const start = xml.indexOf(`filename="${filename}"`);
  const body = xml.slice(start, xml.indexOf("</class>", start));
  const missed: string[] = [];
  for (const match of body.matchAll(/<line number="(\d+)"[^>]*?missing-branches="([^"]*)"\/>/g)) {
    for (const to of match[2]!.split(",").filter(Boolean)) missed.push(`${match[1]}->${to}`);
  }
  return missed.sort();
}

describe("--cov on the WASI engine", () => {
  it.skipIf(!wasiBuilt).each([
    ["test/fixtures/coverage-engines", "lib"],
    ["test/fixtures/coverage-edge", "lib"],
    ["examples/coverage", "pkg"],
  ])("reports %s as the Pyodide engine does: statements, misses, branches and partial branches", (project, source) => {
    const dir = projectCopy(path.join(repoRoot, project));
    const pyodide = coverOn("pyodide", dir, [`--cov=${source}`, "--cov-branch"]);
    const wasi = coverOn("wasi", dir, [`--cov=${source}`, "--cov-branch"]);
    expect(wasi.table).toBe(pyodide.table);
    expect(wasi.lcov).toBe(pyodide.lcov);
    expect(wasi.xml).toBe(pyodide.xml);
    // Not a report of nothing: each project misses lines and takes branches one way only.
    expect(wasi.table).toMatch(/TOTAL +\d+ +[1-9]\d* +[1-9]\d* +[1-9]\d*/);
  });

  it.skipIf(!wasiBuilt || !coveragePy)(
    "misses the lines and branch exits coverage.py misses on Python 3.11 (skipped without coverage.py: apt-get install python3-coverage python3-pytest)",
    () => {
      const dir = projectCopy(path.join(repoRoot, "test/fixtures/coverage-engines"));
      const reference = runCoveragePy(coveragePy!, dir, "lib", true);
      const wasi = coverOn("wasi", dir, ["--cov=lib", "--cov-branch"]);
      for (const [name, ref] of Object.entries(reference)) {
        const row = wasi.table.split("\n").find((line) => line.startsWith(`${name} `));
        expect(row, `${name} in the table`).toBeDefined();
        const [statements, missed] = row!.trim().split(/\s+/).slice(1, 3).map(Number);
        expect({ name, statements, missed }).toEqual({ name, statements: ref.summary.num_statements, missed: ref.missing_lines.length });
        // coverage.py 6.5 also counts a `with` statement's exit as a branch; fastest does not (on either engine).
        const source = readFileSync(path.join(dir, name), "utf8").split("\n");
        const refMissed = (ref.missing_branches ?? [])
          .filter(([from]) => !source[from - 1]!.trim().startsWith("with "))
          .map(([from, to]) => `${from}->${to < 0 ? "exit" : to}`);
        expect({ name, missed: xmlMissedBranches(wasi.xml, name) }).toEqual({ name, missed: refMissed.sort() });
      }
      const lcov = wasi.lcov.split("\n");
      const missedLines = lcov.filter((line) => /^DA:\d+,0$/.test(line)).map((line) => Number(line.slice(3, line.indexOf(","))));
      expect(missedLines).toEqual(reference["lib/flow.py"]!.missing_lines);
      expect(reference["lib/flow.py"]!.missing_branches!.length).toBeGreaterThan(5);
    },
  );

  it.skipIf(!wasiBuilt)("keeps apart the same function in two files (code objects compare equal whatever their file)", () => {
    const sign = "def sign(x):\n    if x < 0:\n        return -1\n    return 1\n";
    const dir = inlineFiles({
      "pytest.ini": "[pytest]\npythonpath = .\n",
      "one.py": sign,
      "two.py": sign,
      "test_sign.py": "import one\nimport two\n\n\ndef test_sign():\n    assert one.sign(-1) == -1\n    assert two.sign(1) == 1\n",
    });
    const pyodide = coverOn("pyodide", dir, ["--cov=one", "--cov=two", "--cov-branch"]);
    const wasi = coverOn("wasi", dir, ["--cov=one", "--cov=two", "--cov-branch"]);
    expect(wasi.table).toBe(pyodide.table);
    const rows = wasi.table.split("\n").filter((line) => /^(one|two)\.py /.test(line)).map((line) => line.trim().split(/\s+/));
    // Each file misses one line and one side of its `if` (the table leaves out an arc to a missed line, as coverage.py's does).
    expect(rows).toEqual([
      ["one.py", "4", "1", "2", "1", "67%", "4"],
      ["two.py", "4", "1", "2", "1", "67%", "3"],
    ]);
  });

  it.skipIf(!wasiBuilt)("keeps measuring after a test sets or removes its own trace function, and the test's own tracer sees its calls", () => {
    const dir = inlineFiles({
      "pytest.ini": "[pytest]\npythonpath = .\n",
      "mod.py": "def one():\n    return 1\n\n\ndef two():\n    return 2\n\n\ndef three():\n    return 3\n",
      "test_trace.py": [
        "import sys",
        "import mod",
        "",
        "def test_own_tracer():",
        "    calls = []",
        "    def tracer(frame, event, arg):",
        "        calls.append(frame.f_code.co_name)",
        "    sys.settrace(tracer)",
        "    mod.one()",
        "    sys.settrace(None)",
        "    assert calls == ['one']",
        "",
        "def test_after_own_tracer():",
        "    assert mod.two() == 2",
        "",
        "def test_removes_tracer():",
        "    sys.settrace(None)",
        "",
        "def test_after_removal():",
        "    assert mod.three() == 3",
        "",
      ].join("\n"),
    });
    const wasi = coverOn("wasi", dir, ["--cov=.", "--cov-branch"]);
    const mod = wasi.table.split("\n").find((line) => line.startsWith("mod.py "));
    // `one` ran under the test's own tracer only (coverage.py misses it too); `two` and `three` ran after it.
    expect(mod).toMatch(/^mod\.py +6 +1 +0 +0 +83% +2$/);
  });
});
