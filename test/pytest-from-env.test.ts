import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parseArgs } from "../core/cli-args.js";
import { pytestPassThrough } from "../node-host/pytest-from-env.js";
import { dedent, inlineFiles } from "./helpers/inline-files.js";
import { outcomesById, readJUnit } from "./helpers/junit.js";
import { runCli, type CliResult } from "./helpers/run-cli.js";

/**
 * `--pytest-from-env`: an environment holding the host's own pytest 9 (and
 * what it needs) plus a small plugin distribution registered as pytest
 * plugins are (a `pytest11` entry point); the same suite runs under fastest
 * with that pytest inside the sandbox and under real pytest on the host.
 */

/** Copy the host's pytest and its dependencies (their RECORDed files, dist-info included) into `dest`. */
function copyHostPytest(dest: string): void {
  const script = dedent(`
    import importlib.metadata as md, pathlib, shutil, sys
    dest = pathlib.Path(sys.argv[1])
    for name in ("pytest", "pluggy", "iniconfig", "packaging", "pygments"):
        dist = md.distribution(name)
        for file in dist.files or ():
            if ".." in file.parts or "__pycache__" in file.parts:
                continue
            source = pathlib.Path(file.locate())
            if source.is_file():
                (dest / file).parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(source, dest / file)
  `);
  const result = spawnSync("python3", ["-c", script, dest], { encoding: "utf8" });
  if (result.status !== 0) throw new Error(`copying the host's pytest failed (is pytest 9 installed for python3?): ${result.stderr}`);
}

/** A plugin distribution as pip would install it: a module and a dist-info folder whose entry point registers it. */
const plugin: Record<string, string> = {
  "greet_plugin/__init__.py": `
    import pytest

    def pytest_addoption(parser):
        parser.addoption("--greeting", default="hello", help="what the greeting fixture returns")

    def pytest_configure(config):
        config.addinivalue_line("markers", "greets: the test uses the greeting fixture")

    def pytest_collection_modifyitems(items):
        for item in items:
            if "greeting" in getattr(item, "fixturenames", ()):
                item.add_marker("greets")

    @pytest.fixture
    def greeting(request):
        return request.config.getoption("greeting")
  `,
  "greet_plugin-1.0.dist-info/METADATA": "Metadata-Version: 2.1\nName: greet-plugin\nVersion: 1.0\n",
  "greet_plugin-1.0.dist-info/entry_points.txt": "[pytest11]\ngreet = greet_plugin\n",
  "greet_plugin-1.0.dist-info/RECORD": "greet_plugin/__init__.py,,\ngreet_plugin-1.0.dist-info/METADATA,,\n",
};

const suite: Record<string, string> = {
  "pytest.ini": `
    [pytest]
    addopts = --greeting=hi
    markers =
        slow: takes a while
  `,
  "test_greet.py": `
    import warnings
    import pytest

    def test_greeting(greeting):
        assert greeting == "hi"

    def test_wrong_greeting(greeting):
        assert greeting == "bye", "the plugin's fixture said something else"

    @pytest.fixture(scope="module")
    def seen():
        return []

    @pytest.mark.parametrize("n", [1, 2, 3])
    def test_scoped(n, seen):
        seen.append(n)
        assert seen == list(range(1, n + 1))

    @pytest.mark.slow
    def test_output(record_property):
        print("to the captured output")
        record_property("answer", 42)
        warnings.warn("careful", UserWarning)

    @pytest.mark.skip(reason="not today")
    def test_skipped():
        pass

    @pytest.mark.xfail(reason="known bug")
    def test_known():
        assert 1 + 1 == 3

    class TestGroup:
        def test_method(self, greeting):
            assert greeting.upper() == "HI"
  `,
};

let sitePackages = "";
let project = "";

