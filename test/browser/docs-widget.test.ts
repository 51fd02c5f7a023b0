/**
 * The docs widget on its demo page (dist/web/docs/index.html, built by
 * `npm run build:web`): nothing loads before a widget is on screen, every
 * example runs on one shared engine, a failing doctest shows expected and
 * actual output per example, test blocks run as pytest tests, the setup
 * block's names reach every example while each example starts fresh, and
 * "Open in playground" carries the example's files to the playground.
 */
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { decodeShareFragment } from "../../web/share/codec.js";
import { newContext, runBudgetMs, screenshot, screenshotDir, useBrowser, useServer, waitForReady, watchPage } from "./helpers/index.js";

const browser = useBrowser();

/** The demo page's widgets by `data-name`, in page order, with the state each ends in. */
const expectedStates: Record<string, "passed" | "failed"> = {
  basics: "passed",
  "max-length": "passed",
  errors: "passed",
  unique: "passed",
  symbols: "failed",
  "fresh-define": "passed",
  "fresh-check": "passed",
  tests: "passed",
};

const widget = (page: Page, name: string) => page.locator(`[data-fastest-widget][data-name="${name}"]`);

async function widgetStates(page: Page): Promise<Record<string, string>> {
  return page.$$eval("[data-fastest-widget]", (roots) => Object.fromEntries(roots.map((root) => [root.getAttribute("data-name") ?? "", root.getAttribute("data-state") ?? ""])));
}

/** Wait until no widget is running and none that was asked to run is still idle. */
async function waitForWidgets(page: Page, names: string[]): Promise<void> {
  await page.waitForFunction(
    (wanted) => wanted.every((name) => /^(passed|failed)$/.test(document.querySelector(`[data-fastest-widget][data-name="${name}"]`)?.getAttribute("data-state") ?? "")),
    names,
    { timeout: runBudgetMs * 2 },
  );
}

async function openDocs(page: Page, base: string): Promise<void> {
  await page.goto(new URL("docs/index.html", base).href);
  await page.waitForFunction((count) => document.querySelectorAll("[data-fastest-widget]").length === count, Object.keys(expectedStates).length);
}

