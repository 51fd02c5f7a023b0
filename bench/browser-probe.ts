/**
 * A probe injected into the playground before its scripts run: it clicks
 * "Run all" the moment the page says it is ready (`body[data-ready]`) and
 * notes when the first final test result appears in the results tree, in
 * `performance.now()` milliseconds, i.e. since navigation start.
 */
import type { Page } from "playwright-core";

/** What one visit measured. */
export interface VisitFigures {
  /** Navigation start to the first finished test in the results tree. */
  firstResultMs: number;
  /** Navigation start to the click on "Run all". */
  clickedMs: number;
  /** Boot time the page reported in its status line, if it did. */
  bootMs: number | null;
  /** Where the page said its snapshot came from (`cache`, `made`), if it did. */
  snapshot: string | null;
  /** The status line at the end of the run. */
  status: string;
  /** The runtime's `fastest:*` performance marks (first of each name), ms since navigation start. */
  marks: Record<string, number>;
}

interface ProbeState {
  clickedAt: number | null;
  firstResultAt: number | null;
}

/** Runs inside the page (serialized by Playwright): keep it self-contained. */
function probe(): void {
  const state: ProbeState = { clickedAt: null, firstResultAt: null };
  (window as unknown as { __fastestProbe: ProbeState }).__fastestProbe = state;
  const finals = new Set(["passed", "failed", "error", "skipped", "xfailed", "xpassed"]);
  const isFinalItem = (node: Node): boolean =>
    node instanceof Element && node.getAttribute("role") === "treeitem" && finals.has(node.getAttribute("data-outcome") ?? "");
  const holdsFinalItem = (node: Node): boolean =>
    isFinalItem(node) || (node instanceof Element && Array.from(node.querySelectorAll('[role="treeitem"][data-outcome]')).some(isFinalItem));
  const clickRunAll = (): void => {
    if (state.clickedAt !== null || document.body?.dataset["ready"] !== "true") return;
    const button = Array.from(document.querySelectorAll("button")).find(
      (candidate) => (candidate.getAttribute("aria-label") ?? candidate.textContent ?? "").replace(/[^\w ]/g, "").trim() === "Run all",
    );
    if (!button || button.disabled) return;
    state.clickedAt = performance.now();
    button.click();
  };
  const observer = new MutationObserver((records) => {
    clickRunAll();
    // Only results that appear (or change) after the click count: results shown before it are not this run's.
    if (state.clickedAt === null || state.firstResultAt !== null) return;
    for (const record of records) {
      const hit = record.type === "attributes" ? isFinalItem(record.target) : Array.from(record.addedNodes).some(holdsFinalItem);
      if (hit) {
        state.firstResultAt = performance.now();
        return;
      }
    }
  });
  observer.observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ["data-outcome", "data-ready", "disabled"] });
}

/** Install the probe on `page`; call before `page.goto`. */
export async function installFirstResultProbe(page: Page): Promise<void> {
  await page.addInitScript(probe);
}

/** Wait for the first result and the end of the run, then read what the probe and the status line say. */
export async function readProbe(page: Page, timeout: number): Promise<VisitFigures> {
  await page.waitForFunction(() => (window as unknown as { __fastestProbe?: ProbeState }).__fastestProbe?.firstResultAt != null, undefined, { timeout });
  // Let the run finish so the page has stored its snapshot before the next visit.
  await page.waitForFunction(() => document.body.dataset["runState"] === "idle", undefined, { timeout });
  const seen = await page.evaluate(() => ({
    probe: (window as unknown as { __fastestProbe: ProbeState }).__fastestProbe,
    status: document.getElementById("status")?.textContent ?? "",
    snapshot: document.body.dataset["snapshot"] ?? null,
    marks: Object.fromEntries(
      performance
        .getEntriesByType("mark")
        .filter((mark) => mark.name.startsWith("fastest:"))
        .reverse()
        .map((mark) => [mark.name.slice("fastest:".length), mark.startTime]),
    ),
  }));
  return {
    firstResultMs: seen.probe.firstResultAt!,
    clickedMs: seen.probe.clickedAt!,
    bootMs: bootMsFromStatus(seen.status),
    snapshot: seen.snapshot ?? snapshotFromStatus(seen.status),
    status: seen.status.trim(),
    marks: seen.marks,
  };
}

/** The boot time in a status line such as `Python 3.14 ready in 312 ms`. */
export function bootMsFromStatus(status: string): number | null {
  const match = /(\d+(?:\.\d+)?)\s*ms\b/.exec(status);
  return match ? Number(match[1]) : null;
}

/** The snapshot source a status line names, if any. */
export function snapshotFromStatus(status: string): string | null {
  if (/\bcache(d)?\b|IndexedDB/i.test(status)) return "cache";
  if (/\b(made|new) snapshot|snapshot made|\bmade\b/i.test(status)) return "made";
  return null;
}
