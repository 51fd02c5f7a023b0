/**
 * The two engines in the browser (issue 8): the playground's engine choice
 * (a test runs on CPython WASI after the switch, the choice is remembered,
 * a share link carries it and reopens on it, an older link opens on
 * Pyodide), the runtime's timeouts and Stop on WASI (an interrupt at the
 * next system call, else a new worker), the docs widget's default engine (WASI, the faster to boot) and
 * a block pinned to Pyodide with `data-engine`, and a site built without the
 * WASI engine, which says how to add it and falls back to Pyodide.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { wasiBuildDir } from "../../node-host/engine-assets.js";
import { repoRoot } from "../helpers/run-cli.js";
import { newContext, runBudgetMs, statusText, treeOutcomes, useBrowser, useServer, waitForReady, waitForRunEnd, watchPage } from "./helpers/index.js";
import { documentOf, linkTo, payloadOf } from "./helpers/share-links.js";

const wasiBuilt = existsSync(path.join(wasiBuildDir, "manifest.json"));
if (!wasiBuilt) console.warn(`engines: the WASI engine's browser tests are skipped: ${wasiBuildDir} is not built (run \`npm run build:wasi\`, then build the site)`);

const browser = useBrowser();

const files = {
  "test_engine.py": [
    "import sys",
    "",
    "def test_on_wasi():",
    "    assert sys.platform == 'wasi'",
    "    assert sys.version_info[:2] == (3, 11)",
    "",
    "def test_wrong_sum():",
    "    total = sum([1, 2, 3])",
    "    assert total == 7",
    "",
  ].join("\n"),
};

/** Open Run settings and pick `engine` in its Engine field. */
async function chooseEngine(page: Page, engine: "pyodide" | "wasi"): Promise<void> {
  if (!(await page.isVisible("#engine"))) await page.click(".settings summary");
  await page.selectOption("#engine", engine);
}

/** Wait for a run's end whose status line names `engineName` (the run before a switch may end first). */
async function waitForRunOn(page: Page, engineName: string): Promise<void> {
  await page.waitForFunction((name) => (document.getElementById("status")?.textContent ?? "").includes(`(${name}) ready in`), engineName, { timeout: runBudgetMs });
  await waitForRunEnd(page);
}