/** Real pytest on the host, with the same environment on PYTHONPATH and the plugin loaded as its entry point would load it. */
function runRealPytest(args: string[], cwd: string): CliResult {
  const result = spawnSync("python3", ["-m", "pytest", "-p", "no:cacheprovider", "-p", "greet_plugin", ...args], {
    cwd,
    encoding: "utf8",
    env: { PATH: process.env["PATH"] ?? "", HOME: os.homedir(), PYTHONPATH: sitePackages, PYTEST_DISABLE_PLUGIN_AUTOLOAD: "1", COLUMNS: "80", NO_COLOR: "1" },
    timeout: 120_000,
  });
  return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

function runFastest(args: string[], cwd = project): CliResult {
  return runCli(["-n", "1", "--site-packages", sitePackages, "--pytest-from-env", ...args], cwd);
}

/** The failure lines (`E ...`) and the short summary, which both runs must print alike. */
function keyLines(stdout: string): string[] {
  return stdout
    .split("\n")
    .filter((line) => /^E +\S/.test(line) || /^(FAILED|ERROR|XFAIL|SKIPPED|PASSED) /.test(line) || /^!+ stopping/.test(line));
}

beforeAll(() => {
  sitePackages = mkdtempSync(path.join(os.tmpdir(), "fastest-pytest-env-"));
  copyHostPytest(sitePackages);
  for (const [file, text] of Object.entries(plugin)) {
    mkdirSync(path.dirname(path.join(sitePackages, file)), { recursive: true });
    writeFileSync(path.join(sitePackages, file), dedent(text));
  }
  project = inlineFiles(suite);
});

describe("--pytest-from-env", () => {
  it("runs the suite with the environment's pytest and plugin, as real pytest does", () => {
    const ours = runFastest(["-rA", "--junitxml", "ours.xml"]);
    const theirs = runRealPytest(["-rA", "--junitxml", "theirs.xml"], project);
    expect(ours.stderr).not.toMatch(/Traceback/);
    expect(ours.stdout).toMatch(/^pytest-from-env: real pytest 9\.\d+\.\d+ from the environment runs the tests, plugins: greet_plugin 1\.0$/m);
    const junitOurs = outcomesById(readJUnit(path.join(project, "ours.xml")));
    expect(junitOurs).toEqual(outcomesById(readJUnit(path.join(project, "theirs.xml"))));
    expect(Object.keys(junitOurs)).toHaveLength(9);
    expect(keyLines(ours.stdout)).toEqual(keyLines(theirs.stdout));
    expect(ours.stdout).toContain("E       AssertionError: the plugin's fixture said something else");
    expect(ours.stdout).toContain("to the captured output");
    // record_property reaches fastest's JUnit XML; the warning its summary.
    expect(readFileSync(path.join(project, "ours.xml"), "utf8")).toContain('<property name="answer" value="42"');
    expect(ours.stdout).toContain("UserWarning: careful");
    const counts = (stdout: string) => /^=+ (.*) in [\d.]+s/m.exec(stdout.split("\n").filter((l) => l.startsWith("=")).at(-1) ?? "")?.[1];
    expect(counts(ours.stdout)).toBe(counts(theirs.stdout));
    expect(ours.status).toBe(1);
    expect(theirs.status).toBe(1);
  });

  it("hands plugin options to that pytest and selects by the marks its plugin adds, with -x", () => {
    const args = ["-m", "greets", "--greeting=bye", "-x"];
    const ours = runFastest([...args, "--junitxml", "ours-x.xml"]);
    const theirs = runRealPytest([...args, "--junitxml", "theirs-x.xml"], project);
    expect(outcomesById(readJUnit(path.join(project, "ours-x.xml")))).toEqual(outcomesById(readJUnit(path.join(project, "theirs-x.xml"))));
    expect(keyLines(ours.stdout)).toEqual(keyLines(theirs.stdout));
    expect(ours.stdout).toContain("stopping after 1 failures");
    expect(ours.stdout).toMatch(/1 failed, 6 deselected/);
    expect(ours.status).toBe(1);
  });

  it("fails a hung test at --timeout and goes on with the next ones; --cov measures the tests", () => {
    const dir = inlineFiles({
      "test_hang.py": `
        def test_before():
            pass

        def test_spins():
            while True:
                pass

        def test_after(greeting):
            assert greeting == "hello"
      `,
    });
    const ours = runFastest(["--timeout", "2", "-rA", "--cov"], dir);
    expect(ours.stdout).toMatch(/^test_hang\.py +\d+ +\d+ +\d+%$/m);
    expect(ours.stdout).toContain("FAILED test_hang.py::test_spins - Failed: Timeout (>2.0s) from pytest-timeout.");
    expect(ours.stdout).toContain("PASSED test_hang.py::test_after");
    expect(ours.stdout).toMatch(/1 failed, 2 passed/);
    expect(ours.status).toBe(1);
  });

  it("is a usage error saying where it looked when the environment has no pytest", () => {
    const onlyPlugin = mkdtempSync(path.join(os.tmpdir(), "fastest-no-pytest-"));
    for (const [file, text] of Object.entries(plugin)) {
      mkdirSync(path.dirname(path.join(onlyPlugin, file)), { recursive: true });
      writeFileSync(path.join(onlyPlugin, file), dedent(text));
    }
    const withoutPytest = runCli(["--site-packages", onlyPlugin, "--pytest-from-env"], project);
    expect(withoutPytest.status).toBe(4);
    expect(withoutPytest.stderr).toContain(`--pytest-from-env: no pytest found in the environment; looked in --site-packages ${onlyPlugin}`);
    const noEnvironment = runCli(["--pytest-from-env"], project);
    expect(noEnvironment.status).toBe(4);
    expect(noEnvironment.stderr).toContain(`looked in ${path.join(project, ".venv")} (the rootdir's virtualenv)`);
    const listing = runFastest(["--fixtures"]);
    expect(listing.status).toBe(4);
    expect(listing.stderr).toContain("--fixtures does not work with --pytest-from-env yet");
  });

  it("reports options that pytest refuses as an error, running nothing", () => {
    const refused = runFastest(["--greeting"]);
    expect(refused.stdout).toContain("error: argument --greeting: expected one argument");
    expect(refused.stdout).toMatch(/^ERROR test session - pytest refused its options: argument --greeting: expect/m);
    expect(refused.stdout).toContain("Interrupted: 1 error during collection");
    expect(refused.status).toBe(2);
  });

  it("reports pytest 9's subtests as real pytest does", () => {
    const dir = inlineFiles({
      "test_sub.py": `
        import unittest

        def test_fixture(subtests):
            for i in range(3):
                with subtests.test(msg="check", i=i):
                    assert i != 1

        class TestCase(unittest.TestCase):
            def test_sub(self):
                for i in range(2):
                    with self.subTest(i=i):
                        self.assertEqual(i, 0)
      `,
    });
    const ours = runFastest(["-rA"], dir);
    const theirs = runRealPytest(["-rA"], dir);
    expect(keyLines(ours.stdout)).toEqual(keyLines(theirs.stdout));
    expect(ours.stdout).toContain("SUBFAILED[check] (i=1) test_sub.py::test_fixture - assert 1 != 1");
    expect(ours.status).toBe(theirs.status);
  });

  it("passes the options meant for pytest and keeps fastest's own", () => {
    const args = parseArgs(["--pytest-from-env", "-o", "xfail_strict=true", "-p", "no:randomly", "--greeting=bye", "--strict", "-k", "x", "tests"]);
    expect(pytestPassThrough(args)).toEqual(["-o", "xfail_strict=true", "-p", "no:randomly", "--strict", "--greeting=bye"]);
    expect(args.options["keyword"]).toBe("x");
    expect(args.positionals).toEqual(["tests"]);
    expect(() => parseArgs(["--greeting=bye"])).toThrow(/unrecognized arguments: --greeting/);
  });
});
