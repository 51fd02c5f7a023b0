/**
 * `--html PATH` end to end: a run with every outcome writes one
 * self-contained page. Its structure is read back with Python's own HTML
 * parser (what a browser's tokenizer would see: elements, attributes, text),
 * so test ids and output that try to inject markup must come back as text.
 * One Chromium check drives the page's filters and sort.
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { launchChromium } from "./browser/helpers/chromium.js";
import { inlineFiles } from "./helpers/inline-files.js";
import { runCli } from "./helpers/run-cli.js";

const attack = `</pre></details><script>window.pwned = 1</script><img src=x onerror="window.pwned = 2">`;

const files = {
  "tests/test_mixed.py": `
    import time
    import pytest

    def test_pass():
        pass

    def test_slow():
        time.sleep(0.3)

    def test_fail():
        print("visible output")
        assert 1 + 1 == 3, "arithmetic is broken"

    @pytest.mark.skip(reason="not today")
    def test_skip():
        pass

    @pytest.mark.xfail(reason="known bug")
    def test_xfail():
        assert False

    @pytest.mark.xfail(reason="fixed already")
    def test_xpass():
        pass

    @pytest.fixture
    def broken():
        raise RuntimeError("fixture exploded")

    def test_error(broken):
        pass

    @pytest.mark.parametrize("text", [${JSON.stringify(attack)}], ids=[${JSON.stringify(attack)}])
    def test_injection(text):
        print(text)
        assert text == "safe", text
  `,
  "tests/test_broken_import.py": "import no_such_module_here\n",
};

interface ParsedPage {
  tags: Record<string, number>;
  /** Every attribute value that names another resource (src, href, action...). */
  urls: string[];
  rows: Array<{ outcome: string; id: string; duration: number; text: string }>;
  counts: Record<string, number>;
  csp: string | null;
  scripts: string[];
}

/** Read the page with Python's html.parser: elements, attributes and text as a browser's tokenizer splits them. */
function parseHtml(html: string): ParsedPage {
  const script = String.raw`
import json, sys
from html.parser import HTMLParser

class Page(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags, self.urls, self.rows, self.counts, self.scripts = {}, [], [], {}, []
        self.csp = None
        self.stack = []  # (tag, attrs) of open elements
        self.row = None
        self.field = None
        self.count_outcome = None
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags[tag] = self.tags.get(tag, 0) + 1
        for name, value in attrs:
            if name in ("src", "href", "action", "formaction", "srcset", "poster", "data") or name.startswith("on"):
                self.urls.append(f"{tag} {name}={value}")
        if tag == "meta" and a.get("http-equiv") == "Content-Security-Policy":
            self.csp = a.get("content")
        cls = (a.get("class") or "").split()
        if tag == "details" and "test" in cls:
            self.row = {"outcome": a["data-outcome"], "duration": float(a["data-duration"]), "id": "", "text": ""}
            self.rows.append(self.row)
        if tag == "span" and "id" in cls:
            self.field = "id"
        if tag == "label" and "count" in cls:
            self.count_outcome = cls[1]
        if tag == "span" and "number" in cls and self.count_outcome:
            self.field = "count"
        if tag == "script":
            self.field = "script"
            self.scripts.append("")
        if tag not in ("meta", "input", "br", "img", "link"):
            self.stack.append(tag)
    def handle_endtag(self, tag):
        if self.stack and self.stack[-1] == tag:
            self.stack.pop()
        if tag == "span" or tag == "script":
            self.field = None
        if tag == "details":
            self.row = None
        if tag == "label":
            self.count_outcome = None
    def handle_data(self, data):
        if self.field == "script":
            self.scripts[-1] += data
        elif self.field == "count":
            self.counts[self.count_outcome] = int(data)
        elif self.row is not None:
            if self.field == "id":
                self.row["id"] += data
            self.row["text"] += data

page = Page()
page.feed(sys.stdin.read())
page.close()
print(json.dumps({"tags": page.tags, "urls": page.urls, "rows": page.rows, "counts": page.counts,
                  "csp": page.csp, "scripts": page.scripts}))
`;
  const result = spawnSync("python3", ["-c", script], { input: html, encoding: "utf8" });
  if (result.status !== 0) throw new Error(`python3 could not parse the report: ${result.stderr}`);
  return JSON.parse(result.stdout) as ParsedPage;
}