describe.skipIf(!wasiBuilt)("the playground's engine choice", () => {
  const server = useServer({ isolated: true });
  let context: BrowserContext;
  beforeAll(async () => {
    context = await newContext(browser());
  });
  afterAll(async () => {
    await context.close();
  });

  it("switches to CPython WASI and re-runs there; the choice is remembered and goes into share links", async () => {
    const link = await linkTo(server().url, payloadOf(files, [], ""));
    const page = await context.newPage();
    const watch = watchPage(page);
    try {
      // A link made before there were two engines (no engine field) runs on Pyodide.
      await page.goto(link);
      await waitForReady(page);
      await waitForRunOn(page, "Pyodide");
      expect(await treeOutcomes(page)).toEqual({ "test_engine.py::test_on_wasi": "failed", "test_engine.py::test_wrong_sum": "failed" });

      await chooseEngine(page, "wasi");
      await waitForRunOn(page, "CPython WASI");
      expect(await statusText(page)).toMatch(/Python 3\.11\.\d+ \(CPython WASI\) ready in \d+ ms.* 1 failed, 1 passed in/);
      expect(await treeOutcomes(page)).toEqual({ "test_engine.py::test_on_wasi": "passed", "test_engine.py::test_wrong_sum": "failed" });
      expect(await page.textContent("#results")).toContain("assert 6 == 7");
      const terminal = (await page.textContent("#terminal-text")) ?? "";
      expect(terminal).toMatch(/^platform wasi -- Python 3\.11\.\d+$/m);
      expect(terminal).toContain("workers: 1 sandboxed worker (wasi, in the browser)");

      // Share: the link names the engine.
      await page.click("#share");
      await page.waitForFunction(() => (document.getElementById("share-url") as HTMLInputElement).value.includes("#v1."));
      const shared = await page.inputValue("#share-url");
      expect(documentOf(shared)).toMatchObject({ engine: "wasi", pyodide: expect.stringMatching(/^cpython-3\.11\.\d+-\w+$/), exit: 1 });

      // The old link still opens on Pyodide, whatever the remembered choice...
      await page.goto(link);
      await waitForRunOn(page, "Pyodide");
      expect(await page.inputValue("#engine")).toBe("pyodide");
      // ...and the page without a link boots the remembered engine, whose wasm alone it preloads (and fetches once).
      const before = server().requests.length;
      await page.goto(server().url);
      await waitForReady(page);
      await page.waitForFunction(() => /\(CPython WASI\) ready in \d+ ms/.test(document.getElementById("status")?.textContent ?? ""), undefined, { timeout: runBudgetMs });
      expect(await page.inputValue("#engine")).toBe("wasi");
      expect(await page.locator('link[rel="preload"][as="fetch"]').getAttribute("href")).toMatch(/^\.\/assets\/python-[\w-]+\.wasm$/);
      expect(server().requests.slice(before).filter((request) => request.endsWith(".wasm"))).toEqual([expect.stringMatching(/^\/assets\/python-[\w-]+\.wasm$/)]);
      watch.assertClean();

      // A new visitor (empty profile) opening the shared link gets its engine, and the failure reproduces.
      const visitor = await newContext(browser());
      try {
        const other = await visitor.newPage();
        const otherWatch = watchPage(other);
        await other.goto(shared);
        await waitForReady(other);
        await other.waitForFunction(() => document.getElementById("share-state")?.dataset["state"] === "reproduced", undefined, { timeout: runBudgetMs });
        expect(await statusText(other)).toMatch(/\(CPython WASI\) ready in/);
        expect(await other.inputValue("#engine")).toBe("wasi");
        expect(await other.textContent("#share-state-text")).toMatch(/^Reproduced: every test has the same outcome as in the shared run \(1 failed, 1 passed in [\d.]+s\)\.$/);
        otherWatch.assertClean();
      } finally {
        await visitor.close();
      }
    } finally {
      await page.close();
    }
  });
});

/** A failed result's texts. */
interface Failure {
  message: string;
  longrepr: string;
}

describe.skipIf(!wasiBuilt)("the runtime on CPython WASI (runtime/check.html?engine=wasi, cross-origin isolated)", () => {
  const server = useServer({ isolated: true });

  it("interrupts a test past its timeout at its next system call, replaces the worker of one that makes none, and Stop ends a run", async () => {
    const context = await newContext(browser());
    try {
      const page = await context.newPage();
      const watch = watchPage(page);
      await page.goto(new URL("runtime/check.html?engine=wasi", server().url).href);
      await page.waitForFunction(() => document.body.dataset["ready"] === "true");
      const loop = "def test_before():\n    pass\n\ndef test_spin():\n    while True:\n        pass\n\ndef test_after():\n    pass\n";
      const sleep = "import time\n\ndef test_sleep():\n    time.sleep(30)\n";
      // (A string: vitest would rewrite the page's own code otherwise.)
      const results = await page.evaluate(`(async () => {
        const runner = window.fastestRunner;
        const timed = await runner.run({ files: [{ path: "test_loop.py", content: ${JSON.stringify(loop)} }, { path: "test_sleep.py", content: ${JSON.stringify(sleep)} }], timeout: 1 });
        const stopped = await runner.run({ files: [{ path: "test_loop.py", content: ${JSON.stringify(loop)} }], timeout: 0 }, (update) => {
          if (update.type === "itemStart" && update.nodeid.endsWith("test_spin")) setTimeout(() => runner.stop(), 300);
        });
        const after = await runner.run({ files: [{ path: "test_ok.py", content: "def test_ok():\\n    pass\\n" }] });
        const rows = (summary) => summary.results.map((r) => [r.nodeid, r.outcome, r.timedOut]);
        return { timed: rows(timed), spin: timed.results[1], slept: timed.results[3], stopped: stopped.stopped, stoppedRows: rows(stopped), after: after.summaryLine, engine: (await runner.boot()).engine };
      })()`) as { timed: unknown[]; spin: Failure; slept: Failure; stopped: boolean; stoppedRows: unknown[]; after: string; engine: string };
      expect(results.engine).toBe("wasi");
      expect(results.timed).toEqual([
        ["test_loop.py::test_before", "passed", false],
        ["test_loop.py::test_spin", "failed", true],
        ["test_loop.py::test_after", "passed", false],
        ["test_sleep.py::test_sleep", "failed", true],
      ]);
      // A busy loop makes no system call: its worker was replaced after the grace period.
      expect(results.spin.message).toBe("Failed: Timeout (>1.0s) from pytest-timeout.");
      expect(results.spin.longrepr).toContain("the WASI engine interrupts Python at its system calls");
      // A sleep is one: interrupted in place, with the test's traceback.
      expect(results.slept.message).toBe("Failed: Timeout (>1.0s) from pytest-timeout.");
      expect(results.slept.longrepr).toContain("time.sleep(30)");
      expect(results.stopped).toBe(true);
      expect(results.stoppedRows).toEqual([["test_loop.py::test_before", "passed", false]]);
      expect(results.after).toMatch(/^1 passed in /);
      watch.assertClean();
    } finally {
      await context.close();
    }
  });
});

