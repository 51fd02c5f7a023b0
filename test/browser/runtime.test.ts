/**
 * The browser runtime (`createRunner`, web/runtime/) in Chromium, through its
 * self-check page (`runtime/check.html`, which only puts a runner on
 * `window`), with and without cross-origin isolation: results and pytest's
 * terminal text (compared with real pytest), collection errors, a fresh
 * interpreter for every run, timeouts, Stop, and the snapshot kept in
 * IndexedDB.
 */
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BootInfo, Runner, RunOptions, RunSummary, RunUpdate } from "../../web/runtime/api.js";
import { normalize } from "../helpers/compare.js";
import { inlineFiles } from "../helpers/inline-files.js";
import { runPytest } from "../helpers/run-cli.js";
import { newContext, runBudgetMs, useBrowser, useServer, watchPage, type PageWatch } from "./helpers/index.js";

const browser = useBrowser();

type CheckWindow = { fastestRunner: Runner };

async function openCheckPage(context: BrowserContext, baseUrl: string): Promise<{ page: Page; watch: PageWatch }> {
  const page = await context.newPage();
  const watch = watchPage(page);
  await page.goto(new URL("runtime/check.html", baseUrl).href);
  await page.waitForFunction(() => document.body.dataset["ready"] === "true");
  return { page, watch };
}

async function boot(page: Page): Promise<BootInfo> {
  return page.evaluate(() => (window as unknown as CheckWindow).fastestRunner.boot());
}

/** Run in the page; `stopAtStartOf`: call `stop()` shortly after that test starts. */
async function run(page: Page, options: RunOptions, stopAtStartOf?: string): Promise<{ summary: RunSummary; updates: RunUpdate[] }> {
  return page.evaluate(
    async ({ options, stopAtStartOf }) => {
      const runner = (window as unknown as CheckWindow).fastestRunner;
      const updates: RunUpdate[] = [];
      const summary = await runner.run(options, (update) => {
        updates.push(update);
        if (update.type === "itemStart" && update.nodeid === stopAtStartOf) setTimeout(() => runner.stop(), 200);
      });
      return { summary, updates };
    },
    { options, stopAtStartOf },
  );
}

const files = (tree: Record<string, string>) => Object.entries(tree).map(([path, content]) => ({ path, content }));

/** The runtime's report and real pytest's on the same files, with what must differ taken out. */
function expectPytestReport(tree: Record<string, string>, summary: RunSummary): void {
  const dir = inlineFiles(tree);
  const pytest = runPytest([], dir);
  // The standard library sits elsewhere (and its line numbers differ) in the host's Python and the sandbox's.
  const stdlib = (text: string) => text.replace(/^\S*\/importlib\/__init__\.py:\d+:/gm, "STDLIB/importlib/__init__.py:");
  expect(stdlib(normalize(summary.terminalText))).toBe(stdlib(normalize(pytest.stdout.replaceAll(dir, "/project"))));
  expect(summary.exitCode).toBe(pytest.status);
}

const passFail = {
  "test_calc.py": "import pytest\n\ndef add(a, b):\n    return a + b\n\ndef test_add():\n    assert add(1, 2) == 3\n\ndef test_wrong():\n    total = add(2, 2)\n    assert total == 5\n\n@pytest.mark.skip(reason='not today')\ndef test_skipped():\n    pass\n",
  "test_text.py": "def test_upper():\n    print('hello from the test')\n    assert 'abc'.upper() == 'ABD'\n",
};

