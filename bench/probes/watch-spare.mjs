// Watch mode's clean workers: what it costs to get a fresh interpreter with
// the project written and its rewritten code loaded, three ways.
//   new thread:  spawn a worker thread and restore the snapshot in it (what
//                watch mode's spares do, in the background, after each run);
//   in place:    restore a new interpreter in a thread that already ran a
//                run (the old one dropped), the thread kept;
// both followed by writing the project and loading its cached code. The
// on-demand variant (no spares: restore when a save arrives) pays the "in
// place" figure before the first result.
//
//   npm run build:node && node bench/probes/watch-spare.mjs wasi|pyodide <suite folder> [rounds]
import { readdirSync } from "node:fs";
import path from "node:path";
import { load, prepareEngine } from "./engine-probe.mjs";

const [engineName, suite, roundsArg] = process.argv.slice(2);
const { boot } = await prepareEngine(engineName, "usage: watch-spare.mjs wasi|pyodide <suite folder> [rounds]");
const rounds = Number(roundsArg ?? 10);
const { readProjectFiles } = await load("node-host/project.js");
const { NodeWorkerHandle, spawnEngineWorker } = await load("node-host/pool.js");
const root = path.resolve(suite);
const files = readProjectFiles(root).files;
const tests = readdirSync(root).filter((name) => /^test_.*\.py$/.test(name)).map((name) => `${root}/${name}`);
const config = {
  rootdir: root, invocationDir: root, seed: 1, verbosity: 0, tbStyle: "auto", showLocals: false, capture: "fd",
  pythonFiles: ["test_*.py"], pythonClasses: ["Test"], pythonFunctions: ["test"], xfailStrict: false, markers: [], ini: {}, args: [],
};
const quiet = () => {};
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

// One run, to have rewritten code to load and a thread that ran tests.
async function runOne(handle, paths = [tests[0]]) {
  await handle.configure(config);
  const collected = await handle.collect(paths);
  await handle.run(collected.items.map((item) => item.nodeid), () => {});
  await handle.finish();
}

let codeCache = [];
const first = new NodeWorkerHandle("probe", spawnEngineWorker());
await first.boot(boot, quiet);
await first.writeFiles(files);
await runOne(first, tests);
codeCache = (await first.takeCodeCache()).map((entry) => entry.data);
await first.terminate();

const fresh = [];
const inPlace = [];
for (let round = 0; round < rounds; round++) {
  let started = performance.now();
  const handle = new NodeWorkerHandle(`spare${round}`, spawnEngineWorker());
  await handle.boot(boot, quiet);
  await handle.writeFiles(files);
  await handle.loadCodeCache(codeCache);
  fresh.push(performance.now() - started);
  await runOne(handle);
  started = performance.now();
  await handle.boot(boot, quiet);
  await handle.writeFiles(files);
  await handle.loadCodeCache(codeCache);
  inPlace.push(performance.now() - started);
  await runOne(handle);
  await handle.terminate();
}
const show = (values) => `median ${median(values).toFixed(0)} ms (${values.map((v) => v.toFixed(0)).join(", ")})`;
console.log(`${engineName}, ${files.length} files: new thread ${show(fresh)}`);
console.log(`${engineName}, ${files.length} files: in place   ${show(inPlace)}`);
