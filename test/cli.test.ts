import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { normalize } from "./helpers/compare.js";
import { inlineFiles } from "./helpers/inline-files.js";
import { outcomesById, readJUnit } from "./helpers/junit.js";
import { repoRoot, runCli, runPytest } from "./helpers/run-cli.js";

const summaryLine = (stdout: string) =>
  stdout
    .trim()
    .split("\n")
    .at(-1)!
    .replace(/=/g, "")
    .replace(/ in [\d.]+s.*$/, "")
    .trim();


describe("fastest on the bundled example suite", () => {
  const example = path.join(repoRoot, "examples", "basic");
  const out = mkdtempSync(path.join(os.tmpdir(), "fastest-junit-"));
  const ours = runCli(["--sandbox", "--junitxml", path.join(out, "ours.xml"), "--json", path.join(out, "ours.json"), "."], example);
  const theirs = runPytest(["--junitxml", path.join(out, "theirs.xml"), "."], example);

  it("prints a pytest-like report and exits 1 for the intended failure", () => {
    expect(ours.stderr).not.toMatch(/Error:|Traceback/);
    expect(ours.status).toBe(1);
    expect(ours.stdout).toMatch(/^=+ test session starts =+$/m);
    expect(ours.stdout).toMatch(/^rootdir: .*examples\/basic$/m);
    expect(ours.stdout).toMatch(/^configfile: pytest\.ini$/m);
    expect(ours.stdout).toMatch(/^collected 12 items$/m);
    expect(ours.stdout).toMatch(/^tests\/test_calc\.py \.{5}Fsx +\[ 66%\]$/m);
    expect(ours.stdout).toMatch(/^E +assert 4 == 5$/m);
    expect(ours.stdout).toMatch(/^E +\+  where 4 = add\(2, 2\)$/m);
    expect(ours.stdout).toContain("FAILED tests/test_calc.py::test_add_wrong - assert 4 == 5");
  });

  it("prints the same report as real pytest, header aside, when run from another folder", () => {
    const fromRepo = runCli(["examples/basic"], repoRoot);
    const oracle = runPytest(["examples/basic"], repoRoot);
    expect(normalize(fromRepo.stdout)).toBe(normalize(oracle.stdout));
  });

  it("ends with the same counts as real pytest", () => {
    expect(theirs.status).toBe(1);
    expect(summaryLine(ours.stdout)).toBe(summaryLine(theirs.stdout));
  });

  it("writes JUnit XML whose ids and outcomes match real pytest's", () => {
    const ourCases = readJUnit(path.join(out, "ours.xml"));
    const theirCases = readJUnit(path.join(out, "theirs.xml"));
    expect(ourCases.length).toBe(12);
    expect(outcomesById(ourCases)).toEqual(outcomesById(theirCases));
    expect(ourCases.map((c) => `${c.classname}::${c.name}`)).toEqual(theirCases.map((c) => `${c.classname}::${c.name}`));
  });

  it("writes a JSON report with every item", () => {
    const report = JSON.parse(readFileSync(path.join(out, "ours.json"), "utf8")) as { tests: Array<{ nodeid: string; outcome: string }>; exitCode: number };
    expect(report.exitCode).toBe(1);
    expect(report.tests).toHaveLength(12);
    expect(report.tests.find((t) => t.nodeid === "tests/test_calc.py::test_add_wrong")?.outcome).toBe("failed");
  });
});

describe("exit codes and collection", () => {
  it("exits 0 when everything passes, with -v lines", () => {
    const dir = inlineFiles({ "test_ok.py": "def test_a():\n    assert True\n\ndef test_b():\n    pass\n" });
    const result = runCli(["-v", "."], dir);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^test_ok\.py::test_a PASSED +\[ 50%\]$/m);
    expect(result.stdout).toMatch(/^test_ok\.py::test_b PASSED +\[100%\]$/m);
  });

  it("exits 5 when no tests are collected", () => {
    const dir = inlineFiles({ "helper.py": "x = 1\n" });
    const result = runCli(["."], dir);
    expect(result.status).toBe(5);
    expect(result.stdout).toMatch(/no tests ran/);
  });

  it("exits 4 on a usage error, naming the option", () => {
    const result = runCli(["--no-such-flag"], repoRoot);
    expect(result.status).toBe(4);
    expect(result.stderr).toContain("unrecognized arguments: --no-such-flag");
  });

  it("exits 4 when a path does not exist", () => {
    const dir = inlineFiles({ "test_ok.py": "def test_a():\n    pass\n" });
    const result = runCli(["missing_dir"], dir);
    expect(result.status).toBe(4);
    expect(result.stderr).toContain("file or directory not found");
  });

  const broken = {
    "test_bad.py": "def test_x(:\n    pass\n",
    "test_good.py": "def test_ok():\n    pass\n",
  };

  it("stops after a collection error, as pytest does (exit 2)", () => {
    const dir = inlineFiles(broken);
    const result = runCli(["."], dir);
    const oracle = runPytest(["."], dir);
    expect(result.status).toBe(2);
    expect(oracle.status).toBe(2);
    expect(result.stdout).toContain("ERROR collecting test_bad.py");
    expect(result.stdout).toMatch(/SyntaxError/);
    expect(result.stdout).toMatch(/Interrupted: 1 error during collection/);
    expect(summaryLine(result.stdout)).toBe(summaryLine(oracle.stdout));
  });

  it("runs the other files with --continue-on-collection-errors", () => {
    const dir = inlineFiles(broken);
    const result = runCli(["--continue-on-collection-errors", "."], dir);
    const oracle = runPytest(["--continue-on-collection-errors", "."], dir);
    expect(result.status).toBe(oracle.status);
    expect(summaryLine(result.stdout)).toBe(summaryLine(oracle.stdout));
    expect(summaryLine(result.stdout)).toBe("1 passed, 1 error");
  });

  it("counts a module that skips itself at import as pytest does", () => {
    const dir = inlineFiles({
      "test_m.py": "import pytest\npytest.skip('not here', allow_module_level=True)\n\ndef test_a():\n    pass\n",
      "test_n.py": "def test_b():\n    pass\n",
    });
    const result = runCli(["-rs", "."], dir);
    const oracle = runPytest(["-rs", "."], dir);
    expect(result.status).toBe(oracle.status);
    expect(summaryLine(result.stdout)).toBe("1 passed, 1 skipped");
    expect(summaryLine(result.stdout)).toBe(summaryLine(oracle.stdout));
    expect(result.stdout).toContain("SKIPPED [1] test_m.py:2: not here");
    expect(result.stdout).toContain("collected 1 item / 1 skipped");
    expect(runCli(["test_m.py"], dir).status).toBe(runPytest(["test_m.py"], dir).status);
  });

  it("selects a single test by node id", () => {
    const dir = inlineFiles({ "test_two.py": "def test_a():\n    pass\n\ndef test_b():\n    assert 0\n" });
    const result = runCli(["test_two.py::test_a"], dir);
    expect(result.status).toBe(0);
    expect(summaryLine(result.stdout)).toBe("1 passed");
  });
});

