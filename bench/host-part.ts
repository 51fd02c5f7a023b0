/**
 * Peer "fastest host part": what the fastest CLI process holds besides its
 * workers, the baseline of the bench's per-worker memory figure.
 *
 * Usage: `node dist/bench/host-part.js [--engine wasi] <suite-dir>`
 *
 * Loads the CLI's whole module graph, resolves the run's config, and does the
 * host's share of a run (find the test files, compile the engine's wasm
 * module (`pyodide.asm.wasm`, or `python.wasm` with `--engine wasi`), read
 * the cached snapshot into its SharedArrayBuffer, read the project's files),
 * then exits without starting a worker. Exits 1 if the snapshot was not
 * cached (building it would start a worker).
 */
// The modules a run loads (cli.js loads run.js lazily, so both are named).
import "../node-host/cli.js";
import "../node-host/run.js";
import { loadHarnessFiles } from "../node-host/assets.js";
import { engineAssets } from "../node-host/engine-assets.js";
import { findTestFiles, readProjectFiles } from "../node-host/project.js";
import { resolveRunConfig } from "../node-host/run-config.js";
import { loadOrMakeSnapshot } from "../node-host/snapshot-cache.js";

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const suite = args.at(-1);
  const engineArgs = args.slice(0, -1);
  if (!suite || !(engineArgs.length === 0 || (engineArgs.length === 2 && engineArgs[0] === "--engine"))) {
    console.error("usage: node dist/bench/host-part.js [--engine wasi] <suite-dir>");
    return 4;
  }
  // As the bench's fastest peers run (a bare --sandbox names Pyodide: --sandbox=ENGINE picks another).
  const sandbox = engineArgs.length === 2 ? `--sandbox=${engineArgs[1]}` : "--sandbox";
  const config = resolveRunConfig([sandbox, "-q", suite], process.cwd(), process.env, false);
  const testFiles = findTestFiles(config.paths, config.harness.pythonFiles, config.harness.doctest, config.control.ignore);
  const harnessFiles = loadHarnessFiles();
  const assets = engineAssets(config.engine);
  const module = await assets.module();
  const snapshot = await loadOrMakeSnapshot({
    module,
    harnessFiles,
    meta: assets.meta(harnessFiles),
    stdlib: assets.stdlib,
    notice: () => {
      throw new Error("the snapshot is not cached: run fastest once first");
    },
  });
  const project = readProjectFiles(config.rootdir);
  const bytes = project.files.reduce((sum, file) => sum + file.data.byteLength, 0);
  console.log(`host part (${config.engine}): ${testFiles.length} test files, ${project.files.length} project files (${bytes} bytes), snapshot ${snapshot.bytes.byteLength} bytes, module ${WebAssembly.Module.exports(module).length} exports`);
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(`host-part: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  },
);
