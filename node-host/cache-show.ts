/**
 * `--cache-show [GLOB]`: print what `.fastest_cache/` holds, as pytest's
 * `--cache-show` prints `.pytest_cache/`: each value under `v/` whose key
 * matches the glob (pytest's `Path.rglob`: the glob matches the key's last
 * parts), formatted with Python's `pprint`, then the files under `d/`.
 * Nothing runs, so no interpreter starts.
 */
import { existsSync, lstatSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { globToRegExp } from "../core/globs.js";
import { parsePyJson, pformat, pyStrRepr } from "../core/pformat.js";
import { TerminalWriter } from "../core/reporters/terminal-writer.js";
import { ExitCode } from "../core/protocol.js";
import { FileCacheStore } from "./cache-store.js";
import type { HostIO } from "./run.js";
import type { RunConfig } from "./run-config.js";

/** Print the cache's values and return the exit code (0, as pytest's). */
export function cacheShow(config: RunConfig, io: HostIO): number {
  const started = performance.now();
  const glob = typeof config.args.options["cache-show"] === "string" ? config.args.options["cache-show"] : "*";
  const dir = new FileCacheStore(config.rootdir).dir;
  const tw = new TerminalWriter(io.stdout, io.columns, config.color);
  tw.line(`cachedir: ${dir}`);
  if (isRealFolder(dir)) showValues(tw, dir, glob);
  else tw.line("cache is empty");
  tw.line();
  const summary = `no tests ran in ${((performance.now() - started) / 1000).toFixed(2)}s`;
  if (config.harness.verbosity < 0) tw.line(summary, { yellow: true });
  else tw.sep("=", summary, { yellow: true });
  return ExitCode.OK;
}

function showValues(tw: TerminalWriter, dir: string, glob: string): void {
  tw.sep("-", `cache values for ${pyStrRepr(glob)}`);
  const matches = rglobMatcher(glob);
  for (const key of filesUnder(path.join(dir, "v")).filter(matches)) {
    let shown: string;
    try {
      shown = pformat(parsePyJson(readFileSync(path.join(dir, "v", ...key.split("/")), "utf8")));
    } catch {
      tw.line(`${key} contains unreadable content, will be ignored`);
      continue;
    }
    tw.line(`${key} contains:`);
    for (const valueLine of shown.split("\n")) tw.line(`  ${valueLine}`);
  }
  const dirs = path.join(dir, "d");
  if (isRealFolder(dirs)) {
    tw.sep("-", `cache directories for ${pyStrRepr(glob)}`);
    for (const file of filesUnder(dirs).filter(matches)) {
      tw.line(`d/${file} is a file of length ${statSync(path.join(dirs, ...file.split("/"))).size}`);
    }
  }
}

/** A folder that is not a symbolic link (the cache may sit in a project with links out of it). */
function isRealFolder(dir: string): boolean {
  try {
    return lstatSync(dir).isDirectory();
  } catch {
    return false;
  }
}

/** Regular files under `root` (links not followed), as `/`-separated keys sorted as pytest sorts paths: part by part. */
function filesUnder(root: string): string[] {
  const keys: string[][] = [];
  const walk = (dir: string, prefix: string[]) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) walk(path.join(dir, entry.name), [...prefix, entry.name]);
      else if (entry.isFile()) keys.push([...prefix, entry.name]);
    }
  };
  if (existsSync(root)) walk(root, []);
  keys.sort((a, b) => {
    for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! < b[i]! ? -1 : 1;
    return a.length - b.length;
  });
  return keys.map((parts) => parts.join("/"));
}

/** pathlib's `rglob(glob)`: the glob's parts match the key's last parts, each part on its own (`*` never crosses `/`). */
function rglobMatcher(glob: string): (key: string) => boolean {
  const parts = glob.split("/").filter((part) => part !== "" && part !== ".");
  const patterns = parts.map((part) => (part === "**" ? null : globToRegExp(part)));
  return (key) => {
    const keyParts = key.split("/");
    if (patterns.includes(null)) return globToRegExp(`**/${glob}`).test(key);
    if (keyParts.length < patterns.length) return false;
    const tail = keyParts.slice(keyParts.length - patterns.length);
    return patterns.every((pattern, i) => pattern!.test(tail[i]!));
  };
}
