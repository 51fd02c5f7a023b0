// Where should a small run's engine live: in the CLI's own thread, or in one
// worker thread (what fastest does)? One complete run either way: assets,
// snapshot, boot, write the project, configure, collect, run, finish.
// Prints the wall ms from process start to the end, and the CPU ms used.
//
//   npm run build && node bench/probes/engine-placement.mjs thread|worker <suite folder>
//
// Measurement only: the in-thread engine here runs without the sandbox's
// code-generation flag (the main context exists before it could be set).
import { readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const dist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "dist");
const [mode, suite] = process.argv.slice(2);
if (mode !== "thread" && mode !== "worker") throw new Error("usage: engine-placement.mjs thread|worker <suite folder>");
const load = (file) => import(path.join(dist, file));
const { loadHarnessFiles, currentSnapshotMeta, compiledPyodideModule } = await load("node-host/assets.js");
const { loadOrMakeSnapshot } = await load("node-host/snapshot-cache.js");
const { readProjectFiles } = await load("node-host/project.js");
let pool;
if (mode === "worker") {
  // As the CLI does: the thread starts before the host reads the assets.
  pool = new (await load("node-host/pool.js")).WorkerPool();
  pool.spawn(1);
}
const harnessFiles = loadHarnessFiles();
const meta = currentSnapshotMeta(harnessFiles);
const module = await compiledPyodideModule();
const snapshot = await loadOrMakeSnapshot({ module, harnessFiles, meta, rebuild: false, notice: () => {} });
const root = path.resolve(suite);
const project = readProjectFiles(root);
const tests = readdirSync(root).filter((name) => /^test_.*\.py$/.test(name)).map((name) => `${root}/${name}`);
const config = {
  rootdir: root, invocationDir: root, seed: 1, verbosity: 0, tbStyle: "auto", showLocals: false, capture: "fd",
  pythonFiles: ["test_*.py"], pythonClasses: ["Test"], pythonFunctions: ["test"], xfailStrict: false, markers: [], ini: {}, args: [],
};
const boot = { module, snapshot: snapshot.bytes, expected: meta, snapshotOrigin: snapshot.path };
let results = 0;
if (mode === "worker") {
  await pool.boot(boot, () => {});
  const worker = pool.handles[0];
  await worker.writeFiles(project.files);
  await worker.configure(config);
  const collected = await worker.collect(tests);
  await worker.run(collected.items.map((item) => item.nodeid), (events) => (results += events.filter((e) => e.type === "itemEnd").length));
  await worker.finish();
} else {
  const { restoreEngine } = await load("wasm-python/pyodide/boot.js");
  const engine = await restoreEngine({ ...boot, onOutput: () => {} });
  engine.writeFiles(project.files);
  engine.configure(config);
  const collected = engine.collect(tests);
  engine.run(collected.items.map((item) => item.nodeid), (event) => (results += JSON.parse(event).type === "itemEnd" ? 1 : 0));
  engine.finish();
}
const cpu = process.cpuUsage();
console.log(JSON.stringify({ mode, wallMs: Math.round(performance.now()), cpuMs: Math.round((cpu.user + cpu.system) / 1000), results }));
await pool?.stop();
