/**
 * How evenly `--shard K/N` splits a suite, without and with a durations
 * file. The suite is made to be unkind to a split by count: 40 tests in
 * one file, every fourth one slow (0.3 s, the others 0.01 s), so that
 * dealing them out in node-id order gives all the slow ones to one shard.
 * Each shard runs on one worker; the table shows its tests, the seconds its
 * tests took (from its JSON report) and the process's wall time.
 *
 * `npm run build && node dist/bench/shard-balance.js [--shards N]`
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const bin = path.join(repoRoot, "node-host", "bin", "fastest.js");

const suite = `import time
import pytest

@pytest.mark.parametrize("i", range(40), ids=lambda i: f"i{i:02d}")
def test_work(i):
    time.sleep(0.3 if i % 4 == 0 else 0.01)
`;

interface ShardFigure {
  shard: string;
  tests: number;
  testSeconds: number;
  wallSeconds: number;
}

function fastest(args: string[], cwd: string): void {
  const result = spawnSync(process.execPath, [bin, "-q", "-n", "1", "-p", "no:cacheprovider", ...args], { cwd, encoding: "utf8" });
  if (result.status !== 0 && result.status !== 1) throw new Error(`fastest ${args.join(" ")} exited ${result.status}: ${result.stderr}`);
}

function runShards(dir: string, count: number): ShardFigure[] {
  const figures: ShardFigure[] = [];
  for (let k = 1; k <= count; k++) {
    const report = path.join(dir, `shard-${k}.json`);
    const started = performance.now();
    fastest(["--shard", `${k}/${count}`, "--json", report], dir);
    const wallSeconds = (performance.now() - started) / 1000;
    const { tests } = JSON.parse(readFileSync(report, "utf8")) as { tests: Array<{ duration: number }> };
    figures.push({ shard: `${k}/${count}`, tests: tests.length, testSeconds: tests.reduce((sum, t) => sum + t.duration, 0), wallSeconds });
  }
  return figures;
}

function table(title: string, figures: ShardFigure[]): string {
  const rows = figures.map((f) => `| ${f.shard} | ${f.tests} | ${f.testSeconds.toFixed(2)} | ${f.wallSeconds.toFixed(2)} |`);
  const slowest = Math.max(...figures.map((f) => f.testSeconds));
  return [`${title} (slowest shard's tests: ${slowest.toFixed(2)} s)`, "", "| shard | tests | test seconds | wall seconds |", "|---|---|---|---|", ...rows, ""].join("\n");
}

function main(): void {
  const shardsAt = process.argv.indexOf("--shards");
  const count = shardsAt >= 0 ? Number(process.argv[shardsAt + 1]) : 4;
  const dir = mkdtempSync(path.join(os.tmpdir(), "fastest-shard-bench-"));
  try {
    writeFileSync(path.join(dir, "test_skew.py"), suite);
    const byCount = runShards(dir, count);
    fastest(["--store-durations"], dir);
    const byTime = runShards(dir, count);
    process.stdout.write(`${table("Without a durations file (split by count)", byCount)}\n${table("With .fastest-durations.json", byTime)}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main();
