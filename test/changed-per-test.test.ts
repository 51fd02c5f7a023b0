import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { inlineFiles } from "./helpers/inline-files.js";
import { repoRoot, runCli, runPytest } from "./helpers/run-cli.js";

const { changedFunctions } = (await import(path.join(repoRoot, "dist/node-host/changed-diff.js"))) as typeof import("../node-host/changed-diff.js");
const { selectChangedTests } = (await import(path.join(repoRoot, "dist/node-host/changed-tests.js"))) as typeof import("../node-host/changed-tests.js");

/**
 * `--changed` narrowed to single tests: the previous run recorded which
 * project functions each test ran, so a change inside one function's body
 * reruns only the tests that ran it. Each case runs fastest twice in a git
 * repository (record, change, `--changed`) and compares the tests that ran.
 */

const files = {
  "pytest.ini": "[pytest]\npythonpath = .\n",
  "pkg/__init__.py": "",
  "pkg/calc.py": [
    "LIMIT = 10",
    "",
    "",
    "def add(a, b):",
    "    return a + b",
    "",
    "",
    "def mul(a, b):",
    "    return a * b",
    "",
    "",
    "def cases():",
    "    return [1, 2]",
    "",
    "",
    "def connect():",
    "    return {'open': True}",
    "",
    "",
    "class Box:",
    "    def size(self):",
    "        return helper()",
    "",
    "",
    "def helper():",
    "    return 3",
    "",
    "",
    "def counter():",
    "    yield 1",
    "    yield 2",
    "",
  ].join("\n"),
  // One generator for both tests: the second resumes what the first started.
  "tests/test_gen.py": "from pkg import calc\n\nnumbers = calc.counter()\n\n\ndef test_first():\n    assert next(numbers) == 1\n\n\ndef test_second():\n    assert next(numbers) == 2\n",
  "tests/test_add.py": [
    "from pkg import calc",
    "",
    "",
    "def test_add():",
    "    assert calc.add(1, 2) == 3",
    "",
    "",
    "def test_add_zero():",
    "    assert calc.add(0, 0) == 0",
    "",
    "",
    "def test_limit():",
    "    assert calc.LIMIT == 10",
    "",
  ].join("\n"),
  "tests/test_mul.py": [
    "import pytest",
    "from pkg import calc",
    "",
    "",
    "def test_mul():",
    "    assert calc.mul(2, 3) == 6",
    "",
    "",
    "def test_box():",
    "    assert calc.Box().size() == 3",
    "",
    "",
    "@pytest.fixture(scope='module')",
    "def conn():",
    "    return calc.connect()",
    "",
    "",
    "def test_conn_first(conn):",
    "    assert conn['open']",
    "",
    "",
    "def test_conn_second(conn):",
    "    assert conn['open']",
    "",
  ].join("\n"),
  "tests/test_cases.py": [
    "import pytest",
    "from pkg import calc",
    "",
    "",
    "@pytest.mark.parametrize('x', calc.cases())",
    "def test_case(x):",
    "    assert x > 0",
    "",
    "",
    "def test_plain():",
    "    assert True",
    "",
  ].join("\n"),
  "tests/test_alone.py": "def test_alone():\n    assert True\n",
};

const everything = [
  "tests/test_add.py::test_add",
  "tests/test_add.py::test_add_zero",
  "tests/test_add.py::test_limit",
  "tests/test_alone.py::test_alone",
  "tests/test_cases.py::test_case[1]",
  "tests/test_cases.py::test_case[2]",
  "tests/test_cases.py::test_plain",
  "tests/test_gen.py::test_first",
  "tests/test_gen.py::test_second",
  "tests/test_mul.py::test_box",
  "tests/test_mul.py::test_conn_first",
  "tests/test_mul.py::test_conn_second",
  "tests/test_mul.py::test_mul",
];

function gitProject(): string {
  const dir = inlineFiles(files);
  git(dir, "init", "-q");
  git(dir, "add", "-A");
  git(dir, "commit", "-qm", "init");
  return dir;
}

