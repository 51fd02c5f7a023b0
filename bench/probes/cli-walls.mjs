// Wall seconds of whole `fastest -q` runs, configurations interleaved round
// by round so that a change in the machine's load spreads over all of them
// (docs/PERFORMANCE.md, "Isolating test files"):
//
//   node bench/probes/cli-walls.mjs <suite folder> <rounds> "<args>" "<args>" ...
//   e.g. node bench/probes/cli-walls.mjs /tmp/large 5 "--engine wasi" "--engine wasi --isolate=file"
//
// FASTEST_BIN picks the fastest to run (default: this checkout's), e.g. a
// copy of the built package that other work in the tree cannot change
// mid-measurement; FASTEST_CACHE_DIR its cache, as for fastest itself.
import { spawnSync } from "node:child_process";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const [dir, rounds, ...configs] = process.argv.slice(2);
if (!dir || !rounds || configs.length === 0) {
  console.error('usage: node bench/probes/cli-walls.mjs <suite folder> <rounds> "<args>" ...');
  process.exit(2);
}
const bin = process.env.FASTEST_BIN ?? path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../node-host/bin/fastest.js");
const walls = new Map(configs.map((config) => [config, []]));
const loads = [];
for (let round = 0; round < Number(rounds); round++) {
  for (const config of configs) {
    loads.push(os.loadavg()[0]);
    const started = performance.now();
    const result = spawnSync(process.execPath, [bin, "-q", ...config.split(" ").filter(Boolean)], { cwd: dir, encoding: "utf8" });
    walls.get(config).push((performance.now() - started) / 1000);
    if (result.status !== 0 && result.status !== 1) console.error(`${config}: exit ${result.status}\n${result.stderr.slice(-800)}`);
    // A run that built the snapshot measures that, not the run.
    if (/preparing the Python interpreter snapshot/.test(result.stderr)) console.error(`${config}: round ${round + 1} built the snapshot`);
  }
}
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
for (const [config, values] of walls) {
  console.log(`${config.padEnd(40)} median ${median(values).toFixed(3)} s, min ${Math.min(...values).toFixed(3)} s  [${values.map((v) => v.toFixed(2)).join(" ")}]`);
}
console.log(`load average ${Math.min(...loads).toFixed(1)}-${Math.max(...loads).toFixed(1)}`);
