/**
 * The playground page in Chromium, against the built site: the example
 * workspace (a failing suite, checked against real pytest on the same
 * files), a passing suite, running one test, re-running failures, Stop, run
 * settings, timeouts and collection errors, sharing, adding / renaming /
 * deleting files, drafts kept across visits, keyboard use, the dark theme
 * and a 400 px wide screen. Screenshots go to
 * test-results/screenshots/.
 */
import { spawnSync } from "node:child_process";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inlineFiles } from "../helpers/inline-files.js";
import { runPytest } from "../helpers/run-cli.js";
import { STARTER_FILES } from "../../web/playground/workspace.js";
import { linkTo, payloadOf, recorded } from "./helpers/share-links.js";
import {
  newContext,
  runBudgetMs,
  screenshot,
  statusText,
  treeOutcomes,
  useBrowser,
  useServer,
  waitForReady,
  waitForRunEnd,
  watchPage,
  type PageWatch,
} from "./helpers/index.js";

const browser = useBrowser();
const server = useServer({ isolated: false });

/** Runs in the page before its scripts: keeps every text the status line shows, in order, in `window.__statusLines`. */
function recordStatusLines(): void {
  const lines: string[] = [];
  (window as unknown as { __statusLines: string[] }).__statusLines = lines;
  new MutationObserver(() => {
    const text = document.getElementById("status")?.textContent ?? "";
    if (text !== lines.at(-1)) lines.push(text);
  }).observe(document, { subtree: true, childList: true, characterData: true });
}

/** Open the playground in `context` on the example workspace (drafts of earlier tests in the same context are reset). */
async function openPlayground(context: BrowserContext, initScript?: () => void): Promise<{ page: Page; watch: PageWatch }> {
  const page = await context.newPage();
  const watch = watchPage(page);
  if (initScript) await page.addInitScript(initScript);
  await page.goto(server().url);
  await waitForReady(page);
  await page.getByRole("button", { name: "Reset to example" }).click();
  return { page, watch };
}

/** Replace the open file's text the way a paste would (no auto-indent). */
async function setEditorText(page: Page, text: string): Promise<void> {
  await page.locator(".cm-content").click();
  await page.keyboard.press("Control+A");
  await page.keyboard.insertText(text);
}

async function openTab(page: Page, filePath: string): Promise<void> {
  await page.getByRole("tab", { name: filePath, exact: true }).click();
}

async function runAll(page: Page): Promise<void> {
  await page.getByRole("button", { name: "Run all", exact: true }).click();
  await waitForRunEnd(page);
}

/** pytest's outcome per node id and its summary line (timing cut), from `-v` output. */
function pytestReport(stdout: string): { outcomes: Record<string, string>; summary: string } {
  const outcomes: Record<string, string> = {};
  for (const match of stdout.matchAll(/^(\S+::\S+) (PASSED|FAILED|ERROR|SKIPPED|XFAIL|XPASS)\b/gm)) outcomes[match[1]!] = match[2]!.toLowerCase();
  const summary = /^=+ (.*) in [\d.]+s.* =+$/m.exec(stdout)?.[1] ?? "";
  return { outcomes, summary };
}

const withoutTiming = (line: string) => line.replace(/ in [\d.]+s.*$/, "");

