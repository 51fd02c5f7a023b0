import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { inlineFiles } from "./helpers/inline-files.js";
import { outcomesById, readJUnit } from "./helpers/junit.js";
import { runCli } from "./helpers/run-cli.js";

// Outcomes and messages only: how long anything took is bench/'s business.
// Timeouts are 1s so a hung test costs little; nothing asserts a duration.

const summary = (stdout: string) => stdout.trim().split("\n").at(-1)!.replace(/=/g, "").replace(/ in [\d.]+s.*$/, "").trim();

interface JsonReport {
  summary: Record<string, number>;
  tests: Array<{ nodeid: string; outcome: string }>;
}

/** Run the CLI with JUnit and JSON reports; the reports are parsed for the checks. */
function run(files: Record<string, string>, args: string[], env: Record<string, string> = {}) {
  const dir = inlineFiles(files);
  const result = runCli(["-p", "no:cacheprovider", "--junitxml", "out.xml", "--json", "out.json", ...args], dir, env);
  const junit = outcomesById(readJUnit(path.join(dir, "out.xml")));
  const json = JSON.parse(readFileSync(path.join(dir, "out.json"), "utf8")) as JsonReport;
  return { ...result, junit, json };
}

describe("per-test timeouts (pytest-timeout's --timeout and mark)", () => {
  const files = {
    "test_hang.py": `
      import pytest

      def test_before():
          pass

      def test_hang():
          while True:
              pass

      def test_after():
          assert 1 + 1 == 2

      @pytest.mark.timeout(1)
      def test_marked():
          n = 0
          while True:
              n += 1

      @pytest.mark.timeout(0)
      def test_unlimited_by_mark():
          pass
    `,
    "test_other.py": `
      def test_other():
          pass
    `,
  };

  it("fails a hung test with pytest-timeout's message and the stack where it was, then goes on", () => {
    const r = run(files, ["-n", "1", "--timeout", "1", "--strict-markers"]);
    expect(r.stderr).not.toMatch(/internal error|Traceback/);
    expect(summary(r.stdout)).toBe("2 failed, 4 passed");
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/^>\s+pass$/m);
    expect(r.stdout).toMatch(/^E\s+Failed: Timeout \(>1\.0s\) from pytest-timeout\.$/m);
    expect(r.stdout).toMatch(/^>\s+n \+= 1$/m);
    expect(r.stdout).toContain("FAILED test_hang.py::test_hang - Failed: Timeout (>1.0s)");
    expect(r.junit).toEqual({
      "test_hang::test_before": "passed",
      "test_hang::test_hang": "failure",
      "test_hang::test_after": "passed",
      "test_hang::test_marked": "failure",
      "test_hang::test_unlimited_by_mark": "passed",
      "test_other::test_other": "passed",
    });
    expect(r.json.summary).toMatchObject({ passed: 4, failed: 2 });
  });

  it("takes the timeout from the ini file, and the mark alone without --timeout", () => {
    const ini = run({ ...files, "pytest.ini": "[pytest]\ntimeout = 1\n" }, ["-n", "1", "test_hang.py::test_hang", "test_hang.py::test_after"]);
    expect(summary(ini.stdout)).toBe("1 failed, 1 passed");
    const marked = run(files, ["-n", "1", "test_hang.py::test_marked", "test_hang.py::test_after"]);
    expect(summary(marked.stdout)).toBe("1 failed, 1 passed");
    expect(marked.stdout).toContain("Failed: Timeout (>1.0s) from pytest-timeout.");
  });

  it("reports a timeout mark that is not a number as an error at setup", () => {
    const r = run({ "test_bad.py": "import pytest\n\n@pytest.mark.timeout('soon')\ndef test_bad():\n    pass\n" }, ["-n", "1"]);
    expect(summary(r.stdout)).toBe("1 error");
    expect(r.stdout).toContain("@pytest.mark.timeout: invalid timeout 'soon' (a number of seconds)");
  });

  it("rejects a --timeout that is not a number of seconds (usage error)", () => {
    const dir = inlineFiles({ "test_a.py": "def test_a():\n    pass\n" });
    const r = runCli(["--timeout", "soon"], dir);
    expect(r.status).toBe(4);
    expect(r.stderr).toContain("argument --timeout: invalid value: 'soon'");
  });

  it("kills and replaces a worker whose test ignores the interrupt; the rest of the file still runs", () => {
    const r = run(
      {
        "test_stuck.py": `
          import time

          def test_first():
              pass

          def test_in_c():
              # A C loop that never checks for signals: KeyboardInterrupt cannot reach it.
              sum(range(10 ** 15))

          def test_sleeps():
              time.sleep(1000)

          def test_swallows():
              while True:
                  try:
                      while True:
                          pass
                  except KeyboardInterrupt:
                      pass

          def test_last():
              pass
        `,
        "test_more.py": "def test_more():\n    pass\n",
      },
      ["-n", "1", "--timeout", "1"],
      { FASTEST_TIMEOUT_GRACE: "1" },
    );
    expect(r.stderr).not.toMatch(/internal error|Traceback/);
    expect(summary(r.stdout)).toBe("3 failed, 3 passed");
    expect(r.status).toBe(1);
    expect(r.stdout).toContain("did not stop when interrupted, so its worker was stopped and replaced");
    for (const name of ["test_in_c", "test_sleeps", "test_swallows"]) {
      expect(r.stdout).toContain(`FAILED test_stuck.py::${name} - Failed: Timeout (>1.0s)`);
    }
    expect(r.junit).toEqual({
      "test_stuck::test_first": "passed",
      "test_stuck::test_in_c": "failure",
      "test_stuck::test_sleeps": "failure",
      "test_stuck::test_swallows": "failure",
      "test_stuck::test_last": "passed",
      "test_more::test_more": "passed",
    });
  });
});

