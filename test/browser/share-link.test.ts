/**
 * Share links end to end in Chromium: a link built from Node with the page's
 * own share module (web/share) opens the playground, shows the recorded
 * failure before Python has booted, re-runs the tests and says whether the
 * failure reproduced. Damaged and hostile links show an error, inject
 * nothing and leave the page usable.
 */
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newContext, runBudgetMs, screenshot, statusText, treeOutcomes, useBrowser, useServer, waitForReady, waitForRunEnd, watchPage, type PageWatch } from "./helpers/index.js";
import { documentOf, linkTo, linkWithData, payloadOf, recorded, tampered, truncated, withVersion } from "./helpers/share-links.js";

const files = {
  "test_shared.py": [
    "from calc import add",
    "",
    "def test_ok():",
    "    assert add(1, 1) == 2",
    "",
    "def test_bad():",
    "    total = add(2, 2)",
    "    assert total == 5",
    "",
  ].join("\n"),
  "calc.py": "def add(a, b):\n    return a + b\n",
};

/** The failure text recorded in the link; a real run prints the same assertion, so the marker line tells them apart. */
const recordedLongrepr = [
  "    def test_bad():",
  "        total = add(2, 2)",
  ">       assert total == 5",
  "E       assert 4 == 5",
  "E       (recorded on the machine that shared this link)",
  "",
  "test_shared.py:8: AssertionError",
].join("\n");

const recordedFailure = [
  recorded("test_shared.py::test_ok", "passed"),
  recorded("test_shared.py::test_bad", "failed", { longrepr: recordedLongrepr, message: "assert 4 == 5" }),
];

/** What the page looked like at the moment the recorded failure first appeared, noted by an init script. */
interface FirstSight {
  runState: string | null;
  /** Runs that had ended (`running` -> `idle`) by then. */
  runsEnded: number;
  /** The status line already reported a booted Python. */
  booted: boolean;
  outcome: string | null;
}

interface Trace {
  first: FirstSight | null;
  /** `#share-state[data-state]` values in the order they were shown. */
  shareStates: string[];
}

/** Runs in the page before its own scripts: notes the first moment the recorded failure text is on screen. */
function traceRecordedFailure(marker: string): void {
  const trace = { runsEnded: 0, lastRunState: "", first: null as FirstSight | null, shareStates: [] as string[] };
  (window as unknown as { __trace: typeof trace }).__trace = trace;
  new MutationObserver(() => {
    const body = document.body;
    if (!body) return;
    const runState = body.dataset["runState"] ?? "";
    if (trace.lastRunState === "running" && runState === "idle") trace.runsEnded += 1;
    trace.lastRunState = runState;
    const shareState = document.getElementById("share-state")?.getAttribute("data-state");
    if (shareState && trace.shareStates[trace.shareStates.length - 1] !== shareState) trace.shareStates.push(shareState);
    if (trace.first === null && (document.getElementById("results")?.textContent ?? "").includes(marker)) {
      trace.first = {
        runState,
        runsEnded: trace.runsEnded,
        booted: /ready in \d+ ms/.test(document.getElementById("status")?.textContent ?? ""),
        outcome: document.querySelector('[data-nodeid="test_shared.py::test_bad"]')?.getAttribute("data-outcome") ?? null,
      };
    }
  }).observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
}

const browser = useBrowser();