/** A page with a doctest block on the default engine, one pinned to Pyodide by an element around it, and one naming no engine. */
const widgetPage = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>engines</title><link rel="icon" href="data:,"></head>
<body><main>
<pre data-fastest data-name="default">&gt;&gt;&gt; import sys
&gt;&gt;&gt; sys.platform
'wasi'</pre>
<section data-engine="pyodide"><pre data-fastest data-name="pinned">&gt;&gt;&gt; import sys
&gt;&gt;&gt; sys.platform
'emscripten'</pre></section>
<pre data-fastest data-engine="jython" data-name="typo">&gt;&gt;&gt; 1 + 1
2</pre>
</main><script type="module" src="./widget.js"></script></body></html>`;

/** Serve `widgetPage` at `<site>/engines-widget.html` in `context`. */
async function routeWidgetPage(context: BrowserContext, site: string): Promise<string> {
  const url = new URL("engines-widget.html", site).href;
  await context.route(url, (route) => route.fulfill({ status: 200, contentType: "text/html; charset=utf-8", body: widgetPage }));
  return url;
}

const widgetEngines = (page: Page) =>
  page.$$eval("[data-fastest-widget]", (roots) => Object.fromEntries(roots.map((root) => [root.getAttribute("data-name") ?? "", root.getAttribute("data-engine") ?? ""])));

describe.skipIf(!wasiBuilt)("the docs widget's engine", () => {
  const server = useServer({ isolated: false });

  it("runs on CPython WASI by default and on Pyodide where the page pins it; a value naming no engine is shown, not run", async () => {
    const context = await newContext(browser());
    try {
      const url = await routeWidgetPage(context, server().url);
      const page = await context.newPage();
      const watch = watchPage(page);
      await page.goto(url);
      await page.waitForFunction(() => document.querySelectorAll("[data-fastest-widget]").length === 3);
      expect(await widgetEngines(page)).toEqual({ default: "wasi", pinned: "pyodide", typo: "" });
      for (const name of ["default", "pinned"]) await page.locator(`[data-fastest-widget][data-name="${name}"]`).getByRole("button", { name: "Run example" }).click();
      await page.waitForFunction(
        () => ["default", "pinned"].every((name) => /^(passed|failed)$/.test(document.querySelector(`[data-fastest-widget][data-name="${name}"]`)?.getAttribute("data-state") ?? "")),
        undefined,
        { timeout: runBudgetMs * 2 },
      );
      const states = await page.$$eval("[data-fastest-widget]", (roots) => roots.map((root) => `${root.getAttribute("data-name")}: ${root.getAttribute("data-state")} ${root.querySelector('[role="status"]')?.textContent}`));
      expect(states).toEqual(["default: passed Passed: all 2 examples passed", "pinned: passed Passed: all 2 examples passed", "typo: idle Not run yet"]);
      // A value that names no engine is the page author's typo: the example says so instead of running.
      const typo = page.locator('[data-fastest-widget][data-name="typo"]');
      await typo.getByRole("button", { name: "Run example" }).click();
      expect(await typo.getAttribute("data-state")).toBe("failed");
      expect(await typo.locator(".fastest-widget__results").textContent()).toContain('data-engine="jython" names no engine: use pyodide, wasi or auto.');
      // "Open in playground" carries the engine the example ran on.
      await page.waitForFunction(() => document.querySelectorAll('.fastest-widget__open[data-has-result="true"]').length === 2, undefined, { timeout: runBudgetMs });
      const linkOf = (name: string) => page.locator(`[data-fastest-widget][data-name="${name}"] .fastest-widget__open`).getAttribute("href");
      expect(documentOf((await linkOf("default"))!)).toMatchObject({ engine: "wasi" });
      expect(documentOf((await linkOf("pinned"))!)).not.toHaveProperty("engine");
      watch.assertClean();
    } finally {
      await context.close();
    }
  });
});

describe("a site built without the WASI engine", () => {
  const site = mkdtempSync(path.join(os.tmpdir(), "fastest-site-no-wasi-"));
  beforeAll(() => {
    // The same site, built while build/wasi is missing (FASTEST_WASI_DIR points at nothing).
    const build = spawnSync("npx", ["vite", "build", "--outDir", site, "--emptyOutDir", "--logLevel", "warn"], {
      cwd: repoRoot,
      env: { ...process.env, FASTEST_WASI_DIR: path.join(site, "no-wasi-here") },
      encoding: "utf8",
    });
    if (build.status !== 0) throw new Error(`vite build failed:\n${build.stdout}\n${build.stderr}`);
  });
  afterAll(() => rmSync(site, { recursive: true, force: true }));
  const server = useServer({ isolated: false, root: site });

  it("disables the WASI choice with how to add it, and the widget falls back to Pyodide", async () => {
    const context = await newContext(browser());
    try {
      const page = await context.newPage();
      const watch = watchPage(page);
      // A remembered WASI choice cannot be honoured here: the page boots Pyodide.
      await page.addInitScript(() => localStorage.setItem("fastest-playground:engine", "wasi"));
      await page.goto(server().url);
      await waitForReady(page);
      await page.click(".settings summary");
      expect(await page.inputValue("#engine")).toBe("pyodide");
      expect(await page.locator('#engine option[value="wasi"]').isDisabled()).toBe(true);
      expect(await page.textContent("#engine-note")).toContain("built without the CPython-WASI engine. To add it, run `npm run build:wasi`");

      await page.goto(await routeWidgetPage(context, server().url));
      await page.waitForFunction(() => document.querySelectorAll("[data-fastest-widget]").length === 3);
      expect(await widgetEngines(page)).toEqual({ default: "pyodide", pinned: "pyodide", typo: "" });

      // A link made on CPython WASI opens here on Pyodide, and the banner says so.
      const wasiLink = await linkTo(server().url, payloadOf(files, [], "", { engine: "wasi", pyodideVersion: "cpython-3.11.2-0123456789abcdef" }));
      await page.goto(wasiLink);
      await page.waitForFunction(() => /^(reproduced|not-reproduced|no-results)$/.test(document.getElementById("share-state")?.dataset["state"] ?? ""), undefined, { timeout: runBudgetMs });
      expect(await page.inputValue("#engine")).toBe("pyodide");
      expect(await statusText(page)).toMatch(/\(Pyodide\) ready in/);
      expect(await treeOutcomes(page)).toEqual({ "test_engine.py::test_on_wasi": "failed", "test_engine.py::test_wrong_sum": "failed" });
      expect(await page.textContent("#share-state-text")).toMatch(/^The link held files but no results to compare with\. Here: 2 failed in [\d.]+s\. The link was made on CPython WASI, which this site was built without; the tests ran here on Pyodide\.$/);
      watch.assertClean();
    } finally {
      await context.close();
    }
  });
});
