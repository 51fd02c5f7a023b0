import { readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { normalize } from "./helpers/compare.js";
import { inlineFiles } from "./helpers/inline-files.js";
import { runCli, runPytest } from "./helpers/run-cli.js";

// Scheduling across workers: who runs what changes, the report must not.
// Nothing here asserts a duration; the slow file only sleeps long enough
// that the other worker runs out of work while it is still busy.

interface JsonReport {
  tests: Array<{ nodeid: string; outcome: string; worker?: string }>;
}

/**
 * A slow file that comes first, then six fast ones, each bigger (by a
 * comment) than the slow one and all of one size. Planned by size, longest first, two workers
 * get gw0: slow, f1, f3, f5 and gw1: f2, f4, f6 (files keep their order
 * within a worker), so gw1 is idle long before gw0 gets past the slow file.
 */
function suite(fast: (i: number) => string = () => "def test_a():\n    pass\n\ndef test_b():\n    assert 1 + 1 == 2\n"): Record<string, string> {
  const files: Record<string, string> = {
    "test_a_slow.py": "import time\n\ndef test_slow_1():\n    time.sleep(1)\n\ndef test_slow_2():\n    time.sleep(1)\n",
  };
  // Padded to one size, so that the plan does not depend on what each test does.
  for (let i = 1; i <= 6; i++) files[`test_f${i}.py`] = `${fast(i)}\n`.padEnd(3000, "#");
  return files;
}

/** Our run (with a JSON report) and pytest's on the same tree: same report, same exit code. */
function compareWithPytest(dir: string, args: string[], ourArgs: string[] = []) {
  const ours = runCli(["-n", "2", "--json", "out.json", ...ourArgs, ...args], dir);
  const theirs = runPytest(args, dir);
  expect(ours.stderr).not.toMatch(/Traceback|Error:/);
  expect(normalize(ours.stdout)).toBe(normalize(theirs.stdout));
  expect(ours.status).toBe(theirs.status);
  const json = JSON.parse(readFileSync(path.join(dir, "out.json"), "utf8")) as JsonReport;
  const ids = json.tests.map((t) => t.nodeid);
  expect(new Set(ids).size).toBe(ids.length);
  return { ours, json, workerOf: (file: string) => new Set(json.tests.filter((t) => t.nodeid.startsWith(`${file}::`)).map((t) => t.worker)) };
}

describe("work stealing", () => {
  it("lets the idle worker take files the busy one has not started; the report is pytest's, every test once", () => {
    const dir = inlineFiles(suite());
    const { json, workerOf } = compareWithPytest(dir, ["-p", "no:cacheprovider", "-v"]);
    expect(json.tests).toHaveLength(14);
    expect(workerOf("test_a_slow.py")).toEqual(new Set(["gw0"]));
    // Planned on gw0 behind the slow file; at least one moved (each file whole, on one worker).
    const moved = ["test_f1.py", "test_f3.py", "test_f5.py"].filter((file) => workerOf(file).has("gw1"));
    expect(moved.length).toBeGreaterThan(0);
    for (const file of ["test_f1.py", "test_f3.py", "test_f5.py"]) expect(workerOf(file).size).toBe(1);
  });

  it("tears a module's fixtures down before collecting and running a file taken over, as pytest between files", () => {
    const withModuleFixture = (i: number) => `
import pytest

SETUPS = []

@pytest.fixture(scope="module")
def resource():
    SETUPS.append(1)
    yield len(SETUPS)
    ${i >= 5 ? `raise RuntimeError("teardown of module ${i}")` : "SETUPS.clear()"}

def test_a(resource):
    assert resource == 1

def test_b(resource):
    assert SETUPS == [1]
`;
    const dir = inlineFiles(suite(withModuleFixture));
    const { json, workerOf } = compareWithPytest(dir, ["-p", "no:cacheprovider", "-rE"]);
    expect(json.tests).toHaveLength(14);
    // gw1 ran its own files (the last, test_f6.py, fails at teardown), then test_f5.py and more taken from gw0.
    expect(workerOf("test_f5.py")).toEqual(new Set(["gw1"]));
    expect(workerOf("test_f6.py")).toEqual(new Set(["gw1"]));
  });

  it("stops at the first failure in collection order with -x, whichever worker ran it", () => {
    const dir = inlineFiles(suite((i) => (i === 3 ? "def test_a():\n    assert 0\n\ndef test_b():\n    pass\n" : "def test_a():\n    pass\n\ndef test_b():\n    pass\n")));
    const { json } = compareWithPytest(dir, ["-p", "no:cacheprovider", "-x"]);
    expect(json.tests.map((t) => t.nodeid).at(-1)).toBe("test_f3.py::test_a");
    // The failure came from a file gw1 took over from gw0.
    expect(json.tests.at(-1)?.worker).toBe("gw1");
  });

  it("ends the run at a pytest.exit() in a file taken over, with pytest's report", () => {
    const exits = "import pytest\n\ndef test_a():\n    pytest.exit('enough', returncode=3)\n\ndef test_b():\n    pass\n";
    const dir = inlineFiles(suite((i) => (i === 5 ? exits : "def test_a():\n    pass\n\ndef test_b():\n    pass\n")));
    const { json } = compareWithPytest(dir, ["-p", "no:cacheprovider"]);
    expect(json.tests.map((t) => t.nodeid).at(-1)).toBe("test_f5.py::test_a");
    expect(json.tests.at(-1)?.worker).toBe("gw1");
  });

  it("replaces a worker that dies in a file it took over; that test is an error, the others run once", () => {
    const dir = inlineFiles(suite((i) => (i === 5 ? "import os\n\ndef test_a():\n    os._exit(3)\n\ndef test_b():\n    pass\n" : "def test_a():\n    pass\n\ndef test_b():\n    pass\n")));
    const ours = runCli(["-n", "2", "-p", "no:cacheprovider", "--json", "out.json", "-rE"], dir);
    expect(ours.stdout).toContain("ERROR test_f5.py::test_a - worker crashed: Program terminated with exit(3)");
    expect(ours.stdout).toMatch(/=+ 13 passed, 1 error in /);
    const json = JSON.parse(readFileSync(path.join(dir, "out.json"), "utf8")) as JsonReport;
    // gw1 took test_f5.py over (it was planned behind the slow file on gw0) and died in it; the
    // rest of the file runs on gw1's replacement, or on gw0 if gw0 is idle first.
    expect(json.tests.find((t) => t.nodeid === "test_f5.py::test_a")?.worker).toBe("gw1");
    expect(json.tests.map((t) => `${t.nodeid} ${t.outcome}`).sort()).toEqual(
      [
        "test_a_slow.py::test_slow_1 passed", "test_a_slow.py::test_slow_2 passed",
        ...[1, 2, 3, 4, 5, 6].flatMap((i) => [`test_f${i}.py::test_a ${i === 5 ? "error" : "passed"}`, `test_f${i}.py::test_b passed`]),
      ].sort(),
    );
    expect(ours.status).toBe(1);
  });

  it("times out a hung test in a file another worker took over, and goes on", () => {
    const hang = "def test_a():\n    while True:\n        pass\n\ndef test_b():\n    pass\n";
    const dir = inlineFiles(suite((i) => (i === 5 ? hang : "def test_a():\n    pass\n\ndef test_b():\n    pass\n")));
    const ours = runCli(["-n", "2", "-p", "no:cacheprovider", "--timeout", "2", "--json", "out.json"], dir);
    expect(ours.stdout).toContain("FAILED test_f5.py::test_a - Failed: Timeout (>2.0s) from pytest-timeout.");
    const json = JSON.parse(readFileSync(path.join(dir, "out.json"), "utf8")) as JsonReport;
    expect(json.tests).toHaveLength(14);
    expect(json.tests.filter((t) => t.outcome !== "passed").map((t) => t.nodeid)).toEqual(["test_f5.py::test_a"]);
    expect(json.tests.filter((t) => t.nodeid.startsWith("test_f5.py::")).map((t) => t.worker)).toEqual(["gw1", "gw1"]);
    expect(ours.status).toBe(1);
  });
});

describe("cached durations", () => {
  const durations = (dir: string) =>
    JSON.parse(readFileSync(path.join(dir, ".fastest_cache", "v", "fastest", "durations"), "utf8")) as Record<string, number>;
  const workersLine = (stdout: string) => stdout.split("\n").find((line) => line.startsWith("workers: ")) ?? "";

  it("are written after a run, kept for files not run, read back and change the plan", () => {
    const dir = inlineFiles({
      "test_one.py": "import time\n\ndef test_one():\n    time.sleep(2.5)\n",
      "test_two.py": "import time\n\ndef test_two():\n    time.sleep(2.5)\n",
    });
    const first = runCli(["-v"], dir);
    expect(first.status).toBe(0);
    // Two small files: by their size, one worker does it all.
    expect(workersLine(first.stdout)).toMatch(/^workers: 1 sandboxed worker \(pyodide\): ~0\.\d\ds of tests \(from file sizes\); a worker boots in/);
    const written = durations(dir);
    expect(Object.keys(written)).toEqual(["test_one.py", "test_two.py"]);
    expect(written["test_one.py"]).toBeGreaterThanOrEqual(2.5);

    // A run of one file updates that file only (a -k run that left items out would not update it).
    const partial = runCli(["-q", "test_two.py", "-k", "nothing"], dir);
    expect(partial.status).toBe(5);
    const single = runCli(["-q", "test_one.py"], dir);
    expect(single.status).toBe(0);
    const after = durations(dir);
    expect(after["test_two.py"]).toBe(written["test_two.py"]);
    expect(after["test_one.py"]).not.toBe(written["test_one.py"]);

    // Read back: ~5 s of tests in two files is worth a second worker where there is a second core.
    const second = runCli(["-v"], dir);
    const line = workersLine(second.stdout);
    expect(line).toContain("of tests (from cached durations)");
    expect(Number(/~([\d.]+)s of tests/.exec(line)![1])).toBeGreaterThanOrEqual(5);
    const expected = Math.min(2, os.availableParallelism());
    expect(line).toMatch(new RegExp(`^workers: ${expected} sandboxed worker`));
    // Without -v the header stays as it was.
    expect(workersLine(runCli(["--co"], dir).stdout)).toMatch(/^workers: \d sandboxed workers? \(pyodide\)$/);
  });

  it("are measured even for a module that replaces time.perf_counter when imported", () => {
    const dir = inlineFiles({ "test_clock.py": "import time\ntime.perf_counter = None\n\ndef test_one():\n    pass\n" });
    const run = runCli(["-q"], dir);
    expect(run.status).toBe(0);
    expect(Object.keys(durations(dir))).toEqual(["test_clock.py"]);
  });

  it("are neither read nor written with -p no:cacheprovider", () => {
    const dir = inlineFiles({ "test_one.py": "def test_one():\n    pass\n" });
    const run = runCli(["-p", "no:cacheprovider", "-v"], dir);
    expect(run.status).toBe(0);
    expect(workersLine(run.stdout)).toContain("(from file sizes)");
    expect(() => durations(dir)).toThrow();
  });
});
