/**
 * A small element builder. Text always goes in through `textContent`, never
 * as HTML: everything the page shows from Python, from files or from a share
 * link is untrusted.
 */
export type Child = Node | string | null | undefined | false;

export interface Props {
  /** CSS class names, space separated. */
  class?: string;
  /** Other attributes (`role`, `aria-*`, `data-*`, `type`...); `false`/`null` leaves one out. */
  attrs?: Record<string, string | number | boolean | null | undefined>;
  /** Event listeners by event name. */
  on?: Partial<Record<keyof HTMLElementEventMap, (event: never) => void>>;
}

/** `h("button", { attrs: { type: "button" } }, "Run all")`. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, props: Props = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  if (props.class) element.className = props.class;
  for (const [name, value] of Object.entries(props.attrs ?? {})) {
    if (value === false || value === null || value === undefined) continue;
    element.setAttribute(name, value === true ? "" : String(value));
  }
  for (const [name, listener] of Object.entries(props.on ?? {})) {
    element.addEventListener(name, listener as EventListener);
  }
  append(element, ...children);
  return element;
}

/** Append children; strings become text nodes. */
export function append(parent: Node, ...children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
  }
}

/** Replace all children of `parent`. */
export function replaceChildren(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  append(parent, ...children);
}

/** The element with this id; throws with a clear message when the page's markup lacks it. */
export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (!element) throw new Error(`playground markup has no element #${id}`);
  return element as T;
}
