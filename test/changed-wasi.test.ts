/**
 * `--changed` on the WASI engine: its Python 3.11 records no functions per
 * test (that needs `sys.monitoring`; a trace function for the whole run
 * would cost far more, see docs/COVERAGE.md), so a change inside a function
 * body reruns the whole test files that import the module, still leaving
 * out the files that do not.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { wasiBuildDir } from "../node-host/engine-assets.js";
import { inlineFiles } from "./helpers/inline-files.js";
import { runCli } from "./helpers/run-cli.js";

const wasiBuilt = existsSync(path.join(wasiBuildDir, "manifest.json"));
if (!wasiBuilt) console.warn(`changed-wasi: skipped: ${wasiBuildDir} is not built (run \`npm run build:wasi\`)`);

function git(dir: string, ...args: string[]): void {
  const result = spawnSync("git", ["-c", "user.email=t@example.com", "-c", "user.name=t", ...args], { cwd: dir, encoding: "utf8" });
  expect(result.status, result.stderr).toBe(0);
}

/** The node ids of the tests that ran, from `-rA`'s summary. */
function ran(stdout: string): string[] {
  return [...stdout.matchAll(/^(?:PASSED|FAILED) (\S+)/gm)].map((m) => m[1]!).sort();
}

describe("--changed on the WASI engine", () => {
  it.skipIf(!wasiBuilt)("reruns the whole test files that import a module changed inside a function, and not the others", () => {
    const dir = inlineFiles({
      "pytest.ini": "[pytest]\npythonpath = .\n",
      "calc.py": "def add(a, b):\n    return a + b\n\n\ndef mul(a, b):\n    return a * b\n",
      "test_calc.py": "import calc\n\n\ndef test_add():\n    assert calc.add(1, 2) == 3\n\n\ndef test_mul():\n    assert calc.mul(2, 3) == 6\n",
      "test_alone.py": "def test_alone():\n    assert True\n",
    });
    git(dir, "init", "-q");
    git(dir, "add", "-A");
    git(dir, "commit", "-qm", "init");
    const first = runCli(["--engine", "wasi", "-q"], dir);
    expect(first.status, first.stdout + first.stderr).toBe(0);
    writeFileSync(path.join(dir, "calc.py"), readFileSync(path.join(dir, "calc.py"), "utf8").replace("return a + b", "return b + a"));
    const changed = runCli(["--engine", "wasi", "--changed", "-rA"], dir);
    expect(changed.status, changed.stdout + changed.stderr).toBe(0);
    expect(changed.stdout).toContain("changed since HEAD: 1 file; running 1 of 2 test files");
    // On Pyodide only test_add would run (test/changed-per-test.test.ts).
    expect(ran(changed.stdout)).toEqual(["test_calc.py::test_add", "test_calc.py::test_mul"]);
  });
});
