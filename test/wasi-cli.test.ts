/**
 * `fastest --engine wasi` end to end: the CLI picks the CPython-WASI engine,
 * reports like real pytest, replaces the worker of a test that outlives its
 * timeout, and says how to build the engine when it is missing. The runs
 * that need the engine are skipped with the reason when `npm run build:wasi`
 * has not been run (CI runs it).
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { normalize } from "./helpers/compare.js";
import { inlineFiles } from "./helpers/inline-files.js";
import { runCli, runPytest } from "./helpers/run-cli.js";
import { wasiBuildDir } from "../node-host/engine-assets.js";

const wasiBuilt = existsSync(path.join(wasiBuildDir, "manifest.json"));
if (!wasiBuilt) console.warn(`wasi-cli: runs on the WASI engine are skipped: ${wasiBuildDir} is not built (run \`npm run build:wasi\`)`);

const SUITE = {
  "test_mix.py": [
    "import pytest",
    "",
    "def helper(x):",
    "    return x * 2",
    "",
    "class TestMath:",
    "    def test_double(self):",
    "        assert helper(2) == 4",
    "",
    "    def test_wrong(self):",
    "        assert helper(2) == 5",
    "",
    "@pytest.mark.parametrize('word', ['a', 'bb'])",
    "def test_words(word):",
    "    assert len(word) == 1",
    "",
    "def test_files(tmp_path):",
    "    (tmp_path / 'w.txt').write_text('abc')",
    "    assert (tmp_path / 'w.txt').read_text() == 'abc'",
    "",
    "@pytest.mark.skip(reason='later')",
    "def test_later():",
    "    pass",
    "",
    "def test_output(capsys):",
    "    print('hello')",
    "    assert capsys.readouterr().out == 'hello\\n'",
    "",
  ].join("\n"),
};

describe("fastest --engine wasi", () => {
  it.skipIf(!wasiBuilt)("reports like real pytest, under the permission model and without it", () => {
    const dir = inlineFiles(SUITE);
    const theirs = runPytest(["-rA"], dir);
    for (const extra of [[], ["--no-permission-model"]]) {
      const ours = runCli(["--engine", "wasi", "-n", "1", "-rA", ...extra], dir);
      // Only the notice of a snapshot made on first use may go to stderr.
      expect(ours.stderr.replace(/^fastest: preparing the Python interpreter snapshot.*\n/m, "")).toBe("");
      expect(normalize(ours.stdout)).toBe(normalize(theirs.stdout));
      expect(ours.status).toBe(1);
    }
  });

  it.skipIf(!wasiBuilt)("names the engine in the header; --sandbox=wasi is the same choice", () => {
    const dir = inlineFiles({ "test_one.py": "import sys\n\ndef test_version():\n    assert sys.version_info[:2] == (3, 11)\n    assert sys.platform == 'wasi'\n" });
    const result = runCli(["--sandbox=wasi", "-n", "1"], dir);
    expect(result.stdout).toMatch(/^platform wasi -- Python 3\.11\.\d+, fastest-/m);
    expect(result.stdout).toContain("workers: 1 sandboxed worker (wasi)");
    expect(result.stdout).toMatch(/1 passed/);
    expect(result.status).toBe(0);
  });

  it.skipIf(!wasiBuilt)("imports modules from the folder it was started in, as `python -m pytest` and the Pyodide engine do", () => {
    // No conftest and no pythonpath: only the invocation folder on sys.path makes `shapes` importable from tests/.
    const dir = inlineFiles({
      "shapes.py": "def area(w, h):\n    return w * h\n",
      "tests/test_shapes.py": "import shapes\n\ndef test_area():\n    assert shapes.area(2, 3) == 6\n",
    });
    expect(runPytest(["-q"], dir).stdout).toMatch(/1 passed/);
    for (const engine of ["wasi", "pyodide"]) {
      const result = runCli(["--engine", engine, "-n", "1", "-q", "tests"], dir);
      expect(result.stdout, engine).toMatch(/1 passed/);
      expect(result.status, engine).toBe(0);
    }
  });

  it.skipIf(!wasiBuilt)("fails a test that outlives its timeout, replaces its worker and runs on", () => {
    const dir = inlineFiles({
      "test_slow.py": [
        "import pytest",
        "",
        "def test_before():",
        "    pass",
        "",
        "@pytest.mark.timeout(1)",
        "def test_spins():",
        "    while True:",
        "        pass",
        "",
        "def test_after():",
        "    assert True",
        "",
      ].join("\n"),
    });
    const result = runCli(["--engine", "wasi", "-n", "1", "-rA"], dir);
    expect(result.stdout).toContain("E       Failed: Timeout (>1.0s) from pytest-timeout.");
    expect(result.stdout).toContain("the WASI engine interrupts Python at its system calls (a sleep, a write, reading the clock) and the test made none");
    expect(result.stdout).toContain("PASSED test_slow.py::test_after");
    expect(result.stdout).toMatch(/1 failed, 2 passed/);
    expect(result.status).toBe(1);
  });

  it("is a usage error naming the build command when the engine is not built", () => {
    const dir = inlineFiles({ "test_one.py": "def test_one():\n    pass\n" });
    const result = runCli(["--engine", "wasi"], dir, { FASTEST_WASI_DIR: path.join(dir, "no-such-build") });
    expect(result.status).toBe(4);
    expect(result.stderr).toContain("the WASI engine is not built");
    expect(result.stderr).toContain("npm run build:wasi");
  });

  it("refuses choices it cannot honour, as usage errors", () => {
    const dir = inlineFiles({ "test_one.py": "def test_one():\n    pass\n" });
    const conflict = runCli(["--engine", "wasi", "--sandbox=pyodide"], dir);
    expect(conflict.status).toBe(4);
    expect(conflict.stderr).toContain("name different engines");
    // A bare --sandbox names no engine, so it goes with --engine wasi.
    const bare = runCli(["--sandbox", "--engine", "wasi", "-n", "1"], dir);
    expect(bare.stderr).toBe("");
    expect(bare.stdout).toMatch(/platform wasi -- Python 3\.11/);
    expect(bare.status).toBe(0);
    const unknown = runCli(["--engine", "cpython"], dir);
    expect(unknown.status).toBe(4);
    expect(unknown.stderr).toContain("invalid choice: 'cpython'");
  });

  it("keeps a word after a bare --sandbox a test path, on the default engine", () => {
    const dir = inlineFiles({ "tests/test_one.py": "def test_one():\n    pass\n", "test_other.py": "def test_other():\n    pass\n" });
    const result = runCli(["--sandbox", "tests", "-n", "1"], dir);
    expect(result.stdout).toContain("(pyodide)");
    expect(result.stdout).toMatch(/1 passed/);
    expect(result.status).toBe(0);
  });
});
