/**
 * Config files end to end: the same trees run by the CLI and by real pytest
 * (the oracle) give the same report, header (`rootdir:`, `configfile:`) and
 * exit code, whichever file format holds the options.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { expectSameReport } from "./helpers/compare.js";
import { dedent, inlineFiles } from "./helpers/inline-files.js";
import { runCli, runPytest } from "./helpers/run-cli.js";

/** Tests that show whether each option took effect. */
const project = {
  "tests/check_numbers.py": `
    import warnings
    import pytest

    def verify_add():
        assert 1 + 1 == 2

    def test_not_collected_by_name():
        assert False

    class CheckMath:
        def verify_mul(self):
            assert 2 * 3 == 6

    @pytest.mark.slow
    def verify_slow():
        pass

    @pytest.mark.xfail
    def verify_unexpected_pass():
        pass

    def verify_warns():
        warnings.warn("deprecated thing", DeprecationWarning)
  `,
  "tests/build/check_hidden.py": "def verify_in_build():\n    pass\n",
  "tests/skipme/check_skipped.py": "def verify_never():\n    assert False\n",
  "src/calc.py": `
    def double(x):
        """
        >>> double(2)   # NORMALIZE_WHITESPACE is on in the config
        4
        >>> list(range(3))
        [0,   1,  2]
        """
        return 2 * x
  `,
};

/** The same options in each format pytest 9 reads. */
const ini = dedent(`
  addopts = -rA --doctest-modules
  testpaths = tests src
  python_files = check_*.py
  python_classes = Check
  python_functions = verify_
  markers =
      slow: slow tests
  xfail_strict = true
  norecursedirs = skipme .*
  filterwarnings =
      error::DeprecationWarning
  doctest_optionflags = NORMALIZE_WHITESPACE ELLIPSIS
`);
const toml = `
  addopts = ["-rA", "--doctest-modules"]
  testpaths = ["tests", "src"]
  python_files = ["check_*.py"]
  python_classes = ["Check"]
  python_functions = ["verify_"]
  markers = ["slow: slow tests"]
  xfail_strict = true
  norecursedirs = ["skipme", ".*"]
  filterwarnings = ["error::DeprecationWarning"]
  doctest_optionflags = ["NORMALIZE_WHITESPACE", "ELLIPSIS"]
`;
const formats: Record<string, Record<string, string>> = {
  "pytest.ini": { "pytest.ini": `[pytest]\n${ini}` },
  ".pytest.ini": { ".pytest.ini": `[pytest]\n${ini}` },
  "tox.ini": { "tox.ini": `[tox]\nenvlist = py3\n[pytest]\n${ini}` },
  "setup.cfg": { "setup.cfg": `[metadata]\nname = calc\n[tool:pytest]\n${ini}` },
  "pyproject.toml [tool.pytest.ini_options]": { "pyproject.toml": `[project]\nname = "calc"\n[tool.pytest.ini_options]\n${toml}` },
  "pyproject.toml [tool.pytest]": { "pyproject.toml": `[tool.pytest]\n${toml}` },
  "pytest.toml": { "pytest.toml": `[pytest]\n${toml}` },
};

describe("every config file format", () => {
  for (const [name, files] of Object.entries(formats)) {
    it(`reads addopts, testpaths, python_*, markers, xfail_strict, norecursedirs, filterwarnings, doctest_optionflags from ${name}`, () => {
      const result = expectSameReport({ ...project, ...files }, ["--strict-markers"]);
      expect(result.stdout).toMatch(/^configfile: /m);
      // The options took effect: renamed tests ran, strict xfail failed, the warning was an error, skipme was not searched.
      expect(result.stdout).toMatch(/PASSED tests\/check_numbers\.py::CheckMath::verify_mul/);
      expect(result.stdout).toMatch(/FAILED tests\/check_numbers\.py::verify_unexpected_pass/);
      expect(result.stdout).toMatch(/FAILED tests\/check_numbers\.py::verify_warns - DeprecationWarning/);
      expect(result.stdout).toMatch(/PASSED src\/calc\.py::calc\.double/);
      expect(result.stdout).not.toMatch(/verify_never|test_not_collected_by_name/);
    });
  }
});