describe("a share link", () => {
  const server = useServer({ isolated: true });
  let context: BrowserContext;
  beforeAll(async () => {
    context = await newContext(browser());
  });
  afterAll(async () => {
    await context.close();
  });

  async function open(link: string): Promise<{ page: Page; watch: PageWatch }> {
    const page = await context.newPage();
    const watch = watchPage(page);
    await page.addInitScript(traceRecordedFailure, "recorded on the machine that shared this link");
    await page.goto(link);
    await waitForReady(page);
    return { page, watch };
  }

  it("shows the recorded failure before the re-run, then re-runs it and says it reproduced", async () => {
    const link = await linkTo(server().url, payloadOf(files, recordedFailure, "1 failed, 1 passed in 0.05s"));
    const { page, watch } = await open(link);
    try {
      await page.waitForFunction(() => document.getElementById("share-state")?.dataset["state"] === "reproduced", undefined, { timeout: runBudgetMs });
      const trace = await page.evaluate(() => (window as unknown as { __trace: Trace }).__trace);
      // The recorded failure was on screen from the link alone, before Python had booted and before any run ended;
      // the banner said "pending" until the re-run ended, then "reproduced".
      expect(trace.first).toEqual({ runState: expect.stringMatching(/^(idle|booting)$/), runsEnded: 0, booted: false, outcome: "failed" });
      expect(trace.shareStates).toEqual(["pending", "reproduced"]);
      await waitForRunEnd(page);
      expect(await treeOutcomes(page)).toEqual({ "test_shared.py::test_ok": "passed", "test_shared.py::test_bad": "failed" });
      expect(await page.textContent("#share-state")).toMatch(/Reproduced/);
      // The re-run's own failure text replaced the recorded one.
      const results = (await page.textContent("#results")) ?? "";
      expect(results).toContain("assert 4 == 5");
      expect(results).not.toContain("recorded on the machine that shared this link");
      expect(await statusText(page)).toMatch(/1 failed, 1 passed/);
      expect(await page.isVisible("#link-error")).toBe(false);
      // The shared files are the workspace.
      expect(await page.getByRole("tab").allTextContents()).toEqual(expect.arrayContaining([expect.stringContaining("test_shared.py"), expect.stringContaining("calc.py")]));
      await screenshot(page, "share-link-reproduced");
      watch.assertClean();
    } finally {
      await page.close();
    }
  });

  it("says the failure did not reproduce when the recorded outcomes differ from this run", async () => {
    // Recorded: test_bad passed and test_ok failed; here it is the other way round.
    const claims = [recorded("test_shared.py::test_ok", "failed", { longrepr: "E   recorded on the machine that shared this link" }), recorded("test_shared.py::test_bad", "passed")];
    const link = await linkTo(server().url, payloadOf(files, claims, "1 failed, 1 passed in 0.05s"));
    const { page, watch } = await open(link);
    try {
      await page.waitForFunction(() => /^(reproduced|not-reproduced)$/.test(document.getElementById("share-state")?.dataset["state"] ?? ""), undefined, { timeout: runBudgetMs });
      expect(await page.getAttribute("#share-state", "data-state")).toBe("not-reproduced");
      expect(await page.textContent("#share-state")).toMatch(/test_shared\.py::test_(ok|bad)/);
      await waitForRunEnd(page);
      expect(await treeOutcomes(page)).toEqual({ "test_shared.py::test_ok": "passed", "test_shared.py::test_bad": "failed" });
      await screenshot(page, "share-link-not-reproduced");
      watch.assertClean();
    } finally {
      await page.close();
    }
  });

  it("shows hostile text from a valid link as text: no element is injected", async () => {
    const hostile = '<img src=x onerror="document.body.dataset.pwned=1"><script>document.body.dataset.pwned=2</script>';
    const payload = payloadOf({ "test_hostile.py": `def test_x():\n    assert '${hostile}' == ''\n` }, [
      recorded("test_hostile.py::test_x", "failed", { longrepr: `E   ${hostile}`, message: hostile }),
    ], `1 failed ${hostile}`);
    const { page, watch } = await open(await linkTo(server().url, payload));
    try {
      await waitForRunEnd(page);
      await page.waitForFunction(() => document.getElementById("share-state")?.dataset["state"] === "reproduced", undefined, { timeout: runBudgetMs });
      expect(await page.$("img")).toBeNull();
      expect(await page.$("body script:not([type=module]):not([src])")).toBeNull();
      expect(await page.evaluate(() => document.body.dataset["pwned"] ?? null)).toBeNull();
      expect((await page.textContent("#results")) ?? "").toContain("<img src=x");
      watch.assertClean();
    } finally {
      await page.close();
    }
  });
});

describe("a malformed share link", () => {
  const server = useServer({ isolated: false });
  let context: BrowserContext;
  let valid: string;
  beforeAll(async () => {
    context = await newContext(browser());
    valid = await linkTo(server().url, payloadOf(files, recordedFailure, "1 failed, 1 passed in 0.05s"));
  });
  afterAll(async () => {
    await context.close();
  });

  const injection = '<img src=x onerror="document.body.dataset.pwned=1">';
  const cases: Array<[string, () => string, RegExp]> = [
    ["garbage", () => `${server().url}#this is not a share link <b>at all</b>`, /damaged|format tag/i],
    ["cut in half", () => truncated(valid), /damaged|incomplete|cut off/i],
    ["an unknown newer format version", () => withVersion(valid, "v99"), /newer version/i],
    ["an unknown older format version", () => withVersion(valid, "v0"), /damaged|not one this page knows/i],
    ["data that is not JSON", () => linkWithData(valid, "{files: [oops"), /not valid JSON/i],
    ["JSON tampered with (a file's content is a number)", () => tampered(valid, (doc) => { (doc["files"] as unknown[][])[0]![1] = 42; }), /damaged/i],
    ["JSON tampered with (an outcome no test can have)", () => tampered(valid, (doc) => { (doc["results"] as unknown[][])[1]![1] = "exploded"; }), /damaged/i],
    ["a file name holding HTML", () => tampered(valid, (doc) => { (doc["files"] as unknown[][])[0]![0] = `${injection}.py`; }), /damaged/i],
  ];

  it.each(cases)("%s: shows an alert, injects nothing, and the page stays usable", async (name, makeLink, message) => {
    const link = makeLink();
    if (name === "a file name holding HTML") expect(JSON.stringify(documentOf(link))).toContain("<img");
    const page = await context.newPage();
    const watch = watchPage(page);
    try {
      await page.goto(link);
      await waitForReady(page);
      const alert = page.locator("#link-error");
      expect(await alert.getAttribute("role")).toBe("alert");
      expect(await alert.isVisible()).toBe(true);
      expect(await alert.textContent()).toMatch(message);
      expect(await page.$("img")).toBeNull();
      expect(await page.evaluate(() => document.body.dataset["pwned"] ?? null)).toBeNull();
      // No recorded results from the bad link; the page shows a workspace of its own.
      expect(await page.getAttribute("#share-state", "data-state")).toBeNull();
      expect(await page.getByRole("tab").count()).toBeGreaterThan(0);
      expect(await page.getByRole("button", { name: "Add file" }).isEnabled()).toBe(true);
      if (name === "garbage") {
        // Usable means it runs: the page's own workspace runs to a summary.
        await page.getByRole("button", { name: "Run all" }).click({ timeout: runBudgetMs });
        await waitForRunEnd(page);
        expect(Object.keys(await treeOutcomes(page)).length).toBeGreaterThan(0);
        await screenshot(page, "share-link-malformed");
      }
      watch.assertClean();
    } finally {
      await page.close();
    }
  });
});
