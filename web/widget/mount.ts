/**
 * Finds the marked code blocks of a page and turns them into widgets.
 *
 * Markup: a `<pre>` (or a `<code>` inside one) with a `data-fastest`
 * attribute. Its value says what the block is: `doctest` (interactive `>>>`
 * examples checked with doctest), `test` (pytest test functions), `setup`
 * (code whose public names every example on the page sees), or nothing to
 * let the widget decide (`>>>` at the start of a line: doctest, else test).
 *
 * Engine: `data-engine` on the block, or on any element around it (`<body
 * data-engine="pyodide">` pins a whole page): `pyodide`, `wasi`, or `auto`
 * (the default: the engine that boots faster, CPython WASI when the site
 * was built with it, else Pyodide). Each widget's root carries the engine it
 * runs on as `data-engine`.
 */
import type { EngineName } from "../runtime/api.js";
import { fastestBootingEngine, isEngineName } from "../runtime/engines.js";
import type { ExampleEngine, ExampleSettings } from "./example-widget.js";
import { ExampleWidget } from "./example-widget.js";
import { detectKind, normalizeCode, type BlockKind } from "./example-files.js";
import { bootWhenVisible, configureSharedRunner } from "./shared-runner.js";
import { installStyles } from "./styles.js";
import { WidgetView } from "./widget-view.js";

/** Options of `mountWidgets`. */
export interface MountOptions {
  /** Which elements are blocks to turn into widgets (default `[data-fastest]`). */
  selector?: string;
  /**
   * The playground page "Open in playground" links to; null: no such link.
   * Default: the `index.html` next to the widget script.
   */
  playgroundUrl?: string | null;
  /** Where the engine's files (Pyodide, worker) are served from; default: next to the widget script. Only the first mount's value counts. */
  assetsBase?: string;
  /** Seconds one test may run before it is stopped (default 10). */
  timeout?: number;
  /**
   * The engine of blocks that name none with `data-engine`: `pyodide`,
   * `wasi`, or `auto` (the default: CPython WASI when the site has it, for
   * its faster start, else Pyodide).
   */
  engine?: EngineName | "auto";
}

/** The playground of the site the widget script belongs to. */
function defaultPlaygroundUrl(): string {
  // In development the widget's source sits one folder below the site's root.
  return new URL(import.meta.env.DEV ? "../index.html" : "./index.html", import.meta.url).href;
}

const setupBlocks: HTMLElement[] = [];
const widgets: ExampleWidget[] = [];

/** The code of the page's setup blocks, in page order (blocks removed from the page no longer count). */
function pageSetup(): string {
  const live = setupBlocks.filter((block) => block.isConnected);
  live.sort((a, b) => (a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1));
  return live.map((block) => normalizeCode(block.textContent ?? "")).join("\n");
}

function blockKind(element: Element, code: string): BlockKind {
  const value = (element.getAttribute("data-fastest") ?? "").trim().toLowerCase();
  if (value === "doctest" || value === "test" || value === "setup") return value;
  return detectKind(code);
}

/** The `<pre>` that holds a marked element (the element itself, or its `<pre>` parent for a marked `<code>`). */
function preOf(element: Element): HTMLElement {
  const parent = element.parentElement;
  if (element.tagName !== "PRE" && parent?.tagName === "PRE" && parent.children.length === 1) return parent;
  return element as HTMLElement;
}

/** The engine `element` runs on: its own or its closest ancestor's `data-engine`, else `fallback`. */
function engineOf(element: Element, fallback: EngineName | "auto"): ExampleEngine {
  const raw = element.closest("[data-engine]")?.getAttribute("data-engine");
  const value = (raw ?? fallback).trim().toLowerCase();
  if (value === "auto") return { engine: fastestBootingEngine() };
  if (isEngineName(value)) return { engine: value };
  return { problem: `data-engine="${raw ?? value}" names no engine: use pyodide, wasi or auto.` };
}

function markSetup(pre: HTMLElement): void {
  setupBlocks.push(pre);
  const doc = pre.ownerDocument;
  const box = doc.createElement("div");
  box.className = "fastest-widget__setup";
  box.dataset["fastestSetup"] = "";
  const label = doc.createElement("div");
  label.className = "fastest-widget__setup-label";
  label.textContent = "Setup: every example on this page sees the names this code defines.";
  pre.replaceWith(box);
  box.append(label, pre);
}

/**
 * Turn the marked blocks in `root` (default: the whole document; `root` itself when it is one) into
 * runnable examples and return their root elements. Blocks already turned
 * are skipped, so calling it again after adding content is safe. Nothing is
 * loaded until a widget scrolls into view.
 */
export function mountWidgets(root: ParentNode = document, options: MountOptions = {}): HTMLElement[] {
  const doc = root instanceof Document ? root : (root as Node).ownerDocument;
  if (!doc) return [];
  installStyles(doc);
  if (options.assetsBase) configureSharedRunner({ assetsBase: options.assetsBase });
  const settings: ExampleSettings = {
    timeout: options.timeout ?? 10,
    playgroundUrl: options.playgroundUrl === undefined ? defaultPlaygroundUrl() : options.playgroundUrl,
    setup: pageSetup,
  };
  const created: ExampleWidget[] = [];
  let setupAdded = false;
  const selector = options.selector ?? "[data-fastest]";
  const blocks = Array.from(root.querySelectorAll(selector));
  // A block passed itself as the root counts too.
  if (root instanceof Element && root.matches(selector)) blocks.unshift(root);
  for (const element of blocks) {
    const pre = preOf(element);
    // Read from the page, not from this module's memory, so a second copy of the script skips it too.
    if (pre.parentElement?.closest("[data-fastest-widget], [data-fastest-setup]")) continue;
    const code = normalizeCode(element.textContent ?? "");
    const kind = blockKind(element, code);
    if (kind === "setup") {
      markSetup(pre);
      setupAdded = true;
      continue;
    }
    const engine = engineOf(element, options.engine ?? "auto");
    const view = new WidgetView(pre, kind, settings.playgroundUrl !== null);
    const name = element.getAttribute("data-name") ?? pre.getAttribute("data-name");
    if (name) view.root.dataset["name"] = name;
    if (engine.engine) view.root.dataset["engine"] = engine.engine;
    created.push(new ExampleWidget(view, kind, code, settings, engine));
    if (engine.engine) bootWhenVisible(view.root, engine.engine);
  }
  widgets.push(...created);
  // A new setup block changes what every example's link holds.
  for (const widget of setupAdded ? widgets.filter((w) => w.view.root.isConnected) : created) void widget.updateLink();
  return created.map((widget) => widget.view.root);
}
