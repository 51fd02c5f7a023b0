/**
 * `--changed`'s per-test records keep apart a function two modules have
 * alike: Python's code objects compare equal whatever their file, and the
 * records once named only one of the two, so a change to the other ran
 * none of its tests.
 */
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { inlineFiles } from "./helpers/inline-files.js";
import { runCli } from "./helpers/run-cli.js";

function git(dir: string, ...args: string[]): void {
  const result = spawnSync("git", ["-c", "user.email=t@example.com", "-c", "user.name=t", ...args], { cwd: dir, encoding: "utf8" });
  expect(result.status, result.stderr).toBe(0);
}

/** The node ids of the tests that ran, from `-rA`'s summary. */
function ran(stdout: string): string[] {
  return [...stdout.matchAll(/^(?:PASSED|FAILED) (\S+)/gm)].map((m) => m[1]!).sort();
}

describe("--changed with the same function in two modules", () => {
  it("reruns the tests that ran the copy that changed", () => {
    const same = "def f():\n    return 1\n";
    const dir = inlineFiles({
      "pytest.ini": "[pytest]\npythonpath = .\n",
      "a.py": same,
      "b.py": same,
      "test_one.py": "import a\n\n\ndef test_a():\n    assert a.f() == 1\n",
      "test_two.py": "import b\n\n\ndef test_b():\n    assert b.f() == 1\n\n\ndef test_other():\n    assert True\n",
    });
    git(dir, "init", "-q");
    git(dir, "add", "-A");
    git(dir, "commit", "-qm", "init");
    for (const [module, test] of [["b.py", "test_two.py::test_b"], ["a.py", "test_one.py::test_a"]] as const) {
      // A full run records every test on the committed code.
      const record = runCli(["-q", "-n", "1"], dir);
      expect(record.status, record.stdout + record.stderr).toBe(0);
      const original = readFileSync(path.join(dir, module), "utf8");
      writeFileSync(path.join(dir, module), original.replace("return 1", "return 2 - 1"));
      const changed = runCli(["--changed", "-rA", "-n", "1"], dir);
      expect(changed.status, changed.stdout + changed.stderr).toBe(0);
      expect(ran(changed.stdout)).toEqual([test]);
      writeFileSync(path.join(dir, module), original);
    }
  });
});
