/**
 * The files the engine boots from, located and loaded once per page:
 * Pyodide's `pyodide.asm.wasm` (compiled here, once, and handed to every
 * worker), its standard library and lock file (fetched once, passed to the
 * workers as blob: URLs), and the stamp a snapshot of this build carries.
 */
import wasmUrl from "pyodide/pyodide.asm.wasm?url";
import stdlibUrl from "pyodide/python_stdlib.zip?url";
import lockUrl from "pyodide/pyodide-lock.json?url";
import meta from "virtual:fastest/snapshot-meta";
import type { SnapshotMeta } from "../../wasm-python/pyodide/snapshot-format.js";

/** The stamp a snapshot made by this build carries (and the key it is stored under). */
export const snapshotMeta: SnapshotMeta = meta;

/** Everything a worker needs, besides a snapshot, to boot an engine. */
export interface EngineAssets {
  module: WebAssembly.Module;
  /** Folder Pyodide treats as its home (`indexURL`); nothing is loaded from it directly. */
  indexURL: string;
  stdLibURL: string;
  lockFileURL: string;
  meta: SnapshotMeta;
}

/** Where an asset bundled by Vite is served: next to the page's scripts, or under `assetsBase` when given. */
function assetUrl(bundled: string, assetsBase: string | undefined): URL {
  const resolved = new URL(bundled, import.meta.url);
  if (!assetsBase) return resolved;
  const name = resolved.pathname.slice(resolved.pathname.lastIndexOf("/") + 1);
  return new URL(name, new URL(assetsBase, document.baseURI));
}

async function fetchOk(url: URL): Promise<Response> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`could not load ${url.href}: HTTP ${response.status} (is the site's assets/ folder served next to the page?)`);
  return response;
}

/** As a blob: URL, so each worker's boot reads it from memory instead of asking the server again. */
async function blobUrl(url: URL): Promise<string> {
  return URL.createObjectURL(await (await fetchOk(url)).blob());
}

/** Fetch and compile what every boot needs; the three downloads run in parallel. */
export async function loadEngineAssets(assetsBase?: string): Promise<EngineAssets> {
  const wasm = assetUrl(wasmUrl, assetsBase);
  const [module, stdLibURL, lockFileURL] = await Promise.all([
    // Compiled while it downloads; the browser caches the compiled code for the next visit.
    WebAssembly.compileStreaming(fetchOk(wasm)),
    blobUrl(assetUrl(stdlibUrl, assetsBase)),
    blobUrl(assetUrl(lockUrl, assetsBase)),
  ]);
  return { module, indexURL: new URL(".", wasm).href, stdLibURL, lockFileURL, meta: snapshotMeta };
}
