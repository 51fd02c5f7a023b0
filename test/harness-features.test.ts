/**
 * Harness features end to end: the sandboxed CLI against real pytest on the
 * same small trees (doctests, warnings, built-in fixtures, setup-show and the
 * listings, run control from inside tests). Reports must be equal, header
 * aside, unless a comparison says what it leaves out and why.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { expectSameReport, normalize } from "./helpers/compare.js";
import { repoRoot, runCli, runPytest } from "./helpers/run-cli.js";

const fixtures = path.join(repoRoot, "test", "fixtures", "harness");

describe("doctests", () => {
  const textFiles = {
    "README.md": "# Title\n\n>>> 2 * 3\n6\n>>> [1,   2]\n[1, 2]\n",
    "notes.txt": "Notes\n\n>>> x = 5\n>>> x + 1\n7\n",
    "test_notes.txt": ">>> print('a\\nb\\nc')\na\nB\nc\n",
    "mod.py": '"""Module doc.\n\n>>> 1 + 1\n3\n"""\n\n\ndef f():\n    """\n    >>> f()\n    1\n    """\n    return 1\n',
  };

  it("collects test*.txt by default, as pytest does", () => {
    expectSameReport(textFiles, ["-rA", "."]);
  });

  it("--doctest-glob and --doctest-modules: same ids, outcomes and failure text", () => {
    expectSameReport(textFiles, ["--doctest-glob=*.md", "--doctest-glob=*.txt", "--doctest-modules", "-v", "-rA", "."]);
  });

  it("--doctest-report ndiff and doctest_optionflags from the ini", () => {
    const files = {
      ...textFiles,
      "pytest.ini": "[pytest]\ndoctest_optionflags = NUMBER NORMALIZE_WHITESPACE\n",
      "test_num.txt": ">>> 3.14159\n3.14\n>>> print('a   b')\na b\n>>> 1.5\n1.6\n",
    };
    expectSameReport(files, ["--doctest-report", "ndiff", "."]);
    expectSameReport(files, ["--doctest-report", "cdiff", "test_notes.txt"]);
  });

  it("selects one doctest by node id", () => {
    expectSameReport(textFiles, ["--doctest-modules", "-v", "mod.py::mod.f"]);
  });
});

describe("built-in fixtures", () => {
  const suite = path.join(fixtures, "builtin_more");

  it("capfd, binary captures, caplog, recwarn, tmpdir, pytestconfig: same report as pytest (-rA)", () => {
    expectSameReport(suite, ["-rA", "."]);
  });

  it("record_property reaches the JUnit XML as pytest writes it", () => {
    const out = mkdtempSync(path.join(os.tmpdir(), "fastest-junit-"));
    runCli(["-n", "1", "--junitxml", path.join(out, "ours.xml"), "test_more_builtins.py::test_record_property"], suite);
    runPytest(["--junitxml", path.join(out, "theirs.xml"), "test_more_builtins.py::test_record_property"], suite);
    const properties = (file: string) => /<properties>.*<\/properties>/s.exec(readFileSync(file, "utf8"))?.[0];
    expect(properties(path.join(out, "ours.xml"))).toBe('<properties><property name="example_key" value="1" /><property name="other" value="x" /></properties>');
    expect(properties(path.join(out, "ours.xml"))).toBe(properties(path.join(out, "theirs.xml")));
  });
});

describe("warnings", () => {
  const suite = path.join(fixtures, "warnings");

  it("ini filterwarnings, -W from addopts, marks, pytest.warns: same report and summary", () => {
    expectSameReport(suite, ["."]);
  });

  it("-W error turns warnings into failures, chained after a failed pytest.warns", () => {
    expectSameReport(suite, ["-W", "error::UserWarning", "."]);
  });

  it("--disable-warnings drops the summary but keeps the count", () => {
    expectSameReport(suite, ["--disable-warnings", "-q", "."]);
  });
});

describe("async tests", () => {
  const hasPytestAsyncio = spawnSync("python3", ["-c", "import pytest_asyncio"]).status === 0;

  it("without configuration: pytest 9's failure for async tests and error for async fixtures", () => {
    const suite = path.join(fixtures, "async_default");
    const ours = runCli(["-n", "1", "-rA", "."], suite);
    const theirs = runPytest(["-rA", "."], suite);
    // pytest's error text for async fixtures is a traceback into its own fixtures.py;
    // the short summary and the counts must agree.
    const summary = (out: string) => out.slice(out.indexOf("short test summary info")).replace(/ in \d+\.\d+s.*$/m, "");
    expect(summary(ours.stdout)).toBe(summary(theirs.stdout));
    expect(ours.status).toBe(theirs.status);
  });

  // With pytest-asyncio installed on the host, it is the oracle; without it, the
  // report it prints (checked once by hand against pytest-asyncio 1.4) is asserted.
  it("asyncio_mode = auto runs async tests and fixtures of every scope on one loop", () => {
    const suite = path.join(repoRoot, "test", "fixtures", "async", "auto");
    const ours = runCli(["-n", "1", "-q", "."], suite);
    if (hasPytestAsyncio) expect(normalize(ours.stdout)).toBe(normalize(runPytest(["-p", "asyncio", "-q", "."], suite).stdout));
    expect(ours.stdout).toMatch(/^\.\.\.\.F\.\. +\[100%\]$/m);
    expect(ours.stdout).toMatch(/^E +assert 1 == 2$/m);
    expect(ours.stdout).toMatch(/^1 failed, 6 passed in /m);
    expect(ours.status).toBe(1);
  });

  it("@pytest.mark.asyncio runs the marked tests (strict mode); unmarked ones fail as in pytest", () => {
    const suite = path.join(repoRoot, "test", "fixtures", "async", "marked");
    const ours = runCli(["-n", "1", "-q", "-rA", "."], suite);
    if (hasPytestAsyncio) expect(normalize(ours.stdout)).toBe(normalize(runPytest(["-p", "asyncio", "-q", "-rA", "."], suite).stdout));
    expect(ours.stdout).toContain("PASSED test_marked.py::test_marked\n");
    expect(ours.stdout).toContain("FAILED test_marked.py::test_marked_fails - assert (1 + 1) == 3\n");
    expect(ours.stdout).toContain("FAILED test_marked.py::test_unmarked - Failed: async def functions are not na...\n");
  });
});

describe("run control from inside tests", () => {
  const files = (exitCall: string) => ({
    "test_exit.py": `import pytest\n\ndef test_fails():\n    assert 1 == 2\n\ndef test_exits():\n    ${exitCall}\n\ndef test_never_runs():\n    pass\n`,
    "test_later.py": "def test_later():\n    pass\n",
  });

  it("pytest.exit() stops the run with pytest's !!! line and exit code 2", () => {
    expectSameReport(files('pytest.exit("stopping now")'), ["-rA", "."]);
    expectSameReport(files('pytest.exit("stopping now")'), ["-v", "."]);
  });

  it("pytest.exit(returncode=N) exits N; outside pytest's summary codes the summary is left out", () => {
    expectSameReport(files('pytest.exit("bye", returncode=3)'), ["-rA", "."]);
    expectSameReport(files('pytest.exit("ok", returncode=0)'), ["."]);
  });

  it("pytest.importorskip skips at run time and at module level", () => {
    expectSameReport(
      {
        "test_skips.py": "import pytest\n\ndef test_missing():\n    pytest.importorskip('no_such_module_xyz')\n\ndef test_old():\n    pytest.importorskip('json', minversion='99')\n\ndef test_present():\n    assert pytest.importorskip('json').dumps(1) == '1'\n",
        "test_module_skip.py": "import pytest\npytest.importorskip('no_such_module_xyz', reason='not installed here')\n\ndef test_x():\n    pass\n",
      },
      ["-rs", "."],
    );
  });
});

describe("--setup-show", () => {
  const files = {
    "conftest.py": `import pytest\n\n@pytest.fixture(scope="session")\ndef sess():\n    return 1\n\n@pytest.fixture(scope="module", params=[1, 2], ids=["one", "two"])\ndef modp(request):\n    return request.param\n`,
    "test_show.py": [
      "import pytest",
      "",
      "@pytest.fixture",
      "def fx(sess):",
      "    yield 2",
      "",
      "def test_a(fx):",
      "    pass",
      "",
      "def test_b(modp, sess):",
      "    assert modp == 1",
      "",
      "@pytest.mark.parametrize('x', ['a', 3])",
      "def test_c(x, fx):",
      "    pass",
      "",
      "class TestK:",
      "    def test_m(self, sess):",
      "        pass",
      "",
    ].join("\n"),
  };

  it("prints SETUP/TEARDOWN lines and each test's fixtures, interleaved with progress as pytest does", () => {
    expectSameReport(files, ["--setup-show", "."]);
  });

  it("with -v and -q", () => {
    expectSameReport(files, ["--setup-show", "-v", "."]);
    expectSameReport(files, ["--setup-show", "-q", "-k", "not test_b", "."]);
  });
});
