/**
 * The cpu suite: 200 tests in 10 files, each spinning a pure-Python loop
 * calibrated to take about 5 ms in native CPython on this machine. Every peer
 * runs the same code, so the loop is slower inside WebAssembly; the bench
 * compares wall times, as a user would.
 */
import { spawnSync } from "node:child_process";
import { freshDir, pad, writeFiles, type GeneratedSuite } from "./suite-files.js";

const FILES = 10;
const TESTS_PER_FILE = 20;
const TARGET_SECONDS = 0.005;

/** The work every test does; its result has a closed form, so each test checks it. */
const SPIN = `def spin(n):
    total = 0
    for i in range(n):
        total += i * i
    return total
`;

/**
 * Loop length that takes TARGET_SECONDS in native `python`: the best of many
 * short timed passes (the minimum is the least disturbed by other load),
 * rounded to a thousand.
 */
export function calibrateSpin(python: string): number {
  const probe = 50_000;
  const script = `import time\n${SPIN}\nbest = float("inf")\nfor _ in range(41):\n    t = time.perf_counter()\n    spin(${probe})\n    best = min(best, time.perf_counter() - t)\nprint(best)\n`;
  const result = spawnSync(python, ["-c", script], { encoding: "utf8" });
  const seconds = Number(result.stdout?.trim());
  if (result.status !== 0 || !(seconds > 0)) throw new Error(`calibrating the cpu suite with ${python} failed: ${result.stderr?.trim() || "no output"}`);
  return Math.max(1000, Math.round((TARGET_SECONDS / seconds) * probe / 1000) * 1000);
}

/** sum(i * i for i in range(n)) */
function sumOfSquares(n: number): string {
  const big = BigInt(n);
  return ((big - 1n) * big * (2n * big - 1n) / 6n).toString();
}

function testFile(file: number, loop: number): string {
  const tests = Array.from({ length: TESTS_PER_FILE }, (_, i) => {
    const n = loop + file * TESTS_PER_FILE + i;
    return `def test_spin_${file}_${i}():\n    assert spin(${n}) == ${sumOfSquares(n)}\n`;
  });
  return [SPIN, ...tests].join("\n\n");
}

export function generateCpuSuite(dir: string, loop: number): GeneratedSuite {
  freshDir(dir);
  const files: Record<string, string> = { "pytest.ini": "[pytest]\n" };
  for (let file = 0; file < FILES; file++) files[`test_cpu_${pad(file, FILES)}.py`] = testFile(file, loop);
  writeFiles(dir, files);
  const tests = FILES * TESTS_PER_FILE;
  return {
    tests,
    description: `${tests} tests in ${FILES} files, each a pure-Python loop of ${loop.toLocaleString("en-US")} iterations (~5 ms in native Python here)`,
  };
}
