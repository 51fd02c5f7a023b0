/**
 * `--collect-only` answered by static discovery, end to end: the same output
 * as the runtime path (apart from timing) and as real pytest, without
 * booting Python; dynamic files, syntax errors and changed files fall back
 * or refresh as they should.
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { normalize } from "./helpers/compare.js";
import { inlineFiles } from "./helpers/inline-files.js";
import { runCli, runPytest, type CliResult } from "./helpers/run-cli.js";

const DEBUG = { FASTEST_DEBUG_DISCOVERY: "1" };
const RUNTIME = { FASTEST_STATIC_DISCOVERY: "0" };

/** Timing is the only thing allowed to differ between the two paths. */
const withoutTiming = (stdout: string) => stdout.replace(/^=+ (.*) in \d+\.\d+s =+$/gm, "$1").replace(/ in \d+\.\d+s$/gm, "");

/** The static path answered (and said so), printing what the runtime path prints and what pytest prints. */
function expectStatic(dir: string, args: string[]): CliResult {
  const ours = runCli(["--seed", "1", ...args], dir, DEBUG);
  expect(ours.stderr).toMatch(/static discovery: used/);
  const runtime = runCli(["--seed", "1", ...args], dir, RUNTIME);
  expect(withoutTiming(ours.stdout)).toBe(withoutTiming(runtime.stdout));
  expect(ours.status).toBe(runtime.status);
  const theirs = runPytest(args, dir);
  expect(normalize(ours.stdout)).toBe(normalize(theirs.stdout));
  expect(ours.status).toBe(theirs.status);
  return ours;
}

const tree = {
  "pytest.ini": "[pytest]\nmarkers =\n    slow: slow tests\n    level(n): graded\n",
  "conftest.py": `
    import pytest

    @pytest.fixture
    def shared():
        return 1
    `,
  "helpers.py": `
    BASE = 10

    def make():
        return BASE
    `,
  "tests/test_alpha.py": `
    """The alpha tests."""
    import os
    import pytest
    from helpers import make

    def test_alpha_one(shared):
        assert make() == 10

    @pytest.mark.slow
    @pytest.mark.parametrize("x, y", [(1, 2), pytest.param(3, 4, id="three"), ("a\\nb", None)])
    def test_alpha_param(x, y):
        pass

    class TestGroup:
        """A group."""
        pytestmark = pytest.mark.level(n=2)

        def test_in_group(self):
            """One test."""

        class TestInner:
            @pytest.mark.parametrize("z", [1.5, True])
            def test_inner(self, z):
                pass
    `,
  "tests/test_crlf.py": 'def test_windows_lines():\r\n    """Written on Windows.\r\n\r\n    Second paragraph.\r\n    """\r\n',
  "pkg/__init__.py": "",
  "pkg/test_beta.py": `
    import unittest
    import pytest

    pytestmark = pytest.mark.slow

    class TestCaseStyle(unittest.TestCase):
        """unittest style."""

        def test_b(self):
            pass

        def test_a(self):
            pass

    def test_beta():
        pass
    `,
};

describe("--collect-only from static discovery", () => {
  const dir = inlineFiles(tree);
  beforeAll(() => {
    // The runtime path remembers the engine's versions; the static path needs them for its header.
    runCli(["--co", "-q"], dir, RUNTIME);
  });

  it.each([
    [["--co"]],
    [["--collect-only", "-q"]],
    [["--co", "-qq"]],
    [["--co", "-v"]],
    [["--co", "-k", "alpha and not Inner"]],
    [["--co", "-m", "slow or level(n=2)"]],
    [["--co", "-q", "--deselect", "tests/test_alpha.py::TestGroup"]],
    [["--co", "-q", "tests/test_alpha.py::TestGroup", "pkg/test_beta.py"]],
    [["--co", "-k", "nothing_matches"]],
  ])("%j prints what the runtime path and pytest print", (args) => {
    expectStatic(dir, args);
  });

  it("warns about unregistered marks as the import does", () => {
    const marked = inlineFiles({ "test_marks.py": "import pytest\n\n@pytest.mark.unregistered\ndef test_x():\n    pass\n" });
    runCli(["--co", "-q"], marked, RUNTIME);
    expect(expectStatic(marked, ["--co"]).stdout).toMatch(/PytestUnknownMarkWarning/);
  });
});

