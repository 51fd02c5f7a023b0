/**
 * The DOM of one widget: the page's own code block, a bar with the Run
 * button, a state line and the "Open in playground" link, and the results
 * under it. Text from the run is only ever set with `textContent`.
 */
import type { CollectError, ItemResult } from "../runtime/api.js";
import type { DoctestExample } from "./example-files.js";

/** `data-state` of a widget root. */
export type WidgetState = "idle" | "running" | "passed" | "failed";

let widgetCount = 0;

function element<K extends keyof HTMLElementTagNameMap>(doc: Document, tag: K, className: string, text?: string): HTMLElementTagNameMap[K] {
  const node = doc.createElement(tag);
  node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function textBlock(doc: Document, text: string): HTMLPreElement {
  return element(doc, "pre", "fastest-widget__text", text);
}

const outcomeLabels: Record<string, string> = {
  passed: "passed",
  failed: "failed",
  error: "error",
  skipped: "skipped",
  xfailed: "xfailed",
  xpassed: "xpassed",
};

/**
 * A widget's elements. The root carries the DOM contract pages and tests
 * rely on: `data-fastest-widget`, `data-kind` (`doctest` | `test`),
 * `data-state` (`idle` | `running` | `passed` | `failed`); doctest examples
 * carry `data-example-state`, tests `data-nodeid` and `data-outcome`.
 */
export class WidgetView {
  readonly root: HTMLDivElement;
  readonly runButton: HTMLButtonElement;
  readonly openLink: HTMLAnchorElement | null;
  private readonly stateText: HTMLSpanElement;
  private readonly results: HTMLDivElement;
  private readonly doc: Document;

  /** Wrap `block` (a `<pre>` of the page) into a widget of `kind`, in place. */
  constructor(block: HTMLElement, kind: "doctest" | "test", withPlaygroundLink: boolean) {
    const doc = block.ownerDocument;
    this.doc = doc;
    const id = `fastest-widget-${++widgetCount}`;
    this.root = element(doc, "div", "fastest-widget");
    this.root.dataset["fastestWidget"] = "";
    this.root.dataset["kind"] = kind;
    this.root.setAttribute("role", "group");
    this.root.setAttribute("aria-label", kind === "doctest" ? "Runnable doctest example" : "Runnable test example");
    block.replaceWith(this.root);
    this.root.append(block);

    const bar = element(doc, "div", "fastest-widget__bar");
    this.runButton = element(doc, "button", "fastest-widget__run", "Run example");
    this.runButton.type = "button";
    this.stateText = element(doc, "span", "fastest-widget__state");
    this.stateText.id = `${id}-state`;
    this.stateText.setAttribute("role", "status");
    this.runButton.setAttribute("aria-describedby", this.stateText.id);
    bar.append(this.runButton, this.stateText);
    this.openLink = null;
    if (withPlaygroundLink) {
      this.openLink = element(doc, "a", "fastest-widget__open", "Open in playground");
      this.openLink.target = "_blank";
      this.openLink.rel = "noopener";
      this.openLink.hidden = true;
      bar.append(this.openLink);
    }
    this.results = element(doc, "div", "fastest-widget__results");
    this.results.id = `${id}-results`;
    this.runButton.setAttribute("aria-controls", this.results.id);
    this.root.append(bar, this.results);
    this.setState("idle", "Not run yet");
  }

  /**
   * Show `state` (in `data-state`) and say it in words. A running widget's
   * button is marked disabled with `aria-disabled` (clicks are ignored), not
   * `disabled`, so keyboard focus stays on it.
   */
  setState(state: WidgetState, text: string): void {
    this.root.dataset["state"] = state;
    this.root.setAttribute("aria-busy", String(state === "running"));
    this.runButton.setAttribute("aria-disabled", String(state === "running"));
    this.stateText.textContent = text;
  }

  /** Point "Open in playground" at `href`; `hasResult`: the link also holds the last run's result. */
  setPlaygroundLink(href: string, hasResult: boolean): void {
    if (!this.openLink) return;
    this.openLink.href = href;
    this.openLink.dataset["hasResult"] = String(hasResult);
    this.openLink.hidden = false;
  }

  clearResults(): void {
    this.results.replaceChildren();
  }

  /** One entry per doctest example; failed ones show what was expected and what came out. */
  showDoctest(examples: DoctestExample[]): void {
    const doc = this.doc;
    const list = element(doc, "ol", "fastest-widget__list");
    list.setAttribute("aria-label", "Examples");
    for (const example of examples) {
      const item = element(doc, "li", "fastest-widget__item");
      item.dataset["exampleState"] = example.state;
      const head = element(doc, "div", "fastest-widget__head");
      head.append(element(doc, "span", "fastest-widget__badge", example.state), element(doc, "pre", "fastest-widget__code", example.source));
      item.append(head);
      if (example.state === "failed") {
        const compare = element(doc, "dl", "fastest-widget__compare");
        const expected = element(doc, "dd", "");
        expected.append(textBlock(doc, example.want === "" ? "(no output)" : example.want.replace(/\n$/, "")));
        const got = element(doc, "dd", "");
        got.append(textBlock(doc, example.got === "" ? "(no output)" : example.got.replace(/\n$/, "")));
        expected.dataset["role"] = "expected";
        got.dataset["role"] = "actual";
        compare.append(element(doc, "dt", "", "Expected"), expected, element(doc, "dt", "", "Got"), got);
        item.append(compare);
      }
      list.append(item);
    }
    this.results.replaceChildren(list);
  }

  /** One entry per test (outcome, failure text, captured output of failing tests) and each file that failed to import. */
  showTests(results: ItemResult[], errors: CollectError[]): void {
    const doc = this.doc;
    const nodes: HTMLElement[] = [];
    for (const error of errors) nodes.push(failureText(doc, `Could not import ${error.nodeid}`, error.longrepr));
    if (results.length > 0) {
      const list = element(doc, "ul", "fastest-widget__list");
      list.setAttribute("aria-label", "Tests");
      for (const result of results) {
        const item = element(doc, "li", "fastest-widget__item");
        item.dataset["nodeid"] = result.nodeid;
        item.dataset["outcome"] = result.outcome;
        if (result.timedOut) item.dataset["timedOut"] = "true";
        const head = element(doc, "div", "fastest-widget__head");
        const label = result.timedOut ? "timeout" : (outcomeLabels[result.outcome] ?? result.outcome);
        head.append(element(doc, "span", "fastest-widget__badge", label), element(doc, "code", "fastest-widget__code", testName(result.nodeid)));
        item.append(head);
        if (result.longrepr && (result.outcome === "failed" || result.outcome === "error")) {
          item.append(textBlock(doc, result.longrepr));
          for (const [name, text] of result.sections) {
            if (!text) continue;
            item.append(element(doc, "div", "", name), textBlock(doc, text.replace(/\n$/, "")));
          }
        }
        list.append(item);
      }
      nodes.push(list);
    }
    this.results.replaceChildren(...nodes);
  }

  /** A message with an optional preformatted text under it (a failing import, an engine that could not start). */
  showMessage(title: string, text = ""): void {
    this.results.replaceChildren(failureText(this.doc, title, text));
  }
}

function failureText(doc: Document, title: string, text: string): HTMLElement {
  const box = element(doc, "div", "fastest-widget__item");
  box.append(element(doc, "div", "fastest-widget__head", title));
  if (text) box.append(textBlock(doc, text));
  return box;
}

/** `test_example.py::test_x[1]` reads as `test_x[1]`: every test of a widget is in the same file. */
function testName(nodeid: string): string {
  const cut = nodeid.indexOf("::");
  return cut >= 0 ? nodeid.slice(cut + 2) : nodeid;
}
