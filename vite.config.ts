import { resolve } from "node:path";
import { defineConfig } from "vite";

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
// (web/docs/index.html) and the embeddable docs widget. Relative base: the
// static output runs from any folder of any host.
export default defineConfig({
  root: "web",
  base: "./",
  server: { headers: isolationHeaders },
  preview: { headers: isolationHeaders },
  worker: { format: "es" },
  build: {
    outDir: "../dist/web",
    emptyOutDir: true,
    target: "es2022",
    rollupOptions: {
      input: {
        playground: resolve(import.meta.dirname, "web/index.html"),
      },
    },
  },
});