describe("--collect-only falls back to the runtime path", () => {
  it("when a file needs the interpreter (module-level code), with the same output as pytest", () => {
    const dir = inlineFiles({
      "test_static.py": "def test_a():\n    pass\n",
      "test_dynamic.py": "import pytest\n\nVALUES = [i * 2 for i in range(3)]\n\n@pytest.mark.parametrize('v', VALUES)\ndef test_v(v):\n    pass\n",
    });
    const ours = runCli(["--co", "-q"], dir, DEBUG);
    expect(ours.stderr).toMatch(/static discovery: not used \(test_dynamic\.py: .*list_comprehension/);
    expect(normalize(ours.stdout)).toBe(normalize(runPytest(["--co", "-q"], dir).stdout));
  });

  it("when a file does not parse: the collection error is the runtime path's", () => {
    const dir = inlineFiles({ "test_ok.py": "def test_a():\n    pass\n", "test_bad.py": "def test_b(:\n    pass\n" });
    const ours = runCli(["--co", "-q", "--seed", "1"], dir, DEBUG);
    expect(ours.stderr).toMatch(/static discovery: not used \(test_bad\.py: the file does not parse\)/);
    const runtime = runCli(["--co", "-q", "--seed", "1"], dir, RUNTIME);
    expect(withoutTiming(ours.stdout)).toBe(withoutTiming(runtime.stdout));
    expect(ours.status).toBe(2);
  });

  it("when an option needs the interpreter", () => {
    const dir = inlineFiles({ "test_ok.py": "def test_a():\n    pass\n" });
    expect(runCli(["--co", "--fixtures-per-test"], dir, DEBUG).stderr).toMatch(/not used \(--fixtures-per-test\)/);
  });
});

describe("the static discovery cache", () => {
  it("sees a changed file at once", () => {
    const dir = inlineFiles({ "test_change.py": "def test_one():\n    pass\n" });
    runCli(["--co", "-q"], dir, RUNTIME);
    expect(expectStatic(dir, ["--co", "-q"]).stdout).toMatch(/^test_change\.py::test_one$/m);
    const again = runCli(["--co", "-q"], dir, DEBUG);
    expect(again.stderr).toMatch(/used \(1 files, 0 parsed, 1 from the cache\)/);
    writeFileSync(path.join(dir, "test_change.py"), "import pytest\n\n@pytest.mark.parametrize('n', [1, 2])\ndef test_two(n):\n    pass\n");
    const changed = expectStatic(dir, ["--co", "-q"]);
    expect(changed.stdout).toMatch(/^test_change\.py::test_two\[2\]$/m);
    expect(changed.stdout).not.toMatch(/test_one/);
  });
});

describe("-k/-m pre-filtering", () => {
  const dir = inlineFiles({
    "pytest.ini": "[pytest]\nmarkers =\n    slow: slow tests\n",
    "test_alpha.py": "import pytest\n\ndef test_alpha():\n    pass\n\n@pytest.mark.slow\ndef test_alpha_slow():\n    assert False\n",
    "test_beta.py": "import pytest\n\n@pytest.mark.parametrize('n', [1, 2])\ndef test_beta(n):\n    pass\n",
    "test_gamma.py": "class TestGamma:\n    def test_gamma(self):\n        pass\n",
    "test_dynamic.py": "import pytest\n\nVALUES = [i for i in range(2)]\n\n@pytest.mark.parametrize('v', VALUES)\ndef test_dyn(v):\n    pass\n",
  });

  it.each([[["-k", "alpha"]], [["-m", "slow"]], [["-k", "beta or Gamma", "-q"]], [["--deselect", "test_beta.py", "-k", "not dyn"]], [["-k", "nothing_at_all"]]])(
    "%j leaves wholly deselected files out and reports what pytest reports",
    (args) => {
      const ours = runCli(["-n", "1", ...args], dir, DEBUG);
      expect(ours.stderr).toMatch(/static discovery: [1-9]\d* of 4 files left out before collection/);
      const theirs = runPytest(args, dir);
      expect(normalize(ours.stdout)).toBe(normalize(theirs.stdout));
      expect(ours.status).toBe(theirs.status);
    },
  );

  it("keeps files whose doctests may match (--doctest-modules)", () => {
    const docs = inlineFiles({ "test_doc.py": 'def helper():\n    """\n    >>> 1 + 1\n    2\n    """\n\n\ndef test_x():\n    pass\n' });
    const args = ["--doctest-modules", "-k", "helper"];
    const ours = runCli(["-n", "1", ...args], docs, DEBUG);
    expect(ours.stdout).toMatch(/1 passed, 1 deselected/);
    expect(normalize(ours.stdout)).toBe(normalize(runPytest(args, docs).stdout));
  });

  it("keeps every file when static discovery is off, with the same report", () => {
    const args = ["-k", "alpha"];
    const runtime = runCli(["-n", "1", ...args], dir, { ...RUNTIME, ...DEBUG });
    expect(runtime.stderr).not.toMatch(/left out before collection/);
    expect(normalize(runtime.stdout)).toBe(normalize(runPytest(args, dir).stdout));
  });
});
