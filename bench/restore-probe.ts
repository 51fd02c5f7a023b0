/**
 * What `--isolate=file` pays per test file: an engine disposed and restored
 * from its snapshot in the same thread, timed `rounds` times per engine
 * (`node dist/bench/restore-probe.js [rounds]`, after a run of each engine
 * has made its snapshot in fastest's cache dir). The figures feed the
 * defaults of `BootCosts.restore` in core/cost-model.ts.
 */
import { readFileSync } from "node:fs";
import os from "node:os";
import { loadHarnessFiles } from "../node-host/assets.js";
import { engineAssets, type EngineName } from "../node-host/engine-assets.js";
import { snapshotPath } from "../node-host/snapshot-cache.js";
import type { Engine } from "../wasm-python/engine.js";
import { restoreEngine } from "../wasm-python/pyodide/boot.js";
import { restoreWasiEngine } from "../wasm-python/wasi/boot.js";

async function probe(name: EngineName, rounds: number): Promise<string> {
  const assets = engineAssets(name);
  const meta = assets.meta(loadHarnessFiles());
  const file = snapshotPath(meta);
  let data: Buffer;
  try {
    data = readFileSync(file);
  } catch {
    return `${name}: no snapshot at ${file} (run fastest once with --engine ${name})`;
  }
  // As the workers get it: shared memory, read in place.
  const snapshot = new Uint8Array(new SharedArrayBuffer(data.byteLength));
  snapshot.set(data);
  const module = await assets.module();
  const options = { module, snapshot, expected: meta, snapshotOrigin: file, onOutput: () => {} };
  const restore = (): Promise<Engine> => (name === "wasi" ? restoreWasiEngine(options) : restoreEngine(options));
  let engine = await restore();
  const times: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const started = performance.now();
    engine.dispose();
    engine = await restore();
    times.push(performance.now() - started);
  }
  engine.dispose();
  const sorted = [...times].sort((a, b) => a - b);
  const rss = process.memoryUsage().rss / 2 ** 20;
  return `${name}: restore in the same thread, ms: min ${sorted[0]!.toFixed(1)}, median ${sorted[Math.floor(sorted.length / 2)]!.toFixed(1)} of ${rounds}; rss after ${rss.toFixed(0)} MiB; load ${os.loadavg()[0]!.toFixed(1)}`;
}

const rounds = Number(process.argv[2] ?? 20);
for (const name of ["wasi", "pyodide"] as const) console.log(await probe(name, rounds));
