import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { globToRegExp } from "../core/globs.js";
import { isSkippedDir, isVirtualenv, neverCopied, norecurseMatcher } from "./project.js";
import type { RunConfig } from "./run-config.js";

/**
 * Hooks the conftests pytest loads before collecting define: the rootdir's,
 * those of each folder between it and a path argument, each argument
 * folder's `test*` subfolders', and the modules their `pytest_plugins`
 * name. Read as text (a `def pytest_...(` at any indentation), before any
 * interpreter starts: the host must know early whether to hold the header
 * for `pytest_report_header` lines and whether conftests decide which files
 * are collected (`pytest_ignore_collect`, `pytest_collect_file`). A few
 * `existsSync` calls when no conftest is there.
 */
export function initialConftestHooks(rootdir: string, paths: readonly string[]): Set<string> {
  const hooks = new Set<string>();
  for (const file of initialConftestFiles(rootdir, paths)) {
    for (const match of readText(file).matchAll(/^[ \t]*(?:async\s+)?def\s+(pytest_\w+)\s*\(/gm)) hooks.add(match[1]!);
  }
  return hooks;
}

/** The initial conftests (see {@link initialConftestHooks}) that exist, and the plugin modules they name. */
export function initialConftestFiles(rootdir: string, paths: readonly string[]): string[] {
  const files: string[] = [];
  const scan = (file: string) => {
    if (files.includes(file) || !existsSync(file)) return;
    files.push(file);
    for (const module of pluginModules(readText(file))) {
      const base = path.join(rootdir, ...module.split("."));
      scan(`${base}.py`);
      scan(path.join(base, "__init__.py"));
    }
  };
  for (const folder of initialFolders(rootdir, paths)) scan(path.join(folder, "conftest.py"));
  return files;
}

function readText(file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return "";
  }
}

function initialFolders(rootdir: string, paths: readonly string[]): string[] {
  const folders = new Set<string>([rootdir]);
  for (const arg of paths) {
    let dir = arg;
    try {
      if (!statSync(arg).isDirectory()) dir = path.dirname(arg);
      else {
        for (const entry of readdirSync(arg, { withFileTypes: true })) {
          if (entry.isDirectory() && entry.name.startsWith("test")) folders.add(path.join(arg, entry.name));
        }
      }
    } catch {
      continue;
    }
    // Every folder from the rootdir down to the argument.
    const chain: string[] = [];
    for (let d = dir; d.startsWith(rootdir) && d !== rootdir; d = path.dirname(d)) chain.push(d);
    for (const d of chain.reverse()) folders.add(d);
  }
  return [...folders];
}

/** Module names in a `pytest_plugins = "a.b"` or `pytest_plugins = ["a.b", ...]` assignment. */
function pluginModules(text: string): string[] {
  const match = /^pytest_plugins\s*=\s*(\[[^\]]*\]|\([^)]*\)|["'][^"']+["'])/m.exec(text);
  if (!match) return [];
  return [...match[1]!.matchAll(/["']([\w.]+)["']/g)].map((m) => m[1]!);
}

/** Hooks that decide which files are collected: with one of them the host sends the harness every file. */
export const COLLECTION_HOOKS = ["pytest_ignore_collect", "pytest_collect_file"] as const;

/** Every file a conftest's collection hooks may collect, and what fastest's own rules would leave out. */
export interface HookedFiles {
  /** The `wanted` files under the paths, in pytest's order; folders never copied into the sandbox (virtualenvs among them) stay out. */
  files: string[];
  /** Folders and files `--ignore` or `norecursedirs` would leave out: the harness leaves them out unless `pytest_ignore_collect` says otherwise. */
  defaultIgnored: string[];
}

/**
 * The walk of `findTestFiles` when a conftest defines `pytest_ignore_collect`
 * or `pytest_collect_file`: it goes everywhere the sandbox has files
 * (version-control folders, caches and `node_modules` are never copied in)
 * and lists what the default rules would leave out instead of leaving it out,
 * since a conftest's answer overrides them, as in pytest. `wanted` picks
 * the files by name (all of them for `pytest_collect_file`).
 */
export function findFilesForHooks(
  paths: readonly string[],
  ignore: (absolutePath: string) => boolean,
  norecursedirs: readonly string[] | null,
  wanted: (name: string) => boolean,
): HookedFiles {
  const noRecurse = norecursedirs === null ? null : norecurseMatcher(norecursedirs);
  const skippedByDefault = (dir: string, name: string) =>
    noRecurse === null ? isSkippedDir(dir, name) : noRecurse(path.join(dir, name));
  const files: string[] = [];
  const seen = new Set<string>();
  const defaultIgnored: string[] = [];
  const walk = (dir: string) => {
    const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        // Never in the sandbox: version control, caches, node_modules, virtualenvs.
        if (neverCopied.test(entry.name) || isVirtualenv(dir, entry.name)) continue;
        if (ignore(full) || skippedByDefault(dir, entry.name)) defaultIgnored.push(full);
        walk(full);
      } else if (entry.isFile() && !seen.has(full) && wanted(entry.name)) {
        if (ignore(full)) defaultIgnored.push(full);
        seen.add(full);
        files.push(full);
      }
    }
  };
  for (const p of paths) {
    if (statSync(p).isDirectory()) walk(p);
    else if (!seen.has(p)) {
      seen.add(p);
      files.push(p);
    }
  }
  return { files, defaultIgnored };
}

/** What the initial conftests' hooks change in how a run is set up. */
export interface ConftestHookSetup {
  /** With `pytest_ignore_collect` or `pytest_collect_file`: the files to send to the workers. */
  files?: string[];
  /** Fields for the harness config (`collectionHooks`, `defaultIgnored`). */
  harness: { collectionHooks?: true; defaultIgnored?: string[] };
  /** `pytest_report_header`: the header waits for the first collect, which returns its lines. */
  holdHeader: boolean;
  /** `pytest_collection_modifyitems`: every worker collects every file (`SessionOptions.collectAll`). */
  collectAll: boolean;
}

/** The setup for a run from its initial conftests (nothing changes without them). */
export function conftestHookSetup(config: Pick<RunConfig, "rootdir" | "paths" | "harness" | "control" | "norecursedirs">): ConftestHookSetup {
  const names = initialConftestHooks(config.rootdir, config.paths);
  const setup: ConftestHookSetup = { harness: {}, holdHeader: names.has("pytest_report_header"), collectAll: names.has("pytest_collection_modifyitems") };
  if (!COLLECTION_HOOKS.some((name) => names.has(name))) return setup;
  const { pythonFiles, doctest } = config.harness;
  const matchers = pythonFiles.map(globToRegExp);
  const textMatchers = (doctest && doctest.globs.length > 0 ? doctest.globs : ["test*.txt"]).map(globToRegExp);
  const wanted = names.has("pytest_collect_file")
    ? () => true
    : (name: string) => (name.endsWith(".py") ? Boolean(doctest?.modules) || matchers.some((m) => m.test(name)) : textMatchers.some((m) => m.test(name)));
  const found = findFilesForHooks(config.paths, config.control.ignore, config.norecursedirs, wanted);
  setup.files = found.files;
  setup.harness = { collectionHooks: true, defaultIgnored: found.defaultIgnored };
  return setup;
}