describe.each([
  { isolated: true, mode: "cross-origin isolated" },
  { isolated: false, mode: "not isolated" },
])("docs demo page ($mode)", ({ isolated }) => {
  const server = useServer({ isolated });

  it("loads no engine before a widget is on screen, then runs every example on one shared engine", async () => {
    const context = await newContext(browser(), { width: 1280, height: 640 });
    try {
      const page = await context.newPage();
      const watch = watchPage(page);
      const workers: string[] = [];
      page.on("worker", (worker) => workers.push(worker.url()));
      await openDocs(page, server().url);
      expect(await widgetStates(page)).toEqual(Object.fromEntries(Object.keys(expectedStates).map((name) => [name, "idle"])));
      const firstTop = await page.locator("[data-fastest-widget]").first().evaluate((el) => el.getBoundingClientRect().top);
      expect(firstTop, "the first widget must start below the fold for this check").toBeGreaterThan(640);

      // Give an eager page time to start loading; nothing of the engine may be asked for.
      await page.waitForTimeout(1500);
      const engineRequests = () => server().requests.filter((p) => /\.wasm$|python_stdlib|\/assets\/(runner|worker)-/.test(p));
      expect(engineRequests()).toEqual([]);
      expect(workers).toEqual([]);
      expect(await page.evaluate(() => document.documentElement.dataset["fastestEngine"] ?? "not-started")).toBe("not-started");

      await widget(page, "basics").scrollIntoViewIfNeeded();
      await page.waitForFunction(() => /^(ready|failed)$/.test(document.documentElement.dataset["fastestEngine"] ?? ""), undefined, { timeout: runBudgetMs });
      expect(await page.evaluate(() => document.documentElement.dataset["fastestEngine"])).toBe("ready");
      expect(workers.length).toBeGreaterThan(0);

      // Every Run button at once: the runs queue on the one engine, in page order.
      for (const name of Object.keys(expectedStates)) await widget(page, name).getByRole("button", { name: "Run example" }).click();
      await waitForWidgets(page, Object.keys(expectedStates));
      expect(await widgetStates(page)).toEqual(expectedStates);
      // One runner for the page: it loaded Pyodide's files and booted once for all eight runs.
      expect(await page.evaluate(() => ["fastest:assets-loaded", "fastest:booted"].map((name) => performance.getEntriesByName(name).length))).toEqual([1, 1]);

      // The setup block's names (slugify, unique_slug, SlugError) reached the doctests, each example checked.
      const exampleStates = (name: string) => widget(page, name).locator("[data-example-state]").evaluateAll((items) => items.map((item) => item.getAttribute("data-example-state")));
      expect(await exampleStates("basics")).toEqual(["passed", "passed", "passed"]);
      expect(await exampleStates("errors")).toEqual(["passed", "passed"]);
      expect(await widget(page, "basics").getByRole("status").textContent()).toBe("Passed: all 3 examples passed");

      // The failing doctest: per example, and expected vs actual for the failed one.
      const symbols = widget(page, "symbols");
      expect(await exampleStates("symbols")).toEqual(["failed", "passed"]);
      const failed = symbols.locator('[data-example-state="failed"]');
      expect(await failed.locator(".fastest-widget__code").textContent()).toBe('>>> slugify("I ♥ Python")');
      expect(await failed.locator('[data-role="expected"]').textContent()).toBe("'i-love-python'");
      expect(await failed.locator('[data-role="actual"]').textContent()).toBe("'i-python'");
      expect(await symbols.locator('[data-example-state="passed"] [data-role]').count()).toBe(0);
      expect(await symbols.getByRole("status").textContent()).toBe("Failed: 1 of 2 examples failed");

      // A name one example defined is gone in the next (it ran after, on the same engine).
      expect(await exampleStates("fresh-define")).toEqual(["passed", "passed", "passed"]);
      expect(await exampleStates("fresh-check")).toEqual(["passed", "passed"]);

      // The test block ran as pytest tests.
      const tests = await widget(page, "tests").locator("[data-nodeid]").evaluateAll((items) => items.map((item) => [item.getAttribute("data-nodeid"), item.getAttribute("data-outcome")]));
      expect(tests).toEqual([
        ["test_example.py::test_slugify[Hello, World!-hello-world]", "passed"],
        ["test_example.py::test_slugify[  spaces   everywhere  -spaces-everywhere]", "passed"],
        ["test_example.py::test_slugify[Cr\\xe8me br\\xfbl\\xe9e-creme-brulee]", "passed"],
        ["test_example.py::test_unique_slug_numbers_repeated_titles", "passed"],
        ["test_example.py::test_nothing_to_slug", "passed"],
      ]);
      expect(await widget(page, "tests").getByRole("status").textContent()).toMatch(/^Passed: 5 passed in [\d.]+s$/);

      await screenshot(page, `docs-widget-desktop-light-${isolated ? "isolated" : "not-isolated"}`);
      watch.assertClean();
    } finally {
      await context.close();
    }
  });
});

