/**
 * Malformed input from the person running `fastest`, through the real CLI:
 * each gives a short `ERROR: ...` naming what is wrong and pytest's exit
 * code, never a stack trace. Where pytest itself handles the input, its exit
 * code is the oracle; where pytest crashes (a non-UTF-8 ini-file), fastest
 * must still give a clear usage error.
 */
import { mkdirSync, mkdtempSync, symlinkSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { inlineFiles } from "../helpers/inline-files.js";
import { runCli, runPytest, type CliResult } from "../helpers/run-cli.js";

const testFile = { "test_a.py": "def test_a():\n    pass\n" };

/** No JavaScript or Python stack trace, and the error fits in the usage line plus one line of message. */
function expectCleanError(result: CliResult, message: RegExp): void {
  const output = result.stdout + result.stderr;
  expect(output).not.toMatch(/\n\s+at |Traceback|Node\.js v\d|INTERNALERROR/);
  const errorLines = result.stderr.split("\n").filter((line) => line.trim() !== "");
  expect(errorLines.length, result.stderr).toBeLessThanOrEqual(2);
  expect(result.stderr).toMatch(message);
}

describe("malformed config files", () => {
  const cases: { name: string; files: Record<string, string | Uint8Array>; message: RegExp }[] = [
    { name: "a garbage line in pytest.ini", files: { "pytest.ini": "[pytest]\naddopts = -x\nthis is garbage\n" }, message: /^ERROR: .*pytest\.ini:3: unexpected line: 'this is garbage'$/m },
    {
      name: "a TOML syntax error in pyproject.toml",
      files: { "pyproject.toml": '[tool.pytest.ini_options]\naddopts = "-x\n' },
      message: /^ERROR: .*pyproject\.toml: .* \(at line 2, column \d+\)$/m,
    },
    { name: "a NUL byte in a -k from addopts", files: { "pytest.ini": '[pytest]\naddopts = -k "a\0b"\n' }, message: /^ERROR: Wrong expression passed to '-k': a\0b: at column 2: unexpected character/m },
  ];
  for (const { name, files, message } of cases) {
    it(`${name}: one clear error and pytest's exit code`, () => {
      const project = inlineFiles({ ...testFile, ...files });
      const ours = runCli(["-q"], project);
      const theirs = runPytest(["-q"], project);
      expect(ours.status).toBe(theirs.status);
      expect(ours.status).toBe(4);
      expectCleanError(ours, message);
    });
  }

  it("a pytest.ini that is not UTF-8 is a usage error naming the line (pytest crashes with a traceback)", () => {
    const project = inlineFiles({ ...testFile, "pytest.ini": new Uint8Array([...Buffer.from("[pytest]\n# caf"), 0xe9, ...Buffer.from("\naddopts = -q\n")]) });
    const ours = runCli([], project);
    expect(ours.status).toBe(4);
    expectCleanError(ours, /^ERROR: .*pytest\.ini:2: not UTF-8 text; save the file as UTF-8$/m);
  });

  it("a folder named pytest.ini is not an ini-file, as in pytest", () => {
    const project = inlineFiles(testFile);
    mkdirSync(path.join(project, "pytest.ini"));
    const ours = runCli(["-q"], project);
    expect(ours.status).toBe(runPytest(["-q"], project).status);
    expect(ours.status).toBe(0);
    expect(ours.stdout).toMatch(/1 passed/);
  });

  it("a pyproject.toml whose [tool.pytest.ini_options] is an array of tables names the table", () => {
    const project = inlineFiles({ ...testFile, "pyproject.toml": "[[tool.pytest.ini_options]]\naddopts = '-q'\n" });
    const ours = runCli([], project);
    expect(ours.status).toBe(4);
    expectCleanError(ours, /^ERROR: .*pyproject\.toml: \[tool\.pytest\.ini_options\] must be a table of options, not a list$/m);
  });
});

describe("malformed command lines", () => {
  const project = inlineFiles(testFile);
  const cases: { args: string[]; message: RegExp; pytestStatus?: number }[] = [
    { args: ["-k", "a\u0001b"], message: /^ERROR: Wrong expression passed to '-k': a\u0001b: at column 2: unexpected character "\u0001"$/m },
    {
      args: ["-k", "(".repeat(600) + "a"],
      message: /^ERROR: Wrong expression passed to '-k': .*: at column 501: more than 500 nested "not" or parentheses$/m,
    // pytest's recursive parser hits Python's recursion limit: an internal error, exit 3.
    pytestStatus: 3,
  },
    { args: ["-n", "abc"], message: /^fastest: error: argument -n\/--numprocesses: invalid value: 'abc' \(a whole number or 'auto'\)$/m },
    { args: ["--timeout", "-1"], message: /^fastest: error: argument --timeout: invalid value: '-1' \(a number of seconds\)$/m },
    { args: ["--max-memory", "lots"], message: /^fastest: error: argument --max-memory: invalid value: 'lots'/m },
    { args: ["--tb=nope"], message: /^fastest: error: argument --tb: invalid choice: 'nope'/m },
  ];
  for (const { args, message, pytestStatus = 4 } of cases) {
    it(`${JSON.stringify(args).slice(0, 40)}: one clear error, exit 4 as pytest`, () => {
      const ours = runCli(["-q", ...args], project);
      expect(ours.status).toBe(4);
      // pytest without the xdist/timeout plugins refuses -n and --timeout as unknown: also exit 4.
      expect(runPytest(["-q", ...args], project).status).toBe(pytestStatus);
      expectCleanError(ours, message);
    });
  }

  it("a -k in any script selects by substring, as in pytest", () => {
    const unicode = inlineFiles({ "test_u.py": "def test_café_ü():\n    pass\n\ndef test_other():\n    pass\n" });
    const ours = runCli(["-q", "-k", "café_ü"], unicode);
    const theirs = runPytest(["-q", "-k", "café_ü"], unicode);
    expect(ours.status).toBe(theirs.status);
    expect(ours.stdout).toMatch(/^1 passed, 1 deselected/m);
  });
});

describe("malformed test files", () => {
  const ok = "def test_ok():\n    pass\n";
  const cases: { name: string; files: Record<string, string | Uint8Array>; summary: RegExp; message?: RegExp }[] = [
    { name: "a syntax error", files: { "test_syn.py": "def test_x(:\n    pass\n" }, summary: /^1 error in/m, message: /SyntaxError/ },
    { name: "a NUL byte in the source", files: { "test_nul.py": "def test_x():\n    pass\0\n" }, summary: /^1 error in/m, message: /null bytes|NUL/i },
    // Bytes that are not Python at all (a fixed pseudo-random pattern, so every run sees the same).
    { name: "a binary file named test_*.py", files: { "test_bin.py": Uint8Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256) }, summary: /^1 error in/m },
  ];
  for (const { name, files, summary, message } of cases) {
    it(`${name}: a collection error for that file, pytest's exit code, no crash`, () => {
      const project = inlineFiles({ "test_ok.py": ok, ...files });
      const ours = runCli(["-q"], project);
      const theirs = runPytest(["-q"], project);
      expect(ours.status).toBe(theirs.status);
      expect(ours.status).toBe(2);
      expect(ours.stdout).toMatch(summary);
      if (message) expect(ours.stdout).toMatch(message);
      expect(ours.stdout + ours.stderr).not.toMatch(/\n\s+at |INTERNALERROR|Node\.js v\d/);
    });
  }

  it("non-UTF-8 source without a coding line: a SyntaxError for that file, as Python 3.12+ gives", () => {
    const project = inlineFiles({ "test_ok.py": ok, "test_latin.py": new Uint8Array([...Buffer.from("# caf"), 0xe9, ...Buffer.from("\ndef test_x():\n    pass\n")]) });
    const ours = runCli(["-q"], project);
    expect(ours.status).toBe(2);
    expect(ours.stdout).toMatch(/SyntaxError: Non-UTF-8 code starting with '\\xe9'/);
    expect(ours.stdout).toMatch(/^1 error in/m);
  });

  it("symlink loops are not followed: the real tests run, as in pytest", () => {
    const project = inlineFiles({ "test_ok.py": ok, "sub/test_sub.py": ok });
    symlinkSync("../sub", path.join(project, "sub", "again"));
    symlinkSync("self", path.join(project, "self"));
    const ours = runCli(["-q"], project);
    const theirs = runPytest(["-q"], project);
    expect(ours.status).toBe(theirs.status);
    expect(ours.stdout).toMatch(/^2 passed in/m);
  });

  it("huge files (20 MB of source, a module of 100,000 statements) are collected and run, outcomes as pytest's", () => {
    const padding = Array.from({ length: 200_000 }, (_, i) => `# line ${i} ${"x".repeat(90)}`).join("\n");
    const statements = Array.from({ length: 100_000 }, (_, i) => `X${i} = ${i}`).join("\n");
    const project = inlineFiles({
      // As bytes: inlineFiles leaves them as they are (its dedent is for small snippets).
      "test_huge.py": Buffer.from(`${padding}\ndef test_ok():\n    pass\n\ndef test_bad():\n    assert 1 == 2\n`),
      "test_statements.py": Buffer.from(`${statements}\ndef test_last():\n    assert X99999 == 99999\n`),
    });
    const ours = runCli(["-q"], project);
    const theirs = runPytest(["-q"], project);
    expect(ours.status).toBe(theirs.status);
    expect(ours.stdout).toMatch(/^FAILED test_huge\.py::test_bad - assert 1 == 2$/m);
    expect(ours.stdout).toMatch(/^test_huge\.py:200005: AssertionError$/m);
    expect(theirs.stdout).toMatch(/^test_huge\.py:200005: AssertionError$/m);
    expect(ours.stdout).toMatch(/^1 failed, 2 passed in/m);
    expect(theirs.stdout).toMatch(/^1 failed, 2 passed in/m);
  });

  it("an empty folder: no tests ran, exit 5 as in pytest", () => {
    const empty = mkdtempSync(path.join(os.tmpdir(), "fastest-empty-"));
    const ours = runCli(["-q"], empty);
    expect(ours.status).toBe(runPytest(["-q"], empty).status);
    expect(ours.status).toBe(5);
    expect(ours.stdout).toMatch(/no tests ran/);
  });
});
