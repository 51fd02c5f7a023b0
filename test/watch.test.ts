import { spawnSync } from "node:child_process";
import { appendFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { dedent, inlineFiles } from "./helpers/inline-files.js";
import { WatchProcess } from "./helpers/watch-process.js";

const project = {
  "src/calc.py": `
    def add(a, b):
        return a + b
  `,
  "src/util.py": `
    from calc import add

    def twice(x):
        return add(x, x)
  `,
  "src/unused.py": "VALUE = 1\n",
  "tests/conftest.py": `
    import os, sys
    sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "src"))
  `,
  "tests/test_calc.py": `
    from calc import add

    def test_add():
        assert add(1, 2) == 3
  `,
  "tests/test_util.py": `
    import util

    def test_twice():
        assert util.twice(2) == 4
  `,
  "tests/test_other.py": `
    def test_other():
        assert True
  `,
};

describe("fastest --watch", () => {
  let watcher: WatchProcess | undefined;
  afterEach(() => watcher?.kill());

  // Workers in a sandbox process (the default) and in fastest's own process.
  it.each([[[]], [["--no-permission-model"]]])("reruns the changed test file, the test files importing a changed module, failures and all %j", async (args: string[]) => {
    const root = inlineFiles(project);
    watcher = new WatchProcess(root, { args });
    const first = await watcher.next();
    expect(first).toContain("tests/test_calc.py .");
    expect(first).toContain("tests/test_other.py .");
    expect(first).toContain("tests/test_util.py .");
    expect(first).toMatch(/=+ 3 passed in [\d.]+s =+/);
    expect(first).toContain("Ran all 3 test files.");

    // A changed test file: only it runs.
    appendFileSync(path.join(root, "tests/test_other.py"), "\ndef test_more():\n    assert 1 + 1 == 2\n");
    const other = await watcher.next();
    expect(other).toContain("tests/test_other.py ..");
    expect(other).not.toContain("test_calc.py");
    expect(other).not.toContain("test_util.py");
    expect(other).toMatch(/=+ 2 passed in [\d.]+s =+/);
    expect(other).toContain("Ran 1 of 3 test files (tests/test_other.py changed");

    // A changed module: the test files importing it, directly (test_calc) or through util (test_util).
    writeFileSync(path.join(root, "src/calc.py"), "def add(a, b):\n    return a - b\n");
    const calc = await watcher.next();
    expect(calc).toContain("tests/test_calc.py F");
    expect(calc).toContain("tests/test_util.py F");
    expect(calc).not.toContain("test_other.py");
    expect(calc).toMatch(/=+ 2 failed in [\d.]+s =+/);
    expect(calc).toContain("Ran 2 of 3 test files (src/calc.py changed");

    // A module no test imports: nothing runs.
    appendFileSync(path.join(root, "src/unused.py"), "OTHER = 2\n");
    expect(await watcher.next(/\n[^\n]*unused\.py changed; no test file imports it\.[^\n]*\n/)).not.toContain("passed");

    // f: the failures again.
    watcher.send("f");
    const failed = await watcher.next();
    expect(failed).toMatch(/=+ 2 failed in [\d.]+s =+/);
    expect(failed).toContain("(the failures)");

    // a: everything.
    watcher.send("a");
    const all = await watcher.next();
    expect(all).toMatch(/=+ 2 failed, 2 passed in [\d.]+s =+/);
    expect(all).toContain("Ran all 3 test files.");

    // Enter: the last selection again.
    watcher.send("");
    expect(await watcher.next()).toMatch(/=+ 2 failed, 2 passed in [\d.]+s =+/);

    // A deleted test file is dropped.
    rmSync(path.join(root, "tests/test_other.py"));
    await watcher.next(/\n[^\n]*tests\/test_other\.py deleted\.[^\n]*\n/);
    watcher.send("a");
    const rest = await watcher.next();
    expect(rest).not.toContain("test_other.py");
    expect(rest).toMatch(/=+ 2 failed in [\d.]+s =+/);
    expect(rest).toContain("Ran all 2 test files.");

    // q: the process ends by itself, its worker threads stopped.
    watcher.send("q");
    expect(await watcher.exited).toEqual({ code: 0, signal: null });
  });

  it("reports a syntax error as a collection error, then passes once it is fixed; Ctrl-C exits with 2", async () => {
    const root = inlineFiles(project);
    watcher = new WatchProcess(root);
    await watcher.next();
    const file = path.join(root, "tests/test_calc.py");
    writeFileSync(file, "def test_add(:\n    pass\n");
    const broken = await watcher.next();
    expect(broken).toContain("ERROR collecting tests/test_calc.py");
    expect(broken).toContain("SyntaxError");
    expect(broken).toMatch(/=+ 1 error in [\d.]+s =+/);

    writeFileSync(file, dedent(project["tests/test_calc.py"]));
    const fixed = await watcher.next();
    expect(fixed).toContain("tests/test_calc.py .");
    expect(fixed).toMatch(/=+ 1 passed in [\d.]+s =+/);

    watcher.interrupt();
    expect(await watcher.exited).toEqual({ code: 2, signal: null });
  });

  it.skipIf(spawnSync("script", ["--version"]).status !== 0)("on a terminal, clears the screen before each run and takes single keys", async () => {
    watcher = new WatchProcess(inlineFiles(project), { tty: true });
    const first = await watcher.next();
    expect(first.startsWith("\x1b[2J")).toBe(true);
    expect(first).toContain("Press a to run all tests, f to rerun failures, Enter to rerun, q to quit.");
    watcher.press("a");
    const all = await watcher.next();
    expect(all.startsWith("\x1b[2J")).toBe(true);
    expect(all).toMatch(/=+ 3 passed in [\d.]+s =+/);
    watcher.press("q");
    expect(await watcher.exited).toEqual({ code: 0, signal: null });
  });

  it("interrupts a stale run when a newer change arrives; a conftest or config change reruns everything", async () => {
    const root = inlineFiles({
      "tests/conftest.py": "",
      "tests/test_loop.py": `
        def test_loop():
            while True:
                pass
      `,
      "tests/test_ok.py": `
        def test_ok():
            assert True
      `,
    });
    watcher = new WatchProcess(root);
    // The first run hangs in test_loop; fixing the file supersedes it.
    await watcher.next(/tests\/test_loop\.py /);
    writeFileSync(path.join(root, "tests/test_loop.py"), "def test_loop():\n    assert True\n");
    const fixed = await watcher.next();
    const report = fixed.slice(fixed.lastIndexOf("test session starts"));
    expect(report).toContain("tests/test_loop.py .");
    expect(report).toContain("tests/test_ok.py .");
    expect(report).toMatch(/=+ 2 passed in [\d.]+s =+/);
    expect(fixed).not.toMatch(/KeyboardInterrupt|crashed|INTERNAL ERROR|Interrupted/);
    expect(fixed).toMatch(/\(tests\/test_loop\.py changed; unfinished: /);

    appendFileSync(path.join(root, "tests/conftest.py"), "# changed\n");
    const conftest = await watcher.next();
    expect(conftest).toMatch(/=+ 2 passed in [\d.]+s =+/);
    // (A save seen as two bursts of events reruns once more: "changed; unfinished: ..." then.)
    expect(conftest).toMatch(/Ran all 2 test files \(tests\/conftest\.py changed/);

    // A config file that does not parse yet is reported; once fixed, it applies to the next runs.
    writeFileSync(path.join(root, "pytest.ini"), "[pytest]\naddopts = --no-such-option\n");
    await watcher.next(/ERROR: [^\n]*--no-such-option[^\n]*\n/);
    writeFileSync(path.join(root, "pytest.ini"), "[pytest]\naddopts = -v\n");
    const verbose = await watcher.next();
    expect(verbose).toContain("tests/test_loop.py::test_loop PASSED");
    expect(verbose).toMatch(/Ran all 2 test files \(pytest\.ini changed/);

    watcher.send("q");
    expect(await watcher.exited).toEqual({ code: 0, signal: null });
  });
});
