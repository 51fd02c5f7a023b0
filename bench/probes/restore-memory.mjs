// Does restoring an interpreter over and over in one worker thread (what
// watch mode does on the WASI engine, node-host/watch-pool.ts) let memory
// creep? Restores N times in one thread, the project written, and prints
// the process's RSS (the worker's heap included) along the way.
//
//   npm run build:node && node --expose-gc bench/probes/restore-memory.mjs wasi|pyodide <suite folder> [restores]
import path from "node:path";
import { load, prepareEngine } from "./engine-probe.mjs";

const [engineName, suite, countArg] = process.argv.slice(2);
const { boot } = await prepareEngine(engineName, "usage: restore-memory.mjs wasi|pyodide <suite folder> [restores]");
const count = Number(countArg ?? 200);
const { readProjectFiles } = await load("node-host/project.js");
const { NodeWorkerHandle, spawnEngineWorker } = await load("node-host/pool.js");
const handle = new NodeWorkerHandle("probe", spawnEngineWorker());
await handle.boot(boot, () => {});
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
