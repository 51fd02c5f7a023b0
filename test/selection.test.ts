import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { expectSameReport, normalize } from "./helpers/compare.js";
import { inlineFiles } from "./helpers/inline-files.js";
import { runCli, runPytest, type CliResult } from "./helpers/run-cli.js";


/** Both tools on the same folder and arguments, two workers for fastest: same report, same exit code. */
const expectSameAsPytest = (dir: string, args: string[]): CliResult => expectSameReport(dir, args, 2);

const suite = {
  "pytest.ini": "[pytest]\nmarkers =\n    slow: slow tests\n    net: network\n    level(n): graded\n",
  "tests/test_alpha.py": `
    import pytest

    def test_parse():
        pass

    @pytest.mark.slow
    def test_parse_slow():
        pass

    @pytest.mark.level(n=2)
    def test_level_two():
        assert False

    class TestGroup:
        """A group of tests."""

        @pytest.mark.parametrize("x", [1, 2, 3])
        def test_param(self, x):
            pass

        @pytest.mark.net
        def test_net(self):
            pass
    `,
  "tests/test_beta.py": `
    import pytest

    def test_beta_one():
        """Checks one thing.

        At length.
        """
        assert 1 == 2

    @pytest.mark.level(n=1)
    def test_beta_two():
        pass

    def test_Parse_upper():
        pass

    @pytest.mark.parametrize("y", ["p", "q"])
    def test_beta_param(y):
        assert y != "q"
    `,
};

describe("-k, -m and --deselect select like pytest", () => {
  const dir = inlineFiles(suite);
  it.each([
    [["-k", "parse"]],
    [["-k", "parse and not slow"]],
    [["-k", "(Group or beta) and not test_param[2]"]],
    [["-k", "TestGroup", "-v"]],
    [["-m", "slow or net"]],
    [["-m", "not level"]],
    [["-m", "level(n=2)"]],
    [["-k", "not beta", "--deselect", "tests/test_alpha.py::TestGroup::test_param", "-q"]],
    [["-k", "nothing_matches"]],
    [["--deselect", "tests/test_beta.py"]],
  ])("%j", (args) => {
    expectSameAsPytest(dir, args);
  });

  it("reports a malformed expression as pytest's usage error (exit 4)", () => {
    const result = expectSameAsPytest(dir, ["-k", "parse and ("]);
    expect(result.stderr).toBe(
      "ERROR: Wrong expression passed to '-k': parse and (: at column 12: expected not OR left parenthesis OR identifier; got end of input\n\n",
    );
    expect(runCli(["-k", "parse(x=1)"], dir).stderr).toBe("ERROR: Keyword expressions do not support call parameters.\n\n");
  });
});

describe("--ignore and --ignore-glob", () => {
  const dir = inlineFiles({ ...suite, "other/test_gamma.py": "def test_g():\n    pass\n", "tests/test_slow_stuff.py": "def test_s():\n    pass\n" });
  it.each([[["--ignore", "other"]], [["--ignore=tests/test_beta.py", "--ignore-glob=*_slow_*.py"]], [["--ignore-glob", "*/tests/*", "-q"]]])(
    "%j",
    (args) => {
      expectSameAsPytest(dir, args);
    },
  );
});

describe("-x and --maxfail stop at the N-th failure in collection order", () => {
  const files: Record<string, string> = {};
  for (const name of ["a", "b", "c", "d"]) {
    files[`test_${name}.py`] = `
      import time

      def test_${name}_pass():
          pass

      def test_${name}_fail():
          time.sleep(${name === "a" ? "0.3" : "0"})
          assert "${name}" == "ok"

      def test_${name}_after():
          pass
      `;
  }
  const dir = inlineFiles(files);
  it.each([[["-x"]], [["--maxfail=2"]], [["--maxfail", "3", "-v"]], [["-x", "-q", "-k", "not test_a"]]])("%j", (args) => {
    expectSameAsPytest(dir, args);
  });

  it("stops after collection errors that reach --maxfail", () => {
    const broken = inlineFiles({ "test_bad.py": "def test_x(:\n    pass\n", "test_good.py": "def test_ok():\n    pass\n" });
    // The collection error's traceback differs (the interpreters' import machinery): compare the rest.
    const tail = (stdout: string) => normalize(stdout).split("\n").slice(-4);
    for (const args of [["-x"], ["-x", "--continue-on-collection-errors"]]) {
      const ours = runCli(["-n", "2", ...args], broken);
      const theirs = runPytest(args, broken);
      expect(tail(ours.stdout)).toEqual(tail(theirs.stdout));
      expect(ours.stdout.split("\n").find((l) => l.startsWith("collected"))).toBe(theirs.stdout.split("\n").find((l) => l.startsWith("collected")));
      expect(ours.status).toBe(theirs.status);
    }
  });
});

describe("--collect-only", () => {
  const dir = inlineFiles({
    ...suite,
    "pkg/__init__.py": "",
    "pkg/sub/__init__.py": "",
    "pkg/sub/test_units.py": `
      import unittest

      class TestU(unittest.TestCase):
          def test_a(self):
              pass

      def test_s():
          pass
      `,
    "tests/test_nested.py": `
      class TestOuter:
          class TestInner:
              def test_i(self):
                  pass
      `,
  });
  it.each([[["--co"]], [["--collect-only", "-q"]], [["--co", "-qq"]], [["--co", "-v", "tests"]], [["--co", "-k", "beta or Inner"]], [["--co", "-k", "nothing"]], [["--co", "-q", "tests/test_alpha.py::TestGroup", "pkg"]],
    // A node id beside a folder: everything under the folder is collected too.
    [["-q", "tests/test_alpha.py::TestGroup::test_net", "pkg"]]])(
    "%j",
    (args) => {
      expectSameAsPytest(dir, args);
    },
  );
});