describe("crash recovery", () => {
  const files = {
    "test_a.py": `
      import os

      def test_one():
          pass

      def test_exits():
          os._exit(3)

      def test_fails():
          assert 0

      def test_two():
          pass
    `,
    "test_b.py": `
      import os

      def test_b1():
          pass

      def test_b_exits():
          os._exit(0)

      def test_b2():
          pass
    `,
  };

  for (const workers of ["1", "2"]) {
    it(`reports the test that killed its worker as an error and runs the rest (-n ${workers})`, () => {
      const r = run(files, ["-n", workers, "-rA"]);
      expect(r.stderr).not.toMatch(/internal error|Traceback/);
      expect(summary(r.stdout)).toBe("1 failed, 4 passed, 2 errors");
      expect(r.status).toBe(1);
      expect(r.stdout).toContain("ERROR test_a.py::test_exits - worker crashed: Program terminated with exit(3)");
      expect(r.stdout).toContain("ERROR test_b.py::test_b_exits - worker crashed: Program terminated with exit(0)");
      expect(r.junit).toEqual({
        "test_a::test_one": "passed",
        "test_a::test_exits": "error",
        "test_a::test_fails": "failure",
        "test_a::test_two": "passed",
        "test_b::test_b1": "passed",
        "test_b::test_b_exits": "error",
        "test_b::test_b2": "passed",
      });
      // Every test reported exactly once, in collection order.
      expect(r.json.tests.map((t) => t.nodeid)).toEqual([
        "test_a.py::test_one",
        "test_a.py::test_exits",
        "test_a.py::test_fails",
        "test_a.py::test_two",
        "test_b.py::test_b1",
        "test_b.py::test_b_exits",
        "test_b.py::test_b2",
      ]);
    });
  }

  it("survives a WebAssembly trap (an out-of-bounds write through ctypes)", () => {
    const r = run(
      {
        "test_trap.py": `
          import ctypes

          def test_before():
              pass

          def test_trap():
              ctypes.memset(0xFFFFFFF0, 0, 64)

          def test_after():
              pass
        `,
      },
      ["-n", "1"],
    );
    expect(summary(r.stdout)).toBe("2 passed, 1 error");
    expect(r.status).toBe(1);
    expect(r.stdout).toContain("ERROR test_trap.py::test_trap - worker crashed: memory access out of bounds");
    expect(r.junit).toEqual({ "test_trap::test_before": "passed", "test_trap::test_trap": "error", "test_trap::test_after": "passed" });
  });

  it("sets module fixtures up again on the replacement worker", () => {
    const r = run(
      {
        "test_fixture.py": `
          import os
          import pytest

          @pytest.fixture(scope="module")
          def resource():
              return {"ready": True}

          def test_uses(resource):
              assert resource["ready"]

          def test_exits(resource):
              os._exit(1)

          def test_uses_again(resource):
              assert resource["ready"]
        `,
      },
      ["-n", "1"],
    );
    expect(summary(r.stdout)).toBe("2 passed, 1 error");
    expect(r.status).toBe(1);
  });
});
