/**
 * Browser figures for docs/BENCHMARKS.md: how long the playground takes from
 * navigation to its first test result in Chromium, on a first visit (empty
 * profile: the interpreter snapshot is made in the page) and a second visit
 * (same profile: the snapshot comes from IndexedDB).
 *
 * Usage (after `npm run build`, which builds the site into dist/web/):
 *   node dist/bench/browser.js [--rounds N] [--modes isolated,plain] [--site DIR] [--out FILE]
 * (`--site`: a site built elsewhere, e.g. `npx vite build --outDir /tmp/site`; default dist/web.)
 * Writes only the "Browser" section of the report (see bench/browser-section.ts).
 */
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { chromium, type BrowserContext } from "playwright-core";
import { chromiumArgs, chromiumPath } from "../test/browser/helpers/chromium.js";
import { startStaticServer } from "../test/browser/helpers/static-server.js";
import { replaceBrowserSection, wrapBrowserSection } from "./browser-section.js";
import { installFirstResultProbe, readProbe, type VisitFigures } from "./browser-probe.js";
import { median } from "./report.js";

const MODES = { isolated: true, plain: false } as const;
type Mode = keyof typeof MODES;
const USAGE = "usage: node dist/bench/browser.js [--rounds N] [--modes isolated,plain] [--site DIR] [--out FILE]";

/** Targets of issue 5, in seconds from navigation to the first result. */
const TARGETS = { first: 3, second: 0.5 } as const;

function repoRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, "package.json"))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error("could not find the repository root (no package.json above this file)");
    dir = parent;
  }
  return dir;
}

interface Options {
  rounds: number;
  modes: Mode[];
  out: string | null;
  site: string | null;
}

function parseOptions(argv: string[]): Options {
  const { values } = parseArgs({ args: argv, options: { rounds: { type: "string" }, modes: { type: "string" }, out: { type: "string" }, site: { type: "string" } } });
  const rounds = values.rounds === undefined ? 5 : Number(values.rounds);
  if (!Number.isInteger(rounds) || rounds < 1) throw new Error(`--rounds must be a positive integer, got ${values.rounds}`);
  const modes = (values.modes ?? "isolated,plain").split(",").map((mode) => mode.trim()).filter(Boolean);
  const unknown = modes.filter((mode) => !(mode in MODES));
  if (unknown.length > 0 || modes.length === 0) throw new Error(`unknown --modes ${unknown.join(", ")}: choose from isolated, plain`);
  return { rounds, modes: modes as Mode[], out: values.out ?? null, site: values.site ?? null };
}

/** Open the playground in `context` and time it to its first rendered result. */
async function visit(context: BrowserContext, url: string): Promise<VisitFigures> {
  const page = await context.newPage();
  const problems: string[] = [];
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(`console: ${message.text()}`);
  });
  page.on("response", (response) => {
    if (response.status() >= 400) problems.push(`HTTP ${response.status()} ${response.url()}`);
  });
  try {
    await installFirstResultProbe(page);
    await page.goto(url);
    return await readProbe(page, 120_000);
  } catch (error) {
    const status = await page.textContent("#status").catch(() => null);
    throw new Error([`the visit did not finish: ${error instanceof Error ? error.message : String(error)}`, `status line: ${status ?? "(none)"}`, ...problems.slice(0, 10)].join("\n  "));
  } finally {
    await page.close();
  }
}

interface Samples {
  first: VisitFigures[];
  second: VisitFigures[];
}

const sec = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;

/** Median milliseconds since navigation of each step of a visit: page ready, the runtime's marks, first result. */
function stepsRow(label: string, samples: VisitFigures[], markNames: string[]): string {
  const at = (pick: (sample: VisitFigures) => number | undefined): string => {
    const values = samples.flatMap((sample) => {
      const value = pick(sample);
      return value === undefined ? [] : [value];
    });
    return values.length > 0 ? `${Math.round(median(values))}` : "—";
  };
  const cells = [at((sample) => sample.clickedMs), ...markNames.map((name) => at((sample) => sample.marks[name])), at((sample) => sample.firstResultMs)];
  return `| ${label} | ${cells.join(" | ")} |`;
}

function row(label: string, mode: Mode, samples: VisitFigures[], target: number, expectSnapshot: string): string {
  const times = samples.map((sample) => sample.firstResultMs);
  const boots = samples.flatMap((sample) => (sample.bootMs === null ? [] : [sample.bootMs]));
  const med = median(times);
  const verdict = med <= target * 1000 ? "met" : `missed: ${(med / (target * 1000)).toFixed(2)}x the allowed time`;
  const sources = samples.map((sample) => sample.snapshot ?? "?");
  const unexpected = sources.filter((source) => source !== expectSnapshot).length;
  const note = unexpected > 0 ? ` (${unexpected} of ${samples.length} visits did not report snapshot "${expectSnapshot}")` : "";
  return `| ${label} | ${mode === "isolated" ? "yes" : "no"} | ${sec(med)} | ${sec(Math.min(...times))} - ${sec(Math.max(...times))} | ${boots.length > 0 ? `${Math.round(median(boots))} ms` : "—"} | <= ${target} s | ${verdict}${note} |`;
}

function chromiumVersion(): string {
  const result = spawnSync(chromiumPath, ["--version"], { encoding: "utf8" });
  return result.stdout.trim() || "Chromium (version unknown)";
}

