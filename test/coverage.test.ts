/**
 * `--cov` end to end: figures against coverage.py on examples/coverage,
 * LCOV and Cobertura well-formed and telling the same story,
 * `--cov-fail-under`'s exit code, and two workers' measurements merged.
 */
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { findCoveragePy, runCoveragePy as runCoveragePyWith, type CoveragePyFile } from "./helpers/coverage-py.js";
import { inlineFiles } from "./helpers/inline-files.js";
import { repoRoot, runCli } from "./helpers/run-cli.js";

const example = path.join(repoRoot, "examples", "coverage");

/** A fresh copy of a project (reports and `.coverage` land in it, not in the repository). */
function exampleCopy(from = example): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "fastest-cov-"));
  cpSync(from, dir, { recursive: true });
  return dir;
}

interface LcovFile {
  lines: Map<number, number>;
  lf: number;
  lh: number;
  /** `BRDA` entries: line, taken (`-` when the line never ran). */
  branches: Array<{ line: number; taken: string }>;
  brf: number | null;
  brh: number | null;
}

/** Parse an LCOV tracefile, failing on anything out of place. */
function readLcov(file: string): Map<string, LcovFile> {
  const files = new Map<string, LcovFile>();
  let current: (LcovFile & { name: string }) | null = null;
  for (const line of readFileSync(file, "utf8").split("\n")) {
    if (line === "" || line === "TN:") continue;
    const [tag, value = ""] = line.split(/:(.*)/s);
    if (tag === "SF") {
      expect(current, "SF inside a record").toBeNull();
      current = { name: value, lines: new Map(), lf: -1, lh: -1, branches: [], brf: null, brh: null };
    } else if (tag === "end_of_record") {
      expect(current).not.toBeNull();
      files.set(current!.name, current!);
      current = null;
    } else {
      expect(current, `${line} outside a record`).not.toBeNull();
      const fields = value.split(",");
      if (tag === "DA") current!.lines.set(Number(fields[0]), Number(fields[1]));
      else if (tag === "LF") current!.lf = Number(value);
      else if (tag === "LH") current!.lh = Number(value);
      else if (tag === "BRDA") current!.branches.push({ line: Number(fields[0]), taken: fields[3]! });
      else if (tag === "BRF") current!.brf = Number(value);
      else if (tag === "BRH") current!.brh = Number(value);
      else throw new Error(`unexpected LCOV line: ${line}`);
    }
  }
  expect(current, "last record not ended").toBeNull();
  return files;
}

/** Parse Cobertura XML with Python's XML parser (a real parser: malformed XML fails here). */
function readCobertura(file: string): {
  root: Record<string, string>;
  packages: Array<Record<string, string>>;
  classes: Array<{ attrs: Record<string, string>; lines: Array<Record<string, string>> }>;
} {
  const script = `
import json, sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
assert root.tag == "coverage"
print(json.dumps({
  "root": root.attrib,
  "packages": [p.attrib for p in root.iter("package")],
  "classes": [{"attrs": c.attrib, "methods": c.find("methods") is not None, "lines": [l.attrib for l in c.find("lines")]} for c in root.iter("class")],
}))`;
  const result = spawnSync("python3", ["-c", script, file], { encoding: "utf8" });
  if (result.status !== 0) throw new Error(`Cobertura XML did not parse: ${result.stderr}`);
  return JSON.parse(result.stdout);
}

const coveragePy = findCoveragePy();

/** Run the project's tests under coverage.py and read its JSON report. */
function runCoveragePy(dir: string, source: string, branch: boolean): Record<string, CoveragePyFile> {
  return runCoveragePyWith(coveragePy!, dir, source, branch);
}

/** Every file's statement count and missed lines in our LCOV equal coverage.py's. */
function expectSameLines(lcov: Map<string, LcovFile>, reference: Record<string, CoveragePyFile>): void {
  expect([...lcov.keys()].sort()).toEqual(Object.keys(reference).sort());
  for (const [name, ref] of Object.entries(reference)) {
    const mine = lcov.get(name)!;
    const missing = [...mine.lines].filter(([, hits]) => hits === 0).map(([line]) => line);
    expect({ file: name, statements: mine.lines.size, missing }).toEqual({ file: name, statements: ref.summary.num_statements, missing: ref.missing_lines });
  }
}