describe("--durations", () => {
  const dir = inlineFiles(suite);
  it("prints the slowest-durations section where pytest does", () => {
    expectSameAsPytest(dir, ["--durations=3", "--durations-min=100"]);
    const ours = runCli(["--durations=0", "-q", "--tb=no"], dir);
    expect(ours.stdout).toMatch(/^=+ slowest durations =+$/m);
    expect(ours.stdout).toMatch(/^\(\d+ durations < 0\.005s hidden\.  Use -vv to show these durations\.\)$/m);
  });
});

/** Real pytest with its cache on (the helper turns it off). */
function runPytestWithCache(args: string[], cwd: string): CliResult {
  const env: NodeJS.ProcessEnv = { ...process.env, PYTEST_DISABLE_PLUGIN_AUTOLOAD: "1", COLUMNS: "80", NO_COLOR: "1" };
  delete env["CI"];
  delete env["BUILD_NUMBER"];
  const result = spawnSync("python3", ["-m", "pytest", ...args], { cwd, encoding: "utf8", env });
  return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

describe("the cache: --lf, --ff, --nf, --sw", () => {
  /** Run the same sequence of invocations in two copies of a project; compare every report. */
  function sameSequence(files: Record<string, string>, runs: string[][]): void {
    const base = inlineFiles(files);
    const ours = mkdtempSync(path.join(os.tmpdir(), "fastest-cache-"));
    const theirs = mkdtempSync(path.join(os.tmpdir(), "pytest-cache-"));
    cpSync(base, ours, { recursive: true });
    cpSync(base, theirs, { recursive: true });
    for (const args of runs) {
      const a = runCli(["-n", "2", ...args], ours);
      const b = runPytestWithCache(args, theirs);
      expect(normalize(a.stdout), args.join(" ")).toBe(normalize(b.stdout).replace(/rootdir: .*/, `rootdir: ${ours}`));
      expect(a.status).toBe(b.status);
    }
    expect(existsSync(path.join(ours, ".fastest_cache", "v", "cache", "lastfailed"))).toBe(true);
  }

  const project = {
    "test_one.py": "def test_a():\n    pass\n\ndef test_b():\n    assert 0\n\nclass TestC:\n    def test_c(self):\n        pass\n",
    "test_two.py": "def test_d():\n    pass\n\ndef test_e():\n    assert 0\n",
    "test_three.py": "def test_f():\n    pass\n",
  };

  it("reruns last failures with --lf and puts them first with --ff", () => {
    sameSequence(project, [["--tb=no"], ["--lf", "--tb=no"], ["--ff", "--tb=no"], ["--lf", "test_three.py", "--tb=no"], ["--cache-clear", "--lf", "--tb=no"]]);
  });

  it("steps through failures with --sw and --sw-skip", () => {
    sameSequence(project, [["--sw", "--tb=no"], ["--sw", "--tb=no"], ["--sw-skip", "--tb=no"], ["--sw-reset", "--tb=no"]]);
  });

  it("keeps no cache with -p no:cacheprovider", () => {
    const dir = inlineFiles(project);
    runCli(["-p", "no:cacheprovider", "--tb=no"], dir);
    expect(existsSync(path.join(dir, ".fastest_cache"))).toBe(false);
  });
});

describe("--strict-markers", () => {
  const dir = inlineFiles({
    "pytest.ini": "[pytest]\nmarkers =\n    slow: slow tests\n",
    "test_marked.py": "import pytest\n\n@pytest.mark.slow\ndef test_a():\n    pass\n\n@pytest.mark.fast\ndef test_b():\n    pass\n",
    "test_builtin.py": "import pytest\n\n@pytest.mark.skip\ndef test_c():\n    pass\n\n@pytest.mark.xfail\ndef test_d():\n    assert 0\n",
  });
  it.each([[["--strict-markers"]], [["--strict-markers", "--continue-on-collection-errors", "-rA"]]])("%j", (args) => {
    expectSameAsPytest(dir, args);
  });
  it("reads strict_markers from the ini-file", () => {
    const strict = inlineFiles({ "pytest.ini": "[pytest]\nstrict_markers = true\n", "test_m.py": "import pytest\n\n@pytest.mark.fast\ndef test_b():\n    pass\n" });
    expectSameAsPytest(strict, []);
  });
  // pytest 9 drops --strict-markers given in the ini file's own addopts; strict_markers, when set, beats strict.
  it.each([
    ["addopts = --strict-markers", []],
    ["strict = true\nstrict_markers = false", []],
    ["strict_markers = false", ["--strict"]],
    ["strict = true", []],
  ])("ini %j, args %j", (ini, args) => {
    const strict = inlineFiles({ "pytest.ini": `[pytest]\n${ini}\n`, "test_m.py": "import pytest\n\n@pytest.mark.fast\ndef test_b():\n    pass\n" });
    expectSameAsPytest(strict, args);
  });
});