describe("whole reports match real pytest's", () => {
  it("lists warnings with their source lines", () => {
    const dir = inlineFiles({
      "test_w.py": `
        import warnings

        def test_user():
            warnings.warn("careful", UserWarning)

        def test_deprecated():
            warnings.warn("old", DeprecationWarning)
      `,
    });
    expect(normalize(runCli(["."], dir).stdout)).toBe(normalize(runPytest(["."], dir).stdout));
  });

  it("names the JUnit file it wrote, where pytest does", () => {
    const dir = inlineFiles({ "test_j.py": "def test_a():\n    pass\n" });
    const ours = normalize(runCli(["--junitxml=out/report.xml", "."], dir).stdout);
    expect(ours).toContain(`generated xml file: ${dir}/out/report.xml`);
    expect(ours).toBe(normalize(runPytest(["--junitxml=out/report.xml", "."], dir).stdout));
  });

  it("prints -v lines, -rA sections and a failing fixture's error like pytest", () => {
    const dir = inlineFiles({
      "conftest.py": `
        import pytest

        @pytest.fixture
        def broken():
            raise RuntimeError("no database")
      `,
      "tests/test_mix.py": `
        import pytest

        def test_ok():
            print("out")

        def test_needs_db(broken):
            pass

        @pytest.mark.xfail(reason="known")
        def test_known():
            assert [1, 2, 3] == [1, 2, 4]

        @pytest.mark.parametrize("x", [1, "a", None])
        def test_param(x):
            assert x
      `,
    });
    for (const args of [["-v", "."], ["-rA", "."], ["-q", "tests"]]) {
      expect(normalize(runCli(args, dir).stdout)).toBe(normalize(runPytest(args, dir).stdout));
    }
  });
});

describe("reproducibility", () => {
  const dir = inlineFiles({
    "test_seed.py": `
      import random

      def test_first():
          assert random.random() == -1

      def test_second():
          # Reseeded before every test: the same value as the first test.
          assert random.random() == -1
    `,
  });
  const value = (stdout: string) => [...stdout.matchAll(/^E +assert (0\.\d+) == -1$/gm)].map((m) => m[1]);

  it("prints the seed and repeats a run with --seed", () => {
    const first = runCli(["--seed", "1234", "."], dir);
    const second = runCli(["--seed", "1234", "."], dir);
    const other = runCli(["--seed", "99", "."], dir);
    expect(first.stdout).toMatch(/seed: 1234/);
    expect(value(first.stdout)).toHaveLength(2);
    expect(value(first.stdout)).toEqual(value(second.stdout));
    expect(value(first.stdout)[0]).toBe(value(first.stdout)[1]);
    expect(value(other.stdout)[0]).not.toBe(value(first.stdout)[0]);
  });

  it("keeps host environment variables out of the sandbox", () => {
    const probe = inlineFiles({
      "test_env.py": `
        import os

        def test_env():
            assert "FASTEST_HOST_SECRET" not in os.environ
            assert os.environ["PYTHONHASHSEED"] == "0"
            assert os.environ["HOME"] == "/home/sandbox"
      `,
    });
    const result = runCli(["."], probe, { FASTEST_HOST_SECRET: "hunter2" });
    expect(result.status).toBe(0);
  });
});

describe("file output stays in the sandbox", () => {
  it("does not write to the project on the host", () => {
    const dir = inlineFiles({
      "test_write.py": `
        import pathlib

        def test_write():
            pathlib.Path("created_by_test.txt").write_text("x")
            pathlib.Path("test_write.py").write_text("overwritten")
            assert pathlib.Path("created_by_test.txt").read_text() == "x"
      `,
    });
    const before = readFileSync(path.join(dir, "test_write.py"), "utf8");
    const result = runCli(["."], dir);
    expect(result.status).toBe(0);
    expect(existsSync(path.join(dir, "created_by_test.txt"))).toBe(false);
    expect(readFileSync(path.join(dir, "test_write.py"), "utf8")).toBe(before);
  });
});
