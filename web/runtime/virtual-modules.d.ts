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
