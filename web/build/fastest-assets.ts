/**
 * Vite plugin giving the browser runtime what the Node host reads from disk:
 *
 * - `virtual:fastest/snapshot-meta`: the stamp a snapshot made by this build
 *   carries (Pyodide version, `pyodide.asm.wasm` size, harness hash),
 *   computed exactly as `node-host/assets.ts` computes it, so the page can
 *   find its cached snapshot in IndexedDB without loading the harness;
 * - `virtual:fastest/harness-files`: the Python harness
 *   (`wasm-python/python/**.py`) as text, loaded only on a first visit,
 *   when the snapshot is made;
 * - `virtual:fastest/engines`: what the page can tell about each engine
 *   before booting one (Python versions), and whether this build holds the
 *   CPython-WASI engine's files (`build/wasi/`, made by `npm run build:wasi`):
 *   when it does, their URLs and snapshot stamp (`node-host/engine-assets.ts`
 *   computes it for the Node host); when not, why, in words for the page.
 *
 * Pyodide's own files (`pyodide.asm.wasm`, `python_stdlib.zip`,
 * `pyodide-lock.json`) come in through `?url` imports in
 * `web/runtime/assets.ts`, and the WASI engine's (`python.wasm`,
 * `python311.zip`) through `?url` imports this plugin writes into
 * `virtual:fastest/engines` when they exist: Vite serves them in dev and
 * copies them into the build with content hashes, so they cache well and
 * nothing is fetched from a CDN.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { TextDecoder } from "node:util";
import type { Plugin } from "vite";
import { currentSnapshotMeta, harnessDir, loadHarnessFiles, pyodideDir } from "../../node-host/assets.js";
import { engineAssets, wasiBuildDir } from "../../node-host/engine-assets.js";

const metaId = "virtual:fastest/snapshot-meta";
const harnessId = "virtual:fastest/harness-files";
const enginesId = "virtual:fastest/engines";
const ids = [metaId, harnessId, enginesId];

/** The sentence a page shows where the WASI engine could be chosen but was not built. */
export const wasiMissingReason =
  "This site was built without the CPython-WASI engine. To add it, run `npm run build:wasi` in fastest's folder (once; it builds CPython from Debian packages), then build the site again (`npm run build:web`).";

export function fastestAssets(): Plugin {
  return {
    name: "fastest-assets",
    resolveId(id) {
      return ids.includes(id) ? `\0${id}` : undefined;
    },
    load(id) {
      if (!ids.some((known) => id === `\0${known}`)) return undefined;
      const files = loadHarnessFiles();
      // Rebuilt (and the snapshot key changed) when a harness file changes.
      for (const file of files) this.addWatchFile(`${harnessDir}/${file.path}`);
      if (id === `\0${metaId}`) return `export default ${JSON.stringify(currentSnapshotMeta(files))};`;
      if (id === `\0${enginesId}`) {
        // A later `npm run build:wasi` shows up in the dev server.
        this.addWatchFile(path.join(wasiBuildDir, "manifest.json"));
        return enginesModule(files);
      }
      const decoder = new TextDecoder("utf-8", { fatal: true });
      const texts = files.map((file) => ({ path: file.path, text: decoder.decode(file.data) }));
      return `export default ${JSON.stringify(texts)};`;
    },
  };
}

/** The source of `virtual:fastest/engines` (its shape is declared in web/runtime/virtual-modules.d.ts). */
function enginesModule(harnessFiles: ReturnType<typeof loadHarnessFiles>): string {
  const lock = JSON.parse(readFileSync(path.join(pyodideDir, "pyodide-lock.json"), "utf8")) as { info: { python: string } };
  const pyodide = { python: lock.info.python };
  let wasi;
  try {
    const assets = engineAssets("wasi");
    const manifest = JSON.parse(readFileSync(path.join(wasiBuildDir, "manifest.json"), "utf8")) as { python: string };
    wasi = { python: manifest.python, meta: assets.meta(harnessFiles), wasm: assets.wasmPath, stdlib: path.join(wasiBuildDir, "python311.zip") };
  } catch {
    return `export default ${JSON.stringify({ pyodide, wasi: { available: false, python: "3.11", reason: wasiMissingReason } })};`;
  }
  return [
    `import wasmUrl from ${JSON.stringify(`${wasi.wasm}?url`)};`,
    `import stdlibUrl from ${JSON.stringify(`${wasi.stdlib}?url`)};`,
    `export default { pyodide: ${JSON.stringify(pyodide)}, wasi: { available: true, python: ${JSON.stringify(wasi.python)}, meta: ${JSON.stringify(wasi.meta)}, wasmUrl, stdlibUrl } };`,
  ].join("\n");
}
