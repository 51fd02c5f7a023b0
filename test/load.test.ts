/**
 * Load: 20,000 tests in 1,000 files (16 plain tests and a 4-case
 * parametrized test each, five planted failures) through the real CLI with
 * two workers. Every test must be reported exactly once, in the progress
 * line, the summary and the JSON report, and the run must end with exit 1
 * for the planted failures. Figures (wall time, memory) are in the report
 * of the session that added it, not asserted here.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { inlineFiles } from "./helpers/inline-files.js";
import { runCli } from "./helpers/run-cli.js";

const fileCount = 1000;
const plainTests = 16;
const cases = 4;
const failingFile = (f: number) => f % 200 === 7;
const failingTest = 13;

function loadSuite(): { files: Record<string, string>; nodeids: string[]; failing: string[] } {
  const files: Record<string, string> = {};
  const nodeids: string[] = [];
  const failing: string[] = [];
  for (let f = 0; f < fileCount; f++) {
    const name = `test_load_${String(f).padStart(4, "0")}.py`;
    const lines = ["import pytest", ""];
    for (let t = 0; t < plainTests; t++) {
      const fails = failingFile(f) && t === failingTest;
      lines.push(`def test_n${t}():`, fails ? "    assert 0, 'planted failure'" : `    assert ${t} + ${f} == ${t + f}`, "");
      nodeids.push(`${name}::test_n${t}`);
      if (fails) failing.push(`${name}::test_n${t}`);
    }
    lines.push(`@pytest.mark.parametrize('x', range(${cases}))`, "def test_p(x):", "    assert x >= 0", "");
    for (let x = 0; x < cases; x++) nodeids.push(`${name}::test_p[${x}]`);
    files[name] = lines.join("\n");
  }
  return { files, nodeids, failing };
}

describe("a 20,000-test suite", () => {
  it("reports every test exactly once with -q -n 2", { timeout: 300_000 }, () => {
    const { files, nodeids, failing } = loadSuite();
    expect(nodeids.length).toBe(20_000);
    const project = inlineFiles(files);
    const report = path.join(project, "report.json");
    const result = runCli(["-q", "-n", "2", "--json", report], project);

    expect(result.stderr).not.toMatch(/\n\s+at |Traceback|INTERNALERROR|worker crashed/);
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(new RegExp(`^${failing.length} failed, ${20_000 - failing.length} passed in [\\d.]+s`, "m"));
    // -q progress: one character per test.
    const progress = result.stdout
      .split("\n")
      .filter((line) => /^[.F]+\s*\[\s*\d+%\]$/.test(line))
      .map((line) => line.replace(/\s*\[.*$/, ""))
      .join("");
    expect(progress.length).toBe(20_000);
    expect([...progress].filter((c) => c === "F").length).toBe(failing.length);

    const json = JSON.parse(readFileSync(report, "utf8")) as {
      exitCode: number;
      summary: Record<string, number>;
      tests: { nodeid: string; outcome: string }[];
    };
    expect(json.exitCode).toBe(1);
    expect(json.summary).toMatchObject({ passed: 20_000 - failing.length, failed: failing.length, total: 20_000, collected: 20_000 });
    const seen = new Map<string, number>();
    for (const test of json.tests) seen.set(test.nodeid, (seen.get(test.nodeid) ?? 0) + 1);
    expect([...seen.entries()].filter(([, n]) => n !== 1)).toEqual([]);
    expect(new Set(seen.keys())).toEqual(new Set(nodeids));
    expect(json.tests.filter((t) => t.outcome === "failed").map((t) => t.nodeid).sort()).toEqual([...failing].sort());
  });
});
