/**
 * The parity corpus (test/parity/groups) on the CPython-WASI engine:
 * `fastest --sandbox=wasi` against real pytest, case by case, as
 * test/parity.test.ts does for Pyodide. Cases that differ only on this
 * engine are listed in WASI_GAPS with the reason (they must still differ).
 * Skipped, saying why, when `npm run build:wasi` has not run (CI runs it).
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { wasiBuildDir } from "../node-host/engine-assets.js";
import { loadCorpus, type ParityGroup } from "./parity/corpus.js";
import { KNOWN_GAPS } from "./parity/known-gaps.js";
import { removeScratchDirs, runGroup, type GroupResult } from "./parity/run-group.js";
import { WASI_GAPS } from "./parity/wasi-gaps.js";

const built = existsSync(path.join(wasiBuildDir, "manifest.json"));
if (!built) console.warn(`parity-wasi: skipped: ${wasiBuildDir} is not built (run \`npm run build:wasi\`)`);
const groups = loadCorpus();
const results = new Map<string, GroupResult>();
let setupError: Error | undefined;

beforeAll(async () => {
  if (!built) return;
  try {
    const queue = [...groups].sort((a, b) => b.cases.length - a.cases.length);
    const lane = async () => {
      for (let group = queue.shift(); group; group = queue.shift()) results.set(group.name, await runGroup(group, "wasi"));
    };
    await Promise.all([lane(), lane()]);
  } catch (error) {
    setupError = error as Error;
  }
}, 600_000);

afterAll(() => {
  removeScratchDirs();
  if (!built) return;
  const seconds = [...results.values()].reduce((sum, r) => sum + r.seconds.fastest, 0);
  console.log(`parity-wasi: ${results.size} groups, ${Object.keys(WASI_GAPS).length} WASI-only gaps; fastest's wall time summed over runs ${seconds.toFixed(1)}s`);
});

function resultOf(group: ParityGroup): GroupResult {
  if (setupError) throw setupError;
  return results.get(group.name)!;
}

describe.skipIf(!built)("the parity corpus on the WASI engine", () => {
  it("lists only existing cases as WASI gaps, none already a known gap", () => {
    const ids = new Set(groups.flatMap((g) => g.cases.map((c) => c.id)));
    expect(Object.keys(WASI_GAPS).filter((id) => !ids.has(id) || KNOWN_GAPS[id] !== undefined)).toEqual([]);
  });

  describe.each(groups)("group $name", (group) => {
    it.each(group.cases)("$id", (parityCase) => {
      const result = resultOf(group);
      expect(result.fastest.crash, "fastest did not report").toBeNull();
      const theirs = result.pytest.cases.get(parityCase.entry)!;
      const ours = result.fastest.cases.get(parityCase.entry)!;
      const reason = KNOWN_GAPS[parityCase.id] ?? WASI_GAPS[parityCase.id];
      if (reason === undefined) expect(ours).toEqual(theirs);
      else expect(ours, `listed as a gap (${reason}) but now matches real pytest: remove it`).not.toEqual(theirs);
    });
  });
});