function gitCommit(root: string): string {
  const head = spawnSync("git", ["rev-parse", "--short", "HEAD"], { cwd: root, encoding: "utf8" });
  return head.status === 0 ? head.stdout.trim() : "unknown";
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const root = repoRoot();
  const built = options.site ? path.resolve(options.site) : path.join(root, "dist", "web");
  if (!existsSync(path.join(built, "index.html"))) throw new Error(`${built} holds no built site: run \`npm run build\` first`);
  // Serve a copy: a rebuild of dist/web during the bench would swap the assets' hashed names under the page.
  const site = mkdtempSync(path.join(os.tmpdir(), "fastest-bench-site-"));
  cpSync(built, site, { recursive: true });
  const loadAtStart = os.loadavg();
  const load = loadAtStart.map((value) => value.toFixed(2)).join(", ");
  const results = new Map<Mode, Samples>();
  if (!existsSync(chromiumPath)) {
    rmSync(site, { recursive: true, force: true });
    throw new Error(`Chromium not found at ${chromiumPath}: install Debian's chromium or point FASTEST_CHROMIUM at a Chromium binary`);
  }
  try {
    for (const mode of options.modes) {
      const server = await startStaticServer({ root: site, isolated: MODES[mode] });
      const samples: Samples = { first: [], second: [] };
      results.set(mode, samples);
      try {
        for (let round = 0; round < options.rounds; round++) {
          // A new profile folder per round: the first visit finds no IndexedDB and no HTTP or code cache. The
          // profile lives on disk, as a real browser's does, so the second visit gets its disk cache too
          // (an in-memory context keeps no 9.6 MB wasm, so it would download and compile it again).
          const profile = mkdtempSync(path.join(os.tmpdir(), "fastest-bench-profile-"));
          const context = await chromium.launchPersistentContext(profile, { executablePath: chromiumPath, headless: true, args: chromiumArgs });
          try {
            const first = await visit(context, server.url);
            const second = await visit(context, server.url);
            samples.first.push(first);
            samples.second.push(second);
            console.log(`${mode.padEnd(8)} round ${round + 1}/${options.rounds}: first visit ${sec(first.firstResultMs)} (snapshot ${first.snapshot ?? "?"}), second visit ${sec(second.firstResultMs)} (snapshot ${second.snapshot ?? "?"})`);
          } finally {
            await context.close();
            rmSync(profile, { recursive: true, force: true });
          }
        }
      } finally {
        await server.close();
      }
    }
  } finally {
    rmSync(site, { recursive: true, force: true });
  }

  const rows = options.modes.flatMap((mode) => {
    const samples = results.get(mode)!;
    return [
      row("first visit (empty profile: snapshot made in the page)", mode, samples.first, TARGETS.first, "made"),
      row("second visit (same profile: snapshot from IndexedDB)", mode, samples.second, TARGETS.second, "cache"),
    ];
  });
  // The runtime's boot stages, in the order they usually happen.
  const order = ["boot-start", "assets-loaded", "snapshot-read", "snapshot-made", "engine-booted", "booted"];
  const seenMarks = new Set([...results.values()].flatMap((samples) => [...samples.first, ...samples.second].flatMap((sample) => Object.keys(sample.marks))));
  const markNames = [...order.filter((name) => seenMarks.has(name)), ...[...seenMarks].filter((name) => !order.includes(name)).sort()];
  const steps = options.modes.flatMap((mode) => {
    const samples = results.get(mode)!;
    const isolated = mode === "isolated" ? "isolated" : "not isolated";
    return [stepsRow(`first visit, ${isolated}`, samples.first, markNames), stepsRow(`second visit, ${isolated}`, samples.second, markNames)];
  });
  const busy = (loadAtStart[0] ?? 0) >= 1
    ? [`**Noisy:** the machine was busy (load average ${load} at the start on ${os.availableParallelism()} cores); treat these figures as rough.`, ""]
    : [];
  const command = ["node dist/bench/browser.js", ...process.argv.slice(2)].join(" ");
  const section = wrapBrowserSection(
    [
      "## Browser",
      "",
      `The playground (\`dist/web/index.html\`) in headless ${chromiumVersion()}, served from localhost by a static file server (ETag revalidation, as \`vite preview\`), with and without the`,
      "COOP/COEP headers that make the page cross-origin isolated. Time from navigation start to the first test result shown in the",
      `results tree (the starter workspace; \`Run all\` is clicked the moment the page says it is ready), median of ${options.rounds} visits each.`,
      "A first visit uses a new, empty browser profile on disk, so the page makes the interpreter snapshot; the second visit",
      "opens the page again in the same profile (its HTTP and compiled-code caches as a real browser keeps them) and restores the snapshot",
      "from IndexedDB. Boot: the boot time the page reports in its status line.",
      "",
      ...busy,
      "| visit | cross-origin isolated | median | range | boot (median) | target | verdict |",
      "|---|---|---|---|---|---|---|",
      ...rows,
      "",
      "Where a visit's time goes: median milliseconds from navigation start to the page being ready (`body[data-ready]`, when",
      "`Run all` is clicked), to each of the runtime's performance marks (`fastest:*`, web/runtime/runner.ts), and to the first result.",
      "",
      `| visit | page ready | ${markNames.join(" | ")} | first result |`,
      `|---|${"---|".repeat(markNames.length + 2)}`,
      ...steps,
      "",
      `Command: \`npm run build && ${command}\`; fastest at commit ${gitCommit(root)}; ${os.availableParallelism()} cores; load average at start: ${load}.`,
    ].join("\n"),
  );
  const out = options.out ? path.resolve(options.out) : path.join(root, "docs", "BENCHMARKS.md");
  const current = existsSync(out) ? readFileSync(out, "utf8") : "# Benchmarks\n";
  writeFileSync(out, replaceBrowserSection(current, section));
  console.log(`\n${section}\n\nwrote ${path.relative(root, out)}`);
}

main().catch((error: unknown) => {
  console.error(`bench/browser: ${error instanceof Error ? error.message : String(error)}`);
  if (error instanceof Error && /must be|unknown/.test(error.message)) console.error(USAGE);
  process.exitCode = 1;
});