describe("docs demo page: links, small screens, content added later", () => {
  const server = useServer({ isolated: false });

  it("Open in playground opens the example's files, with the run's result, in the playground", async () => {
    const context = await newContext(browser());
    try {
      const page = await context.newPage();
      const watch = watchPage(page);
      await openDocs(page, server().url);
      const symbols = widget(page, "symbols");
      await symbols.scrollIntoViewIfNeeded();
      await symbols.getByRole("button", { name: "Run example" }).click();
      await waitForWidgets(page, ["symbols"]);
      const link = symbols.getByRole("link", { name: "Open in playground" });
      // The link is rewritten with the run's result once it is known.
      await page.waitForFunction(() => document.querySelector('[data-name="symbols"] .fastest-widget__open')?.getAttribute("data-has-result") === "true");
      const href = (await link.getAttribute("href"))!;
      const url = new URL(href, page.url());
      expect(url.href.split("#")[0]).toBe(new URL("index.html", server().url).href);
      const payload = await decodeShareFragment(url.hash);
      expect(payload.files.map((f) => f.path)).toEqual(["docs_setup.py", "docs_doctest.py", "test_example.py"]);
      expect(payload.files[0]!.content).toContain("def slugify(text, sep=\"-\", max_length=None):");
      expect(payload.files[2]!.content).toContain(">>> slugify(\"I ♥ Python\")\n'i-love-python'\n");
      expect(payload.results.map((r) => [r.nodeid, r.outcome])).toEqual([["test_example.py::test_example", "failed"]]);
      expect(payload.results[0]!.longrepr).toContain("Expected:\n    'i-love-python'\nGot:\n    'i-python'");

      const playground = await context.newPage();
      const playgroundWatch = watchPage(playground);
      await playground.goto(url.href);
      await waitForReady(playground);
      const tabs = await playground.getByRole("tab").evaluateAll((items) => items.map((item) => item.getAttribute("aria-label") ?? item.textContent?.trim()));
      expect(tabs).toEqual(["docs_setup.py", "docs_doctest.py", "test_example.py"]);
      await playground.waitForFunction(() => /^(reproduced|not-reproduced)$/.test(document.getElementById("share-state")?.dataset["state"] ?? ""), undefined, { timeout: runBudgetMs });
      expect(await playground.locator("#share-state").getAttribute("data-state")).toBe("reproduced");
      watch.assertClean();
      playgroundWatch.assertClean();
    } finally {
      await context.close();
    }
  });

  it("says when Python could not start, and the next Run tries again", async () => {
    const context = await newContext(browser());
    try {
      const page = await context.newPage();
      const watch = watchPage(page);
      // The engine's WebAssembly (Pyodide's, or CPython WASI's: the widget's default where the site has it) cannot be downloaded (a network hiccup) until `offline` is cleared.
      let offline = true;
      await context.route(/\/(pyodide\.asm|python)-[^/]*\.wasm$/, async (route) => {
        if (offline) await route.abort("connectionreset");
        else await route.continue();
      });
      await openDocs(page, server().url);
      const basics = widget(page, "basics");
      await basics.scrollIntoViewIfNeeded();
      await page.waitForFunction(() => document.documentElement.dataset["fastestEngine"] === "failed", undefined, { timeout: runBudgetMs });
      await basics.getByRole("button", { name: "Run example" }).click();
      await waitForWidgets(page, ["basics"]);
      expect(await basics.getByRole("status").textContent()).toBe("Failed: the example could not run");
      expect(await basics.locator(".fastest-widget__results").textContent()).toContain("press Run example to try again");
      offline = false;
      await basics.getByRole("button", { name: "Run example" }).click();
      await page.waitForFunction(() => document.querySelector('[data-fastest-widget][data-name="basics"]')?.getAttribute("data-state") === "passed", undefined, { timeout: runBudgetMs });
      watch.assertClean([/Failed to load resource: net::ERR_CONNECTION_RESET/]);
    } finally {
      await context.close();
    }
  });

  it("works at 400 px in dark mode from the keyboard, and mounts blocks a page adds later", async () => {
    const context = await browser().newContext({ viewport: { width: 400, height: 800 }, colorScheme: "dark" });
    try {
      const page = await context.newPage();
      const watch = watchPage(page);
      await openDocs(page, server().url);
      const symbols = widget(page, "symbols");
      await symbols.scrollIntoViewIfNeeded();
      await symbols.getByRole("button", { name: "Run example" }).focus();
      await page.keyboard.press("Enter");
      await waitForWidgets(page, ["symbols"]);
      expect(await symbols.getAttribute("data-state")).toBe("failed");
      // Focus stays on the button through the run.
      expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Run example");
      // Nothing sticks out of a 400 px page.
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(400);
      await screenshot(page, "docs-widget-400px-dark");

      // A page that renders content later calls mountWidgets itself; calling it again changes nothing.
      // (A string: vitest would rewrite a dynamic import() written in this file.)
      const mounted = await page.evaluate(`(async () => {
        const { mountWidgets } = await import(new URL("../widget.js", location.href).href);
        const section = document.createElement("section");
        section.innerHTML = '<pre data-fastest data-name="later">&gt;&gt;&gt; slugify("Added later")\\n\\'added-later\\'\\n&gt;&gt;&gt; "&lt;b&gt;" + "not html"\\n\\'&lt;b&gt;not html\\'</pre>'
          + '<pre><code data-fastest="test" data-name="later-test">def test_ok():\\n    assert slugify("A b") == "a-b"\\n\\ndef test_wrong():\\n    print("&lt;i&gt;captured&lt;/i&gt;")\\n    assert slugify("A b") == "a_b"\\n</code></pre>';
        document.querySelector("main").append(section);
        const added = mountWidgets(section).length;
        const again = mountWidgets(document).length;
        // A second copy of the script (another URL, another module) mounts on import and finds nothing new either.
        const copy = await import(new URL("../widget.js?second-copy", location.href).href);
        const againFromCopy = copy.mountWidgets(document).length;
        return { added, again, againFromCopy, total: document.querySelectorAll("[data-fastest-widget]").length, setups: document.querySelectorAll("[data-fastest-setup]").length };
      })()`);
      expect(mounted).toEqual({ added: 2, again: 0, againFromCopy: 0, total: Object.keys(expectedStates).length + 2, setups: 1 });
      const later = widget(page, "later");
      expect(await later.getAttribute("data-kind")).toBe("doctest");
      await later.scrollIntoViewIfNeeded();
      await later.getByRole("button", { name: "Run example" }).click();
      await waitForWidgets(page, ["later"]);
      expect(await later.getAttribute("data-state")).toBe("passed");
      // Output is text, never markup.
      expect(await later.locator("b").count()).toBe(0);

      // A failing test shows its failure text and captured output.
      const laterTest = widget(page, "later-test");
      expect(await laterTest.getAttribute("data-kind")).toBe("test");
      await laterTest.getByRole("button", { name: "Run example" }).click();
      await waitForWidgets(page, ["later-test"]);
      expect(await laterTest.getByRole("status").textContent()).toMatch(/^Failed: 1 failed, 1 passed in [\d.]+s$/);
      const wrong = laterTest.locator('[data-nodeid="test_example.py::test_wrong"]');
      expect(await wrong.getAttribute("data-outcome")).toBe("failed");
      const failureText = (await wrong.textContent()) ?? "";
      expect(failureText).toContain("AssertionError: assert 'a-b' == 'a_b'");
      expect(failureText).toContain("Captured stdout call<i>captured</i>");
      expect(failureText.split("Captured stdout call")).toHaveLength(2);
      expect(await laterTest.locator("i").count()).toBe(0);
      await laterTest.screenshot({ path: `${screenshotDir}/docs-widget-failing-test-400px-dark.png` });

      // An example that never ends is stopped by the mount's timeout; the engine goes on with the next run.
      await page.evaluate(`(async () => {
        const { mountWidgets } = await import(new URL("../widget.js", location.href).href);
        const section = document.createElement("section");
        section.innerHTML = '<pre data-fastest data-name="loop">&gt;&gt;&gt; while True: pass</pre>';
        document.querySelector("main").append(section);
        // The block itself as the root.
        mountWidgets(section.firstElementChild, { timeout: 1 });
      })()`);
      const loop = widget(page, "loop");
      await loop.scrollIntoViewIfNeeded();
      await loop.getByRole("button", { name: "Run example" }).click();
      await waitForWidgets(page, ["loop"]);
      expect(await loop.getAttribute("data-state")).toBe("failed");
      expect(await loop.locator('[data-nodeid="test_example.py::test_example"]').getAttribute("data-timed-out")).toBe("true");
      await loop.screenshot({ path: `${screenshotDir}/docs-widget-timeout-400px-dark.png` });
      const basics = widget(page, "basics");
      await basics.getByRole("button", { name: "Run example" }).click();
      await waitForWidgets(page, ["basics"]);
      expect(await basics.getAttribute("data-state")).toBe("passed");
      watch.assertClean();
    } finally {
      await context.close();
    }
  });
});