describe("the playground", () => {
  let context: BrowserContext;
  beforeAll(async () => {
    context = await newContext(browser());
  });
  afterAll(async () => {
    await context?.close();
  });

  it("runs the example workspace: the failing test shows pytest's failure text with its assertion diff, outcomes as real pytest", async () => {
    const { page, watch } = await openPlayground(context, recordStatusLines);
    expect(await page.getByRole("tab").allTextContents()).toEqual(["test_example.py", "conftest.py", "calc.py"]);
    await runAll(page);
    // Python booted as the page opened, and the status line said so before giving the boot time.
    const lines = await page.evaluate(() => (window as unknown as { __statusLines: string[] }).__statusLines);
    const booting = lines.findIndex((line) => line.startsWith("Booting Python…"));
    const ready = lines.findIndex((line) => /ready in \d+ ms/.test(line));
    expect(booting).toBeGreaterThanOrEqual(0);
    expect(ready).toBeGreaterThan(booting);

    const project = inlineFiles(Object.fromEntries(STARTER_FILES.map((file) => [file.path, file.content])));
    const oracle = pytestReport(runPytest(["-v"], project).stdout);
    expect(Object.keys(oracle.outcomes)).toHaveLength(4);
    expect(await treeOutcomes(page)).toEqual(oracle.outcomes);

    const status = await statusText(page);
    expect(status).toMatch(/ready in \d+ ms/);
    expect(withoutTiming(status.split(/\)\.\s*/).at(-1)!)).toBe(oracle.summary);

    // The failure is open at once, as pytest prints it: the failing line and the assertion diff.
    const failed = page.locator('[role="treeitem"][data-nodeid="test_example.py::test_mean"]');
    await expect.poll(() => failed.getAttribute("data-outcome")).toBe("failed");
    expect(await failed.getAttribute("aria-expanded")).toBe("true");
    const failureText = (await failed.locator("pre").first().textContent()) ?? "";
    expect(failureText).toContain(">       assert mean(numbers) == 2.5");
    expect(failureText).toContain("E       assert 2.0 == 2.5");
    expect(failureText).toContain("test_example.py:10: AssertionError");
    // Screen readers get it as the row's description (its name is the short "test_mean: failed, 3 ms").
    expect(await failed.getAttribute("aria-label")).toMatch(/^test_mean: failed, /);
    const describedBy = (await failed.getAttribute("aria-describedby"))!;
    expect(await page.locator(`[id="${describedBy}"]`).textContent()).toContain("E       assert 2.0 == 2.5");

    // Captured output of a passing test opens on request.
    const split = page.locator('[data-nodeid="test_example.py::TestWords::test_split"]');
    expect(await split.getAttribute("aria-expanded")).toBe("false");
    await split.locator(".tree-row").click();
    await expect.poll(() => split.locator(".tree-detail").textContent()).toContain("splitting a sentence");

    // The terminal text is there in full.
    await page.getByText("Terminal output").click();
    expect(await page.locator("#terminal-text").textContent()).toMatch(/FAILURES[\s\S]*test_mean[\s\S]*1 failed, 3 passed/);
    expect(await page.getByRole("button", { name: "Run failed" }).isEnabled()).toBe(true);
    await screenshot(page, "playground-light");
    watch.assertClean();
    await page.close();
  });

  it("runs a passing suite; Run failed stays disabled", async () => {
    const { page, watch } = await openPlayground(context);
    await openTab(page, "calc.py");
    await setEditorText(page, "def add(a, b):\n    return a + b\n\n\ndef mean(values):\n    return sum(values) / len(values)\n");
    await runAll(page);
    expect(await treeOutcomes(page)).toEqual({
      "test_example.py::test_add": "passed",
      "test_example.py::test_mean": "passed",
      "test_example.py::TestWords::test_upper": "passed",
      "test_example.py::TestWords::test_split": "passed",
    });
    expect(await statusText(page)).toMatch(/4 passed in [\d.]+s/);
    expect(await page.getByRole("button", { name: "Run failed" }).isDisabled()).toBe(true);
    watch.assertClean();
    await page.close();
  });

  it("runs one test from its Run button and re-runs only the failed tests", async () => {
    const { page, watch } = await openPlayground(context);
    await runAll(page);
    const rows = await page.evaluate(() => document.querySelectorAll('[role="treeitem"]').length);
    expect(rows).toBe(4);

    // One test: only it runs (the summary counts one), the others keep their results.
    await page.getByRole("button", { name: "Run test_example.py::TestWords::test_upper", exact: true }).click();
    await waitForRunEnd(page);
    expect(await statusText(page)).toMatch(/\b1 passed in [\d.]+s/);
    expect(await statusText(page)).not.toMatch(/failed/);
    expect((await treeOutcomes(page))["test_example.py::test_mean"]).toBe("failed");

    // Fix the module, re-run the failures: only test_mean runs, and now passes.
    await openTab(page, "calc.py");
    await setEditorText(page, "def add(a, b):\n    return a + b\n\n\ndef mean(values):\n    return sum(values) / len(values)\n");
    await page.getByRole("button", { name: "Run failed" }).click();
    await waitForRunEnd(page);
    expect(await statusText(page)).toMatch(/\b1 passed in [\d.]+s/);
    expect(await treeOutcomes(page)).toEqual({
      "test_example.py::test_add": "passed",
      "test_example.py::test_mean": "passed",
      "test_example.py::TestWords::test_upper": "passed",
      "test_example.py::TestWords::test_split": "passed",
    });
    expect(await page.getByRole("button", { name: "Run failed" }).isDisabled()).toBe(true);

    // A test renamed in the code since the last run: its row's Run button finds nothing, and the row goes.
    await openTab(page, "test_example.py");
    await setEditorText(page, "def test_renamed():\n    pass\n");
    await page.getByRole("button", { name: "Run test_example.py::test_add", exact: true }).click();
    await waitForRunEnd(page);
    expect(await statusText(page)).toContain("Not found: test_example.py::test_add (renamed or deleted in the code?). Run all collects the tests again.");
    expect(Object.keys(await treeOutcomes(page))).not.toContain("test_example.py::test_add");
    watch.assertClean();
    await page.close();
  });

  it("adds, renames and deletes files, refusing bad names with a clear message", async () => {
    const { page, watch } = await openPlayground(context);
    const nameField = page.getByLabel("New file name");
    const error = page.locator("#file-name-error");

    await page.getByRole("button", { name: "Add file" }).click();
    for (const [bad, message] of [
      ["../escape.py", "cannot contain '..'"],
      ["notes.md", "must end in .py"],
      ["conftest.py", "already a file named conftest.py"],
      ["/abs.py", "relative"],
    ] as const) {
      await nameField.fill(bad);
      await page.getByRole("button", { name: "Add", exact: true }).click();
      expect(await error.textContent()).toContain(message);
      expect(await nameField.getAttribute("aria-invalid")).toBe("true");
    }
    await nameField.fill("tests/test_more.py");
    await page.getByRole("button", { name: "Add", exact: true }).click();
    const newTab = page.getByRole("tab", { name: "tests/test_more.py", exact: true });
    expect(await newTab.getAttribute("aria-selected")).toBe("true");
    await setEditorText(page, "def test_more():\n    assert [1, 2] == [1, 3]\n");

    await page.getByRole("button", { name: "Rename tests/test_more.py" }).click();
    await page.getByLabel("New name for tests/test_more.py").fill("tests/test_renamed.py");
    await page.getByRole("button", { name: "Rename", exact: true }).click();
    expect(await page.getByRole("tab").allTextContents()).toEqual(["test_example.py", "conftest.py", "calc.py", "tests/test_renamed.py"]);

    await runAll(page);
    const outcomes = await treeOutcomes(page);
    expect(outcomes["tests/test_renamed.py::test_more"]).toBe("failed");
    const diff = await page.locator('[data-nodeid="tests/test_renamed.py::test_more"] pre').first().textContent();
    expect(diff).toContain("E       assert [1, 2] == [1, 3]");

    await page.getByRole("button", { name: "Delete tests/test_renamed.py" }).click();
    await page.getByRole("button", { name: "Delete", exact: true }).click();
    expect(await page.getByRole("tab").allTextContents()).toEqual(["test_example.py", "conftest.py", "calc.py"]);
    await runAll(page);
    expect(Object.keys(await treeOutcomes(page))).not.toContain("tests/test_renamed.py::test_more");
    watch.assertClean();
    await page.close();
  });

  it("keeps the draft in the browser and restores it on the next visit", async () => {
    const { page, watch } = await openPlayground(context);
    await page.getByRole("button", { name: "Add file" }).click();
    await page.getByLabel("New file name").fill("test_draft.py");
    await page.getByRole("button", { name: "Add", exact: true }).click();
    await setEditorText(page, "def test_kept():\n    assert True\n");
    // Autosave waits for a pause in typing; leaving the page saves at once too.
    await page.waitForTimeout(800);
    await page.close();

    const again = await context.newPage();
    const watchAgain = watchPage(again);
    await again.goto(server().url);
    await waitForReady(again);
    expect(await again.getByRole("tab").allTextContents()).toEqual(["test_example.py", "conftest.py", "calc.py", "test_draft.py"]);
    expect(await again.getByRole("tab", { name: "test_draft.py" }).getAttribute("aria-selected")).toBe("true");
    expect(await again.locator(".cm-content").textContent()).toContain("def test_kept():");
    watch.assertClean();
    watchAgain.assertClean();
    await again.close();
  });

  it("uses the run settings (seed, timeout), marks a test stopped by the timeout, and shows collection errors", async () => {
    const { page, watch } = await openPlayground(context);
    await page.getByText("Run settings").click();
    const seed = page.getByLabel("Seed");
    const timeout = page.getByLabel(/^Timeout per test/);
    await seed.fill("2.5");
    await seed.blur();
    expect(await page.textContent("#settings-error")).toContain("The seed must be a whole number, such as 0 or 1234; runs use 0.");
    expect(await seed.getAttribute("aria-invalid")).toBe("true");
    await seed.fill("1234");
    await timeout.fill("1");
    await timeout.blur();
    expect(await page.isVisible("#settings-error")).toBe(false);

    const example = "import random\n\n\ndef test_seeded():\n    print(repr(random.random()))\n\n\ndef test_forever():\n    while True:\n        pass\n";
    await setEditorText(page, example);
    await page.getByRole("button", { name: "Add file" }).click();
    await page.getByLabel("New file name").fill("test_broken.py");
    await page.getByRole("button", { name: "Add", exact: true }).click();
    await setEditorText(page, "def oops(:\n    pass\n");
    await runAll(page);

    // A collection error stops the run before any test, as in pytest (without --continue-on-collection-errors).
    const project = inlineFiles({ "test_example.py": example, "test_broken.py": "def oops(:\n    pass\n" });
    const oracle = pytestReport(runPytest(["-v"], project).stdout);
    expect(withoutTiming((await page.locator("#status .status-run").textContent())!)).toBe(oracle.summary);
    const errors = page.locator("#collect-errors");
    expect(await errors.isVisible()).toBe(true);
    expect(await errors.textContent()).toMatch(/ERROR collecting test_broken\.py[\s\S]*SyntaxError/);
    expect(await treeOutcomes(page)).toEqual({ "test_example.py::test_seeded": "not-run", "test_example.py::test_forever": "not-run" });
    await screenshot(page, "playground-collection-error");

    await page.getByRole("button", { name: "Delete test_broken.py" }).click();
    await page.getByRole("button", { name: "Delete", exact: true }).click();
    await runAll(page);
    expect(await errors.isVisible()).toBe(false);
    expect(await treeOutcomes(page)).toEqual({ "test_example.py::test_seeded": "passed", "test_example.py::test_forever": "failed" });
    const forever = page.locator('[data-nodeid="test_example.py::test_forever"]');
    expect(await forever.getAttribute("data-timed-out")).toBe("true");
    expect(await forever.locator(".outcome-text").textContent()).toBe("failed (timed out)");
    expect(await forever.locator("pre").first().textContent()).toMatch(/Timeout/);

    // random was seeded with 1234 before the test, as native CPython computes it.
    const expected = spawnSync("python3", ["-c", "import random; random.seed(1234); print(repr(random.random()))"], { encoding: "utf8" }).stdout.trim();
    const seeded = page.locator('[data-nodeid="test_example.py::test_seeded"]');
    await seeded.locator(".tree-row").click();
    expect(await seeded.locator(".tree-detail").textContent()).toContain(expected);
    expect(await statusText(page)).toMatch(/1 failed, 1 passed in [\d.]+s/);
    await screenshot(page, "playground-timeout");
    watch.assertClean();
    await page.close();
  });

  it("Stop ends a run that would not finish, and the next run works", async () => {
    const { page, watch } = await openPlayground(context);
    await setEditorText(page, "def test_first():\n    pass\n\n\ndef test_forever():\n    while True:\n        pass\n");
    await page.getByRole("button", { name: "Run all", exact: true }).click();
    await page.waitForSelector('[data-nodeid="test_example.py::test_forever"][data-outcome="running"]', { timeout: runBudgetMs });
    expect(await page.getByRole("button", { name: "Stop" }).isEnabled()).toBe(true);
    const stoppedAt = Date.now();
    await page.getByRole("button", { name: "Stop" }).click();
    await page.waitForFunction(() => document.body.dataset["runState"] === "idle", undefined, { timeout: 8_000 });
    // The test's own timeout is 10 s: it was Stop, not the timeout, that ended the run.
    expect(Date.now() - stoppedAt).toBeLessThan(8_000);
    // The runner hands back the results so far, with pytest's summary of them.
    expect(await statusText(page)).toMatch(/Stopped\. .*\b1 passed\b/);
    expect((await treeOutcomes(page))["test_example.py::test_first"]).toBe("passed");
    expect(await page.getByRole("button", { name: "Stop" }).isDisabled()).toBe(true);

    await setEditorText(page, "def test_after_stop():\n    pass\n");
    await runAll(page);
    expect(await treeOutcomes(page)).toEqual({ "test_example.py::test_after_stop": "passed" });
    watch.assertClean();
    await page.close();
  });

  it("is usable from the keyboard: Esc then Tab leaves the editor, arrows move through the results", async () => {
    const { page, watch } = await openPlayground(context);
    expect(await page.locator("#editor-hint").textContent()).toContain("press Esc, then Tab");
    await page.locator(".cm-content").click();
    await page.keyboard.press("Control+Enter"); // runs all tests from the editor
    await waitForRunEnd(page);
    expect(Object.keys(await treeOutcomes(page))).toHaveLength(4);

    await page.locator(".cm-content").click();
    await page.keyboard.press("End");
    await page.keyboard.press("Tab"); // indents: the editor keeps Tab
    expect(await page.evaluate(() => document.activeElement?.classList.contains("cm-content"))).toBe(true);
    await page.keyboard.press("Escape");
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.classList.contains("cm-content"))).toBe(false);

    await page.locator('[role="treeitem"]').first().focus();
    await page.keyboard.press("ArrowDown");
    expect(await page.evaluate(() => document.activeElement?.getAttribute("data-nodeid"))).toBe("test_example.py::test_mean");
    await page.keyboard.press("ArrowLeft"); // closes the failure
    expect(await page.locator('[data-nodeid="test_example.py::test_mean"]').getAttribute("aria-expanded")).toBe("false");
    await page.keyboard.press("Enter");
    expect(await page.locator('[data-nodeid="test_example.py::test_mean"]').getAttribute("aria-expanded")).toBe("true");

    // The file tabs follow the arrow keys too.
    await page.getByRole("tab", { name: "test_example.py" }).focus();
    await page.keyboard.press("ArrowRight");
    expect(await page.getByRole("tab", { name: "conftest.py" }).getAttribute("aria-selected")).toBe("true");
    expect(await page.locator(".cm-content").textContent()).toContain("def numbers():");
    watch.assertClean();
    await page.close();
  });
});

