// What the engine probes share: the built modules (dist/), the engine named
// on the command line, its compiled module and snapshot, and the boot
// request a worker thread takes.
import path from "node:path";
import { fileURLToPath } from "node:url";

const dist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "dist");

/** Import a built module by its path under dist/. */
export const load = (file) => import(path.join(dist, file));

/** The engine `engineName` ("wasi" or "pyodide") ready to boot: `usage` is thrown for another name. */
export async function prepareEngine(engineName, usage) {
  if (engineName !== "wasi" && engineName !== "pyodide") throw new Error(usage);
  const { loadHarnessFiles } = await load("node-host/assets.js");
  const { engineAssets } = await load("node-host/engine-assets.js");
  const { loadOrMakeSnapshot } = await load("node-host/snapshot-cache.js");
  const assets = engineAssets(engineName);
  const harnessFiles = loadHarnessFiles();
  const meta = assets.meta(harnessFiles);
  const module = await assets.module();
  const snapshot = await loadOrMakeSnapshot({ module, harnessFiles, meta, rebuild: false, notice: () => {}, stdlib: assets.stdlib });
  return { boot: { module, snapshot: snapshot.bytes, expected: meta, snapshotOrigin: snapshot.path } };
}
