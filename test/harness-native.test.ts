/**
 * Parity of the Python harness with real pytest, on native CPython.
 *
 * For every suite under test/fixtures/harness/, the same files are run by
 * `python3 -m pytest` (with a tiny reporting plugin that dumps each report as
 * JSON) and by `python3 -m fastest_harness`; per node id the outcome, the `E`
 * lines of failures, the short-summary message, skip locations, xfail reasons
 * and captured-output sections must be equal.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, "..");
const FIXTURES = join(ROOT, "test", "fixtures", "harness");
const PLUGIN_DIR = join(FIXTURES, "_support");
const HARNESS = join(ROOT, "wasm-python", "python");
const SUITES = readdirSync(FIXTURES).filter((name) => !name.startsWith("_") && statSync(join(FIXTURES, name)).isDirectory());

interface Report {
  when: string;
  outcome: string;
  longrepr: string | null;
  message: string | null;
  wasxfail: string | null;
  skip: [string, number, string] | null;
  sections: Array<[string, string]>;
}

interface CollectProblem {
  outcome: string;
  longrepr: string;
  skip: [string, number, string] | null;
}

interface SuiteResult {
  order: string[];
  reports: Map<string, Report[]>;
  collect: Map<string, CollectProblem>;
}

function baseEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, PYTHONDONTWRITEBYTECODE: "1", COLUMNS: "80", ...extra };
  delete env.CI;
  delete env.BUILD_NUMBER;
  delete env.PYTEST_ADDOPTS;
  return env;
}

async function runPytest(dir: string, scratch: string): Promise<SuiteResult> {
  const out = join(scratch, `${relative(FIXTURES, dir)}.jsonl`);
  const args = ["-m", "pytest", "-p", "fastest_report_plugin", "-p", "no:cacheprovider",
    "--continue-on-collection-errors", "--rootdir", dir, dir];
  const env = baseEnv({ PYTEST_DISABLE_PLUGIN_AUTOLOAD: "1", PYTHONPATH: PLUGIN_DIR, FASTEST_REPORT_FILE: out });
  await run("python3", args, { cwd: dir, env, maxBuffer: 64 << 20 }).catch((error: { code?: number }) => {
    // pytest exits 1 when tests fail (the fixtures fail on purpose); anything else is a broken run.
    if (error.code !== 1) throw error;
  });
  const result: SuiteResult = { order: [], reports: new Map(), collect: new Map() };
  for (const line of readFileSync(out, "utf8").split("\n").filter(Boolean)) {
    const rec = JSON.parse(line);
    if (rec.kind === "collect") {
      const skip = rec.skip ? [relative(dir, rec.skip[0]), rec.skip[1], rec.skip[2]] : null;
      result.collect.set(rec.nodeid, { outcome: rec.outcome, longrepr: rec.longrepr, skip: skip as CollectProblem["skip"] });
      continue;
    }
    if (!result.reports.has(rec.nodeid)) {
      result.order.push(rec.nodeid);
      result.reports.set(rec.nodeid, []);
    }
    result.reports.get(rec.nodeid)!.push({
      when: rec.when, outcome: rec.outcome, longrepr: rec.longrepr, message: rec.message,
      wasxfail: rec.wasxfail ?? null, skip: rec.skip ?? null,
      sections: rec.sections.filter((s: [string, string]) => s[0].startsWith("Captured")),
    });
  }
  return result;
}

async function runFastest(dir: string): Promise<SuiteResult> {
  const { stdout } = await run("python3", ["-m", "fastest_harness", "--rootdir", dir, "."], {
    cwd: dir, env: baseEnv({ PYTHONPATH: HARNESS }), maxBuffer: 64 << 20,
  });
  const result: SuiteResult = { order: [], reports: new Map(), collect: new Map() };
  for (const line of stdout.split("\n").filter((l) => l.startsWith("{"))) {
    const event = JSON.parse(line);
    if ("items" in event) {
      result.order = event.items.map((item: { nodeid: string }) => item.nodeid);
      for (const error of event.errors) result.collect.set(error.nodeid, { outcome: "failed", longrepr: error.longrepr, skip: null });
      for (const skipped of event.skipped ?? []) {
        result.collect.set(skipped.nodeid, { outcome: "skipped", longrepr: "", skip: [skipped.path, skipped.lineno, skipped.reason] });
      }
    } else if (event.type === "itemEnd") {
      result.reports.set(event.nodeid, event.reports.map((r: Record<string, unknown>) => ({
        ...r,
        skip: r.skip ? [(r.skip as { path: string }).path, (r.skip as { lineno: number }).lineno, (r.skip as { reason: string }).reason] : null,
      })));
    }
  }
  return result;
}

/** pytest's terminal categories for one item, e.g. "passed+error" for a teardown error. */
function outcomeOf(reports: Report[]): string {
  const parts: string[] = [];
  let main: string | null = null;
  for (const r of reports) {
    if ((r.when === "setup" || r.when === "call") && r.outcome === "skipped") main = r.wasxfail !== null ? "xfailed" : "skipped";
  }
  const call = reports.find((r) => r.when === "call");
  if (main === null && call && call.outcome === "passed") main = call.wasxfail !== null ? "xpassed" : "passed";
  if (main) parts.push(main);
  for (const r of reports) if (r.outcome === "failed") parts.push(r.when === "call" ? "failed" : "error");
  return parts.join("+");
}