function git(dir: string, ...args: string[]): string {
  const result = spawnSync("git", ["-c", "user.email=t@example.com", "-c", "user.name=t", ...args], { cwd: dir, encoding: "utf8" });
  if (result.status !== 0) throw new Error(`git ${args.join(" ")}: ${result.stderr}`);
  return result.stdout;
}

/** Replace text in a project file (the text must be there). */
function edit(dir: string, file: string, from: string, to: string): void {
  const full = path.join(dir, file);
  const text = readFileSync(full, "utf8");
  if (!text.includes(from)) throw new Error(`${file} has no ${JSON.stringify(from)}`);
  writeFileSync(full, text.replace(from, to));
}

/** The test ids a run reported (from `-v` lines) with their outcomes, sorted. */
function outcomes(stdout: string): string[] {
  return [...stdout.matchAll(/^(\S+::\S+) (PASSED|FAILED|ERROR|SKIPPED|XFAIL|XPASS)/gm)].map((m) => `${m[1]} ${m[2]}`).sort();
}

const ids = (stdout: string) => outcomes(stdout).map((line) => line.split(" ")[0]!);

/** Real pytest on the same node ids: the outcomes fastest reported for them. */
function pytestOutcomes(dir: string, nodeids: string[]): string[] {
  return nodeids.length === 0 ? [] : outcomes(runPytest(["-v", ...nodeids], dir).stdout);
}

