/**
 * The parity corpus: `test/parity/groups/<group>/` folders. Every group runs
 * in one real-pytest invocation and one fastest invocation with the args of
 * its `group.json`; every top-level entry of a group (a test file, a doctest
 * text file, or a folder holding a small tree with conftest.py files) is one
 * case. Test ids are attributed to cases by their first path segment.
 *
 * A case names the pytest features it exercises in `# feature: a, b` lines;
 * the tags come from `features.ts` and feed docs/COMPATIBILITY.md.
 */
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join, resolve } from "node:path";

export const PARITY_ROOT = resolve(import.meta.dirname);
export const GROUPS_ROOT = join(PARITY_ROOT, "groups");

/** The settings of one group (its `group.json`). */
export interface GroupConfig {
  /** What the group is about, one line. */
  description: string;
  /** Extra CLI args for both sides (default: none). */
  args?: string[];
  /** Paths to run (default: "."). */
  paths?: string[];
  /** Runs made first on the same copy of the tree, e.g. to fill the cache before `--lf`. */
  prerun?: string[][];
  /** The group tests the cache: real pytest runs with its cacheprovider. */
  cache?: boolean;
  /** Compare every `E` line of failures, not only the first (assertion diffs, -v/-vv). */
  allELines?: boolean;
  /** Key a failure by pytest's short-summary message instead of its first `E` line (--tb styles that print no `E` lines). */
  keyByMessage?: boolean;
  /** Also compare the stdout lines matching this regex (flag output: -r, --durations, --co). */
  output?: string;
  /** Output lines that name no case belong to the case named last (e.g. --setup-show's SETUP lines). */
  outputFollows?: boolean;
  /** Compare output lines as a set, not in order (e.g. --durations, ordered by time). */
  outputSorted?: boolean;
  /** Compare only the output lines (no per-phase reports exist, e.g. --collect-only). */
  outputOnly?: boolean;
  /** Run the cases of that group (with this group's args) instead of holding cases itself. */
  casesFrom?: string;
  /** Feature tags added to every case of the group (e.g. the flag it runs under). */
  features?: string[];
}

export interface ParityCase {
  /** `<group>/<entry>`, the key of the known-gap list. */
  id: string;
  entry: string;
  features: string[];
}

export interface ParityGroup {
  name: string;
  dir: string;
  config: GroupConfig;
  cases: ParityCase[];
}

/** Files of a group that configure it instead of being cases (a conftest.py here applies to every case). */
const GROUP_FILES = new Set(["group.json", "conftest.py", "pytest.ini", "tox.ini", "setup.cfg", "pyproject.toml", "__pycache__"]);

function filesUnder(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path).filter((name) => name !== "__pycache__").flatMap((name) => filesUnder(join(path, name)));
}

function featuresOf(path: string): string[] {
  const tags = new Set<string>();
  for (const file of filesUnder(path)) {
    for (const match of readFileSync(file, "utf8").matchAll(/^\s*#\s*feature:\s*(.+)$/gm)) {
      for (const tag of match[1]!.split(",")) tags.add(tag.trim());
    }
  }
  return [...tags].sort();
}

export function loadCorpus(): ParityGroup[] {
  return readdirSync(GROUPS_ROOT).sort().map((name) => {
    const config = JSON.parse(readFileSync(join(GROUPS_ROOT, name, "group.json"), "utf8")) as GroupConfig;
    const dir = join(GROUPS_ROOT, config.casesFrom ?? name);
    const cases = readdirSync(dir)
      .filter((entry) => !GROUP_FILES.has(entry) && !entry.startsWith("."))
      .sort()
      .map((entry) => ({
        id: `${name}/${entry}`,
        entry,
        features: [...new Set([...featuresOf(join(dir, entry)), ...(config.features ?? [])])].sort(),
      }));
    return { name, dir, config, cases };
  });
}
