/**
 * The results tree (`role="tree"`): tests grouped by file and class, each a
 * `treeitem` with its outcome as icon and word, its duration, a "Run <nodeid>"
 * button, and, when expanded, pytest's failure text and captured output.
 * Keyboard: arrows move between tests, Right/Left or Enter open and close
 * one, Home/End jump; Tab reaches the run buttons.
 */
import type { CollectError } from "../runtime/api.js";
import { h, replaceChildren } from "./dom.js";
import { groupEntries, namePartsOf, STATE_LABELS, type ResultsModel, type TestEntry, type TreeGroup } from "./results-model.js";

/** "3 ms", "1.25 s". */
export function formatDuration(seconds: number): string {
  if (seconds < 0.0005) return "<1 ms";
  return seconds < 1 ? `${Math.round(seconds * 1000)} ms` : `${seconds.toFixed(2)} s`;
}

export class ResultsView {
  /** Rows the user opened (true) or closed (false); failures start open. */
  private expanded = new Map<string, boolean>();
  private focusedId: string | null = null;
  private frame = 0;
  private runButtonsEnabled = true;
  private detailCount = 0;

  /**
   * @param tree the `role="tree"` element
   * @param errorsBox where collection errors go
   * @param onRunOne called when a test's Run button is pressed
   */
  constructor(
    private readonly tree: HTMLElement,
    private readonly errorsBox: HTMLElement,
    private readonly model: ResultsModel,
    private readonly onRunOne: (nodeid: string) => void,
  ) {
    tree.addEventListener("keydown", (event) => this.onKeyDown(event));
    tree.addEventListener("focusin", (event) => {
      const item = (event.target as HTMLElement).closest<HTMLElement>("[role=treeitem]");
      if (item?.dataset.nodeid) this.focusedId = item.dataset.nodeid;
    });
  }

  /** Allow or refuse per-test runs (refused while a run is going on). */
  setRunButtonsEnabled(enabled: boolean): void {
    this.runButtonsEnabled = enabled;
    for (const button of this.tree.querySelectorAll<HTMLButtonElement>("button.run-one")) button.disabled = !enabled;
  }

