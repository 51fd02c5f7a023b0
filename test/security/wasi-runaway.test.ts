/**
 * The abuse suite's runaway tests (test/security/abuse.test.ts, Pyodide) on
 * the WASI engine, under `--timeout 2 --max-memory 256`: each one fails (a
 * timeout, MemoryError, RecursionError...) or passes, and the tests after it
 * still run. Skipped with the reason when `npm run build:wasi` has not been
 * run (CI runs it).
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { inlineFiles } from "../helpers/inline-files.js";
import { runCli } from "../helpers/run-cli.js";
import { wasiBuildDir } from "../../node-host/engine-assets.js";

const built = existsSync(path.join(wasiBuildDir, "manifest.json"));
if (!built) console.warn(`wasi-runaway: skipped: ${wasiBuildDir} is not built (run \`npm run build:wasi\`)`);

describe.skipIf(!built)("runaway tests on the WASI engine (--timeout 2 --max-memory 256)", () => {
  it("fails or times out each one and goes on", () => {
    const dir = inlineFiles({
      "test_runaway.py": `
        import sys

        def test_plain_before():
            pass

        def test_ignores_interrupts():
            import signal
            signal.signal(signal.SIGINT, signal.SIG_IGN)

        def test_infinite_loop():
            while True:
                pass

        def test_sleeps_past_the_timeout():
            import time
            time.sleep(60)

        def test_deep_recursion():
            def down(n):
                return down(n + 1)
            down(0)

        def test_huge_allocation():
            bytearray(600 * 2 ** 20)

        def test_memory_bomb():
            hoard = []
            while True:
                hoard.append(bytearray(16 * 2 ** 20))

        def test_memory_is_back_after_the_bomb():
            assert len(bytearray(16 * 2 ** 20)) == 16 * 2 ** 20

        def test_huge_string():
            "x" * (2 ** 40)

        def test_plain_after():
            pass
      `,
    });
    const run = runCli(["--engine", "wasi", "-n", "1", "--timeout", "2", "--max-memory", "256", "-p", "no:cacheprovider", "-rA"], dir, { FASTEST_TIMEOUT_GRACE: "2" });
    const outcome = (name: string) => new RegExp(`^(PASSED|FAILED) test_runaway\\.py::${name}\\b(.*)$`, "m").exec(run.stdout)?.slice(1, 3).join("") ?? "(no result)";
    expect(outcome("test_plain_before")).toBe("PASSED");
    // Its handler is the harness's again after the test (lockdown): the later timeouts still interrupt.
    expect(outcome("test_ignores_interrupts")).toBe("PASSED");
    expect(outcome("test_infinite_loop")).toMatch(/^FAILED - Failed: Timeout/);
    expect(outcome("test_sleeps_past_the_timeout")).toMatch(/^FAILED - Failed: Timeout/);
    expect(outcome("test_deep_recursion")).toMatch(/^FAILED - RecursionError/);
    expect(outcome("test_huge_allocation")).toBe("FAILED - MemoryError");
    expect(outcome("test_memory_bomb")).toBe("FAILED - MemoryError");
    expect(outcome("test_memory_is_back_after_the_bomb")).toBe("PASSED");
    expect(outcome("test_huge_string")).toMatch(/^FAILED - (OverflowError|MemoryError)/);
    expect(outcome("test_plain_after")).toBe("PASSED");
    // The busy loop makes no system call: its worker was stopped and restored. The sleep was interrupted in place.
    expect(run.stdout).toContain("the WASI engine interrupts Python at its system calls");
    expect(run.stdout).toMatch(/^>\s+time\.sleep\(60\)$/m);
    expect(run.stdout).toMatch(/6 failed, 4 passed/);
    expect(run.status).toBe(1);
  }, 300_000);
});