function normalize(text: string | null): string {
  return (text ?? "").replace(/0x[0-9a-f]+/g, "0xADDR").trim();
}

function eLines(text: string | null): string[] {
  return normalize(text).split("\n").filter((line) => line === "E" || line.startsWith("E "));
}

/** pytest locates a doctest skipped by +SKIP in its own doctest.py; fastest at the doctest (docs/COMPATIBILITY.md). */
function doctestSkip(skip: Report["skip"]): Report["skip"] {
  return skip && skip[2] === "Skipped: all tests skipped by +SKIP option" ? ["<doctest>", 0, skip[2]] : skip;
}

function summarize(result: SuiteResult): Record<string, unknown> {
  const items: Record<string, unknown> = {};
  for (const [nodeid, reports] of result.reports) {
    items[nodeid] = {
      outcome: outcomeOf(reports),
      eLines: reports.flatMap((r) => eLines(r.longrepr)),
      messages: reports.filter((r) => r.outcome === "failed" && r.message !== null).map((r) => r.message!.split("\n")[0]),
      skip: reports.map((r) => r.skip).filter(Boolean).map(doctestSkip),
      // Doctest failures have no `E` lines: their whole text is compared.
      doctest: reports.map((r) => normalize(r.longrepr)).filter((text) => /: (DocTestFailure|UnexpectedException)$/.test(text)),
      wasxfail: reports.map((r) => r.wasxfail).filter((w) => w !== null),
      sections: reports.map((r) => r.sections),
    };
  }
  const collect: Record<string, unknown> = {};
  for (const [nodeid, problem] of result.collect) {
    collect[nodeid] = { outcome: problem.outcome, eLines: eLines(problem.longrepr), skip: problem.skip };
  }
  return { items, collect };
}

describe("python harness vs pytest (native CPython)", () => {
  const scratch = mkdtempSync(join(tmpdir(), "fastest-parity-"));
  const results = new Map<string, { pytest: SuiteResult; fastest: SuiteResult }>();

  beforeAll(async () => {
    try {
      await run("python3", ["-m", "pytest", "--version"], { env: baseEnv({ PYTEST_DISABLE_PLUGIN_AUTOLOAD: "1" }) });
    } catch (error) {
      throw new Error(`real pytest is required for the parity tests: \`python3 -m pytest --version\` failed (${String(error)}). Install pytest 9 for python3.`);
    }
    await Promise.all(SUITES.map(async (suite) => {
      const dir = join(FIXTURES, suite);
      const [pytest, fastest] = await Promise.all([runPytest(dir, scratch), runFastest(dir)]);
      results.set(suite, { pytest, fastest });
    }));
  });

  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it("has fixture suites", () => {
    expect(SUITES.length).toBeGreaterThan(5);
  });

  it.each(SUITES)("%s: same items in the same order, same outcomes and failure lines", (suite) => {
    const { pytest, fastest } = results.get(suite)!;
    expect(pytest.reports.size).toBeGreaterThan(0);
    expect(fastest.order).toEqual(pytest.order);
    const expected = summarize(pytest);
    const actual = summarize(fastest);
    expect(actual.collect).toEqual(expected.collect);
    expect(actual.items).toEqual(expected.items);
  });
});
