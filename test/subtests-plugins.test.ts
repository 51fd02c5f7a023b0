/**
 * Subtests (pytest 9's `subtests` fixture and unittest's `self.subTest`),
 * `-p no:NAME` and `-l`: whole reports of the sandboxed CLI against real
 * pytest on the same small trees.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { expectSameReport } from "./helpers/compare.js";
import { inlineFiles } from "./helpers/inline-files.js";
import { outcomesById, readJUnit } from "./helpers/junit.js";
import { runCli, runPytest } from "./helpers/run-cli.js";

const fixtureSubtests = {
  "test_fx.py": `
    import pytest

    def test_some_fail(subtests):
        for i in range(3):
            with subtests.test(msg="custom", i=i):
                print(f"inside {i}")
                assert i != 1

    def test_all_pass(subtests):
        with subtests.test():
            pass
        with subtests.test(msg="skipping"):
            pytest.skip("not today")

    def test_xfail_and_error(subtests):
        with subtests.test("a"):
            pytest.xfail("known")
        with subtests.test("b"):
            raise ValueError("boom")
        with subtests.test("c", n=None):
            pass

    def test_plain():
        pass
  `,
};

const unittestSubtests = {
  "test_ut.py": `
    import unittest

    class T(unittest.TestCase):
        def test_loop(self):
            for i in range(4):
                with self.subTest(i=i):
                    self.assertNotEqual(i % 2, 1)

        def test_messages(self):
            with self.subTest():
                self.assertEqual(1, 2)
            with self.subTest("only msg"):
                pass

        def test_skip_inside(self):
            for i in range(3):
                with self.subTest(i=i):
                    if i == 1:
                        self.skipTest("one")

        def test_then_fail(self):
            with self.subTest(i=1):
                self.assertEqual(1, 2)
            self.assertEqual(3, 4)
  `,
};

describe("the subtests fixture", () => {
  it("reports each failing subtest, and fails the test that contains them", () => {
    const ours = expectSameReport(fixtureSubtests, ["."]);
    expect(ours.stdout).toContain("SUBFAILED[custom] (i=1) test_fx.py::test_some_fail - assert 1 != 1");
    expect(ours.stdout).toContain("FAILED test_fx.py::test_some_fail - contains 1 failed subtest");
  });

  it("shows passed and skipped subtests with -v, and counts them", () => {
    const ours = expectSameReport(fixtureSubtests, ["-v", "-rA", "--tb=short"]);
    expect(ours.stdout).toMatch(/^test_fx\.py::test_some_fail SUBPASSED\[custom\] \(i=0\) +\[ 25%\]$/m);
    expect(ours.stdout).toMatch(/4 failed, 2 passed, 1 skipped, 1 xfailed, 4 subtests passed in/);
  });

  it("counts subtests under -q as well", () => {
    expectSameReport(fixtureSubtests, ["-q", "-rA", "--tb=short"]);
  });

  it("hides passed subtests when the verbosity_subtests ini says 0", () => {
    expectSameReport({ ...fixtureSubtests, "pytest.ini": "[pytest]\nverbosity_subtests = 0\n" }, ["-v", "--tb=no"]);
  });
});

describe("unittest subTest", () => {
  // pytest 9 writes these progress lines into the test's captured stdout
  // (its capture is on while unittest reports them); under -s it prints them
  // as fastest always does, so the reports compare with -s.
  it("reports subtests one by one; the test itself passes unless it fails on its own", () => {
    const ours = expectSameReport(unittestSubtests, ["-s", "-v", "-rA"]);
    expect(ours.stdout).toContain("SUBFAILED(i=1) test_ut.py::T::test_loop - AssertionError: 1 == 1");
    expect(ours.stdout).toMatch(/^test_ut\.py::T::test_skip_inside SUBSKIPPED\(i=1\) \(one\)/m);
  });

  it("ends with pytest's counts without -v", () => {
    const ours = runCli(["-n", "1", "--tb=no", "."], inlineFiles(unittestSubtests));
    const theirs = runPytest(["--tb=no", "."], inlineFiles(unittestSubtests));
    const last = (text: string) => text.trim().split("\n").at(-1)!.replace(/ in [\d.]+s.*/, "");
    expect(last(ours.stdout)).toBe(last(theirs.stdout));
  });

  it("writes pytest's JUnit failures and the JSON report lists each subtest", () => {
    const dir = inlineFiles({ ...unittestSubtests, ...fixtureSubtests });
    const out = mkdtempSync(path.join(os.tmpdir(), "fastest-subtests-"));
    runCli(["-n", "1", "--junitxml", path.join(out, "ours.xml"), "--json", path.join(out, "ours.json"), "."], dir);
    runPytest(["--junitxml", path.join(out, "theirs.xml"), "."], dir);
    const xml = (file: string) => readFileSync(path.join(out, file), "utf8");
    const failures = (text: string) => [...text.matchAll(/<failure message="([^"]*)"/g)].map((m) => m[1]);
    expect(failures(xml("ours.xml"))).toEqual(failures(xml("theirs.xml")));
    const attrs = (text: string) => /<testsuite [^>]*errors="(\d+)" failures="(\d+)" skipped="(\d+)" tests="(\d+)"/.exec(text)?.slice(1);
    expect(attrs(xml("ours.xml"))).toEqual(attrs(xml("theirs.xml")));
    expect(outcomesById(readJUnit(path.join(out, "ours.xml")))).toEqual(outcomesById(readJUnit(path.join(out, "theirs.xml"))));
    const report = JSON.parse(xml("ours.json")) as { tests: Array<{ nodeid: string; outcome: string; subtests?: Array<{ description: string; result: string }> }> };
    const loop = report.tests.find((t) => t.nodeid === "test_ut.py::T::test_loop")!;
    expect(loop.outcome).toBe("passed");
    expect(loop.subtests?.map((s) => `${s.description} ${s.result}`)).toEqual(["(i=0) passed", "(i=1) failed", "(i=2) passed", "(i=3) failed"]);
  });
});

