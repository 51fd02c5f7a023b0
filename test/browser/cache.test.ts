/**
 * The second visit: the interpreter snapshot the first visit made is kept in
 * IndexedDB and restored on the next visit in the same browser profile (the
 * status line says where the snapshot came from; timings are for the bench,
 * bench/browser.ts). A new profile starts from nothing again.
 */
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { newContext, runBudgetMs, screenshot, statusText, treeOutcomes, useBrowser, useServer, waitForReady, waitForRunEnd, watchPage } from "./helpers/index.js";

const browser = useBrowser();

/** Wait for the status line's boot report and return it. */
async function bootReport(page: Page): Promise<string> {
  await page.waitForFunction(() => /ready in \d+ ms/.test(document.getElementById("status")?.textContent ?? ""), undefined, { timeout: runBudgetMs });
  return statusText(page);
}

async function runAll(page: Page): Promise<Record<string, string>> {
  await page.getByRole("button", { name: "Run all" }).click({ timeout: runBudgetMs });
  await waitForRunEnd(page);
  return treeOutcomes(page);
}

describe.each([{ isolated: true }, { isolated: false }])("the snapshot cache (isolated: $isolated)", ({ isolated }) => {
  const server = useServer({ isolated });

  it("is made on the first visit and restored from IndexedDB on the second", async () => {
    const context = await newContext(browser());
    try {
      const page = await context.newPage();
      const watch = watchPage(page);
      const wasmRequests = (): number => server().requests.filter((request) => /\/pyodide\.asm-[\w-]+\.wasm$/.test(request)).length;
      const wasmBefore = wasmRequests();
      await page.goto(server().url);
      await waitForReady(page);
      expect(await bootReport(page)).toMatch(/first visit: snapshot made now/);
      // The page preloads the wasm while it parses, and the runtime compiles that download: one request, not two.
      expect(await page.locator('link[rel="preload"][as="fetch"]').getAttribute("href")).toMatch(/^\.\/assets\/pyodide\.asm-[\w-]+\.wasm$/);
      expect(wasmRequests() - wasmBefore).toBe(1);
      const firstOutcomes = await runAll(page);
      expect(Object.keys(firstOutcomes).length).toBeGreaterThan(0);

      await page.reload();
      await waitForReady(page);
      const second = await bootReport(page);
      expect(second).toMatch(/snapshot from this browser's cache/);
      expect(second).not.toMatch(/snapshot made now/);
      expect(wasmRequests() - wasmBefore).toBe(2);
      // The restored interpreter runs the same workspace (the draft) to the same outcomes.
      expect(await runAll(page)).toEqual(firstOutcomes);
      await screenshot(page, `cache-second-visit-${isolated ? "isolated" : "not-isolated"}`);
      watch.assertClean();
    } finally {
      await context.close();
    }

    // Another profile shares nothing with the first: it makes its own snapshot.
    const fresh = await newContext(browser());
    try {
      const page = await fresh.newPage();
      await page.goto(server().url);
      await waitForReady(page);
      expect(await bootReport(page)).toMatch(/first visit: snapshot made now/);
    } finally {
      await fresh.close();
    }
  });
});