describe.each([{ isolated: false }, { isolated: true }])("the browser runtime (isolated: $isolated)", ({ isolated }) => {
  const server = useServer({ isolated });
  let context: BrowserContext;
  let page: Page;
  let watch: PageWatch;

  beforeAll(async () => {
    context = await newContext(browser());
    ({ page, watch } = await openCheckPage(context, server().url));
  }, runBudgetMs);

  afterAll(async () => {
    await context?.close();
  });

  it("boots on a first visit by making the snapshot", async () => {
    const info = await boot(page);
    expect(info.snapshot).toBe("made");
    expect(info.crossOriginIsolated).toBe(isolated);
    expect(info.pythonVersion).toMatch(/^3\.\d+\.\d+$/);
    expect(info.ms).toBeGreaterThan(0);
  }, runBudgetMs);

  it("runs a passing and failing suite: results, updates and pytest's terminal text", async () => {
    const { summary, updates } = await run(page, { files: files(passFail) });
    const outcomes = Object.fromEntries(summary.results.map((r) => [r.nodeid, r.outcome]));
    expect(outcomes).toEqual({
      "test_calc.py::test_add": "passed",
      "test_calc.py::test_wrong": "failed",
      "test_calc.py::test_skipped": "skipped",
      "test_text.py::test_upper": "failed",
    });
    const wrong = summary.results.find((r) => r.nodeid === "test_calc.py::test_wrong")!;
    expect(wrong.message).toBe("assert 4 == 5");
    expect(wrong.longrepr).toContain(">       assert total == 5");
    expect(wrong.location).toEqual(["test_calc.py", 8, "test_wrong"]);
    expect(wrong.timedOut).toBe(false);
    expect(summary.results.find((r) => r.nodeid === "test_calc.py::test_skipped")!.message).toBe("not today");
    const upper = summary.results.find((r) => r.nodeid === "test_text.py::test_upper")!;
    expect(upper.sections).toEqual([["Captured stdout call", "hello from the test\n"]]);
    expect(summary.counts).toEqual({ failed: 2, passed: 1, skipped: 1 });
    expect(summary.summaryLine).toMatch(/^2 failed, 1 passed, 1 skipped in \d+\.\d\ds$/);
    expect(summary.stopped).toBe(false);
    expect(updates.map((u) => u.type)).toEqual(["booted", "collected", ...Array(4).fill(["itemStart", "itemEnd"]).flat()]);
    expectPytestReport(passFail, summary);
  }, runBudgetMs);

  it("runs only what the selectors name", async () => {
    const { summary } = await run(page, { files: files(passFail), selectors: ["test_calc.py::test_add", "test_text.py"] });
    expect(summary.results.map((r) => r.nodeid)).toEqual(["test_calc.py::test_add", "test_text.py::test_upper"]);
    const missing = await run(page, { files: files(passFail), selectors: ["test_nothere.py"] });
    expect(missing.summary.exitCode).toBe(4);
    expect(missing.summary.terminalText).toContain("ERROR: file or directory not found: test_nothere.py");
  }, runBudgetMs);

  it("reports a collection error as pytest does", async () => {
    const tree = { "test_broken.py": "import not_a_module\n\ndef test_x():\n    pass\n", "test_fine.py": "def test_fine():\n    pass\n" };
    const { summary } = await run(page, { files: files(tree) });
    expect(summary.errors.map((e) => e.nodeid)).toEqual(["test_broken.py"]);
    expect(summary.results).toEqual([]);
    expect(summary.exitCode).toBe(2);
    expectPytestReport(tree, summary);
  }, runBudgetMs);

  it("starts every run on a fresh interpreter, so edited files take effect", async () => {
    const first = await run(page, {
      files: files({
        "util.py": "VALUE = 1\n",
        "test_util.py": "import sys\nimport util\n\ndef test_value():\n    sys.modules['left_behind'] = util\n    assert util.VALUE == 1\n",
      }),
    });
    expect(first.summary.counts).toEqual({ passed: 1 });
    const second = await run(page, {
      files: files({
        "util.py": "VALUE = 2\n",
        "test_util.py": "import sys\nimport util\n\ndef test_value():\n    assert 'left_behind' not in sys.modules\n    assert util.VALUE == 2\n",
      }),
    });
    expect(second.summary.counts).toEqual({ passed: 1 });
  }, runBudgetMs);

  it("stops a test past its timeout, reports it and runs the rest", async () => {
    const tree = {
      "test_loop.py": "def test_before():\n    pass\n\ndef test_spin():\n    while True:\n        pass\n\ndef test_after():\n    pass\n",
      "test_more.py": "def test_more():\n    pass\n",
    };
    const { summary } = await run(page, { files: files(tree), timeout: 1 });
    const spin = summary.results.find((r) => r.nodeid === "test_loop.py::test_spin")!;
    expect(summary.results.map((r) => [r.nodeid, r.outcome, r.timedOut])).toEqual([
      ["test_loop.py::test_before", "passed", false],
      ["test_loop.py::test_spin", "failed", true],
      ["test_loop.py::test_after", "passed", false],
      ["test_more.py::test_more", "passed", false],
    ]);
    expect(spin.message).toBe("Failed: Timeout (>1.0s) from pytest-timeout.");
    if (isolated) {
      // Interrupted in place: the failure shows where the test was.
      expect(spin.longrepr).toContain("while True");
    } else {
      expect(spin.longrepr).toContain("not cross-origin isolated");
    }
    expect(summary.summaryLine).toMatch(/^1 failed, 3 passed in /);
  }, runBudgetMs);

  it.runIf(isolated)("honours a test's own @pytest.mark.timeout", async () => {
    const tree = { "test_marked.py": "import pytest\n\n@pytest.mark.timeout(0.5)\ndef test_marked():\n    while True:\n        pass\n" };
    const { summary } = await run(page, { files: files(tree), timeout: 0 });
    expect(summary.results.map((r) => [r.outcome, r.timedOut, r.message])).toEqual([["failed", true, "Failed: Timeout (>0.5s) from pytest-timeout."]]);
  }, runBudgetMs);

  it.runIf(isolated)("kills a test that ignores the interrupt, after a grace period", async () => {
    const tree = {
      "test_stubborn.py": "def test_stubborn():\n    while True:\n        try:\n            while True:\n                pass\n        except KeyboardInterrupt:\n            pass\n\ndef test_next():\n    pass\n",
    };
    const { summary } = await run(page, { files: files(tree), timeout: 1 });
    expect(summary.results.map((r) => [r.nodeid, r.outcome, r.timedOut])).toEqual([
      ["test_stubborn.py::test_stubborn", "failed", true],
      ["test_stubborn.py::test_next", "passed", false],
    ]);
    expect(summary.results[0]!.longrepr).toContain("did not stop when interrupted");
  }, runBudgetMs);

  it("keeps test code away from the page's JavaScript, storage and network", async () => {
    const tree = {
      "test_escape.py": [
        "import pytest",
        "from pyodide.ffi import create_proxy, to_js",
        "",
        "def test_no_js_module():",
        "    with pytest.raises(ImportError):",
        "        import js",
        "",
        "@pytest.mark.parametrize('make', [lambda: to_js({}), lambda: to_js([1]), lambda: create_proxy(lambda: 1)], ids=['object', 'array', 'pyproxy'])",
        "def test_no_function_from_strings(make):",
        "    with pytest.raises(Exception, match='disabled in the fastest sandbox'):",
        "        make().constructor.constructor('return indexedDB')()",
        "",
        "def test_no_async_function_from_strings():",
        "    keys = to_js({}).constructor.keys",
        "    Object = to_js({}).constructor",
        "    with pytest.raises(Exception, match='disabled in the fastest sandbox'):",
        "        Object.getPrototypeOf(keys).constructor('return 1')()",
        "",
        "def test_no_network():",
        "    import urllib.request",
        "    with pytest.raises(Exception):",
        "        urllib.request.urlopen('http://127.0.0.1/')",
        "",
      ].join("\n"),
    };
    const { summary } = await run(page, { files: files(tree) });
    expect(summary.results.map((r) => [r.nodeid, r.outcome, r.longrepr])).toEqual(
      summary.results.map((r) => [r.nodeid, "passed", ""]),
    );
    expect(summary.counts).toEqual({ passed: 6 });
  }, runBudgetMs);

  it("stop() ends a run that would never end, and the next run works", async () => {
    const tree = { "test_forever.py": "def test_quick():\n    pass\n\ndef test_forever():\n    while True:\n        pass\n" };
    const { summary } = await run(page, { files: files(tree), timeout: 0 }, "test_forever.py::test_forever");
    expect(summary.stopped).toBe(true);
    expect(summary.results.map((r) => [r.nodeid, r.outcome])).toEqual([["test_forever.py::test_quick", "passed"]]);
    expect(summary.exitCode).toBe(2);
    expect(summary.terminalText).toContain("!!! KeyboardInterrupt !!!");
    const next = await run(page, { files: files({ "test_ok.py": "def test_ok():\n    pass\n" }) });
    expect(next.summary.counts).toEqual({ passed: 1 });
    watch.assertClean([/favicon/]);
  }, runBudgetMs);

  it("restores the snapshot from IndexedDB on the next visit", async () => {
    const second = await openCheckPage(context, server().url);
    const info = await boot(second.page);
    expect(info.snapshot).toBe("cache");
    const { summary } = await run(second.page, { files: files({ "test_ok.py": "def test_ok():\n    pass\n" }) });
    expect(summary.counts).toEqual({ passed: 1 });
    second.watch.assertClean([/favicon/]);
    await second.page.close();
  }, runBudgetMs);
});

