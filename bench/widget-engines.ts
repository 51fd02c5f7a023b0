/**
 * The docs widget's first result on each engine, in Chromium: a page with
 * one doctest block pinned to the engine (`data-engine`), whose Run button is
 * clicked the moment the widget is mounted; the time from navigation start
 * to the widget's result. A first visit uses a new, empty profile on disk
 * (the snapshot is made in the page); the second opens the page again in the
 * same profile (snapshot from IndexedDB, wasm from the HTTP and code caches).
 * Prints a Markdown table for docs/PERFORMANCE.md.
 *
 * Usage (after `npm run build:wasi && npm run build`):
 *   node dist/bench/widget-engines.js [--rounds N] [--site DIR]
 */
import { cpSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { chromium, type BrowserContext } from "playwright-core";
import { chromiumArgs, chromiumPath } from "../test/browser/helpers/chromium.js";
import { siteDir, startStaticServer } from "../test/browser/helpers/static-server.js";
import { median } from "./report.js";

const engines = ["wasi", "pyodide"] as const;
type Engine = (typeof engines)[number];

const pageFor = (engine: Engine) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>widget on ${engine}</title><link rel="icon" href="data:,"></head>
<body data-engine="${engine}"><pre data-fastest data-name="probe">&gt;&gt;&gt; sorted({3, 1, 2})
[1, 2, 3]</pre>
<script>
  // Click Run the moment the widget is there; note when its result shows.
  window.__probe = { resultAt: null };
  new MutationObserver(() => {
    const root = document.querySelector("[data-fastest-widget]");
    if (!root) return;
    const button = root.querySelector("button");
    if (root.dataset.state === "idle" && !window.__probe.clicked) { window.__probe.clicked = performance.now(); button.click(); }
    if (/^(passed|failed)$/.test(root.dataset.state || "") && window.__probe.resultAt === null) window.__probe.resultAt = performance.now();
  }).observe(document, { subtree: true, childList: true, attributes: true });
</script>
<script type="module" src="./widget.js"></script></body></html>`;

interface Visit {
  resultMs: number;
  /** The runner's boot, from its first performance mark to Python ready (`fastest:boot-start` to `fastest:booted`). */
  bootMs: number;
  /** Each of the runner's `fastest:*` marks, in ms after `fastest:boot-start`. */
  stages: Record<string, number>;
  state: string;
}

async function visit(context: BrowserContext, url: string): Promise<Visit> {
  const page = await context.newPage();
  try {
    await page.goto(url);
    await page.waitForFunction(() => (window as unknown as { __probe: { resultAt: number | null } }).__probe.resultAt !== null, undefined, { timeout: 180_000 });
    return await page.evaluate(() => {
      const mark = (name: string) => performance.getEntriesByName(`fastest:${name}`)[0]?.startTime ?? NaN;
      return {
        resultMs: (window as unknown as { __probe: { resultAt: number } }).__probe.resultAt,
        bootMs: mark("booted") - mark("boot-start"),
        stages: Object.fromEntries(
          performance
            .getEntriesByType("mark")
            .filter((entry) => entry.name.startsWith("fastest:"))
            .map((entry) => [entry.name.slice("fastest:".length), Math.round(entry.startTime - mark("boot-start"))]),
        ),
        state: document.querySelector("[data-fastest-widget]")?.getAttribute("data-state") ?? "",
      };
    });
  } finally {
    await page.close();
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({ args: process.argv.slice(2), options: { rounds: { type: "string" }, site: { type: "string" } } });
  const rounds = Number(values.rounds ?? 5);
  if (!Number.isInteger(rounds) || rounds < 1) throw new Error(`--rounds must be a positive integer, got ${values.rounds}`);
  const built = path.resolve(values.site ?? siteDir);
  if (!existsSync(path.join(built, "widget.js"))) throw new Error(`${built} holds no built site: run \`npm run build\` first`);
  // Serve a copy: a rebuild of dist/web during the run would swap the assets' hashed names under the page.
  const site = mkdtempSync(path.join(os.tmpdir(), "fastest-bench-site-"));
  cpSync(built, site, { recursive: true });
  const load = os.loadavg().map((value) => value.toFixed(2)).join(", ");
  const server = await startStaticServer({ root: site, isolated: false });
  const samples = new Map<Engine, { first: Visit[]; second: Visit[] }>(engines.map((engine) => [engine, { first: [], second: [] }]));
  try {
    for (let round = 0; round < rounds; round++) {
      // Alternate the engines so that a change in the machine's load touches both alike.
      for (const engine of round % 2 === 0 ? engines : [...engines].reverse()) {
        const profile = mkdtempSync(path.join(os.tmpdir(), "fastest-bench-profile-"));
        const context = await chromium.launchPersistentContext(profile, { executablePath: chromiumPath, headless: true, args: chromiumArgs });
        try {
          const url = new URL(`widget-on-${engine}.html`, server.url).href;
          await context.route(url, (route) => route.fulfill({ status: 200, contentType: "text/html; charset=utf-8", body: pageFor(engine) }));
          const first = await visit(context, url);
          const second = await visit(context, url);
          if (first.state !== "passed" || second.state !== "passed") throw new Error(`the example did not pass on ${engine}: ${first.state}, ${second.state}`);
          samples.get(engine)!.first.push(first);
          samples.get(engine)!.second.push(second);
          console.log(`${engine.padEnd(7)} round ${round + 1}/${rounds}: first visit ${Math.round(first.resultMs)} ms (boot ${Math.round(first.bootMs)}), second visit ${Math.round(second.resultMs)} ms (boot ${Math.round(second.bootMs)})`);
        } finally {
          await context.close();
          rmSync(profile, { recursive: true, force: true });
        }
      }
    }
  } finally {
    await server.close();
    rmSync(site, { recursive: true, force: true });
  }
  const range = (values: number[]) => `${Math.round(median(values))} ms (${Math.round(Math.min(...values))}-${Math.round(Math.max(...values))})`;
  const cells = (visits: Visit[]) => `${range(visits.map((v) => v.resultMs))} | ${range(visits.map((v) => v.bootMs))}`;
  console.log(`\n| engine | first visit: result | first visit: boot | second visit: result | second visit: boot |\n|---|---|---|---|---|`);
  for (const engine of engines) console.log(`| ${engine} | ${cells(samples.get(engine)!.first)} | ${cells(samples.get(engine)!.second)} |`);
  for (const engine of engines) {
    const second = samples.get(engine)!.second;
    const names = [...new Set(second.flatMap((visit) => Object.keys(visit.stages)))];
    const stages = names.map((name) => `${name} ${Math.round(median(second.flatMap((visit) => (name in visit.stages ? [visit.stages[name]!] : []))))}`);
    console.log(`${engine}, second visit, ms after boot-start (medians): ${stages.join(", ")}`);
  }
  console.log(`\nmedian (min-max) of ${rounds} rounds: navigation start to the widget's result, and the runner's boot (fastest:boot-start to fastest:booted); ${os.availableParallelism()} cores, load average at start ${load}`);
}

main().catch((error: unknown) => {
  console.error(`bench/widget-engines: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
