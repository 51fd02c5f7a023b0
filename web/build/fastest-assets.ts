/**
 * Vite plugin giving the browser runtime what the Node host reads from disk:
 *
 * - `virtual:fastest/snapshot-meta`: the stamp a snapshot made by this build
 *   carries (Pyodide version, `pyodide.asm.wasm` size, harness hash),
 *   computed exactly as `node-host/assets.ts` computes it, so the page can
 *   find its cached snapshot in IndexedDB without loading the harness;
 * - `virtual:fastest/harness-files`: the Python harness
 *   (`wasm-python/python/**.py`) as text, loaded only on a first visit,
 *   when the snapshot is made.
 *
 * Pyodide's own files (`pyodide.asm.wasm`, `python_stdlib.zip`,
 * `pyodide-lock.json`) come in through `?url` imports in
 * `web/runtime/assets.ts`: Vite serves them in dev and copies them into the
 * build with content hashes, so they cache well and nothing is fetched from a
 * CDN.
 */
import { TextDecoder } from "node:util";
import type { Plugin } from "vite";
import { currentSnapshotMeta, harnessDir, loadHarnessFiles } from "../../node-host/assets.js";

const metaId = "virtual:fastest/snapshot-meta";
const harnessId = "virtual:fastest/harness-files";

export function fastestAssets(): Plugin {
  return {
    name: "fastest-assets",
    resolveId(id) {
      return id === metaId || id === harnessId ? `\0${id}` : undefined;
    },
    load(id) {
      if (id !== `\0${metaId}` && id !== `\0${harnessId}`) return undefined;
      const files = loadHarnessFiles();
      // Rebuilt (and the snapshot key changed) when a harness file changes.
      for (const file of files) this.addWatchFile(`${harnessDir}/${file.path}`);
      if (id === `\0${metaId}`) return `export default ${JSON.stringify(currentSnapshotMeta(files))};`;
      const decoder = new TextDecoder("utf-8", { fatal: true });
      const texts = files.map((file) => ({ path: file.path, text: decoder.decode(file.data) }));
      return `export default ${JSON.stringify(texts)};`;
    },
  };
}