describe("--changed narrows to the tests that ran a changed function", () => {
  it("a change inside one function's body reruns only the tests that ran it (uncommitted, and committed with --changed=HEAD~1)", () => {
    const dir = gitProject();
    expect(ids(runCli(["-v"], dir).stdout)).toEqual(everything);
    edit(dir, "pkg/calc.py", "    return a + b", "    return a + b + 0");
    const result = runCli(["-v", "--changed"], dir);
    expect(result.stdout).toContain("changed since HEAD: 1 file (1 only inside functions); running 1 of 5 test files, in 1 of them only the tests that ran a changed function");
    expect(ids(result.stdout)).toEqual(["tests/test_add.py::test_add", "tests/test_add.py::test_add_zero"]);
    expect(outcomes(result.stdout)).toEqual(pytestOutcomes(dir, ids(result.stdout)));
    expect(result.status).toBe(0);
    // Committed: nothing changed since HEAD, the same tests since HEAD~1.
    git(dir, "commit", "-qam", "add");
    expect(ids(runCli(["-v", "--changed"], dir).stdout)).toEqual([]);
    expect(ids(runCli(["-v", "--changed=HEAD~1"], dir).stdout)).toEqual(["tests/test_add.py::test_add", "tests/test_add.py::test_add_zero"]);
  });

  it("a method's callee; a module-scoped fixture's function counted for every test using the fixture; a generator resumed by another test", () => {
    const dir = gitProject();
    runCli(["-q"], dir);
    edit(dir, "pkg/calc.py", "    return 3", "    return 4");
    const helper = runCli(["-v", "--changed"], dir);
    expect(ids(helper.stdout)).toEqual(["tests/test_mul.py::test_box"]);
    expect(outcomes(helper.stdout)).toEqual(pytestOutcomes(dir, ids(helper.stdout)));
    expect(helper.status).toBe(1);
    // Back to HEAD and recorded afresh (that run recorded test_box on the changed helper).
    git(dir, "checkout", "--", "pkg/calc.py");
    runCli(["-q"], dir);
    edit(dir, "pkg/calc.py", "    return {'open': True}", "    return {'open': False}");
    const fixture = runCli(["-v", "--changed"], dir);
    expect(ids(fixture.stdout)).toEqual(["tests/test_mul.py::test_conn_first", "tests/test_mul.py::test_conn_second"]);
    expect(outcomes(fixture.stdout)).toEqual(pytestOutcomes(dir, ids(fixture.stdout)));
    // A generator's body after its first yield runs in the test that resumes it.
    git(dir, "checkout", "--", "pkg/calc.py");
    runCli(["-q"], dir);
    edit(dir, "pkg/calc.py", "    yield 2", "    yield 3");
    const resumed = runCli(["-v", "--changed"], dir);
    expect(ids(resumed.stdout)).toEqual(["tests/test_gen.py::test_first", "tests/test_gen.py::test_second"]);
    expect(outcomes(resumed.stdout)).toEqual(pytestOutcomes(dir, ["tests/test_gen.py"]));
  });

  it("a module-level change reruns every test of the files importing the module; a function that ran at collection, the whole file", () => {
    const dir = gitProject();
    runCli(["-q"], dir);
    edit(dir, "pkg/calc.py", "LIMIT = 10", "LIMIT = 11");
    const constant = runCli(["-v", "--changed"], dir);
    expect(constant.stdout).toContain("changed since HEAD: 1 file; running 4 of 5 test files");
    expect(ids(constant.stdout)).toEqual(everything.filter((id) => !id.startsWith("tests/test_alone.py")));
    expect(outcomes(constant.stdout)).toEqual(pytestOutcomes(dir, ids(constant.stdout)));
    git(dir, "checkout", "--", "pkg/calc.py");
    runCli(["-q"], dir);
    // cases() runs only while test_cases.py is collected (parametrize data): all of that file's tests depend on it.
    edit(dir, "pkg/calc.py", "    return [1, 2]", "    return [1, 2, 3]");
    const collected = runCli(["-v", "--changed"], dir);
    expect(ids(collected.stdout)).toEqual(["tests/test_cases.py::test_case[1]", "tests/test_cases.py::test_case[2]", "tests/test_cases.py::test_case[3]", "tests/test_cases.py::test_plain"]);
  });

  it("a test with no record runs: one deselected when the map was recorded", () => {
    const dir = gitProject();
    runCli(["-q", "--deselect", "tests/test_mul.py::test_mul"], dir);
    edit(dir, "pkg/calc.py", "    return a + b", "    return a + b + 0");
    const result = runCli(["-v", "--changed"], dir);
    expect(ids(result.stdout)).toEqual(["tests/test_add.py::test_add", "tests/test_add.py::test_add_zero", "tests/test_mul.py::test_mul"]);
  });

  it("records and narrows the same with two workers (-n 2)", () => {
    const dir = gitProject();
    runCli(["-q", "-n", "2"], dir);
    edit(dir, "pkg/calc.py", "    return a * b", "    return b * a");
    const result = runCli(["-v", "-n", "2", "--changed"], dir);
    expect(ids(result.stdout)).toEqual(["tests/test_mul.py::test_mul"]);
    expect(outcomes(result.stdout)).toEqual(pytestOutcomes(dir, ids(result.stdout)));
  });

  it("a test file committed since the recording is collected whole: a test it gained runs", () => {
    const dir = gitProject();
    runCli(["-q"], dir);
    writeFileSync(path.join(dir, "tests/test_alone.py"), "from pkg import calc\n\n\ndef test_alone():\n    assert True\n\n\ndef test_new():\n    assert calc.mul(1, 1) == 1\n");
    git(dir, "commit", "-qam", "new test");
    edit(dir, "pkg/calc.py", "    return a * b", "    return b * a");
    const result = runCli(["-v", "--changed"], dir);
    expect(ids(result.stdout)).toEqual(["tests/test_alone.py::test_alone", "tests/test_alone.py::test_new", "tests/test_mul.py::test_mul"]);
  });

  it("a record made on other code than the ref's or the working tree's is not trusted: its tests run", () => {
    const dir = gitProject();
    runCli(["-q"], dir);
    // Committed after the recording, then changed again: calc.py now matches neither what was recorded nor HEAD.
    edit(dir, "pkg/calc.py", "    return a * b", "    return b * a");
    git(dir, "commit", "-qam", "mul");
    edit(dir, "pkg/calc.py", "    return a + b", "    return a + b + 0");
    const result = runCli(["-v", "--changed"], dir);
    // calc.py as recorded is neither HEAD's nor today's: what importing it ran, and what
    // the tests ran in it, may be other code now, so every file importing it runs whole.
    expect(ids(result.stdout)).toEqual(everything.filter((id) => !id.startsWith("tests/test_alone.py")));
  });
});

