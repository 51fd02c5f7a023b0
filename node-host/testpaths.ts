/**
 * The `testpaths` option as pytest 9 reads it: each entry is a glob
 * (`tests/*`, `src/**\/tests`), expanded like Python's
 * `glob.iglob(entry, recursive=True)` from the invocation folder; an entry
 * matching nothing is dropped.
 */
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { globToRegExp } from "../core/globs.js";

const hasMagic = (part: string) => /[*?[]/.test(part);

/** Entries of `dir` whose names match one glob segment; hidden ones only when the segment starts with a dot, as in Python. */
function matchNames(dir: string, segment: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const re = globToRegExp(segment);
  return names.filter((name) => re.test(name) && (segment.startsWith(".") || !name.startsWith(".")));
}

/** Every folder under `dir` (itself first), skipping hidden ones, as `**` walks them. */
function walkDirs(dir: string): string[] {
  const out = [dir];
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return out;
  }
  for (const entry of entries) {
    if (entry.isDirectory() && !entry.name.startsWith(".")) out.push(...walkDirs(path.join(dir, entry.name)));
  }
  return out;
}

/** One `testpaths` entry's matches, relative to `cwd` as written (absolute when the entry is), sorted as pytest sorts them. */
export function expandTestpath(cwd: string, entry: string): string[] {
  const absolute = path.isAbsolute(entry);
  const parts = entry.split(/[\\/]+/).filter((part, i) => part !== "" || (i === 0 && absolute));
  if (!parts.some(hasMagic)) return existsSync(path.resolve(cwd, entry)) ? [entry] : [];
  let current = [absolute ? path.sep : ""];
  for (const [i, part] of parts.entries()) {
    if (absolute && i === 0) continue;
    const last = i === parts.length - 1;
    const next: string[] = [];
    for (const base of current) {
      const dir = path.resolve(cwd, base || ".");
      if (part === "**") {
        for (const found of walkDirs(dir)) next.push(path.join(base, path.relative(dir, found)) || "");
        if (last) for (const found of walkDirs(dir)) for (const name of matchNames(found, "*")) next.push(path.join(base, path.relative(dir, found), name));
      } else if (hasMagic(part)) {
        for (const name of matchNames(dir, part)) next.push(path.join(base, name));
      } else if (existsSync(path.join(dir, part))) next.push(path.join(base, part));
    }
    current = [...new Set(next)].filter((p) => last || (p === "" ? true : statSync(path.resolve(cwd, p)).isDirectory()));
  }
  return current.filter((p) => p !== "").sort();
}

/** All entries' matches in order; an empty list when nothing matched (pytest then searches the invocation folder). */
export function expandTestpaths(cwd: string, entries: readonly string[]): string[] {
  return entries.flatMap((entry) => expandTestpath(cwd, entry));
}