describe("-p no:NAME", () => {
  const warns = {
    "test_w.py": `
      import warnings

      def test_warns():
          warnings.warn("hey")

      def test_fails():
          warnings.warn("there", UserWarning)
          assert 0
    `,
  };

  it("no:warnings catches no warnings: Python prints them into the captured stderr", () => {
    expectSameReport(warns, ["-p", "no:warnings", "-rA", "--tb=short"]);
  });

  it("the options of a disabled plugin are unknown, as in pytest", () => {
    const dir = inlineFiles(warns);
    for (const args of [["-p", "no:doctest", "--doctest-modules"], ["-p", "no:cacheprovider", "--lf"], ["-p", "no:junitxml", "--junitxml=x.xml"]]) {
      const ours = runCli(args, dir);
      const theirs = runPytest(args, dir);
      expect(ours.status).toBe(4);
      expect(theirs.status).toBe(4);
      const unknown = /unrecognized arguments: (.*)/;
      expect(unknown.exec(ours.stderr)?.[1]).toBe(unknown.exec(theirs.stderr)?.[1]);
    }
  });

  it("accepts plugin names it does not know", () => {
    expectSameReport(warns, ["-p", "no:randomly", "-q", "--tb=no"]);
  });
});

describe("-l/--showlocals", () => {
  const files = {
    "test_locals.py": `
      import pytest

      def helper(x, y=3):
          doubled = [x] * 2
          assert x == y

      @pytest.fixture
      def resource():
          value = {"a": 1}
          yield value
          state = "closing"
          raise RuntimeError("teardown")

      def test_nested():
          a = 1
          text = "x" * 300
          helper(a)

      def test_fixture(resource):
          n = None
          assert resource["a"] == 2
    `,
  };

  for (const tb of ["auto", "long", "short"]) {
    it(`prints each frame's locals with --tb=${tb}`, () => {
      expectSameReport(files, ["-l", `--tb=${tb}`]);
    });
  }
});

describe("the cache fixture and config.cache", () => {
  const files = {
    "test_cache.py": `
      def test_count(cache, request):
          n = cache.get("demo/count", 0)
          print("count", n)
          cache.set("demo/count", n + 1)
          request.config.cache.set("demo/other", {"b": [1, "é"], "a": None})
          assert request.config.cache.get("demo/count", None) == n + 1
    `,
  };
  const pytestWithCache = (dir: string) =>
    spawnSync("python3", ["-m", "pytest", "-q", "-rA"], { cwd: dir, encoding: "utf8", env: { ...process.env, PYTEST_DISABLE_PLUGIN_AUTOLOAD: "1" } });

  it("reads and writes <rootdir>/.fastest_cache/v/<key> as pytest does .pytest_cache/v/<key>", () => {
    const dir = inlineFiles(files);
    for (const expected of ["count 0", "count 1"]) {
      const ours = runCli(["-q", "-rA"], dir);
      expect(ours.status).toBe(0);
      expect(ours.stdout).toContain(expected);
    }
    const oracle = inlineFiles(files);
    pytestWithCache(oracle);
    pytestWithCache(oracle);
    for (const key of ["demo/count", "demo/other"]) {
      expect(readFileSync(path.join(dir, ".fastest_cache", "v", key), "utf8")).toBe(readFileSync(path.join(oracle, ".pytest_cache", "v", key), "utf8"));
    }
  });

  it("has no cache with -p no:cacheprovider", () => {
    expectSameReport(files, ["-p", "no:cacheprovider", "--tb=line", "-q"]);
  });
});
