/**
 * Vite plugin (build only): the playground page preloads its engine's wasm
 * with a `<link rel="preload" as="fetch">` in its head, so the download
 * starts while the page is still parsing instead of when the runtime's boot
 * asks for it. The runtime's `fetch` of the same URL (same-origin, CORS mode)
 * then takes the preloaded response, and `WebAssembly.compileStreaming`
 * works on bytes that are already there.
 *
 * Which wasm: Pyodide's `pyodide.asm.wasm`, or, when the site holds the
 * CPython-WASI engine and the visitor chose it in the playground (the
 * choice web/playground/engine-ui.ts keeps in localStorage), its
 * `python.wasm`: a few lines of script in the head pick the link then.
 *
 * Only the pages listed get it: the docs widget boots lazily (when a widget
 * scrolls into view), so preloading there would spend megabytes on readers
 * who never run an example. The dev server is left alone (it serves the
 * wasm under another URL).
 */
import path from "node:path";
import type { HtmlTagDescriptor, Plugin } from "vite";

/** The localStorage key of the playground's engine choice (web/playground/engine-ui.ts). */
const engineKey = "fastest-playground:engine";

/**
 * @param pages HTML pages to add the preload to, as paths from the site's root (`/index.html`).
 */
export function wasmPreload(pages: string[]): Plugin {
  return {
    name: "fastest-wasm-preload",
    apply: "build",
    transformIndexHtml: {
      order: "post",
      handler(_html, context): HtmlTagDescriptor[] | undefined {
        if (!pages.includes(context.path) || !context.bundle) return undefined;
        const assets = Object.values(context.bundle).filter((output) => output.type === "asset");
        const pyodide = assets.find((output) => /(^|\/)pyodide\.asm-[\w-]+\.wasm$/.test(output.fileName));
        if (!pyodide) throw new Error("wasm-preload: the build holds no pyodide.asm.wasm (does web/runtime/assets.ts still import it with ?url?)");
        const wasi = assets.find((output) => /(^|\/)python-[\w-]+\.wasm$/.test(output.fileName));
        const href = (fileName: string) => `./${path.posix.relative(path.posix.dirname(context.path), `/${fileName}`)}`;
        const attrs = { rel: "preload", as: "fetch", type: "application/wasm", crossorigin: true };
        if (!wasi) return [{ tag: "link", attrs: { ...attrs, href: href(pyodide.fileName) }, injectTo: "head" }];
        const choose = [
          "(() => {",
          "  let wasi = false;",
          `  try { wasi = localStorage.getItem(${JSON.stringify(engineKey)}) === "wasi"; } catch {}`,
          '  const link = document.createElement("link");',
          '  link.rel = "preload"; link.as = "fetch"; link.type = "application/wasm"; link.crossOrigin = "";',
          `  link.setAttribute("href", wasi ? ${JSON.stringify(href(wasi.fileName))} : ${JSON.stringify(href(pyodide.fileName))});`,
          "  document.head.append(link);",
          "})();",
        ].join("\n");
        return [{ tag: "script", children: choose, injectTo: "head" }];
      },
    },
  };
}
