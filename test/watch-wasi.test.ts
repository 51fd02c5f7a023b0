/**
 * `fastest --watch --engine wasi`: watch mode on the CPython-WASI engine
 * (issue 8), end to end, as test/watch.test.ts checks it on Pyodide: the
 * first run, reruns of what a save affects, a failing-then-fixed cycle, a
 * clean interpreter for every run (restored in place in the threads of
 * the previous run), a stale run superseded while its test
 * loops forever (WASI Python cannot be interrupted, so its worker is
 * stopped), and Ctrl-C. Skipped with the reason when `npm run build:wasi`
 * has not been run (CI runs it). No timing is asserted: each step waits for
 * the report it expects.
 */
import { existsSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { wasiBuildDir } from "../node-host/engine-assets.js";
import { dedent, inlineFiles } from "./helpers/inline-files.js";
import { WatchProcess } from "./helpers/watch-process.js";

const wasiBuilt = existsSync(path.join(wasiBuildDir, "manifest.json"));
if (!wasiBuilt) console.warn(`watch-wasi: skipped: ${wasiBuildDir} is not built (run \`npm run build:wasi\`)`);

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
  // Fails if a run sees what an earlier run left in the interpreter or its files.
  "tests/test_fresh.py": `
    import os
    import calc

    def test_fresh_interpreter():
        assert not hasattr(calc, "touched")
        calc.touched = True

    def test_fresh_files():
        assert not os.path.exists("/tmp/left-by-a-test")
        with open("/tmp/left-by-a-test", "w") as f:
            f.write("x")
  `,
};

describe.skipIf(!wasiBuilt)("fastest --watch --engine wasi", () => {
  let watcher: WatchProcess | undefined;
  afterEach(() => watcher?.kill());

  // Workers in a sandbox process (the default) and in fastest's own process: each recycles its threads (node-host/watch-pool.ts).
  it.each([[[]], [["--no-permission-model"]]])("runs on WASI, reruns what a save affects on a clean interpreter each time, a failure until it is fixed; q exits 0 %j", async (args: string[]) => {
    const root = inlineFiles(project);
    watcher = new WatchProcess(root, { args: ["--engine", "wasi", ...args] });
    const first = await watcher.next();
    expect(first).toContain("platform wasi -- Python 3.11");
    expect(first).toMatch(/workers: \d+ sandboxed workers? \(wasi\)/);
    expect(first).toMatch(/=+ 4 passed in [\d.]+s =+/);
    expect(first).toContain("Ran all 3 test files.");

    // A changed test file: only it runs.
    writeFileSync(path.join(root, "tests/test_calc.py"), "from calc import add\n\ndef test_add():\n    assert add(1, 2) == 3\n\ndef test_add_more():\n    assert add(2, 2) == 4\n");
    const calcTests = await watcher.next();
    expect(calcTests).toContain("tests/test_calc.py ..");
    expect(calcTests).not.toContain("test_util.py");
    expect(calcTests).toMatch(/=+ 2 passed in [\d.]+s =+/);
    expect(calcTests).toContain("Ran 1 of 3 test files (tests/test_calc.py changed");

    // A broken module: the test files importing it, directly or through util, fail...
    writeFileSync(path.join(root, "src/calc.py"), "def add(a, b):\n    return a - b\n");
    const broken = await watcher.next();
    expect(broken).toContain("tests/test_calc.py FF");
    expect(broken).toContain("tests/test_util.py F");
    expect(broken).toContain("assert -1 == 3");
    expect(broken).toContain("Ran all 3 test files (src/calc.py changed");
    expect(broken).toMatch(/=+ 3 failed, 2 passed in [\d.]+s =+/);

    // ...f reruns the failures...
    watcher.send("f");
    const failures = await watcher.next();
    expect(failures).toMatch(/=+ 3 failed in [\d.]+s =+/);
    expect(failures).toContain("(the failures)");

    // ...and fixing it passes them again.
    writeFileSync(path.join(root, "src/calc.py"), dedent(project["src/calc.py"]));
    const fixed = await watcher.next();
    expect(fixed).toContain("tests/test_calc.py ..");
    expect(fixed).toContain("tests/test_util.py .");
    expect(fixed).toMatch(/=+ 5 passed in [\d.]+s =+/);

    // Enter twice: test_fresh would fail on an interpreter or a file tree an earlier run used.
    for (let i = 0; i < 2; i++) {
      watcher.send("");
      const again = await watcher.next();
      expect(again).toMatch(/=+ 5 passed in [\d.]+s =+/);
      expect(again).toContain("Ran all 3 test files (rerun of: src/calc.py changed).");
    }

    watcher.send("q");
    expect(await watcher.exited).toEqual({ code: 0, signal: null });
  });

  it("with --isolate=file, runs each file of a rerun in its own interpreter too", async () => {
    // Each file fails if a file before it in the same interpreter left its mark.
    const marking = "import marks\n\ndef test_first_here():\n    assert not hasattr(marks, 'seen')\n    marks.seen = True\n";
    const root = inlineFiles({ "marks.py": "", "test_a.py": marking, "test_b.py": marking, "test_c.py": marking });
    watcher = new WatchProcess(root, { args: ["--engine", "wasi", "--isolate=file", "-n", "1"] });
    expect(await watcher.next()).toMatch(/=+ 3 passed in [\d.]+s =+/);
    writeFileSync(path.join(root, "test_b.py"), `${marking}\ndef test_more():\n    assert marks.seen\n`);
    expect(await watcher.next()).toMatch(/=+ 2 passed in [\d.]+s =+/);
    watcher.send("a");
    const all = await watcher.next();
    expect(all).toMatch(/=+ 4 passed in [\d.]+s =+/);
    expect(all).toContain("Ran all 3 test files.");
    watcher.send("q");
    expect(await watcher.exited).toEqual({ code: 0, signal: null });
  });

  it("supersedes a run stuck in an endless test when its file is fixed, and Ctrl-C ends watch mode with 2 even while a test loops", async () => {
    const loop = "def test_loop():\n    while True:\n        pass\n";
    const root = inlineFiles({
      "tests/test_loop.py": loop,
      "tests/test_ok.py": `
        def test_ok():
            assert True
      `,
    });
    watcher = new WatchProcess(root, { args: ["--engine", "wasi", "--no-permission-model"] });
    await watcher.next(/tests\/test_loop\.py /);
    writeFileSync(path.join(root, "tests/test_loop.py"), "def test_loop():\n    assert True\n");
    const fixed = await watcher.next();
    const report = fixed.slice(fixed.lastIndexOf("test session starts"));
    expect(report).toContain("tests/test_loop.py .");
    expect(report).toContain("tests/test_ok.py .");
    expect(report).toMatch(/=+ 2 passed in [\d.]+s =+/);
    expect(fixed).not.toMatch(/crashed|INTERNAL ERROR|Interrupted/);
    expect(fixed).toMatch(/\(tests\/test_loop\.py changed; unfinished: /);

    writeFileSync(path.join(root, "tests/test_loop.py"), loop);
    await watcher.next(/tests\/test_loop\.py /);
    watcher.interrupt();
    expect(await watcher.exited).toEqual({ code: 2, signal: null });
  });
});
