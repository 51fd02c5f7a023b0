/**
 * The files an engine boots from, located and loaded once per page and
 * engine. Pyodide: `pyodide.asm.wasm` (compiled here, once, and handed to
 * every worker), its standard library and lock file (fetched once, passed to
 * the workers as blob: URLs). The CPython-WASI engine: `python.wasm`
 * (compiled here), and its standard library archive, fetched only when a
 * snapshot is made (the snapshot carries it afterwards). Also the stamp a
 * snapshot of this build carries, per engine.
 */
import wasmUrl from "pyodide/pyodide.asm.wasm?url";
import stdlibUrl from "pyodide/python_stdlib.zip?url";
import lockUrl from "pyodide/pyodide-lock.json?url";
import meta from "virtual:fastest/snapshot-meta";
import engines from "virtual:fastest/engines";
import type { SnapshotMeta } from "../../wasm-python/pyodide/snapshot-format.js";
import type { EngineName } from "./api.js";

/** The stamp a Pyodide snapshot made by this build carries (and the key it is stored under). */
export const snapshotMeta: SnapshotMeta = meta;

/** Everything a worker needs, besides a snapshot, to boot an engine. */
export interface EngineAssets {
  engine: EngineName;
  module: WebAssembly.Module;
  meta: SnapshotMeta;
  /** Pyodide: the folder it treats as its home (`indexURL`); nothing is loaded from it directly. */
  indexURL?: string;
  stdLibURL?: string;
  lockFileURL?: string;
  /** WASI: its standard library archive, which making a snapshot needs (downloaded on the first call). */
  wasiStdlib?: () => Promise<Uint8Array>;
}

/** The stamp a snapshot of `engine` made by this build carries; throws when the build lacks the engine. */
export function engineSnapshotMeta(engine: EngineName): SnapshotMeta {
  if (engine === "pyodide") return snapshotMeta;
  if (!engines.wasi.available) throw new Error(engines.wasi.reason);
  return engines.wasi.meta;
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

/** Fetch and compile what every boot of `engine` needs; downloads run in parallel. */
export async function loadEngineAssets(assetsBase?: string, engine: EngineName = "pyodide"): Promise<EngineAssets> {
  if (engine === "wasi") return loadWasiAssets(assetsBase);
  const wasm = assetUrl(wasmUrl, assetsBase);
  const [module, stdLibURL, lockFileURL] = await Promise.all([
    // Compiled while it downloads; the browser caches the compiled code for the next visit.
    WebAssembly.compileStreaming(fetchOk(wasm)),
    blobUrl(assetUrl(stdlibUrl, assetsBase)),
    blobUrl(assetUrl(lockUrl, assetsBase)),
  ]);
  return { engine, module, indexURL: new URL(".", wasm).href, stdLibURL, lockFileURL, meta: snapshotMeta };
}

async function loadWasiAssets(assetsBase: string | undefined): Promise<EngineAssets> {
  const wasi = engines.wasi;
  if (!wasi.available) throw new Error(wasi.reason);
  const module = await WebAssembly.compileStreaming(fetchOk(assetUrl(wasi.wasmUrl, assetsBase)));
  let stdlib: Promise<Uint8Array> | undefined;
  const wasiStdlib = () => (stdlib ??= fetchOk(assetUrl(wasi.stdlibUrl, assetsBase)).then(async (response) => new Uint8Array(await response.arrayBuffer())));
  return { engine: "wasi", module, meta: wasi.meta, wasiStdlib };
}