describe("--cov", () => {
  it.skipIf(!coveragePy)(
    "counts the example's statements, misses and exclusions exactly as coverage.py does (skipped when coverage.py and a pytest it can run are not installed: apt-get install python3-coverage python3-pytest)",
    () => {
      const dir = exampleCopy();
      const reference = runCoveragePy(dir, "pkg", false);
      const ours = runCli(["--cov=pkg", "--cov-report=lcov:out.lcov", "-q"], dir);
      expect(ours.status, ours.stdout + ours.stderr).toBe(0);
      expectSameLines(readLcov(path.join(dir, "out.lcov")), reference);
      // The excluded lines (`# pragma: no cover`) are coverage.py's too: the terminal table does not show them, the JSON does.
      expect(reference["pkg/shapes.py"]!.excluded_lines.length).toBeGreaterThan(0);
    },
  );

  it.skipIf(!coveragePy)(
    "on generators, async, loops with else/break/continue, match guards, try/else, multi-line statements and class bodies, misses the same lines and branch exits as coverage.py (skipped without coverage.py, as above)",
    () => {
      const dir = exampleCopy(path.join(repoRoot, "test", "fixtures", "coverage-edge"));
      const reference = runCoveragePy(dir, "lib", true);
      const ours = runCli(["--cov=lib", "--cov-branch", "--cov-report=lcov:out.lcov", "--cov-report=xml:out.xml", "-q"], dir);
      expect(ours.status, ours.stdout + ours.stderr).toBe(0);
      expectSameLines(readLcov(path.join(dir, "out.lcov")), reference);
      const xml = readCobertura(path.join(dir, "out.xml"));
      for (const [name, ref] of Object.entries(reference)) {
        const cls = xml.classes.find((c) => c.attrs["filename"] === name)!;
        const missed = cls.lines.flatMap((l) => (l["missing-branches"] ?? "").split(",").filter(Boolean).map((to) => `${l["number"]}->${to}`));
        const refMissed = (ref.missing_branches ?? []).map(([from, to]) => `${from}->${to < 0 ? "exit" : to}`);
        expect({ file: name, missed: missed.sort() }).toEqual({ file: name, missed: refMissed.sort() });
      }
      expect(reference["lib/edge.py"]!.missing_branches!.length).toBeGreaterThan(5);
    },
  );

  it("prints coverage.py's table and writes LCOV and Cobertura XML that agree with it and with each other", () => {
    const dir = exampleCopy();
    const result = runCli(["--cov=pkg", "--cov-branch", "--cov-report=term-missing", "--cov-report=lcov", "--cov-report=xml:reports/cov.xml", "-q"], dir);
    expect(result.status, result.stdout + result.stderr).toBe(0);
    const out = result.stdout;
    expect(out).toMatch(/=+ tests coverage =+\n_+ coverage: platform emscripten, python 3\.\d+\.\d+ _+\n\n/);
    expect(out).toContain("Name              Stmts   Miss Branch BrPart  Cover   Missing\n");
    // A file that never ran is listed (named by --cov) with every statement missed.
    expect(out).toMatch(/^pkg\/unused\.py +2 +2 +0 +0 +0% +1-2$/m);
    // The pragma'd method (lines 11-12) is neither a statement nor missed; an `if` whose true side never ran is.
    expect(out).toMatch(/^pkg\/shapes\.py +36 +3 +12 +2 +90% +9, 33, 46->45, 55$/m);
    expect(out).toContain("Coverage LCOV written to file coverage.lcov\n");
    expect(out).toContain("Coverage XML written to file reports/cov.xml\n");

    const lcov = readLcov(path.join(dir, "coverage.lcov"));
    const xml = readCobertura(path.join(dir, "reports", "cov.xml"));
    const table = new Map([...out.matchAll(/^(pkg\/\S+) +(\d+) +(\d+) +(\d+) +(\d+) +(\d+)%/gm)].map((m) => [m[1]!, m.slice(2, 7).map(Number)]));
    expect([...lcov.keys()].sort()).toEqual([...table.keys()].sort());
    let lines = 0;
    let covered = 0;
    let branches = 0;
    let taken = 0;
    for (const [name, file] of lcov) {
      const hit = [...file.lines.values()].filter((hits) => hits > 0).length;
      expect(file.lf).toBe(file.lines.size);
      expect(file.lh).toBe(hit);
      expect(file.brf).toBe(file.branches.length);
      expect(file.brh).toBe(file.branches.filter((b) => b.taken === "1").length);
      const [stmts, miss, branch] = table.get(name)!;
      expect([file.lf, file.lf - file.lh, file.brf]).toEqual([stmts, miss, branch]);
      lines += file.lf;
      covered += file.lh;
      branches += file.brf!;
      taken += file.brh!;

      const cls = xml.classes.find((c) => c.attrs["filename"] === name)!;
      expect(cls, `no <class> for ${name}`).toBeDefined();
      expect(cls.lines.map((l) => [Number(l["number"]), Number(l["hits"])])).toEqual([...file.lines]);
      for (const line of cls.lines.filter((l) => l["branch"] === "true")) {
        const exits = file.branches.filter((b) => b.line === Number(line["number"]));
        const n = exits.filter((b) => b.taken === "1").length;
        expect(line["condition-coverage"]).toBe(`${Math.round((100 * n) / exits.length)}% (${n}/${exits.length})`);
      }
      expect(cls.lines.filter((l) => l["branch"] === "true").length).toBe(new Set(file.branches.map((b) => b.line)).size);
    }
    expect(xml.root).toMatchObject({ "lines-valid": String(lines), "lines-covered": String(covered), "branches-valid": String(branches), "branches-covered": String(taken) });
    expect(Number(xml.root["line-rate"])).toBeCloseTo(covered / lines, 4);
    expect(Number(xml.root["branch-rate"])).toBeCloseTo(taken / branches, 4);
    for (const attr of ["version", "timestamp", "complexity"]) expect(xml.root[attr]).toBeDefined();
    expect(xml.packages.map((p) => p["name"])).toEqual(["pkg"]);
    const total = /^TOTAL +(\d+) +(\d+) +(\d+) +(\d+) +(\d+)%$/m.exec(out)!;
    expect(Number(total[5])).toBe(Math.round((100 * (covered + taken)) / (lines + branches)));
  });

  it("fails the run with exit code 1 under --cov-fail-under, as pytest-cov does, and passes at or above it", () => {
    const dir = exampleCopy();
    const failing = runCli(["--cov=pkg", "--cov-fail-under=95", "-q"], dir);
    expect(failing.status, failing.stdout + failing.stderr).toBe(1);
    const total = /FAIL Required test coverage of 95% not reached\. Total coverage: (\d+\.\d\d)%/.exec(failing.stdout);
    expect(total, failing.stdout).not.toBeNull();
    expect(failing.stdout).toMatch(/\n\d+ passed in /);
    const passing = runCli(["--cov=pkg", `--cov-fail-under=${Math.floor(Number(total![1]))}`, "-q"], dir);
    expect(passing.status, passing.stdout).toBe(0);
    expect(passing.stdout).toContain(`Total coverage: ${total![1]}%`);
    // Not a percentage: a usage error, before anything runs.
    const bad = runCli(["--cov=pkg", "--cov-fail-under=101", "-q"], dir);
    expect(bad.status).toBe(4);
    expect(bad.stderr).toContain("argument --cov-fail-under: invalid value: '101' (a percentage from 0 to 100)");
  });

  it("merges what two workers measured: each ran half the tests, the report covers both halves", () => {
    const dir = inlineFiles({
      "pytest.ini": "[pytest]\n",
      "lib/__init__.py": "",
      "lib/ops.py": `
        def double(x):
            if x < 0:
                return -2 * -x
            return 2 * x


        def halve(x):
            if x % 2:
                raise ValueError("odd")
            return x // 2
      `,
      "tests/test_double.py": "from lib.ops import double\n\ndef test_pos():\n    assert double(2) == 4\n\ndef test_neg():\n    assert double(-2) == -4\n",
      "tests/test_halve.py": "import pytest\nfrom lib.ops import halve\n\ndef test_even():\n    assert halve(4) == 2\n\ndef test_odd():\n    with pytest.raises(ValueError):\n        halve(3)\n",
    });
    const two = runCli(["--cov=lib", "--cov-branch", "--cov-report=term-missing", "--cov-report=lcov:two.lcov", "-n", "2", "--json", "report.json", "-q"], dir);
    expect(two.status, two.stdout + two.stderr).toBe(0);
    const report = JSON.parse(readFileSync(path.join(dir, "report.json"), "utf8")) as { tests: Array<{ nodeid: string; worker?: string }> };
    const workerOf = (file: string) => new Set(report.tests.filter((t) => t.nodeid.startsWith(file)).map((t) => t.worker));
    expect(workerOf("tests/test_double.py").size).toBe(1);
    expect(workerOf("tests/test_halve.py").size).toBe(1);
    expect([...workerOf("tests/test_double.py")][0]).not.toBe([...workerOf("tests/test_halve.py")][0]);
    expect(two.stdout).toMatch(/^lib\/ops\.py +8 +0 +4 +0 +100%$/m);

    // One worker measures the same; a run of one file alone misses the other half.
    const one = runCli(["--cov=lib", "--cov-branch", "--cov-report=lcov:one.lcov", "-n", "1", "-q"], dir);
    expect(one.status).toBe(0);
    expect(readFileSync(path.join(dir, "one.lcov"), "utf8")).toBe(readFileSync(path.join(dir, "two.lcov"), "utf8"));
    const half = runCli(["--cov=lib", "--cov-branch", "--cov-report=term-missing", "tests/test_double.py", "-q"], dir);
    expect(half.stdout).toMatch(/^lib\/ops\.py +8 +3 +4 +0 +58% +8-10$/m);
  });

  it("with a bare --cov measures every file of the rootdir that ran, test files included; --no-cov turns it off, and a listing (--fixtures) has no report", () => {
    const dir = inlineFiles({
      "mod.py": "def f():\n    return 1\n",
      "unused.py": "X = 1\n",
      "test_mod.py": "from mod import f\n\ndef test_f():\n    assert f() == 1\n",
    });
    const result = runCli(["--cov", "-q"], dir);
    expect(result.status, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^mod\.py +2 +0 +100%$/m);
    expect(result.stdout).toMatch(/^test_mod\.py +3 +0 +100%$/m);
    // Not imported, not named by --cov: not listed (coverage.py without a source does the same).
    expect(result.stdout).not.toContain("unused.py");
    expect(runCli(["--cov", "--no-cov", "-q"], dir).stdout).not.toContain("tests coverage");
    const listing = runCli(["--cov", "--fixtures", "-q"], dir);
    expect(listing.stdout).toContain("tmp_path");
    expect(listing.stdout).not.toContain("tests coverage");
  });

  it("reports nothing when collection errors stop the run, as pytest-cov", () => {
    const dir = inlineFiles({ "test_ok.py": "def test_ok():\n    pass\n", "test_broken.py": "import nonexistent_module\n" });
    const result = runCli(["--cov", "--cov-fail-under=100", "-q"], dir);
    expect(result.status, result.stdout).toBe(2);
    expect(result.stdout).toContain("Interrupted: 1 error during collection");
    expect(result.stdout).not.toContain("tests coverage");
    expect(result.stdout).not.toContain("Required test coverage");
  });

  it("reads coverage.py's settings from pyproject.toml as pytest-cov does: source, branch, omit, exclude_lines, fail_under, show_missing", () => {
    const dir = inlineFiles({
      "pyproject.toml": `
        [tool.pytest.ini_options]
        testpaths = ["tests"]

        [tool.coverage.run]
        source = ["lib"]
        branch = true
        omit = ["lib/generated_*.py"]

        [tool.coverage.report]
        exclude_lines = ["pragma: no cover", "raise NotImplementedError"]
        fail_under = 99
        show_missing = true
      `,
      "lib/__init__.py": "",
      "lib/calc.py": "def add(a, b):\n    if a is None:\n        raise NotImplementedError\n    return a + b\n\n\ndef unused():\n    return 0\n",
      "lib/generated_table.py": "TABLE = [1, 2, 3]\n",
      "tests/test_calc.py": "from lib.calc import add\n\ndef test_add():\n    assert add(1, 2) == 3\n",
    });
    const result = runCli(["--cov", "-q"], dir);
    expect(result.status, result.stdout + result.stderr).toBe(1);
    // Line 3 is excluded, so line 2's exit to it is no branch either; the omitted file is not listed.
    expect(result.stdout).toContain("Name              Stmts   Miss Branch BrPart  Cover   Missing\n");
    expect(result.stdout).toMatch(/^lib\/calc\.py +5 +1 +0 +0 +80% +8$/m);
    expect(result.stdout).not.toContain("generated_table");
    expect(result.stdout).toContain("FAIL Required test coverage of 99% not reached. Total coverage: 80.00%");
    if (coveragePy) {
      const reference = runCoveragePy(dir, "lib", true);
      expect(reference["lib/calc.py"]!.missing_lines).toEqual([8]);
      expect(reference["lib/calc.py"]!.summary.num_statements).toBe(5);
      expect(Object.keys(reference)).not.toContain("lib/generated_table.py");
    }
  });

  it("takes a .coveragerc's exclude_lines in place of the default pragma, exclude_also besides it, and --cov-config names the file", () => {
    const files = {
      "mod.py": "def f(x):\n    if x:  # pragma: no cover\n        return 1\n    return 2  # skip me\n",
      "test_mod.py": "from mod import f\n\ndef test_f():\n    assert f(0) == 2\n",
    };
    const dir = inlineFiles({ ...files, ".coveragerc": "[report]\nexclude_lines =\n    skip me\n", "other.cfg": "[report]\nshow_missing = yes\nexclude_also =\n    skip me\n" });
    const result = runCli(["--cov=mod", "-q"], dir);
    expect(result.status, result.stdout + result.stderr).toBe(0);
    // The pragma no longer excludes (only "skip me" does): line 3 is missed.
    expect(result.stdout).toMatch(/^mod\.py +3 +1 +67%$/m);
    // other.cfg keeps the pragma (its block, lines 2-3, goes) and adds "skip me" (line 4): only the def is left.
    const other = runCli(["--cov=mod", "--cov-config=other.cfg", "-q"], dir);
    expect(other.stdout).toContain("Name     Stmts   Miss  Cover   Missing\n");
    expect(other.stdout).toMatch(/^mod\.py +1 +0 +100%$/m);
  });

  it("says when --cov names nothing the sandbox holds, measures nothing and counts that as 0%", () => {
    const dir = inlineFiles({ "project/test_a.py": "def test_a():\n    pass\n", "elsewhere.py": "X = 1\n" });
    const cwd = path.join(dir, "project");
    const result = runCli(["--cov=nopkg", "--cov=../elsewhere.py", "--cov-report=xml", "--cov-fail-under=10", "-q"], cwd);
    expect(result.status, result.stdout + result.stderr).toBe(1);
    expect(result.stdout).toContain("CoverageWarning: Module nopkg was never imported. (module-not-imported)\n");
    expect(result.stdout).toContain(`CoverageWarning: ../elsewhere.py is outside the rootdir (${cwd}), which is all the sandbox holds: not measured\n`);
    expect(result.stdout).toContain("WARNING: Failed to generate report: No data to report.\n");
    expect(result.stdout).toContain("FAIL Required test coverage of 10% not reached. Total coverage: 0.00%");
    expect(existsSync(path.join(cwd, "coverage.xml"))).toBe(false);
  });

  it("leaves a virtualenv inside the project out of a bare --cov, as coverage.py leaves out installed packages, unless --cov names it", () => {
    const dir = inlineFiles({
      ".venv/pyvenv.cfg": "home = /usr/bin\nversion = 3.11.7\n",
      ".venv/lib/python3.11/site-packages/dep/__init__.py": "def f():\n    return 1\n",
      "mod.py": "import dep\n\ndef g():\n    return dep.f()\n",
      "test_mod.py": "from mod import g\n\ndef test_g():\n    assert g() == 1\n",
    });
    const bare = runCli(["--cov", "-q"], dir);
    expect(bare.status, bare.stdout + bare.stderr).toBe(0);
    expect(bare.stdout).toMatch(/^mod\.py +3 +0 +100%$/m);
    expect(bare.stdout).not.toContain("site-packages");
    const named = runCli(["--cov=.venv/lib/python3.11/site-packages/dep", "-q"], dir);
    expect(named.stdout).toMatch(/^\.venv\/lib\/python3\.11\/site-packages\/dep\/__init__\.py +2 /m);
  });

  it("refuses report types it cannot write, with a usage error", () => {
    const dir = inlineFiles({ "test_a.py": "def test_a():\n    pass\n" });
    const result = runCli(["--cov", "--cov-report=html"], dir);
    expect(result.status).toBe(4);
    expect(result.stderr).toContain('"html" reports are not available in fastest; choose term, term-missing, lcov or xml');
  });
});
