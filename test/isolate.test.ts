/**
 * `--isolate=file` end to end, on both engines: each test file runs in an
 * interpreter restored from the snapshot for it, so what one file changes
 * (a module's global, `sys.modules`, `os.environ`) does not reach the next,
 * session fixtures run once per file, and the report's counts are those of
 * a run without it. Without the option, the same files leak into each other
 * on one worker exactly as they do under real pytest (the oracle). The WASI
 * rows are skipped with the reason when `npm run build:wasi` has not run.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { wasiBuildDir } from "../node-host/engine-assets.js";
import { inlineFiles } from "./helpers/inline-files.js";
import { readJUnit } from "./helpers/junit.js";
import { runCli, runPytest, testCacheDir } from "./helpers/run-cli.js";
import { codeCachePath } from "../wasm-python/restore-state.js";

const wasiBuilt = existsSync(path.join(wasiBuildDir, "manifest.json"));
if (!wasiBuilt) console.warn(`isolate: the wasi rows are skipped: ${wasiBuildDir} is not built (run \`npm run build:wasi\`)`);

const engines = [
  { engine: "pyodide", skip: false },
  { engine: "wasi", skip: !wasiBuilt },
];

/** test_a changes three kinds of state; test_b, which runs after it on one worker, checks each. */
const LEAKY = {
  "state.py": "COUNTER = [0]\n",
  "test_a_mutates.py": `
    import os
    import sys
    import types

    import state

    def test_mutates():
        state.COUNTER[0] += 1
        os.environ["FASTEST_LEAK"] = "yes"
        sys.modules["fastest_fake_module"] = types.ModuleType("fastest_fake_module")
  `,
  "test_b_checks.py": `
    import os
    import sys

    import state

    def test_module_global():
        assert state.COUNTER[0] == 0

    def test_environ():
        assert "FASTEST_LEAK" not in os.environ

    def test_sys_modules():
        leaked = "fastest_fake_module" in sys.modules
        assert not leaked
  `,
};

/** The counts of the last line: `3 failed, 1 passed`. */
const summaryLine = (stdout: string) => stdout.trimEnd().split("\n").at(-1)!.replace(/^=+ /, "").replace(/ in [\d.]+s.*$/, "");

describe.each(engines)("--isolate=file on $engine", ({ engine, skip }) => {
  it.skipIf(skip)("keeps a file's changes to module globals, sys.modules and os.environ out of the next file", () => {
    const dir = inlineFiles(LEAKY);
    // Without it, one worker runs both files in one interpreter: test_b sees test_a's changes, as under pytest.
    const shared = runCli(["--engine", engine, "-n", "1", "-p", "no:cacheprovider"], dir);
    const pytest = runPytest([], dir);
    expect(pytest.stdout).toMatch(/3 failed, 1 passed/);
    expect(summaryLine(shared.stdout)).toBe(summaryLine(pytest.stdout));
    expect(shared.status).toBe(1);
    const isolated = runCli(["--engine", engine, "-n", "1", "-p", "no:cacheprovider", "--isolate=file"], dir);
    expect(isolated.stdout).toMatch(/ 4 passed in /);
    expect(isolated.status).toBe(0);
  });

  it.skipIf(skip)("sets session fixtures up once per file, and tears each down before the next file", () => {
    const dir = inlineFiles({
      "conftest.py": `
        import pytest

        @pytest.fixture(scope="session")
        def resource():
            print("SETUP resource")
            yield "r"
            print("TEARDOWN resource")
      `,
      "test_one.py": "def test_one(resource):\n    assert resource == 'r'\n",
      "test_two.py": "def test_two(resource):\n    assert resource == 'r'\n\ndef test_two_again(resource):\n    pass\n",
      "test_three.py": "def test_three(resource):\n    assert resource == 'r'\n",
    });
    const count = (text: string, word: string) => text.split("\n").filter((line) => line.includes(word)).length;
    const shared = runCli(["--engine", engine, "-n", "1", "-s", "-p", "no:cacheprovider"], dir);
    expect([count(shared.stdout, "SETUP resource"), count(shared.stdout, "TEARDOWN resource")]).toEqual([1, 1]);
    const isolated = runCli(["--engine", engine, "-n", "1", "-s", "-p", "no:cacheprovider", "--isolate=file"], dir);
    expect([count(isolated.stdout, "SETUP resource"), count(isolated.stdout, "TEARDOWN resource")]).toEqual([3, 3]);
    expect(isolated.stdout).toMatch(/ 4 passed in /);
    // Each teardown comes before the next file's setup.
    const order = isolated.stdout.split("\n").filter((line) => /(SETUP|TEARDOWN) resource/.test(line)).map((line) => line.includes("SETUP") ? "S" : "T");
    expect(order.join("")).toBe("STSTST");
  });

  it.skipIf(skip)("reports the same counts and JUnit cases as a run without it, on two workers", () => {
    const files: Record<string, string> = {
      "conftest.py": "import pytest\n\n@pytest.fixture(scope='session')\ndef broken():\n    yield 1\n    raise RuntimeError('session teardown failed')\n",
    };
    for (let i = 0; i < 5; i++) {
      files[`test_mix_${i}.py`] = [
        "import pytest",
        "",
        `@pytest.mark.parametrize('n', range(${3 + i}))`,
        "def test_passes(n):",
        "    assert n >= 0",
        "",
        "def test_fails():",
        `    assert ${i} == -1`,
        "",
        "@pytest.mark.skip(reason='later')",
        "def test_skipped():",
        "    pass",
        "",
        "@pytest.mark.xfail(reason='known')",
        "def test_xfails():",
        "    assert False",
        "",
        ...(i === 2 ? ["def test_uses_broken(broken):", "    pass", ""] : []),
      ].join("\n");
    }
    const dir = inlineFiles(files);
    const run = (extra: string[], report: string) => {
      const result = runCli(["--engine", engine, "-n", "2", "-p", "no:cacheprovider", `--junitxml=${report}`, ...extra], dir);
      const cases = readJUnit(path.join(dir, report)).map((c) => `${c.classname}.${c.name}: ${c.result}`).sort();
      return { result, cases };
    };
    const shared = run([], "shared.xml");
    const isolated = run(["--isolate=file"], "isolated.xml");
    expect(summaryLine(isolated.result.stdout)).toBe(summaryLine(shared.result.stdout));
    expect(summaryLine(shared.result.stdout)).toBe("5 failed, 26 passed, 5 skipped, 5 xfailed, 1 error");
    // The session fixture's teardown error belongs to the last test its interpreter ran: without
    // isolation, whichever came last on that worker; with it, the last test of test_mix_2.py.
    const teardownError = (cases: string[]) => cases.filter((c) => c.endsWith(": error"));
    expect(teardownError(isolated.cases)).toEqual(["test_mix_2.test_uses_broken: error"]);
    expect(teardownError(shared.cases)).toHaveLength(1);
    const withoutError = (cases: string[]) => cases.filter((c) => !c.endsWith(": error"));
    expect(withoutError(isolated.cases)).toEqual(withoutError(shared.cases));
    expect(withoutError(isolated.cases)).toHaveLength(41);
    expect(isolated.result.stdout).toContain("RuntimeError: session teardown failed");
    expect(isolated.result.status).toBe(1);
    expect(readFileSync(path.join(dir, "isolated.xml"), "utf8")).toMatch(/ tests="42"/);
  });
});

