/**
 * `--collect-only` on the WASI engine answered by static discovery: once a
 * run on that engine has recorded its versions, `--engine wasi` and
 * `--sandbox=wasi` print what the runtime path prints on WASI (its header
 * included: `platform wasi`, workers "(wasi)"), and what pytest prints.
 * Before, the static path printed Pyodide's header for `--sandbox=wasi`,
 * and `--engine wasi` always booted the interpreter (the bench's collect
 * suite: ~20 s instead of ~1 s). Skipped when `npm run build:wasi` has not
 * been run.
 */
import { existsSync, mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { wasiBuildDir } from "../node-host/engine-assets.js";
import { normalize } from "./helpers/compare.js";
import { inlineFiles } from "./helpers/inline-files.js";
import { runCli, runPytest, testCacheDir } from "./helpers/run-cli.js";

const wasiBuilt = existsSync(path.join(wasiBuildDir, "manifest.json"));
if (!wasiBuilt) console.warn(`collect-only-wasi: skipped: ${wasiBuildDir} is not built (run \`npm run build:wasi\`)`);

/** Timing is the only thing allowed to differ between the two paths. */
const withoutTiming = (stdout: string) => stdout.replace(/^=+ (.*) in \d+\.\d+s =+$/gm, "$1").replace(/ in \d+\.\d+s$/gm, "");

const tree = {
  "pytest.ini": "[pytest]\nmarkers =\n    slow: slow tests\n",
  "tests/test_one.py": `
    import pytest

    def test_plain():
        pass

    @pytest.mark.slow
    @pytest.mark.parametrize("x", [1, 2])
    def test_param(x):
        pass

    class TestGroup:
        def test_in_group(self):
            pass
  `,
  "tests/test_two.py": `
    def test_two():
        assert True
  `,
};

describe.skipIf(!wasiBuilt)("--collect-only on the WASI engine", () => {
  it("is answered statically, with the WASI engine's header, once a WASI run has recorded it", () => {
    const dir = inlineFiles(tree);
    // A cache of its own, where no engine has run yet (the first run makes the WASI snapshot there, a few seconds).
    const env = { FASTEST_CACHE_DIR: path.join(mkdtempSync(path.join(os.tmpdir(), "fastest-collect-wasi-")), "cache"), FASTEST_DEBUG_DISCOVERY: "1" };
    const args = ["--seed", "1", "--collect-only", "-p", "no:cacheprovider"];
    // No WASI run yet: the engine's version is unknown, so the interpreter answers.
    const first = runCli(["--engine", "wasi", ...args], dir, env);
    expect(first.stderr).toContain("static discovery: not used (the engine's version is not known before its first run)");
    expect(first.stdout).toContain("platform wasi -- Python 3.11");
    expect(first.status).toBe(0);

    for (const engine of [["--engine", "wasi"], ["--sandbox=wasi"]]) {
      const ours = runCli([...engine, ...args], dir, env);
      expect(ours.stderr).toMatch(/static discovery: used/);
      expect(ours.stdout).toContain("platform wasi -- Python 3.11");
      expect(ours.stdout).toMatch(/workers: \d+ sandboxed workers? \(wasi\)/);
      const runtime = runCli([...engine, ...args], dir, { ...env, FASTEST_STATIC_DISCOVERY: "0" });
      expect(withoutTiming(ours.stdout)).toBe(withoutTiming(runtime.stdout));
      expect(ours.status).toBe(runtime.status);
    }
    const theirs = runPytest(["--collect-only", "-p", "no:cacheprovider"], dir);
    expect(normalize(first.stdout)).toBe(normalize(theirs.stdout));
  }, 300_000);

  it("prints Pyodide's header for the default engine even after a WASI run recorded its own", () => {
    const dir = inlineFiles(tree);
    const env = { FASTEST_CACHE_DIR: testCacheDir, FASTEST_DEBUG_DISCOVERY: "1" };
    const args = ["--seed", "1", "--collect-only", "-p", "no:cacheprovider"];
    // Both engines' versions get recorded in the shared test cache by runs on each.
    runCli(["--engine", "wasi", "-n", "1", "-p", "no:cacheprovider"], dir, env);
    runCli(["-n", "1", "-p", "no:cacheprovider"], dir, env);
    const pyodide = runCli(args, dir, env);
    expect(pyodide.stderr).toMatch(/static discovery: used/);
    expect(pyodide.stdout).toMatch(/platform emscripten -- Python 3\.\d+/);
    expect(pyodide.stdout).toMatch(/\(pyodide\)/);
    const wasi = runCli(["--engine", "wasi", ...args], dir, env);
    expect(wasi.stderr).toMatch(/static discovery: used/);
    expect(wasi.stdout).toContain("platform wasi -- Python 3.11");
  }, 300_000);
});
