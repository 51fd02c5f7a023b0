/**
 * Waiting on the playground's documented DOM contract (see README, browser
 * section): `body[data-ready]`, `body[data-run-state]`, the `#status` line,
 * the results tree and the share banner.
 */
import type { Page } from "playwright-core";

/** Milliseconds a boot plus a run may take on a busy 2-core machine (the first visit makes the snapshot). */
export const runBudgetMs = 90_000;

/** Wait until the page's UI is interactive (before Python boots). */
export async function waitForReady(page: Page, timeout = 30_000): Promise<void> {
  await page.waitForFunction(() => document.body.dataset["ready"] === "true", undefined, { timeout });
}

/** Wait until `body[data-run-state]` is `state`. */
export async function waitForRunState(page: Page, state: "idle" | "booting" | "running", timeout = runBudgetMs): Promise<void> {
  await page.waitForFunction((wanted) => document.body.dataset["runState"] === wanted, state, { timeout });
}

/** Wait until a run has finished: the page is idle and the status line holds a summary. */
export async function waitForRunEnd(page: Page, timeout = runBudgetMs): Promise<void> {
  await page.waitForFunction(
    () => document.body.dataset["runState"] === "idle" && /\b(passed|failed|error|skipped|no tests ran)\b/.test(document.getElementById("status")?.textContent ?? ""),
    undefined,
    { timeout },
  );
}

/** Outcome per node id in the results tree (`data-nodeid` -> `data-outcome`). */
export async function treeOutcomes(page: Page): Promise<Record<string, string>> {
  return page.$$eval('[role="tree"][aria-label="Test results"] [role="treeitem"][data-nodeid]', (items) =>
    Object.fromEntries(items.map((item) => [item.getAttribute("data-nodeid") ?? "", item.getAttribute("data-outcome") ?? ""])),
  );
}

/** The text of the status line (`#status`). */
export async function statusText(page: Page): Promise<string> {
  return (await page.textContent("#status")) ?? "";
}