  /** Redraw on the next frame (many updates in a burst cost one redraw). */
  scheduleRender(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.render();
    });
  }

  /** Redraw now. */
  render(): void {
    if (this.frame) cancelAnimationFrame(this.frame);
    this.frame = 0;
    const active = document.activeElement;
    const focusInTree = active instanceof HTMLElement && this.tree.contains(active);
    const focusOnButton = focusInTree && active.classList.contains("run-one");

    const entries = this.model.list();
    if (entries.length === 0) {
      replaceChildren(this.tree, h("p", { class: "tree-empty", attrs: { role: "none" } }, "No results yet. Press Run all to run the tests."));
    } else {
      replaceChildren(this.tree, ...groupEntries(entries).map((group) => this.renderGroup(group, 1)));
    }
    this.renderErrors(this.model.errors);

    const items = this.items();
    const current = items.find((item) => item.dataset.nodeid === this.focusedId) ?? items[0];
    if (current) current.tabIndex = 0;
    if (focusInTree && current) {
      const button = focusOnButton ? current.querySelector<HTMLButtonElement>("button.run-one") : null;
      (button && !button.disabled ? button : current).focus();
    }
  }

  private renderGroup(group: TreeGroup, level: number): HTMLElement {
    return h(
      "div",
      { class: "tree-group", attrs: { role: "group", "aria-label": group.label, "data-group": group.id } },
      h("div", { class: "tree-group-label", attrs: { "aria-hidden": "true" } }, group.label),
      ...group.tests.map((entry) => this.renderTest(entry, level)),
      ...group.groups.map((child) => this.renderGroup(child, level + 1)),
    );
  }

  private renderTest(entry: TestEntry, level: number): HTMLElement {
    const label = STATE_LABELS[entry.state];
    const result = entry.result;
    const timedOut = result?.timedOut === true;
    const name = namePartsOf(entry.nodeid).at(-1) ?? entry.nodeid;
    const hasDetail = !!result && (result.longrepr !== "" || result.sections.length > 0);
    const isFailure = entry.state === "failed" || entry.state === "error";
    const open = hasDetail && (this.expanded.get(entry.nodeid) ?? isFailure);
    const outcomeText = timedOut ? `${label.text} (timed out)` : label.text;
    const duration = result ? formatDuration(result.duration) : "";

    const row = h(
      "div",
      { class: "tree-row" },
      h("span", { class: "outcome-icon", attrs: { "aria-hidden": "true" } }, label.icon),
      h("span", { class: "outcome-text" }, outcomeText),
      h("span", { class: "test-name", attrs: { title: entry.nodeid } }, name),
      entry.recorded ? h("span", { class: "badge" }, "recorded") : null,
      duration ? h("span", { class: "duration" }, duration) : null,
      h(
        "button",
        {
          class: "run-one",
          attrs: { type: "button", "aria-label": `Run ${entry.nodeid}`, disabled: !this.runButtonsEnabled },
          on: { click: () => this.onRunOne(entry.nodeid) },
        },
        "Run",
      ),
    );
    const item = h(
      "div",
      {
        class: `tree-item outcome-${entry.state}`,
        attrs: {
          role: "treeitem",
          tabindex: -1,
          "aria-level": level,
          "aria-label": `${name}: ${outcomeText}${duration ? `, ${duration}` : ""}${entry.recorded ? ", recorded" : ""}`,
          "aria-expanded": hasDetail ? String(open) : null,
          "data-nodeid": entry.nodeid,
          "data-outcome": entry.state,
          "data-timed-out": timedOut ? "true" : null,
          "data-recorded": entry.recorded ? "true" : null,
        },
      },
      row,
    );
    row.addEventListener("click", (event) => {
      if ((event.target as HTMLElement).closest("button")) return;
      this.focusedId = entry.nodeid;
      if (hasDetail) this.toggle(entry.nodeid, !open);
    });
    if (open && result) {
      // The row's name is short (test, outcome, duration); the failure text and output are its description.
      const detailId = `detail-${++this.detailCount}`;
      const detail = h("div", { class: "tree-detail", attrs: { id: detailId } });
      item.setAttribute("aria-describedby", detailId);
      if (result.longrepr) detail.append(h("pre", { class: "longrepr" }, result.longrepr.replace(/^(?:[ \t]*\n)+/, "")));
      for (const [title, text] of result.sections) {
        detail.append(h("div", { class: "section-title" }, title), h("pre", { class: "section" }, text));
      }
      item.append(detail);
    }
    return item;
  }

  private renderErrors(errors: readonly CollectError[]): void {
    this.errorsBox.hidden = errors.length === 0;
    replaceChildren(
      this.errorsBox,
      errors.length ? h("h2", {}, `Errors during collection (${errors.length})`) : null,
      ...errors.map((error) =>
        h("details", { attrs: { open: true } }, h("summary", {}, `ERROR collecting ${error.nodeid}`), h("pre", { class: "longrepr" }, error.longrepr)),
      ),
    );
  }

  private toggle(nodeid: string, open: boolean): void {
    this.expanded.set(nodeid, open);
    this.focusedId = nodeid;
    this.render();
    this.itemFor(nodeid)?.focus();
  }

  private items(): HTMLElement[] {
    return [...this.tree.querySelectorAll<HTMLElement>("[role=treeitem]")];
  }

  private itemFor(nodeid: string): HTMLElement | undefined {
    return this.items().find((item) => item.dataset.nodeid === nodeid);
  }

  private onKeyDown(event: KeyboardEvent): void {
    const item = event.target as HTMLElement;
    if (item.getAttribute("role") !== "treeitem") return; // keys on the Run buttons keep their meaning
    const items = this.items();
    const index = items.indexOf(item);
    const nodeid = item.dataset.nodeid ?? "";
    const expandable = item.hasAttribute("aria-expanded");
    const isOpen = item.getAttribute("aria-expanded") === "true";
    let target: HTMLElement | undefined;
    switch (event.key) {
      case "ArrowDown":
        target = items[index + 1];
        break;
      case "ArrowUp":
        target = items[index - 1];
        break;
      case "Home":
        target = items[0];
        break;
      case "End":
        target = items.at(-1);
        break;
      case "ArrowRight":
        if (expandable && !isOpen) this.toggle(nodeid, true);
        break;
      case "ArrowLeft":
        if (expandable && isOpen) this.toggle(nodeid, false);
        break;
      case "Enter":
      case " ":
        if (expandable) this.toggle(nodeid, !isOpen);
        break;
      default:
        return;
    }
    event.preventDefault();
    if (target) {
      item.tabIndex = -1;
      target.tabIndex = 0;
      target.focus();
    }
  }
}