describe("--html", () => {
  let dir = "";
  let html = "";
  let json: { summary: Record<string, number>; tests: Array<{ nodeid: string; outcome: string; duration: number }> };
  let stdout = "";

  beforeAll(() => {
    dir = inlineFiles(files);
    const run = runCli(["-n", "2", "--continue-on-collection-errors", "--html", "report/index.html", "--self-contained-html", "--json", "report.json"], dir);
    expect(run.stderr).not.toMatch(/Traceback|Error:/);
    expect(run.status).toBe(1);
    stdout = run.stdout;
    html = readFileSync(path.join(dir, "report", "index.html"), "utf8");
    json = JSON.parse(readFileSync(path.join(dir, "report.json"), "utf8"));
  });

  it("says where the report is, as pytest-html does (whose --self-contained-html is accepted)", () => {
    expect(stdout).toContain(`Generated html report: file://${path.join(dir, "report", "index.html")}`);
  });

  it("holds one row per test and collection error, with the JSON report's outcomes and durations", () => {
    const page = parseHtml(html);
    const fromJson = json.tests.map((t) => ({ id: t.nodeid, outcome: t.outcome, duration: t.duration }));
    const tests = page.rows.filter((row) => row.id !== "tests/test_broken_import.py");
    expect(tests.map((row) => ({ id: row.id, outcome: row.outcome, duration: row.duration }))).toEqual(fromJson);
    expect(page.rows.find((row) => row.id === "tests/test_broken_import.py")).toMatchObject({ outcome: "error" });
    expect(page.counts).toEqual({ failed: 2, error: 2, passed: 2, skipped: 1, xfailed: 1, xpassed: 1 });
    const byId = new Map(page.rows.map((row) => [row.id, row]));
    expect(byId.get("tests/test_mixed.py::test_fail")!.text).toContain("arithmetic is broken");
    expect(byId.get("tests/test_mixed.py::test_fail")!.text).toContain("visible output");
    expect(byId.get("tests/test_mixed.py::test_error")!.text).toContain("RuntimeError: fixture exploded");
    expect(byId.get("tests/test_mixed.py::test_skip")!.text).toContain("not today");
    expect(byId.get("tests/test_mixed.py::test_xfail")!.text).toContain("known bug");
    expect(byId.get("tests/test_broken_import.py")!.text).toContain("No module named 'no_such_module_here'");
    expect(byId.get("tests/test_mixed.py::test_slow")!.duration).toBeGreaterThanOrEqual(0.3);
  });

  it("is self-contained: no external resource, and a policy that forbids fetching any", () => {
    const page = parseHtml(html);
    expect(page.urls).toEqual([]);
    expect(page.tags["link"]).toBeUndefined();
    expect(page.csp).toMatch(/^default-src 'none';/);
    expect(page.scripts).toHaveLength(1);
    expect(page.scripts[0]).not.toMatch(/fetch\(|XMLHttpRequest|import\(/);
  });

  it("keeps markup in a test id and in captured output as text", () => {
    const page = parseHtml(html);
    // The injected <script> and <img> would show up as elements if they were not escaped.
    expect(page.tags["img"]).toBeUndefined();
    expect(page.scripts).toHaveLength(1);
    expect(page.scripts[0]).not.toContain("pwned");
    const row = page.rows.find((r) => r.outcome === "failed" && r.id.includes("test_injection"));
    expect(row?.id).toBe(`tests/test_mixed.py::test_injection[${attack}]`);
    expect(row?.text).toContain(`${attack}\n`);
  });

  describe("in Chromium", () => {
    let browser: Browser;
    beforeAll(async () => {
      browser = await launchChromium();
    });
    afterAll(async () => {
      await browser?.close();
    });

    it("filters by outcome and text, sorts by duration, and runs nothing it was given", async () => {
      const page = await browser.newPage();
      const blocked: string[] = [];
      page.on("request", (request) => {
        if (!request.url().startsWith("file://")) blocked.push(request.url());
      });
      await page.goto(`file://${path.join(dir, "report", "index.html")}`);
      const visibleIds = () => page.$$eval("details.test:not([hidden]) .id", (ids) => ids.map((id) => id.textContent ?? ""));
      expect(await visibleIds()).toHaveLength(9);
      expect(await page.textContent("#shown")).toBe("9 of 9 shown");

      await page.uncheck('input[value="passed"]');
      await page.uncheck('input[value="skipped"]');
      const remaining = await visibleIds();
      expect(remaining).not.toContain("tests/test_mixed.py::test_pass");
      expect(remaining).not.toContain("tests/test_mixed.py::test_skip");
      expect(remaining).toHaveLength(6);

      await page.fill("#filter", "ARITHMETIC");
      expect(await visibleIds()).toEqual(["tests/test_mixed.py::test_fail"]);
      await page.fill("#filter", "");
      await page.check('input[value="passed"]');

      await page.selectOption("#sort", "slowest");
      const order = await visibleIds();
      expect(order[0]).toBe("tests/test_mixed.py::test_slow");
      // The choice is kept in the address, so a reload shows the same view.
      expect(new URL(page.url()).hash).toBe("#sort=slowest&hide=skipped");
      await page.reload();
      expect(await visibleIds()).toEqual(order);

      expect(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();
      expect(blocked).toEqual([]);
      await page.close();
    });
  });
});