describe("sharing from the playground", () => {
  let context: BrowserContext;
  beforeAll(async () => {
    context = await newContext(browser());
    await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: server().url.replace(/\/$/, "") });
  });
  afterAll(async () => {
    await context?.close();
  });

  const clipboard = (page: Page) => page.evaluate(() => navigator.clipboard.readText());

  it("Share puts the link in the address bar and on the clipboard; the link re-runs, reproduces, and leaves the draft alone", async () => {
    const { page, watch } = await openPlayground(context);
    await runAll(page);
    await page.getByRole("button", { name: "Share", exact: true }).click();
    await page.waitForSelector("#share-output:not([hidden])");
    const link = page.url();
    expect(link).toMatch(/#v1\./);
    expect(await page.inputValue("#share-url")).toBe(link);
    expect(await clipboard(page)).toBe(link);
    expect(await page.textContent("#share-note")).toMatch(/copied to the clipboard[\s\S]*last run's results/);

    // Markdown for an issue: the link, the failure and the files.
    await page.getByRole("button", { name: "Copy as GitHub issue" }).click();
    await expect.poll(() => clipboard(page)).toContain("test_example.py::test_mean");
    const markdown = await clipboard(page);
    expect(markdown).toContain(link);
    expect(markdown).toContain("E       assert 2.0 == 2.5");
    expect(markdown).toContain("def mean(values):");

    // Work goes on after sharing: the draft gains a file the link does not have.
    await page.getByRole("button", { name: "Add file" }).click();
    await page.getByLabel("New file name").fill("test_later.py");
    await page.getByRole("button", { name: "Add", exact: true }).click();
    expect(page.url()).not.toContain("#");
    await page.waitForTimeout(800);
    watch.assertClean();
    await page.close();

    const shared = await context.newPage();
    const watchShared = watchPage(shared);
    await shared.goto(link);
    await waitForReady(shared);
    await shared.waitForFunction(() => /^(reproduced|not-reproduced)$/.test(document.getElementById("share-state")?.dataset["state"] ?? ""), undefined, { timeout: 90_000 });
    expect(await shared.getAttribute("#share-state", "data-state")).toBe("reproduced");
    expect(await shared.textContent("#share-state")).toContain("Reproduced: every test has the same outcome as in the shared run (1 failed, 3 passed");
    expect(await shared.getByRole("tab").allTextContents()).toEqual(["test_example.py", "conftest.py", "calc.py"]);

    // The draft was kept: one click opens it instead.
    await shared.getByRole("button", { name: "Open my draft instead" }).click();
    await expect.poll(() => shared.getByRole("tab").allTextContents()).toEqual(["test_example.py", "conftest.py", "calc.py", "test_later.py"]);
    expect(shared.url()).not.toContain("#");
    expect(await shared.isVisible("#share-state")).toBe(false);
    watchShared.assertClean();
    await shared.close();
  });

  it("editing shared files makes them the draft and takes the link out of the address bar", async () => {
    const { page, watch } = await openPlayground(context);
    await runAll(page);
    await page.getByRole("button", { name: "Share", exact: true }).click();
    await page.waitForSelector("#share-output:not([hidden])");
    const link = page.url();
    await page.close();

    const shared = await context.newPage();
    const watchShared = watchPage(shared);
    await shared.goto(link);
    await waitForReady(shared);
    expect(await shared.textContent("#draft-note")).toContain("Your own draft is kept until you edit here");
    await shared.locator(".cm-content").click();
    await shared.keyboard.press("Control+End");
    await shared.keyboard.insertText("\n# my change\n");
    // The editor reads typed text from the DOM a moment later.
    await expect.poll(() => shared.url()).not.toContain("#");
    expect(await shared.textContent("#draft-note")).toContain("You edited the shared files: they are now your draft.");
    await shared.waitForTimeout(800);
    await shared.reload();
    await waitForReady(shared);
    expect(await shared.locator(".cm-content").textContent()).toContain("# my change");
    watch.assertClean();
    watchShared.assertClean();
    await shared.close();
  });

  it("opens a link pasted into the address bar of an open playground; a damaged one leaves the files as they are", async () => {
    const { page, watch } = await openPlayground(context);
    const files = { "helpers.py": "TWO = 1 + 1\n", "test_pasted.py": "from helpers import TWO\n\n\ndef test_one():\n    assert TWO == 3\n" };
    const link = await linkTo(server().url, payloadOf(files, [recorded("test_pasted.py::test_one", "failed", { longrepr: "E   assert 2 == 3" })], "1 failed in 0.01s"));

    await page.evaluate((hash) => {
      location.hash = hash;
    }, new URL(link).hash);
    await page.waitForFunction(() => /^(reproduced|not-reproduced)$/.test(document.getElementById("share-state")?.dataset["state"] ?? ""), undefined, { timeout: 90_000 });
    expect(await page.getAttribute("#share-state", "data-state")).toBe("reproduced");
    expect(await page.getByRole("tab").allTextContents()).toEqual(["helpers.py", "test_pasted.py"]);
    // The test file opens first, not the helper module before it.
    expect(await page.getByRole("tab", { name: "test_pasted.py" }).getAttribute("aria-selected")).toBe("true");
    await waitForRunEnd(page);
    expect(await treeOutcomes(page)).toEqual({ "test_pasted.py::test_one": "failed" });

    await page.evaluate(() => {
      location.hash = "#v1.not-a-real-link";
    });
    await page.waitForSelector("#link-error:not([hidden])");
    expect(await page.textContent("#link-error")).toMatch(/This share link is damaged or incomplete: .*The playground opened your own files instead\./);
    expect(await page.getByRole("tab").allTextContents()).toEqual(["helpers.py", "test_pasted.py"]);
    watch.assertClean();
    await page.close();
  });

  it("shows the link in a field to copy by hand when the browser refuses the clipboard", async () => {
    const refusing = await newContext(browser());
    const page = await refusing.newPage();
    const watch = watchPage(page);
    await page.addInitScript(() => {
      navigator.clipboard.writeText = () => Promise.reject(new DOMException("Write permission denied.", "NotAllowedError"));
    });
    await page.goto(server().url);
    await waitForReady(page);
    await page.getByRole("button", { name: "Share", exact: true }).click();
    await page.waitForSelector("#share-output:not([hidden])");
    expect(await page.textContent("#share-note")).toContain("The browser did not allow copying: select the link above and copy it.");
    expect(await page.inputValue("#share-url")).toBe(page.url());
    expect(await page.getByLabel("Share link").isVisible()).toBe(true);
    await page.getByRole("button", { name: "Hide" }).click();
    expect(await page.isVisible("#share-output")).toBe(false);
    watch.assertClean();
    await refusing.close();
  });
});

