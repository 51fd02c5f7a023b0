import { spawnSync } from "node:child_process";
import path from "node:path";
import type { CacheStore } from "../core/cache.js";
import { UsageError } from "../core/cli-args.js";
import { ImportGraph } from "./watch-graph.js";

/**
 * `--changed [REF]`: run only the test files a change since a git ref can
 * affect, judged by the import map the previous run recorded (which project
 * files each file imported while it was collected). Paths here are
 * rootdir-relative with `/`.
 */

/** Where the import map lives in `.fastest_cache/v/`. */
export const IMPORT_MAP_KEY = "fastest/importmap";

/** The map as stored: importer to the project files its import statements reached. */
export interface ImportMap {
  imports: Record<string, string[]>;
}

/** Read the stored map; null when there is none (or it is not one). */
export async function loadImportMap(store: CacheStore): Promise<ImportMap | null> {
  const value = (await store.get(IMPORT_MAP_KEY)) as ImportMap | undefined;
  if (!value || typeof value !== "object" || typeof value.imports !== "object" || value.imports === null) return null;
  return value;
}

/** Store what this run recorded over the earlier map: files collected now replace their old entries. */
export async function saveImportMap(store: CacheStore, recorded: Record<string, string[]>): Promise<void> {
  const earlier = (await loadImportMap(store))?.imports ?? {};
  const imports: Record<string, string[]> = { ...earlier, ...recorded };
  const sorted = Object.fromEntries(Object.keys(imports).sort().map((key) => [key, [...imports[key]!].sort()]));
  await store.set(IMPORT_MAP_KEY, { imports: sorted });
}

/** Why `--changed` cannot narrow the run: a usage error (exit 4). */
export class ChangedError extends UsageError {}

/** Files under `rootdir` changed since `ref` in git: committed since, staged, unstaged and untracked (not ignored). */
export function changedSince(rootdir: string, ref: string): string[] {
  const git = (args: string[]) => {
    const result = spawnSync("git", args, { cwd: rootdir, encoding: "utf8" });
    if (result.error) throw new ChangedError(`--changed needs git, which could not run: ${result.error.message}`);
    if (result.status !== 0) {
      const reason = result.stderr.trim().split("\n")[0] ?? "";
      throw new ChangedError(`--changed ${ref}: git could not compare with ${JSON.stringify(ref)}: ${reason}`);
    }
    return result.stdout.split("\n").filter(Boolean);
  };
  const inside = spawnSync("git", ["rev-parse", "--is-inside-work-tree"], { cwd: rootdir, encoding: "utf8" });
  if (inside.error) throw new ChangedError(`--changed needs git, which could not run: ${inside.error.message}`);
  if (inside.stdout.trim() !== "true") throw new ChangedError(`--changed needs a git repository: the rootdir ${rootdir} is not inside one`);
  // `git diff REF` compares REF with the working tree; --relative keeps the paths under (and relative to) rootdir.
  const diffed = git(["diff", "--name-only", "--relative", "--no-renames", ref, "--"]);
  const untracked = git(["ls-files", "--others", "--exclude-standard", "--", "."]);
  return [...new Set([...diffed, ...untracked])].map((file) => file.split(path.sep).join("/")).sort();
}

/** Config files whose change can affect any test: a change to one runs everything. */
const CONFIG_FILES = new Set(["pytest.ini", ".pytest.ini", "pytest.toml", ".pytest.toml", "pyproject.toml", "tox.ini", "setup.cfg"]);

export interface ChangedSelection {
  /** The test files to run (rootdir-relative), or null to run all of them. */
  files: string[] | null;
  /** What the header says about it. */
  line: string;
}

/**
 * Which of `testFiles` to run for the `changed` files: a test file that
 * changed, that imports a changed module (directly or through other project
 * modules), that sits under a changed conftest.py, or that the map does not
 * know (new since the map was recorded). A changed config file, or no map,
 * runs everything. Changed files that are not Python (data, docs) are not
 * followed: the map knows only imports.
 */
export function selectChanged(testFiles: string[], changed: string[], map: ImportMap | null, ref: string): ChangedSelection {
  const since = `changed since ${ref}`;
  const count = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
  if (!map) return { files: null, line: `${since}: no import map from an earlier run in .fastest_cache, so every test file runs (the next run can narrow)` };
  const config = changed.filter((file) => CONFIG_FILES.has(file.split("/").at(-1)!) && !file.includes("/"));
  if (config.length > 0) return { files: null, line: `${since}: ${config.join(", ")} changed, so every test file runs` };
  const graph = new ImportGraph();
  graph.update(map.imports);
  const python = changed.filter((file) => file.endsWith(".py"));
  const reached = graph.dependents(python);
  const conftestDirs = python.filter((file) => file.split("/").at(-1) === "conftest.py").map((file) => file.slice(0, file.lastIndexOf("/") + 1));
  const selected = testFiles.filter(
    (file) => reached.has(file) || !(file in map.imports) || conftestDirs.some((dir) => file.startsWith(dir)),
  );
  const ignored = changed.length - python.length;
  const notes = [count(changed.length, "file"), ...(ignored > 0 ? [`${ignored} not Python, not followed`] : [])];
  return { files: selected, line: `${since}: ${notes.join(", ")}; running ${selected.length} of ${count(testFiles.length, "test file")}` };
}
