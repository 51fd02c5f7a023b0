/**
 * Probe behind docs/PERFORMANCE.md ("The harness per test item"): restore an
 * engine on the main thread, load the project and its code cache, then time
 * the harness's configure, collect and run phases, optionally with a cProfile
 * table of one phase.
 *
 *   node dist/bench/probes/harness-phases.js SUITE_DIR [collect|run] [reps]
 *
 * With reps > 1 the three phases repeat in the same engine and the minimum is
 * printed too (the first pass is the one a real run sees). The first call
 * after a harness edit rebuilds the snapshot and fills the code cache: run it
 * twice. FASTEST_PROFILE_SORT (default tottime) and FASTEST_PROFILE_LINES
 * (default 35) shape the profile table.
 */
import type { PyodideAPI } from "pyodide";
import { compiledPyodideModule, currentSnapshotMeta, loadHarnessFiles } from "../../node-host/assets.js";
import { CodeCacheStore } from "../../node-host/code-cache.js";
import { findTestFiles, readProjectFiles } from "../../node-host/project.js";
import { resolveRunConfig } from "../../node-host/run-config.js";
import { codeCacheDir, loadOrMakeSnapshot } from "../../node-host/snapshot-cache.js";
import { restoreEngine } from "../../wasm-python/pyodide/boot.js";

const dir = process.argv[2];
if (!dir) throw new Error("usage: node dist/bench/probes/harness-phases.js SUITE_DIR [collect|run] [reps]");
const profile = process.argv[3] === "collect" || process.argv[3] === "run" ? process.argv[3] : null;
const reps = Number(process.argv[4] ?? 1);
const sort = process.env["FASTEST_PROFILE_SORT"] ?? "tottime";
const lines = Number(process.env["FASTEST_PROFILE_LINES"] ?? 35);

const config = resolveRunConfig(["-q", dir], dir, {}, false);
const harnessFiles = loadHarnessFiles();
const meta = currentSnapshotMeta(harnessFiles);
const module = await compiledPyodideModule();
const snapshot = await loadOrMakeSnapshot({ module, harnessFiles, meta, notice: (line) => console.error(line) });
const engine = await restoreEngine({
  module,
  snapshot: snapshot.bytes,
  expected: meta,
  snapshotOrigin: snapshot.path,
  onOutput: (_stream, text) => process.stderr.write(text),
});
const pyodide = (engine as unknown as { pyodide: PyodideAPI }).pyodide;
const files = findTestFiles(config.paths, config.harness.pythonFiles);
const project = readProjectFiles(config.rootdir);
engine.writeFiles(project.files);
const codeCache = new CodeCacheStore(codeCacheDir(meta));
const cached = codeCache.lookup(project.files, (file) => file.path.endsWith(".py"));
engine.loadCodeCache(cached);
console.log(`code cache entries: ${cached.length}`);

const times: Record<"collect" | "run", number[]> = { collect: [], run: [] };
const startProfile = () => pyodide.runPython("import cProfile, builtins; builtins._probe = cProfile.Profile(); builtins._probe.enable()");
const stopProfile = () => pyodide.runPython("import builtins; builtins._probe.disable()");
for (let rep = 0; rep < reps; rep++) {
  engine.configure(config.harness);
  const profiled = rep === reps - 1 ? profile : null;
  if (profiled === "collect") startProfile();
  let started = performance.now();
  const collected = engine.collect(files);
  times.collect.push(performance.now() - started);
  if (profiled === "collect") stopProfile();
  if (rep === 0 && cached.length === 0) codeCache.save(engine.takeCodeCache());
  let events = 0;
  if (profiled === "run") startProfile();
  started = performance.now();
  engine.run(collected.items.map((item) => item.nodeid), () => void events++);
  times.run.push(performance.now() - started);
  if (profiled === "run") stopProfile();
  engine.finish();
  console.log(`pass ${rep + 1}: ${collected.items.length} items, ${events} events`);
}
for (const [phase, values] of Object.entries(times)) {
  const shown = values.map((ms) => ms.toFixed(0)).join(" ");
  console.log(`${phase} ms: ${shown}${values.length > 1 ? ` (min ${Math.min(...values).toFixed(0)})` : ""}`);
}
if (profile) {
  console.log(
    pyodide.runPython(
      `import builtins, io, pstats\nout = io.StringIO()\npstats.Stats(builtins._probe, stream=out).sort_stats(${JSON.stringify(sort)}).print_stats(${lines})\nout.getvalue()`,
    ) as string,
  );
}
engine.dispose();