describe("themes and small screens", () => {
  it("follows a dark system theme, and the toggle switches between light and dark", async () => {
    const context = await browser().newContext({ viewport: { width: 1280, height: 900 }, colorScheme: "dark" });
    const page = await context.newPage();
    const watch = watchPage(page);
    await page.goto(server().url);
    await waitForReady(page);
    await runAll(page);
    const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    const brightness = async () => {
      const [r, g, b] = (await background()).match(/\d+/g)!.map(Number);
      return (r! + g! + b!) / 3;
    };
    expect(await brightness()).toBeLessThan(60);
    await screenshot(page, "playground-dark");

    const toggle = page.getByRole("button", { name: /^Theme:/ });
    await toggle.click(); // system -> light
    expect(await toggle.textContent()).toBe("Theme: light");
    expect(await brightness()).toBeGreaterThan(200);
    await toggle.click(); // light -> dark
    expect(await brightness()).toBeLessThan(60);
    watch.assertClean();
    await context.close();
  });

  it("at 400 px wide the panes stack and nothing scrolls sideways", async () => {
    const context = await newContext(browser(), { width: 400, height: 900 });
    const page = await context.newPage();
    const watch = watchPage(page);
    await page.goto(server().url);
    await waitForReady(page);
    await runAll(page);
    const widths = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
    expect(widths.scroll).toBeLessThanOrEqual(widths.client);
    const editor = await page.locator("#editor").boundingBox();
    const tree = await page.locator("#results").boundingBox();
    expect(tree!.y).toBeGreaterThan(editor!.y + editor!.height); // results below the editor
    for (const name of ["Run all", "Run failed", "Stop", "Share", "Copy as GitHub issue", "Add file"]) {
      const box = await page.getByRole("button", { name, exact: true }).boundingBox();
      expect(box!.x + box!.width, name).toBeLessThanOrEqual(400);
    }
    await screenshot(page, "playground-400px");
    watch.assertClean();
    await context.close();
  });
});

