/**
 * A runaway test in the playground: an infinite loop is stopped by the
 * per-test timeout, reported as a timed-out failure, and the next test still
 * runs and passes; the page answers clicks while the loop spins. Both ways of
 * stopping it are covered: a cross-origin isolated page interrupts Python
 * through a SharedArrayBuffer (the worker lives on); a page without the
 * COOP/COEP headers terminates the worker and starts a new one.
 */
import { describe, expect, it } from "vitest";
import { newContext, runBudgetMs, screenshot, treeOutcomes, useBrowser, useServer, waitForReady, waitForRunEnd, watchPage } from "./helpers/index.js";
import { linkTo, payloadOf, recorded } from "./helpers/share-links.js";

const LOOP = "test_runaway.py::test_loop";
const AFTER = "test_runaway.py::test_after";
/** Seconds: long enough to click while the loop runs, short enough for a quick test. */
const TIMEOUT = 8;

const files = {
  "test_runaway.py": [
    "import time",
    "",
    "def test_loop():",
    "    n = 0",
    "    while True:",
    "        n += 1",
    "",
    "def test_after():",
    "    time.sleep(1)  # the page shows it running well before the run ends",
    "    assert sum(range(10)) == 45",
    "",
  ].join("\n"),
  "notes.txt": "A second tab to click while the loop runs.\n",
};

/** Wall-clock moments (ms since the epoch) the page showed each test leave `pending`, noted by an init script. */
function traceItems(ids: { loop: string; after: string }): void {
  const seen: { loopRunning: number | null; afterStarted: number | null } = { loopRunning: null, afterStarted: null };
  (window as unknown as { __items: typeof seen }).__items = seen;
  const now = (): number => performance.timeOrigin + performance.now();
  new MutationObserver(() => {
    const outcome = (id: string): string => document.querySelector(`[role="treeitem"][data-nodeid="${id}"]`)?.getAttribute("data-outcome") ?? "";
    if (seen.loopRunning === null && outcome(ids.loop) === "running") seen.loopRunning = now();
    if (seen.loopRunning !== null && seen.afterStarted === null && !["", "pending", "not-run"].includes(outcome(ids.after))) seen.afterStarted = now();
  }).observe(document, { subtree: true, childList: true, attributes: true });
}

const browser = useBrowser();

describe.each([
  { isolated: true, mode: "cross-origin isolated (interrupt through SharedArrayBuffer)" },
  { isolated: false, mode: "not isolated (the worker is terminated and replaced)" },
])("an infinite loop, $mode", ({ isolated }) => {
  const server = useServer({ isolated });

  it("is stopped by the timeout; the next test passes and the page stays responsive", async () => {
    const context = await newContext(browser());
    try {
      const page = await context.newPage();
      const watch = watchPage(page);
      const workerEvents: Array<{ kind: "open" | "close"; at: number }> = [];
      page.on("worker", (worker) => {
        workerEvents.push({ kind: "open", at: Date.now() });
        worker.on("close", () => workerEvents.push({ kind: "close", at: Date.now() }));
      });
      await page.addInitScript(traceItems, { loop: LOOP, after: AFTER });
      const results = [recorded(LOOP, "failed", { timedOut: true }), recorded(AFTER, "passed")];
      await page.goto(await linkTo(server().url, payloadOf(files, results, "1 failed, 1 passed in 8.10s", { timeout: TIMEOUT })));
      await waitForReady(page);
      expect(await page.evaluate(() => crossOriginIsolated)).toBe(isolated);

      // While the loop spins, a click on the other tab is handled at once.
      await page.waitForSelector(`[role="treeitem"][data-nodeid="${LOOP}"][data-outcome="running"]`, { timeout: runBudgetMs });
      const notes = page.getByRole("tab", { name: "notes.txt" });
      await notes.click({ timeout: 3000 });
      await expect.poll(() => notes.getAttribute("aria-selected"), { timeout: 3000 }).toBe("true");
      expect(await page.getAttribute(`[data-nodeid="${LOOP}"]`, "data-outcome")).toBe("running");
      expect(await page.getAttribute("body", "data-run-state")).toBe("running");

      await waitForRunEnd(page);
      expect(await treeOutcomes(page)).toEqual({ [LOOP]: "failed", [AFTER]: "passed" });
      expect(await page.getAttribute(`[data-nodeid="${LOOP}"]`, "data-timed-out")).toBe("true");
      expect(await page.getAttribute(`[data-nodeid="${AFTER}"]`, "data-timed-out")).not.toBe("true");
      expect(await page.textContent(`[data-nodeid="${LOOP}"]`)).toMatch(/time(d)? ?out/i);
      expect(await page.textContent("#status")).toMatch(/1 failed, 1 passed/);

      // Between the loop starting and the next test starting (a second before
      // the run ends and the page prepares its next engine), the worker was
      // kept (interrupted in place) or a new one was started to replace it.
      // Playwright hears of a worker's end late (sometimes seconds after the
      // run), so the replaced worker's end is awaited on its own.
      const { loopRunning, afterStarted } = await page.evaluate(() => (window as unknown as { __items: { loopRunning: number; afterStarted: number } }).__items);
      expect(afterStarted).toBeGreaterThan(loopRunning);
      const during = (kind: "open" | "close", until: number) => workerEvents.filter((event) => event.kind === kind && event.at >= loopRunning && event.at <= until);
      if (isolated) {
        expect([...during("open", afterStarted), ...during("close", afterStarted)]).toEqual([]);
        // Interrupted inside Python: the failure shows where the loop was.
        expect(await page.textContent(`[data-nodeid="${LOOP}"]`)).toContain("while True:");
      } else {
        expect(during("open", afterStarted).length).toBeGreaterThanOrEqual(1);
        // The spinning worker is really gone (not left burning a core), however late Playwright hears of it.
        await expect.poll(() => during("close", Number.POSITIVE_INFINITY).length, { timeout: 20_000 }).toBeGreaterThanOrEqual(1);
      }
      await screenshot(page, `timeout-${isolated ? "isolated" : "not-isolated"}`);
      watch.assertClean();
    } finally {
      await context.close();
    }
  });
});