describe("--changed follows code the tests ran, where the import map does not look", () => {
  it("a module imported inside a test: a change to its module-level code reruns the tests that ran its code", () => {
    const dir = inlineFiles({
      "pytest.ini": "[pytest]\npythonpath = .\n",
      "lazy.py": "BASE = 1\n\n\ndef value():\n    return BASE\n",
      "test_lazy.py": "def test_lazy():\n    import lazy\n    assert lazy.value() == 1\n",
      "test_other.py": "def test_other():\n    assert True\n",
    });
    git(dir, "init", "-q");
    git(dir, "add", "-A");
    git(dir, "commit", "-qm", "init");
    runCli(["-q"], dir);
    edit(dir, "lazy.py", "BASE = 1", "BASE = 2");
    const result = runCli(["-v", "--changed"], dir);
    expect(result.stdout).toContain("changed since HEAD: 1 file; running 1 of 2 test files (1 of them because their tests ran code of a changed module)");
    expect(outcomes(result.stdout)).toEqual(["test_lazy.py::test_lazy FAILED"]);
    expect(outcomes(result.stdout)).toEqual(pytestOutcomes(dir, ["test_lazy.py"]));
  });
});

describe("changedFunctions: where in a module a change lies", () => {
  const before = [
    "import os",
    "",
    "",
    "def plain(x):",
    "    y = x + 1",
    "    return y",
    "",
    "",
    "@decorate",
    "def decorated(x):",
    "    return x",
    "",
    "",
    "def outer():",
    "    def inner():",
    "        return 1",
    "    f = lambda: 2",
    "    return inner() + f()",
    "",
    "",
    "class Shape:",
    "    sides = 3",
    "",
    "    def area(self):",
    "        return 0",
    "",
    "",
    "def factory():",
    "    class Local:",
    "        def go(self):",
    "            return 5",
    "    return Local",
    "",
    "",
    "def one(): return 1",
    "",
    "",
    "def documented():",
    '    """Say what it does."""',
    '    return "documented"',
    "",
  ].join("\n");

  /** The functions a change from `before` to `after` is confined to (null: the module itself changed). */
  async function placed(after: string): Promise<string[] | null | undefined> {
    const dir = inlineFiles({ "mod.py": before });
    git(dir, "init", "-q");
    git(dir, "add", "-A");
    git(dir, "commit", "-qm", "init");
    writeFileSync(path.join(dir, "mod.py"), after);
    const found = (await changedFunctions(dir, "HEAD", ["mod.py"])).get("mod.py");
    return found ? [...found].sort() : found;
  }
  const change = (from: string, to: string) => {
    if (!before.includes(from)) throw new Error(`no ${from}`);
    return before.replace(from, to);
  };

  it("names the innermost def whose body holds every hunk, by its qualified name", async () => {
    expect(await placed(change("    y = x + 1", "    y = x + 2"))).toEqual(["plain"]);
    expect(await placed(change("    return y", "    z = y\n    return z"))).toEqual(["plain"]);
    expect(await placed(change("        return 1", "        return 10"))).toEqual(["outer.<locals>.inner"]);
    expect(await placed(change("    f = lambda: 2", "    f = lambda: 3"))).toEqual(["outer"]);
    expect(await placed(change("        return 0", "        return 1"))).toEqual(["Shape.area"]);
    expect(await placed(change("            return 5", "            return 6"))).toEqual(["factory.<locals>.Local.go"]);
    expect(await placed(change('    return "documented"', '    return "changed"'))).toEqual(["documented"]);
    expect(await placed(change("    y = x + 1", "    y = x + 2").replace("        return 0", "        return 1"))).toEqual(["Shape.area", "plain"]);
  });

  it("anything outside a function body is a change to the module", async () => {
    expect(await placed(change("import os", "import sys"))).toBeNull();
    expect(await placed(change("@decorate", "@decorate2"))).toBeNull();
    expect(await placed(change("def plain(x):", "def plain(x, z=1):"))).toBeNull();
    expect(await placed(change("    sides = 3", "    sides = 4"))).toBeNull();
    expect(await placed(change("def one(): return 1", "def one(): return 2"))).toBeNull();
    // A docstring is read without calling the function (help texts): a change to it is not narrowed.
    expect(await placed(change("    y = x + 1", '    """Add one."""\n    y = x + 1'))).toBeNull();
    expect(await placed(change("Say what it does.", "Say more."))).toBeNull();
    expect(await placed(`${before}\ndef added():\n    return 1\n`)).toBeNull();
    expect(await placed(change("    return y", "    return y\n\nVALUE = 1"))).toBeNull();
    // Text that does not parse cannot be placed.
    expect(await placed(change("    return y", "    return (y"))).toBeNull();
  });
});

