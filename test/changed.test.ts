import { spawnSync } from "node:child_process";
import { appendFileSync, mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { inlineFiles } from "./helpers/inline-files.js";
import { repoRoot, runCli, runPytest } from "./helpers/run-cli.js";

const { selectChanged } = (await import(path.join(repoRoot, "dist/node-host/changed.js"))) as typeof import("../node-host/changed.js");

/** A git repository holding a small project: a package, tests that import it directly and through another module, a conftest. */
function gitProject(): string {
  const dir = inlineFiles({
    "pytest.ini": "[pytest]\npythonpath = .\n",
    "pkg/__init__.py": "",
    "pkg/calc.py": "def add(a, b):\n    return a + b\n",
    "pkg/api.py": "from pkg.calc import add\n\ndef total(xs):\n    return sum(xs)\n",
    "pkg/unused.py": "VALUE = 1\n",
    "tests/conftest.py": "",
    "tests/test_api.py": "from pkg.api import add, total\n\ndef test_add():\n    assert add(1, 2) == 3\n\ndef test_total():\n    assert total([1, 2]) == 3\n",
    "tests/test_calc.py": "from pkg import calc\n\ndef test_calc():\n    assert calc.add(2, 2) == 4\n",
    "tests/test_alone.py": "def test_alone():\n    assert True\n",
    "other/test_other.py": "def test_other():\n    assert True\n",
  });
  git(dir, "init", "-q");
  commitAll(dir, "init");
  return dir;
}

function git(dir: string, ...args: string[]): string {
  const result = spawnSync("git", ["-c", "user.email=t@example.com", "-c", "user.name=t", ...args], { cwd: dir, encoding: "utf8" });
  if (result.status !== 0) throw new Error(`git ${args.join(" ")}: ${result.stderr}`);
  return result.stdout;
}

function commitAll(dir: string, message: string): void {
  git(dir, "add", "-A");
  git(dir, "commit", "-qm", message);
}

/** The test ids a run reported (from `-v` lines), sorted. */
function ran(stdout: string): string[] {
  return [...stdout.matchAll(/^(\S+::\S+) (PASSED|FAILED|ERROR|SKIPPED)/gm)].map((m) => m[1]!).sort();
}

describe("--changed [REF]", () => {
  it("runs everything, and says why, until a run has recorded the import map", () => {
    const dir = gitProject();
    const first = runCli(["-v", "--changed"], dir);
    expect(first.stdout).toContain("changed since HEAD: no import map from an earlier run in .fastest_cache, so every test file runs");
    expect(ran(first.stdout)).toHaveLength(5);
    // That run recorded the map: nothing changed now, so nothing runs (exit 5, as pytest with no tests).
    const second = runCli(["-v", "--changed"], dir);
    expect(second.stdout).toContain("changed since HEAD: 0 files; running 0 of 4 test files");
    expect(second.status).toBe(5);
  });

  it("follows imports: a changed module reruns the test files that import it, directly or through other modules", () => {
    const dir = gitProject();
    runCli(["-q"], dir);
    appendFileSync(path.join(dir, "pkg/calc.py"), "# changed\n");
    const result = runCli(["-v", "--changed"], dir);
    expect(result.stdout).toContain("changed since HEAD: 1 file; running 2 of 4 test files");
    expect(ran(result.stdout)).toEqual(["tests/test_api.py::test_add", "tests/test_api.py::test_total", "tests/test_calc.py::test_calc"]);
    // The same files under real pytest give the same outcomes.
    const pytest = runPytest(["-v", "tests/test_api.py", "tests/test_calc.py"], dir);
    expect(ran(pytest.stdout)).toEqual(ran(result.stdout));
    expect(result.status).toBe(pytest.status);
  });

  it("a module nothing imports selects nothing; a changed test file selects itself; an untracked test file runs", () => {
    const dir = gitProject();
    runCli(["-q"], dir);
    appendFileSync(path.join(dir, "pkg/unused.py"), "# changed\n");
    expect(ran(runCli(["-v", "--changed"], dir).stdout)).toEqual([]);
    appendFileSync(path.join(dir, "tests/test_alone.py"), "\ndef test_new():\n    assert False\n");
    writeFileSync(path.join(dir, "tests/test_fresh.py"), "def test_fresh():\n    pass\n");
    const result = runCli(["-v", "--changed"], dir);
    expect(ran(result.stdout)).toEqual(["tests/test_alone.py::test_alone", "tests/test_alone.py::test_new", "tests/test_fresh.py::test_fresh"]);
    expect(result.status).toBe(1);
  });

  it("a changed conftest.py reruns the tests below it; a changed config file reruns everything", () => {
    const dir = gitProject();
    runCli(["-q"], dir);
    appendFileSync(path.join(dir, "tests/conftest.py"), "# changed\n");
    expect(ran(runCli(["-v", "--changed"], dir).stdout)).toEqual([
      "tests/test_alone.py::test_alone",
      "tests/test_api.py::test_add",
      "tests/test_api.py::test_total",
      "tests/test_calc.py::test_calc",
    ]);
    git(dir, "checkout", "--", "tests/conftest.py");
    appendFileSync(path.join(dir, "pytest.ini"), "# changed\n");
    const result = runCli(["-v", "--changed"], dir);
    expect(result.stdout).toContain("changed since HEAD: pytest.ini changed, so every test file runs");
    expect(ran(result.stdout)).toHaveLength(5);
  });

  it("compares with any ref: --changed=HEAD~1 includes what was committed since", () => {
    const dir = gitProject();
    runCli(["-q"], dir);
    appendFileSync(path.join(dir, "pkg/api.py"), "# changed\n");
    commitAll(dir, "change api");
    const now = runCli(["-v", "--changed"], dir);
    expect(now.stdout).toContain("changed since HEAD: 0 files");
    expect(ran(runCli(["-v", "--changed=HEAD~1"], dir).stdout)).toEqual(["tests/test_api.py::test_add", "tests/test_api.py::test_total"]);
  });

  it("a ref git does not know, a folder outside git, or the cache turned off: a usage error (exit 4)", () => {
    const dir = gitProject();
    const badRef = runCli(["--changed=no-such-ref"], dir);
    expect(badRef.status).toBe(4);
    expect(badRef.stderr).toMatch(/^fastest: error: --changed no-such-ref: git could not compare with "no-such-ref": fatal: bad revision/m);
    const plain = mkdtempSync(path.join(os.tmpdir(), "fastest-nogit-"));
    writeFileSync(path.join(plain, "test_x.py"), "def test_x():\n    pass\n");
    const outside = runCli(["--changed"], plain, { GIT_CEILING_DIRECTORIES: path.dirname(plain) });
    expect(outside.status).toBe(4);
    expect(outside.stderr).toMatch(/error: --changed needs a git repository: the rootdir .* is not inside one/);
    const noCache = runCli(["-p", "no:cacheprovider", "--changed"], dir);
    expect(noCache.status).toBe(4);
  });
});

describe("selectChanged", () => {
  const map = { imports: { "a.py": [], "b.py": ["a.py"], "tests/test_b.py": ["b.py"], "tests/test_x.py": [] } };
  const tests = ["tests/test_b.py", "tests/test_x.py"];

  it("walks the import map backwards from the changed files", () => {
    expect(selectChanged(tests, ["a.py"], map, "HEAD").files).toEqual(["tests/test_b.py"]);
    expect(selectChanged(tests, ["docs/index.md"], map, "HEAD")).toEqual({ files: [], line: "changed since HEAD: 1 file, 1 not Python, not followed; running 0 of 2 test files" });
  });

  it("runs test files the map does not know, and everything for root config files or a root conftest", () => {
    expect(selectChanged([...tests, "tests/test_new.py"], [], map, "main").files).toEqual(["tests/test_new.py"]);
    expect(selectChanged(tests, ["pyproject.toml"], map, "HEAD").files).toBeNull();
    expect(selectChanged(tests, ["sub/pyproject.toml"], map, "HEAD").files).toEqual([]);
    expect(selectChanged(tests, ["conftest.py"], map, "HEAD").files).toEqual(tests);
  });
});
