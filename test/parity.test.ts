/**
 * End-to-end parity of `fastest --sandbox` with real pytest on the corpus of
 * test/parity/groups (see test/parity/corpus.ts for its layout).
 *
 * Each group runs once under `python3 -m pytest` (>= 8, plugins off, a small
 * reporting plugin as the oracle) and once under fastest (its `--json`
 * report); per case, every test id must have the same outcome (passed,
 * failed, skipped, xfailed, xpassed, error in setup or teardown) and the
 * same key line of each failure, skip or xfail; per group, the final summary
 * counts must agree. Cases in test/parity/known-gaps.ts must still differ.
 */
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadCorpus, type ParityGroup } from "./parity/corpus.js";
import { FEATURES } from "./parity/features.js";
import { KNOWN_GAPS } from "./parity/known-gaps.js";
import { removeScratchDirs, runGroup, type GroupResult } from "./parity/run-group.js";
import type { SideView } from "./parity/view.js";

const groups = loadCorpus();
const results = new Map<string, GroupResult>();
const CONCURRENCY = 2;

function pytestVersion(): string {
  try {
    return execFileSync("python3", ["-c", "import pytest; print(pytest.__version__)"], { encoding: "utf8" }).trim();
  } catch {
    throw new Error("real pytest is missing: the parity tests need `python3 -m pytest` >= 8 (`apt-get install python3-pytest`, or run .ci/run)");
  }
}

/** Why the groups could not run (no pytest, a broken run): every test then fails with it, none is skipped. */
let setupError: Error | undefined;

function resultOf(group: ParityGroup): GroupResult {
  if (setupError) throw setupError;
  return results.get(group.name)!;
}

beforeAll(async () => {
  try {
    await runAll();
  } catch (error) {
    setupError = error as Error;
  }
}, 360_000);

async function runAll(): Promise<void> {
  const version = pytestVersion();
  if (!/^\d+\./.test(version) || Number(version.split(".")[0]) < 8) {
    throw new Error(`the parity tests need real pytest >= 8 as the oracle (\`python3 -m pytest\`), found ${JSON.stringify(version)}: run .ci/run or \`apt-get install python3-pytest\``);
  }
  // Biggest groups first so the two lanes end together.
  const queue = [...groups].sort((a, b) => b.cases.length - a.cases.length);
  const lane = async () => {
    for (let group = queue.shift(); group; group = queue.shift()) results.set(group.name, await runGroup(group));
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, lane));
  // FASTEST_PARITY_DUMP=file writes both sides of every case, to read a mismatch in full.
  const dump = process.env["FASTEST_PARITY_DUMP"];
  if (dump) {
    const sides = [...results].map(([name, r]) => [name, { pytest: Object.fromEntries(r.pytest.cases), fastest: Object.fromEntries(r.fastest.cases), counts: [r.pytest.counts, r.fastest.counts] }]);
    writeFileSync(dump, JSON.stringify(Object.fromEntries(sides), null, 1));
  }
}

afterAll(() => {
  removeScratchDirs();
  const gaps = Object.entries(KNOWN_GAPS);
  const total = groups.reduce((n, g) => n + g.cases.length, 0);
  console.log(`parity: ${total - gaps.length}/${total} cases equal to real pytest; ${gaps.length} known gaps (test/parity/known-gaps.ts)`);
  const byReason = new Map<string, string[]>();
  for (const [id, reason] of gaps) byReason.set(reason, [...(byReason.get(reason) ?? []), id]);
  for (const [reason, ids] of byReason) console.log(`  gap: ${reason}\n       ${ids.join(", ")}`);
  const seconds = [...results.values()].reduce((sum, r) => ({ pytest: sum.pytest + r.seconds.pytest, fastest: sum.fastest + r.seconds.fastest }), { pytest: 0, fastest: 0 });
  console.log(`  ${results.size} groups; wall time summed over runs: pytest ${seconds.pytest.toFixed(1)}s, fastest ${seconds.fastest.toFixed(1)}s`);
  const slowest = [...results].sort((a, b) => b[1].seconds.fastest - a[1].seconds.fastest).slice(0, 3);
  console.log(`  slowest fastest runs: ${slowest.map(([name, r]) => `${name} ${r.seconds.fastest.toFixed(1)}s`).join(", ")}`);
});

function isGap(id: string): boolean {
  return KNOWN_GAPS[id] !== undefined;
}

/** The group's summary counts without the gap cases' own share (deselections cannot be attributed then). */
function countsWithoutGaps(group: ParityGroup, side: SideView): Record<string, number> {
  const counts = { ...side.counts };
  const gaps = group.cases.filter((c) => isGap(c.id));
  if (gaps.length === 0) return counts;
  delete counts["deselected"];
  for (const c of gaps) {
    for (const [key, n] of Object.entries(side.caseCounts.get(c.entry) ?? {})) if (key in counts || n) counts[key] = (counts[key] ?? 0) - n;
  }
  return Object.fromEntries(Object.entries(counts).filter(([key, n]) => n !== 0 && key !== "deselected"));
}

describe("the parity corpus", () => {
  it("runs every group under real pytest >= 8 and fastest", () => {
    if (setupError) throw setupError;
    expect(results.size).toBe(groups.length);
  });

  it("holds at least 300 cases, each tagged with known features", () => {
    const cases = groups.flatMap((g) => g.cases);
    expect(cases.length).toBeGreaterThanOrEqual(300);
    const untagged = cases.filter((c) => c.features.length === 0).map((c) => c.id);
    expect(untagged, "cases without a `# feature:` line").toEqual([]);
    const unknown = cases.flatMap((c) => c.features.filter((f) => !(f in FEATURES)).map((f) => `${c.id}: ${f}`));
    expect(unknown, "feature tags missing from test/parity/features.ts").toEqual([]);
    const uncovered = Object.keys(FEATURES).filter((f) => !cases.some((c) => c.features.includes(f)));
    expect(uncovered, "features without a case").toEqual([]);
  });

  it("lists only existing cases as known gaps", () => {
    const ids = new Set(groups.flatMap((g) => g.cases.map((c) => c.id)));
    expect(Object.keys(KNOWN_GAPS).filter((id) => !ids.has(id))).toEqual([]);
  });
});

describe.each(groups)("parity group $name", (group) => {
  it.each(group.cases)("$id", (parityCase) => {
    const result = resultOf(group);
    const theirs = result.pytest.cases.get(parityCase.entry)!;
    const ours = result.fastest.cases.get(parityCase.entry)!;
    expect(result.pytest.crash, "real pytest did not report").toBeNull();
    // Under default args an empty case is a broken case; under -k, -x... a case may legitimately run nothing.
    if (!group.config.args?.length && !group.config.paths) expect(theirs.length, "the case reports nothing under real pytest: is it a test file?").toBeGreaterThan(0);
    const reason = KNOWN_GAPS[parityCase.id];
    if (reason === undefined) {
      expect(ours).toEqual(theirs);
    } else {
      expect(ours, `listed as a known gap (${reason}) but now matches real pytest: remove it from test/parity/known-gaps.ts and run \`npm run parity:docs\``).not.toEqual(theirs);
    }
  });

  it("ends with the same summary counts and exit code as real pytest", () => {
    const result = resultOf(group);
    const gaps = group.cases.filter((c) => isGap(c.id)).length;
    if (gaps === group.cases.length) return;
    expect(countsWithoutGaps(group, result.fastest)).toEqual(countsWithoutGaps(group, result.pytest));
    if (gaps === 0) expect(result.fastest.status, "exit code").toBe(result.pytest.status);
  });
});