describe("selectChangedTests", () => {
  const run = { blobs: { "pkg/a.py": "a1", "tests/sub/conftest.py": "c1", "tests/sub/test_x.py": "x1", "tests/test_y.py": "y1" }, unwatched: [] };
  const entry = (functions: Record<string, string[]>) => ({ run: "r", functions });
  const map = {
    version: 1 as const,
    runs: { r: run },
    tests: {
      "tests/sub/test_x.py::test_f": entry({ "pkg/a.py": ["f"] }),
      "tests/sub/test_x.py::test_g": entry({ "pkg/a.py": ["g"] }),
      "tests/test_y.py::test_f": entry({ "pkg/a.py": ["f"] }),
    },
    files: {
      "tests/sub/test_x.py": { ...entry({}), items: ["tests/sub/test_x.py::test_f", "tests/sub/test_x.py::test_g", "tests/sub/test_x.py::test_new"] },
      "tests/test_y.py": { ...entry({}), items: ["tests/test_y.py::test_f"] },
    },
    modules: { "pkg/a.py": entry({}), "tests/sub/conftest.py": entry({}), "tests/sub/test_x.py": entry({}), "tests/test_y.py": entry({}) },
    session: entry({}),
  };
  const imports = { imports: { "pkg/a.py": [], "tests/sub/conftest.py": [], "tests/sub/test_x.py": ["pkg/a.py"], "tests/test_y.py": ["pkg/a.py"] } };
  const testFiles = ["tests/sub/test_x.py", "tests/test_y.py"];
  const choose = (changedHere: string[], overrides: Partial<typeof map> = {}, current: (file: string, blob: string | undefined) => boolean = (_file, blob) => blob !== undefined) =>
    selectChangedTests({ testFiles, changed: ["pkg/a.py"], functions: new Map([["pkg/a.py", new Set(changedHere)]]), imports, map: { ...map, ...overrides }, current, ref: "HEAD" });

  it("keeps the tests that ran a changed function, and those with no record", () => {
    const chosen = choose(["g"]);
    expect(chosen.files).toEqual(["tests/sub/test_x.py"]);
    expect(["tests/sub/test_x.py::test_f", "tests/sub/test_x.py::test_g", "tests/sub/test_x.py::test_new"].filter((id) => chosen.narrowed!.keep(id)))
      .toEqual(["tests/sub/test_x.py::test_g", "tests/sub/test_x.py::test_new"]);
  });

  it("runs a whole file when a conftest above it ran a changed function on import, or its record is stale", () => {
    const conftest = choose(["g"], { modules: { ...map.modules, "tests/sub/conftest.py": entry({ "pkg/a.py": ["g"] }) } });
    expect(conftest.files).toEqual(["tests/sub/test_x.py"]);
    expect(conftest.narrowed).toBeNull();
    // test_y.py's own text as recorded is neither the ref's nor today's: it may hold other tests now.
    const stale = choose(["g"], {}, (file, blob) => blob !== undefined && file !== "tests/test_y.py");
    expect(stale.files).toEqual(["tests/sub/test_x.py", "tests/test_y.py"]);
    expect(stale.narrowed!.files).toEqual(new Set(["tests/sub/test_x.py"]));
  });
});