describe("which file wins", () => {
  it("takes the first name in pytest's order and warns about the others in the same folder", () => {
    const result = expectSameReport(
      {
        "test_a.py": "def test_a():\n    pass\n",
        "pyproject.toml": "[tool.pytest.ini_options]\naddopts = '-v'\n",
        "tox.ini": "[pytest]\naddopts = -q\n",
        "setup.cfg": "[tool:pytest]\naddopts = -rA\n",
        "pytest.ini": "[pytest]\n",
      },
      [],
    );
    expect(result.stdout).toMatch(/^configfile: pytest\.ini \(WARNING: ignoring pytest config in pyproject\.toml, tox\.ini, setup\.cfg!\)$/m);
  });

  it("prefers a nearer folder's file, skips files without a pytest section, and falls back to a bare pyproject.toml", () => {
    const dir = inlineFiles({
      "pyproject.toml": "[tool.black]\nline-length = 100\n",
      "pkg/tox.ini": "[tox]\nenvlist = py3\n",
      "pkg/setup.cfg": "[tool:pytest]\naddopts = -v\n",
      "pkg/sub/test_a.py": "def test_a():\n    pass\n",
      "other/test_b.py": "def test_b():\n    pass\n",
    });
    const nested = expectSameReport(path.join(dir, "pkg", "sub"), []);
    expect(nested.stdout).toMatch(/^rootdir: .*\/pkg\nconfigfile: setup\.cfg$/m);
    const bare = expectSameReport(path.join(dir, "other"), []);
    expect(bare.stdout).toMatch(/^configfile: pyproject\.toml$/m);
  });

  it("-c names the file; its folder becomes the rootdir", () => {
    const files = {
      "pytest.ini": "[pytest]\naddopts = -q\n",
      "ci.ini": "[pytest]\naddopts = -v\npython_functions = check\n",
      "test_a.py": "def test_a():\n    pass\n\ndef check_b():\n    pass\n",
    };
    const result = expectSameReport(files, ["-c", "ci.ini"]);
    expect(result.stdout).toMatch(/^configfile: ci\.ini$/m);
    expect(result.stdout).toMatch(/test_a\.py::check_b PASSED/);
    expectSameReport(files, ["--config-file=pytest.ini", "-rA"]);
  });

  it("-c naming a missing file is a usage error naming it (pytest crashes with a traceback)", () => {
    const dir = inlineFiles({ "test_a.py": "def test_a():\n    pass\n" });
    const result = runCli(["-c", "nothere.ini"], dir);
    expect(result.stderr).toBe(`ERROR: config file not found: ${path.join(dir, "nothere.ini")} (given with -c/--config-file)\n`);
    expect(result.status).toBe(4);
  });
});

describe("options as tests and conftests read them", () => {
  const files = {
    "conftest.py": `
      def pytest_addoption(parser):
          parser.addini("my_int", "an int", type="int")
          parser.addini("my_flag", "a bool", type="bool")
          parser.addini("my_lines", "lines", type="linelist")
    `,
    "test_read.py": `
      def test_read(pytestconfig):
          for name in ["xfail_strict", "python_files", "addopts", "my_int", "my_flag", "my_lines"]:
              print(name, repr(pytestconfig.getini(name)))
          print("inipath", pytestconfig.inipath.name, pytestconfig.inipath.parent == pytestconfig.rootpath)
    `,
  };
  it.each([
    ["pyproject.toml", "[tool.pytest]\nxfail_strict = true\nmarkers = ['slow: slow']\npython_files = ['test_*.py']\naddopts = ['-s']\nmy_int = 3\nmy_flag = false\nmy_lines = ['a', 'b']\n"],
    ["pytest.ini", "[pytest]\nxfail_strict = true\nmarkers =\n    slow: slow\npython_files = test_*.py\naddopts = -s\nmy_int = 3\nmy_flag = false\nmy_lines =\n    a\n    b\n"],
  ])("getini() and inipath give pytest's values from %s", (name, text) => {
    const result = expectSameReport({ ...files, [name]: text }, ["-q"]);
    expect(result.stdout).toContain("my_int 3\n");
    expect(result.stdout).toContain("inipath " + name + " True");
  });
});