describe("choosing --isolate", () => {
  it("reads [tool.fastest] isolate, which the command line overrides, and refuses other values", () => {
    const dir = inlineFiles({
      ...LEAKY,
      "pyproject.toml": "[tool.fastest]\nisolate = \"file\"\n",
    });
    const fromConfig = runCli(["-n", "1", "-p", "no:cacheprovider"], dir);
    expect(fromConfig.stdout).toMatch(/ 4 passed in /);
    const overridden = runCli(["-n", "1", "-p", "no:cacheprovider", "--isolate=none"], dir);
    expect(overridden.stdout).toMatch(/3 failed, 1 passed in /);
    const bad = inlineFiles({ "test_x.py": "def test_x():\n    pass\n", "pyproject.toml": "[tool.fastest]\nisolate = \"test\"\n" });
    const refused = runCli([], bad);
    expect(refused.stderr).toContain(`[tool.fastest] option 'isolate' must be "none" or "file", not 'test'`);
    expect(refused.status).toBe(4);
    const badFlag = runCli(["--isolate=module"], bad);
    expect(badFlag.stderr).toMatch(/argument --isolate: invalid choice: 'module' \(choose from 'none', 'file'\)/);
    expect(badFlag.status).toBe(4);
  });
});

describe("the rewritten code a fresh interpreter gets", () => {
  it("is picked by the source path read from each cached entry's first bytes", () => {
    const dir = inlineFiles({ ...LEAKY, "conftest.py": "import pytest\n", "sub/test_c_unicode_é.py": "def test_c():\n    assert 1\n" });
    expect(runCli(["-n", "1", "--isolate=file"], dir).status).toBe(0);
    // The entries the run saved for the next one (node-host/code-cache.ts), as the workers load them.
    const paths = readdirSync(testCacheDir)
      .filter((entry) => entry.startsWith("code-"))
      .flatMap((folder) => readdirSync(path.join(testCacheDir, folder)).map((file) => codeCachePath(readFileSync(path.join(testCacheDir, folder, file)))))
      .filter((source) => source?.startsWith(`${dir}/`))
      .sort();
    expect(paths).toEqual(["conftest.py", "sub/test_c_unicode_é.py", "test_a_mutates.py", "test_b_checks.py"].map((file) => `${dir}/${file}`));
    expect(codeCachePath(new Uint8Array([0x29, 2, 0x7a, 1, 0x61]))).toBeNull();
  });
});