describe("a damaged snapshot in IndexedDB", () => {
  const server = useServer({ isolated: false });

  it("is made again instead of failing the boot", async () => {
    const context = await newContext(browser());
    try {
      const first = await openCheckPage(context, server().url);
      expect((await boot(first.page)).snapshot).toBe("made");
      // Cut the stored snapshot short, as an interrupted write would leave it.
      await first.page.evaluate(async () => {
        const db = await new Promise<IDBDatabase>((resolve, reject) => {
          const request = indexedDB.open("fastest-runtime");
          request.onsuccess = () => resolve(request.result);
          request.onerror = () => reject(request.error);
        });
        await new Promise<void>((resolve, reject) => {
          const store = db.transaction("snapshots", "readwrite").objectStore("snapshots");
          const keys = store.getAllKeys();
          keys.onsuccess = () => {
            for (const key of keys.result) store.put(new Blob([new Uint8Array(1000).fill(7)]), key);
            store.transaction.oncomplete = () => resolve();
          };
          keys.onerror = () => reject(keys.error);
        });
        db.close();
      });
      await first.page.close();

      const second = await openCheckPage(context, server().url);
      expect((await boot(second.page)).snapshot).toBe("made");
      const { summary } = await run(second.page, { files: files({ "test_ok.py": "def test_ok():\n    pass\n" }) });
      expect(summary.counts).toEqual({ passed: 1 });
      await second.page.close();

      const third = await openCheckPage(context, server().url);
      expect((await boot(third.page)).snapshot).toBe("cache");
    } finally {
      await context.close();
    }
  }, 2 * runBudgetMs);
});