describe("testpaths", () => {
  const tree = { "tests/unit/test_u.py": "def test_u():\n    pass\n", "tests/integ/test_i.py": "def test_i():\n    pass\n", "test_top.py": "def test_top():\n    pass\n" };

  it("are globs; entries matching nothing are dropped", () => {
    const result = expectSameReport({ ...tree, "pytest.ini": "[pytest]\ntestpaths = tests/u* nothere\n" }, []);
    expect(result.stdout).toMatch(/^testpaths: tests\/u\*, nothere$/m);
    expect(result.stdout).toMatch(/collected 1 item/);
  });

  it("when none matches, the invocation folder is searched, with pytest's warning", () => {
    const dir = inlineFiles({ ...tree, "pytest.ini": "[pytest]\ntestpaths = nothere\n" });
    const ours = runCli(["-n", "1"], dir);
    const theirs = runPytest([], dir);
    // The final line without its duration and the `=` padding that depends on it.
    const summary = (text: string) => text.trimEnd().split("\n").at(-1)!.replace(/ in [\d.]+s.*/, "").replace(/=+/g, "").trim();
    expect(summary(ours.stdout)).toBe(summary(theirs.stdout));
    expect(ours.stdout).toMatch(/PytestConfigWarning: No files were found in testpaths; consider removing or adjusting your testpaths configuration\. Searching recursively from the current directory instead\./);
  });
});

describe("-o / --override-ini", () => {
  const files = {
    "pyproject.toml": "[tool.pytest]\naddopts = ['-v']\nxfail_strict = false\n",
    "test_a.py": "import pytest\n\n@pytest.mark.xfail\ndef test_x():\n    pass\n\ndef check_b():\n    pass\n",
  };

  it("overrides any option, addopts included, the last one of a name winning", () => {
    const result = expectSameReport(files, ["-o", "xfail_strict=true", "--override-ini=addopts=-q", "-o", "python_functions=nothing", "-o", "python_functions=test check"]);
    expect(result.stdout).toMatch(/XPASS\(strict\)|FAILED test_a\.py::test_x/);
    expect(result.status).toBe(1);
  });

  it("refuses a malformed one as pytest does", () => {
    const dir = inlineFiles(files);
    const ours = runCli(["-o", "xfail_strict"], dir);
    const theirs = runPytest(["-o", "xfail_strict"], dir);
    expect(ours.stderr.split("\n")[0]).toBe("ERROR: -o/--override-ini expects option=value style (got: 'xfail_strict').");
    expect(ours.stderr.split("\n")[0]).toBe(theirs.stderr.split("\n")[0]);
    expect(ours.status).toBe(theirs.status);
  });
});

