// Modules made by web/build/fastest-assets.ts.
declare module "virtual:fastest/snapshot-meta" {
  import type { SnapshotMeta } from "../../wasm-python/pyodide/snapshot-format.js";
  const meta: SnapshotMeta;
  export default meta;
}
declare module "virtual:fastest/harness-files" {
  /** The Python harness, paths relative to `wasm-python/python/`. */
  const files: Array<{ path: string; text: string }>;
  export default files;
}
declare module "virtual:fastest/engines" {
  import type { SnapshotMeta } from "../../wasm-python/pyodide/snapshot-format.js";
  /** The CPython-WASI engine's files in this build, or why there are none. */
  type WasiBuild =
    | { available: true; python: string; meta: SnapshotMeta; wasmUrl: string; stdlibUrl: string }
    | { available: false; python: string; reason: string };
  const engines: { pyodide: { python: string }; wasi: WasiBuild };
  export default engines;
}
