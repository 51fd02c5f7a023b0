// Does restoring an interpreter over and over in one worker thread (what
// watch mode does on the WASI engine, node-host/watch-pool.ts) let memory
// creep? Restores N times in one thread, the project written, and prints
// the process's RSS (the worker's heap included) along the way.
//
//   npm run build:node && node --expose-gc bench/probes/restore-memory.mjs wasi|pyodide <suite folder> [restores]
import path from "node:path";
import { fileURLToPath } from "node:url";

const dist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "dist");
const [engineName, suite, countArg] = process.argv.slice(2);
if (engineName !== "wasi" && engineName !== "pyodide") throw new Error("usage: restore-memory.mjs wasi|pyodide <suite folder> [restores]");
const count = Number(countArg ?? 200);
const load = (file) => import(path.join(dist, file));
const { loadHarnessFiles } = await load("node-host/assets.js");
const { engineAssets } = await load("node-host/engine-assets.js");
const { loadOrMakeSnapshot } = await load("node-host/snapshot-cache.js");
const { readProjectFiles } = await load("node-host/project.js");
const { NodeWorkerHandle, spawnEngineWorker } = await load("node-host/pool.js");
const assets = engineAssets(engineName);
const harnessFiles = loadHarnessFiles();
const meta = assets.meta(harnessFiles);
const module = await assets.module();
const snapshot = await loadOrMakeSnapshot({ module, harnessFiles, meta, rebuild: false, notice: () => {}, stdlib: assets.stdlib });
const handle = new NodeWorkerHandle("probe", spawnEngineWorker());
await handle.boot({ module, snapshot: snapshot.bytes, expected: meta, snapshotOrigin: snapshot.path }, () => {});
await handle.writeFiles(readProjectFiles(path.resolve(suite)).files);
const every = Math.max(1, Math.round(count / 5));
for (let i = 0; i <= count; i++) {
  if (i > 0) await handle.restore();
  if (i % every === 0) {
    globalThis.gc?.();
    console.log(`${engineName}: after ${i} restores, rss ${(process.memoryUsage().rss / 1048576).toFixed(0)} MiB`);
  }
}
await handle.terminate();