describe("config checks", () => {
  /**
   * Both fail before running anything: the same stderr's first line (pytest's
   * own version in it read as the one fastest follows) and exit code.
   */
  const expectSameError = (files: Record<string, string> | string, args: string[] = []) => {
    const dir = typeof files === "string" ? files : inlineFiles(files);
    const ours = runCli(args, dir);
    const theirs = runPytest(args, dir);
    const firstLine = (text: string) => text.split("\n")[0]!.replace(/actual pytest-[\d.]+'$/, "actual pytest-9.0.0'");
    expect(firstLine(ours.stderr)).toBe(firstLine(theirs.stderr));
    expect(theirs.stderr).toMatch(/^ERROR: /);
    expect(ours.status).toBe(theirs.status);
    return ours;
  };
  const test = { "test_a.py": "def test_a():\n    pass\n" };

  it("minversion above pytest 9.0 stops the run with pytest's message (exit 4)", () => {
    const dir = inlineFiles({ ...test, "pytest.ini": "[pytest]\nminversion = 99.1\n" });
    const ours = expectSameError(dir);
    expect(ours.status).toBe(4);
    expect(ours.stderr).toContain(`ERROR: ${path.join(dir, "pytest.ini")}: 'minversion' requires pytest-99.1, actual pytest-9.0.0'`);
    expectSameReport({ ...test, "pyproject.toml": "[tool.pytest]\nminversion = '8.0'\n" }, []);
    expectSameError({ ...test, "pyproject.toml": "[tool.pytest]\nminversion = 8.0\n" });
  });

  it("an unknown option is a warning, and an error with --strict-config or strict", () => {
    const dir = inlineFiles({ ...test, "tox.ini": "[pytest]\nasyncio_mode = auto\nnot_an_option = 1\n" });
    const ours = runCli(["-n", "1"], dir);
    const theirs = runPytest([], dir);
    expect(ours.stdout).toMatch(/PytestConfigWarning: Unknown config option: not_an_option/);
    expect(ours.stdout.split("\n").at(-2)).toMatch(/1 passed, 1 warning in/);
    // pytest's asyncio_mode is unknown without pytest-asyncio; fastest stands in for it.
    expect(theirs.stdout.split("\n").at(-2)).toMatch(/1 passed, 2 warnings in/);
    expect(runCli(["--strict-config"], dir).stderr).toMatch(/^ERROR: Unknown config option: not_an_option\n/);
    expect(expectSameError({ ...test, "tox.ini": "[pytest]\nnot_an_option = 1\n" }, ["--strict-config"]).status).toBe(4);
    expectSameError({ ...test, "pytest.ini": "[pytest]\nstrict = true\nnot_an_option = 1\n" });
    expectSameReport({ ...test, "pytest.ini": "[pytest]\nstrict_config = false\n" }, ["--strict-config"]);
  });

  it("an option a conftest.py registers is known", () => {
    const files = {
      ...test,
      "pytest.ini": "[pytest]\nmy_option = 3\n",
      "conftest.py": "def pytest_addoption(parser):\n    parser.addini('my_option', 'mine')\n",
    };
    expectSameReport(files, ["--strict-config"]);
  });

  it("native [tool.pytest] values of the wrong type stop the run with pytest's message", () => {
    const dir = inlineFiles({ ...test, "pyproject.toml": "[tool.pytest]\npython_files = 'test_*.py'\n" });
    const ours = runCli([], dir);
    const theirs = runPytest([], dir);
    // pytest raises the TypeError as an internal error; fastest reports it as a usage error.
    expect(theirs.stderr).toContain(`TypeError: ${path.join(dir, "pyproject.toml")}: config option 'python_files' expects a list for type 'args', got str: 'test_*.py'`);
    expect(ours.stderr).toBe(`ERROR: ${path.join(dir, "pyproject.toml")}: config option 'python_files' expects a list for type 'args', got str: 'test_*.py'\n`);
    expect(ours.status).toBe(4);
  });

  it("malformed files name the file and line (exit 4)", () => {
    expectSameError({ ...test, "pytest.ini": "[pytest]\naddopts = -q\n  fine continuation\nno separator here\n" });
    expectSameError({ ...test, "setup.cfg": "[tool:pytest]\nxfail_strict = true\nxfail_strict = false\n" });
    expectSameError({ ...test, "tox.ini": "  orphan continuation\n[pytest]\n" });
    const toml = expectSameError({ ...test, "pyproject.toml": "[tool.pytest]\naddopts = -v\n" });
    expect(toml.stderr).toMatch(/pyproject\.toml: .* \(at line 2, column \d+\)/);
    expectSameError({ ...test, "pyproject.toml": "[tool.pytest]\naddopts = ['-v']\n[tool.pytest.ini_options]\naddopts = '-q'\n" });
  });

  it("--rootdir must be a folder; $VARs in it are expanded", () => {
    expectSameError(test, ["--rootdir", "missing"]);
    const dir = inlineFiles({ "sub/test_a.py": "def test_a():\n    pass\n" });
    const ours = runCli(["-n", "1", "--rootdir", "$FASTEST_TEST_ROOT/sub", "sub"], dir, { FASTEST_TEST_ROOT: dir });
    expect(ours.stdout).toMatch(new RegExp(`^rootdir: ${dir}/sub$`, "m"));
    expect(ours.status).toBe(0);
  });

  it("required_plugins: a warning naming the plugins fastest does not provide, and the run goes on", () => {
    const dir = inlineFiles({ ...test, "pytest.ini": "[pytest]\nrequired_plugins = pytest-django>=4 pytest-timeout pytest-cov\n" });
    const ours = runCli(["-n", "1"], dir);
    expect(ours.stderr).toMatch(/required_plugins lists pytest-cov, pytest-django>=4: fastest runs tests without third-party pytest plugins/);
    expect(ours.stdout).toMatch(/1 passed/);
    expect(ours.status).toBe(0);
  });
});

describe("[tool.fastest]", () => {
  it("sets the seed, workers, timeout and memory cap; the command line wins", () => {
    const dir = inlineFiles({
      "pyproject.toml": "[tool.pytest]\naddopts = ['-v']\n[tool.fastest]\nseed = 1234\nworkers = 2\ntimeout = 0.5\nmax-memory = 256\n",
      "test_a.py": "import time\n\ndef test_slow():\n    time.sleep(3)\n",
      "test_b.py": "def test_b():\n    pass\n",
    });
    const ours = runCli([], dir);
    expect(ours.stdout).toMatch(/^seed: 1234$/m);
    expect(ours.stdout).toMatch(/^workers: 2 sandboxed workers/m);
    expect(ours.stdout).toMatch(/Failed: Timeout \(>0\.5s\) from pytest-timeout/);
    expect(ours.status).toBe(1);
    const overridden = runCli(["--seed", "7", "-n", "1", "--timeout", "0", "-k", "test_b"], dir);
    expect(overridden.stdout).toMatch(/^seed: 7$/m);
    expect(overridden.stdout).toMatch(/^workers: 1 sandboxed worker /m);
    expect(overridden.status).toBe(0);
  });

  it("a [fastest] section beside pytest's options works too, and pyproject.toml's [tool.fastest] next to a pytest.ini", () => {
    const dir = inlineFiles({ "tox.ini": "[pytest]\n[fastest]\nseed = 42\n", "test_a.py": "def test_a():\n    pass\n" });
    expect(runCli([], dir).stdout).toMatch(/^seed: 42$/m);
    writeFileSync(path.join(dir, "pytest.ini"), "[pytest]\n");
    writeFileSync(path.join(dir, "pyproject.toml"), "[tool.fastest]\nseed = 43\n");
    expect(runCli([], dir).stdout).toMatch(/^seed: 43$/m);
  });

  it("takes site-packages and wheels relative to the config file's folder, wherever fastest starts", () => {
    const dir = inlineFiles({
      "pyproject.toml": "[tool.pytest.ini_options]\n[tool.fastest]\nsite-packages = 'env/site'\nwheels = ['wheelhouse']\n",
      "env/site/fromsite.py": "WHERE = 'site'\n",
      "tests/test_deps.py": "import fromsite, fromwheel\n\ndef test_both():\n    assert (fromsite.WHERE, fromwheel.WHERE) == ('site', 'wheel')\n",
    });
    mkdirSync(path.join(dir, "wheelhouse"));
    const wheel = spawnSync("python3", ["-c", "import sys, zipfile\nwith zipfile.ZipFile(sys.argv[1], 'w') as z:\n    z.writestr('fromwheel.py', \"WHERE = 'wheel'\\n\")\n    z.writestr('fromwheel-1.0.dist-info/METADATA', 'Name: fromwheel\\nVersion: 1.0\\n')\n", path.join(dir, "wheelhouse", "fromwheel-1.0-py3-none-any.whl")], { encoding: "utf8" });
    expect(wheel.stderr).toBe("");
    const ours = runCli(["-n", "1"], path.join(dir, "tests"));
    expect(ours.stdout).toContain(`\nwheels: ${path.join(dir, "wheelhouse")} (1 used)\n`);
    expect(ours.stdout).toContain(`\nsite-packages: ${path.join(dir, "env", "site")} (0 packages)\n`);
    expect(ours.stdout).toMatch(/1 passed/);
    expect(ours.status).toBe(0);
  });

  it("an unknown key or a wrong value names the file (exit 4)", () => {
    const dir = inlineFiles({ "pyproject.toml": "[tool.fastest]\nworkerz = 2\n", "test_a.py": "def test_a():\n    pass\n" });
    const result = runCli([], dir);
    expect(result.stderr).toMatch(new RegExp(`^ERROR: ${path.join(dir, "pyproject.toml")}: unknown option 'workerz' in \\[tool\\.fastest\\]`));
    expect(result.status).toBe(4);
  });
});

