import { spawnSync } from "node:child_process";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { inlineFiles } from "./helpers/inline-files.js";
import { repoRoot, runCli, testCacheDir } from "./helpers/run-cli.js";

const project = inlineFiles({
  "pytest.ini": "[pytest]\naddopts = -k 'a or b or c'\n",
  "test_x.py": "def test_a():\n    pass\ndef test_b():\n    pass\ndef test_c():\n    pass\ndef test_d():\n    pass\n",
});

/** Real pytest with PYTEST_ADDOPTS set. */
function pytestWith(addopts: string, args: string[]): { status: number; stdout: string } {
  const result = spawnSync("python3", ["-m", "pytest", "-p", "no:cacheprovider", ...args], {
    cwd: project,
    encoding: "utf8",
    env: { PATH: process.env["PATH"] ?? "", HOME: os.homedir(), PYTEST_DISABLE_PLUGIN_AUTOLOAD: "1", PYTEST_ADDOPTS: addopts, NO_COLOR: "1" },
  });
  return { status: result.status ?? -1, stdout: result.stdout };
}

/** The test ids a `-v` run reported, in order. */
const ran = (stdout: string) => [...stdout.matchAll(/^(\S+::\S+) PASSED/gm)].map((m) => m[1]);

describe("PYTEST_ADDOPTS", () => {
  it.each([
    ["-v -k b", []],
    ["-v -k 'b or d'", ["-k", "d"]],
    ["-v", ["-k", "c"]],
    ["-v --deselect test_x.py::test_a", []],
  ])("%j with %j: the same tests as pytest (after the ini's addopts, before the command line)", (addopts, args) => {
    const ours = runCli(["-p", "no:cacheprovider", ...args], project, { PYTEST_ADDOPTS: addopts });
    const theirs = pytestWith(addopts, args);
    expect(ran(ours.stdout)).toEqual(ran(theirs.stdout));
    expect(ran(ours.stdout).length).toBeGreaterThan(0);
    expect(ours.status).toBe(theirs.status);
  });

  it("a bad option there is a usage error, as on the command line", () => {
    const ours = runCli([], project, { PYTEST_ADDOPTS: "--no-such-option" });
    expect(ours.status).toBe(4);
    expect(ours.stderr).toMatch(/unrecognized arguments: --no-such-option/);
  });
});

describe("a reader that stops early", () => {
  it("fastest --co -q | head -1 ends quietly with exit 1, as pytest", () => {
    const cwd = inlineFiles(Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`test_${i}.py`, Array.from({ length: 100 }, (_, j) => `def test_${j}():\n    pass\n`).join("")])));
    const bin = path.join(repoRoot, "node-host/bin/fastest.js");
    const result = spawnSync("bash", ["-c", `"$0" "$1" --co -q -p no:cacheprovider | head -1; echo "status \${PIPESTATUS[0]}"`, process.execPath, bin], {
      cwd,
      encoding: "utf8",
      env: { PATH: process.env["PATH"] ?? "", HOME: os.homedir(), FASTEST_CACHE_DIR: testCacheDir, NO_COLOR: "1" },
    });
    expect(result.stdout).toBe("test_0.py::test_0\nstatus 1\n");
    expect(result.stderr).toBe("");
  });
});

describe("--no-header and --no-summary", () => {
  const files = inlineFiles({
    "test_z.py": "import warnings\ndef test_f():\n    warnings.warn('w')\n    assert 0\ndef test_p():\n    pass\n",
  });
  /** The report without timings, padding and the header lines that name the platform, seed and workers. */
  const normal = (text: string) =>
    text
      .split("\n")
      .filter((line) => !/^(platform|seed|workers|rootdir|configfile|cachedir|plugins): /.test(line) && !line.startsWith("platform "))
      .join("\n")
      .replace(/ in [\d.]+s/g, "")
      .replace(/=+/g, "=");

  it.each([[["--no-header"]], [["--no-summary"]], [["--no-header", "--no-summary", "-rA"]]])("%j prints what pytest prints", (args) => {
    const ours = runCli(["-p", "no:cacheprovider", ...args], files);
    const theirs = spawnSync("python3", ["-m", "pytest", "-p", "no:cacheprovider", ...args], {
      cwd: files,
      encoding: "utf8",
      env: { PATH: process.env["PATH"] ?? "", HOME: os.homedir(), PYTEST_DISABLE_PLUGIN_AUTOLOAD: "1", NO_COLOR: "1", COLUMNS: "80" },
    });
    expect(normal(ours.stdout)).toBe(normal(theirs.stdout));
    expect(ours.status).toBe(theirs.status);
  });
});
