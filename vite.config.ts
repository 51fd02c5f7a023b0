import { resolve } from "node:path";
import { defineConfig, searchForWorkspaceRoot } from "vite";
import { wasiBuildDir } from "./node-host/engine-assets.js";
import { fastestAssets } from "./web/build/fastest-assets.js";
import { wasmPreload } from "./web/build/wasm-preload.js";

/**
 * Cross-origin isolation (COOP/COEP) makes SharedArrayBuffer available, so a
 * runaway test can be interrupted in place instead of its worker being
 * terminated. The dev server and `vite preview` send these headers; the built
 * site also works on a static host that does not.
 */
export const isolationHeaders = {
  "Cross-Origin-Opener-Policy": "same-origin",
  "Cross-Origin-Embedder-Policy": "require-corp",
  "Cross-Origin-Resource-Policy": "same-origin",
};

// The browser playground (web/index.html), the docs demo page
// (web/docs/index.html), the embeddable docs widget and the runtime's
// self-check page (web/runtime/check.html, driven by
// test/browser/runtime.test.ts). Relative base: the static output runs from
// any folder of any host. Pyodide's files, and the CPython-WASI engine's when
// `npm run build:wasi` has built them, are bundled as assets, and
// `fastestAssets` gives the runtime (and its Web Worker) the Python harness
// and the snapshot stamps: nothing is fetched from a CDN.
export default defineConfig({
  root: "web",
  base: "./",
  // The dev server may serve the WASI engine's files from FASTEST_WASI_DIR, wherever it points.
  server: { headers: isolationHeaders, fs: { allow: [searchForWorkspaceRoot(import.meta.dirname), wasiBuildDir] } },
  preview: { headers: isolationHeaders },
  // The playground boots Python at once: its wasm download starts while the page parses.
  plugins: [fastestAssets(), wasmPreload(["/index.html"])],
  worker: { format: "es", plugins: () => [fastestAssets()] },
  build: {
    outDir: "../dist/web",
    emptyOutDir: true,
    target: "es2022",
    rollupOptions: {
      input: {
        playground: resolve(import.meta.dirname, "web/index.html"),
        runtimeCheck: resolve(import.meta.dirname, "web/runtime/check.html"),
        docs: resolve(import.meta.dirname, "web/docs/index.html"),
        widget: resolve(import.meta.dirname, "web/widget.js"),
      },
      // The docs widget keeps a fixed name (pages embed `widget.js`) and its exports (`mountWidgets`).
      preserveEntrySignatures: "exports-only",
      output: { entryFileNames: (chunk) => (chunk.name === "widget" ? "widget.js" : "assets/[name]-[hash].js") },
    },
  },
});
