/**
 * Vite plugin (build only): the playground page preloads `pyodide.asm.wasm`
 * with a `<link rel="preload" as="fetch">` in its head, so the download
 * starts while the page is still parsing instead of when the runtime's boot
 * asks for it. The runtime's `fetch` of the same URL (same-origin, CORS mode)
 * then takes the preloaded response, and `WebAssembly.compileStreaming`
 * works on bytes that are already there.
 *
 * Only the pages listed get it: the docs widget boots lazily (when a widget
 * scrolls into view), so preloading there would spend 9 MB on readers who
 * never run an example. The dev server is left alone (it serves the wasm
 * under another URL).
 */
import path from "node:path";
import type { Plugin } from "vite";

/**
 * @param pages HTML pages to add the preload to, as paths from the site's root (`/index.html`).
 */
export function wasmPreload(pages: string[]): Plugin {
  return {
    name: "fastest-wasm-preload",
    apply: "build",
    transformIndexHtml: {
      order: "post",
      handler(_html, context) {
        if (!pages.includes(context.path) || !context.bundle) return undefined;
        const wasm = Object.values(context.bundle).find((output) => output.type === "asset" && /(^|\/)pyodide\.asm-[\w-]+\.wasm$/.test(output.fileName));
        if (!wasm) throw new Error("wasm-preload: the build holds no pyodide.asm.wasm (does web/runtime/assets.ts still import it with ?url?)");
        const href = `./${path.posix.relative(path.posix.dirname(context.path), `/${wasm.fileName}`)}`;
        return [{ tag: "link", attrs: { rel: "preload", href, as: "fetch", type: "application/wasm", crossorigin: true }, injectTo: "head" }];
      },
    },
  };
}
