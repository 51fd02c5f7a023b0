/**
 * The docs widget embedded in a page of another site: from a folder of its
 * own on the same host it finds its engine and playground beside its script
 * and leaves the page's styles alone; from another host that allows it
 * (CORS) it runs too, its worker started from a same-origin blob.
 */
import { createReadStream, existsSync, mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newContext, runBudgetMs, siteDir, useBrowser, useServer, watchPage } from "./helpers/index.js";

const browser = useBrowser();

// Another site that embeds the widget from a folder of its own: the built site
// under /static/fastest/, a blog post under /blog/ with the page's own styles.
const hostRoot = mkdtempSync(path.join(os.tmpdir(), "fastest-widget-host-"));
mkdirSync(path.join(hostRoot, "static"));
mkdirSync(path.join(hostRoot, "blog"));
symlinkSync(siteDir, path.join(hostRoot, "static", "fastest"), "dir");
writeFileSync(path.join(hostRoot, "index.html"), "<!doctype html><title>host</title>");
writeFileSync(
  path.join(hostRoot, "blog", "post.html"),
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>A post</title>
  <style>pre { border: 3px solid rgb(255, 0, 0); } button { color: rgb(0, 128, 0); }</style></head>
  <body><main><h1>A post</h1><button id="host-button">the page's own button</button>
  <pre id="host-pre">not an example</pre>
  <pre data-fastest>&gt;&gt;&gt; sorted({3, 1, 2})
[1, 2, 3]</pre></main>
  <script type="module" src="../static/fastest/widget.js"></script></body></html>`,
);
afterAll(() => rmSync(hostRoot, { recursive: true, force: true }));

describe("the widget embedded in another site's page", () => {
  const server = useServer({ root: hostRoot, isolated: false });

  it("finds its engine next to its own script, links to that playground, and leaves the page's styles alone", async () => {
    const context = await newContext(browser());
    try {
      const page = await context.newPage();
      const watch = watchPage(page);
      await page.goto(new URL("blog/post.html", server().url).href);
      const example = page.locator("[data-fastest-widget]");
      await example.getByRole("button", { name: "Run example" }).click();
      await page.waitForFunction(() => /^(passed|failed)$/.test(document.querySelector("[data-fastest-widget]")?.getAttribute("data-state") ?? ""), undefined, { timeout: runBudgetMs });
      expect(await example.getAttribute("data-state")).toBe("passed");
      expect(server().requests.some((p) => p.startsWith("/static/fastest/assets/") && p.endsWith(".wasm"))).toBe(true);
      expect(server().requests.filter((p) => p.startsWith("/blog/") && p !== "/blog/post.html")).toEqual([]);
      const href = await example.getByRole("link", { name: "Open in playground" }).getAttribute("href");
      expect(href!.split("#")[0]).toBe(new URL("static/fastest/index.html", server().url).href);

      // The page's own elements keep the page's styles; every widget rule is under the fastest-widget prefix.
      const hostStyles = await page.evaluate(() => ({
        button: getComputedStyle(document.getElementById("host-button")!).color,
        pre: getComputedStyle(document.getElementById("host-pre")!).borderTopColor,
      }));
      expect(hostStyles).toEqual({ button: "rgb(0, 128, 0)", pre: "rgb(255, 0, 0)" });
      const unscoped = await page.evaluate(() => {
        const sheet = (document.getElementById("fastest-widget-styles") as HTMLStyleElement).sheet!;
        const selectors: string[] = [];
        const collect = (rules: CSSRuleList) => {
          for (const rule of Array.from(rules)) {
            if (rule instanceof CSSStyleRule) selectors.push(...rule.selectorText.split(","));
            else if (rule instanceof CSSMediaRule) collect(rule.cssRules);
          }
        };
        collect(sheet.cssRules);
        return { count: selectors.length, unscoped: selectors.filter((selector) => !selector.includes("fastest-widget")) };
      });
      expect(unscoped.count).toBeGreaterThan(10);
      expect(unscoped.unscoped).toEqual([]);
      watch.assertClean();
    } finally {
      await context.close();
    }
  });
});

/** The built site on a second origin, sending `Access-Control-Allow-Origin: *` as a CDN would. */
function serveSiteWithCors(): () => string {
  const types: Record<string, string> = { ".js": "text/javascript", ".wasm": "application/wasm", ".json": "application/json", ".html": "text/html" };
  let server: http.Server | undefined;
  beforeAll(async () => {
    server = http.createServer((request, response) => {
      const file = path.join(siteDir, path.normalize(decodeURIComponent(new URL(request.url ?? "/", "http://x").pathname)));
      const found = file.startsWith(siteDir + path.sep) && existsSync(file) && statSync(file).isFile();
      response.writeHead(found ? 200 : 404, { "Content-Type": types[path.extname(file)] ?? "application/octet-stream", "Access-Control-Allow-Origin": "*" });
      if (found) createReadStream(file).pipe(response);
      else response.end();
    });
    await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
  });
  afterAll(async () => {
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
  });
  // "localhost" against the page's "127.0.0.1": another origin on the same machine.
  return () => `http://localhost:${(server!.address() as AddressInfo).port}/`;
}

describe("the widget loaded from another host", () => {
  const cdn = serveSiteWithCors();
  const pageRoot = mkdtempSync(path.join(os.tmpdir(), "fastest-widget-cors-"));
  writeFileSync(path.join(pageRoot, "index.html"), "<!doctype html><title>another site</title>");
  afterAll(() => rmSync(pageRoot, { recursive: true, force: true }));
  const server = useServer({ root: pageRoot, isolated: false });

  it("runs examples, and links to the playground on that host", async () => {
    writeFileSync(
      path.join(pageRoot, "post.html"),
      `<!doctype html><meta charset="utf-8"><pre data-fastest>&gt;&gt;&gt; 1 + 1\n2\n&gt;&gt;&gt; 1 + 1\n3</pre><script type="module" src="${cdn()}widget.js"></script>`,
    );
    const context = await newContext(browser());
    try {
      const page = await context.newPage();
      const watch = watchPage(page);
      await page.goto(new URL("post.html", server().url).href);
      const example = page.locator("[data-fastest-widget]");
      await example.getByRole("button", { name: "Run example" }).click();
      await page.waitForFunction(() => /^(passed|failed)$/.test(document.querySelector("[data-fastest-widget]")?.getAttribute("data-state") ?? ""), undefined, { timeout: runBudgetMs });
      expect(await example.getByRole("status").textContent()).toBe("Failed: 1 of 2 examples failed");
      expect(await example.locator("[data-example-state]").evaluateAll((items) => items.map((item) => item.getAttribute("data-example-state")))).toEqual(["passed", "failed"]);
      const href = await example.getByRole("link", { name: "Open in playground" }).getAttribute("href");
      expect(href!.split("#")[0]).toBe(`${cdn()}index.html`);
      // Nothing of the engine came from the page's own host.
      expect(server().requests.filter((p) => p !== "/favicon.ico")).toEqual(["/post.html"]);
      watch.assertClean();
    } finally {
      await context.close();
    }
  });
});
