// What `--cov` costs on the WASI engine (Python 3.11, sys.settrace): runs a
// suite under `fastest --engine wasi` without and with coverage options,
// interleaved, and prints the median wall time and the median CPU time
// (user + system of fastest and its sandbox process, from getrusage).
//
//   node bench/probes/coverage-wasi-cost.mjs FOLDER ROUNDS [ARGS | ARGS ...]
//   node bench/probes/coverage-wasi-cost.mjs bench/.suites/realistic 5 "" "--cov=shop" "--cov=shop --cov-branch"
//
// Each variant is a string of extra arguments ("" = no coverage). The suite
// is copied to a scratch folder first (its cache and reports stay there);
// needs `npm run build:node` and `npm run build:wasi`.
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const [folder, roundsText = "5", ...variants] = process.argv.slice(2);
if (!folder) {
  console.error("usage: node bench/probes/coverage-wasi-cost.mjs FOLDER ROUNDS [ARGS | ARGS ...]");
  process.exit(2);
}
const bin = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "node-host", "bin", "fastest.js");
const dir = mkdtempSync(path.join(os.tmpdir(), "fastest-cov-wasi-cost-"));
cpSync(folder, dir, { recursive: true });
const runs = variants.length > 0 ? variants : ["", "--cov", "--cov --cov-branch"];
const env = { ...process.env, FASTEST_CACHE_DIR: path.join(dir, ".probe-cache") };
const times = new Map(runs.map((v) => [v, { wall: [], cpu: [] }]));

// One warm-up run makes the snapshot and the duration records.
spawnSync(process.execPath, [bin, "--engine", "wasi", "-q"], { cwd: dir, env, stdio: "ignore" });
for (let round = 0; round < Number(roundsText); round++) {
  for (const variant of runs) {
    // A shell runs fastest so that its own rusage covers fastest's whole process tree.
    const args = ["--engine", "wasi", "-q", "-p", "no:cacheprovider", ...variant.split(" ").filter(Boolean)];
    const script = `start=$(date +%s.%N); node ${JSON.stringify(bin)} ${args.map((a) => JSON.stringify(a)).join(" ")} > /dev/null 2>&1; end=$(date +%s.%N); times; echo "$start $end"`;
    const result = spawnSync("bash", ["-c", script], { cwd: dir, env, encoding: "utf8" });
    const lines = result.stdout.trim().split("\n");
    const [start, end] = lines.at(-1).split(" ").map(Number);
    // `times` prints the shell's own user/system, then its children's: "0m1.234s 0m0.123s".
    const seconds = (text) => text.split(" ").map((t) => { const m = /(\d+)m([\d.]+)s/.exec(t); return Number(m[1]) * 60 + Number(m[2]); });
    const [user, system] = seconds(lines.at(-2));
    times.get(variant).wall.push(end - start);
    times.get(variant).cpu.push(user + system);
  }
}
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
console.log(`${folder}, ${roundsText} rounds, load ${os.loadavg()[0].toFixed(1)} at the end`);
for (const [variant, t] of times) {
  console.log(`${(variant || "(no --cov)").padEnd(28)} wall ${median(t.wall).toFixed(2)} s   CPU ${median(t.cpu).toFixed(2)} s (${Math.min(...t.cpu).toFixed(2)}-${Math.max(...t.cpu).toFixed(2)})`);
}
