/**
 * Probe behind docs/PERFORMANCE.md: boot N workers from the cached snapshot,
 * handing them the bytes either as one SharedArrayBuffer or as a copy each,
 * and print the process's RSS growth.
 *
 *   node dist/bench/probes/snapshot-memory.js copy|shared [workers]
 */
import { compiledPyodideModule, currentSnapshotMeta, loadHarnessFiles } from "../../node-host/assets.js";
import { NodeWorkerHandle, spawnEngineWorker } from "../../node-host/pool.js";
import { loadOrMakeSnapshot } from "../../node-host/snapshot-cache.js";

const mode = process.argv[2] === "copy" ? "copy" : "shared";
const workers = Number(process.argv[3] ?? 2);

const harnessFiles = loadHarnessFiles();
const meta = currentSnapshotMeta(harnessFiles);
const module = await compiledPyodideModule();
const cached = await loadOrMakeSnapshot({ module, harnessFiles, meta, notice: (line) => console.error(line) });
// loadOrMakeSnapshot reads into a SharedArrayBuffer; "copy" hands each worker a private clone.
const bytes = mode === "copy" ? new Uint8Array(cached.bytes) : cached.bytes;

const before = process.memoryUsage().rss;
const started = performance.now();
const handles = Array.from({ length: workers }, (_, i) => new NodeWorkerHandle(`gw${i}`, spawnEngineWorker()));
await Promise.all(handles.map((h) => h.boot({ module, snapshot: bytes, expected: meta, snapshotOrigin: cached.path }, () => {})));
const bootMs = performance.now() - started;
await new Promise((resolve) => setTimeout(resolve, 500));
const after = process.memoryUsage().rss;
console.log(
  JSON.stringify({
    mode,
    workers,
    bootMs: Math.round(bootMs),
    rssGrowthPerWorkerMiB: Math.round((after - before) / 2 ** 20 / workers),
  }),
);
await Promise.all(handles.map((h) => h.terminate()));
