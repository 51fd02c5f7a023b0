import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { globToRegExp, isSkippedDirName } from "../core/globs.js";

export { ConfigError, findRootdir, type IniConfig } from "./config-files.js";
import { ConfigError } from "./config-files.js";

/** Is folder `name` inside `dir` one that is neither searched for tests nor copied into the sandbox? */
export function isSkippedDir(dir: string, name: string): boolean {
  return isSkippedDirName(name) || isVirtualenv(dir, name);
}

export const isVirtualenv = (dir: string, name: string) => existsSync(path.join(dir, name, "pyvenv.cfg"));

/** Folders of tools and version control: never copied into the sandbox, whatever `norecursedirs` says. */
export const neverCopied = /^(\.git|\.hg|\.svn|\.fastest_cache|\.pytest_cache|\.tox|\.nox|\.mypy_cache|\.ruff_cache|\.venv|node_modules|__pycache__)$/;

/** What else than test modules a run collects: doctest modules and text files. */
export interface DoctestDiscovery {
  /** `--doctest-modules`: every `.py` file. */
  modules: boolean;
  /** `--doctest-glob` patterns; pytest's default is `test*.txt`. */
  globs: string[];
}

/**
 * Test files under the given paths, in pytest's order (each folder's entries
 * sorted by name, files and folders together). Files named explicitly are
 * kept whatever their name. With doctests, every Python module
 * (`--doctest-modules`) and text files matching the doctest globs count too.
 * `ignore` (`--ignore`, `--ignore-glob`) prunes files and folders found while
 * walking; paths given explicitly are collected anyway, as pytest does.
 * `norecursedirs` (the ini option), when set, replaces pytest's default list
 * of folders not searched; `__pycache__` and virtualenvs are never searched.
 */
export function findTestFiles(
  paths: string[],
  patterns: string[],
  doctest?: DoctestDiscovery,
  ignore: (absolutePath: string) => boolean = () => false,
  norecursedirs: readonly string[] | null = null,
): string[] {
  const matchers = patterns.map(globToRegExp);
  const noRecurse = norecursedirs === null ? null : norecurseMatcher(norecursedirs);
  const skipDir = (dir: string, name: string) =>
    noRecurse === null ? isSkippedDir(dir, name) : name === "__pycache__" || isVirtualenv(dir, name) || noRecurse(path.join(dir, name));
  const textMatchers = (doctest && doctest.globs.length > 0 ? doctest.globs : ["test*.txt"]).map(globToRegExp);
  const wanted = (name: string) =>
    name.endsWith(".py")
      ? Boolean(doctest?.modules) || matchers.some((m) => m.test(name))
      : textMatchers.some((m) => m.test(name));
  const found: string[] = [];
  const seen = new Set<string>();
  const add = (file: string) => {
    if (!seen.has(file)) {
      seen.add(file);
      found.push(file);
    }
  };
  const walk = (dir: string) => {
    const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      if (ignore(full)) continue;
      if (entry.isDirectory()) {
        if (!skipDir(dir, entry.name)) walk(full);
      } else if (entry.isFile() && wanted(entry.name)) {
        add(full);
      }
    }
  };
  for (const p of paths) {
    if (!existsSync(p)) throw new ConfigError(`file or directory not found: ${p}`);
    if (statSync(p).isDirectory()) walk(p);
    else add(p);
  }
  return found;
}

/**
 * pytest's `fnmatch_ex` over `norecursedirs` patterns: a pattern without a
 * slash matches the folder's name, one with a slash the end of its path.
 */
export function norecurseMatcher(patterns: readonly string[]): (dir: string) => boolean {
  const matchers = patterns.map((pattern) => {
    const posix = pattern.split(path.sep).join("/");
    const byName = !posix.includes("/");
    const re = globToRegExp(byName || path.isAbsolute(pattern) ? posix : `*/${posix}`);
    return (dir: string) => re.test(byName ? path.basename(dir) : dir.split(path.sep).join("/"));
  });
  return (dir) => matchers.some((matches) => matches(dir));
}

export interface ProjectSnapshot {
  files: Array<{ path: string; data: Uint8Array }>;
  bytes: number;
}

/** Largest project copied into the sandbox; past it the run stops with a clear error. */
export const maxProjectBytes = 256 * 1024 * 1024;

/**
 * Every file under rootdir that a test might read, for copying into the
 * sandbox: skipped folders (VCS, caches, virtualenvs, node_modules) stay out.
 * With a `norecursedirs` option, the folders it names stay out instead of
 * pytest's default ones (`build`, `dist`...), so tests found there are copied.
 */
export function readProjectFiles(rootdir: string, norecursedirs: readonly string[] | null = null): ProjectSnapshot {
  const noRecurse = norecursedirs === null ? null : norecurseMatcher(norecursedirs);
  const skipDir = (dir: string, name: string) =>
    noRecurse === null ? isSkippedDir(dir, name) : neverCopied.test(name) || isVirtualenv(dir, name) || noRecurse(path.join(dir, name));
  const files: ProjectSnapshot["files"] = [];
  let bytes = 0;
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!skipDir(dir, entry.name)) walk(full);
      } else if (entry.isFile()) {
        const data = readFileSync(full);
        bytes += data.byteLength;
        if (bytes > maxProjectBytes) {
          throw new ConfigError(
            `the project under ${rootdir} holds more than ${maxProjectBytes / 1024 / 1024} MiB of files to copy into the sandbox; run fastest on a smaller folder or pass --rootdir`,
          );
        }
        files.push({ path: full.split(path.sep).join("/"), data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) });
      }
    }
  };
  walk(rootdir);
  return { files, bytes };
}
