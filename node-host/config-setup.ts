/**
 * A run's configuration before its flags are read: the config file (found
 * as pytest finds it, or `-c`), `-o` overrides, the checks pytest makes on
 * it (`minversion`, `required_plugins`, unknown options with
 * `--strict-config`), its `addopts`, and fastest's own options.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import type { ParsedArgs } from "../core/cli-args.js";
import { ConfigFileError } from "../core/config-file.js";
import { isStrictConfig, requiredPlugins, unknownOptions } from "../core/config-options.js";
import { fastestOptionValues, pathOptions } from "../core/fastest-options.js";
import { iniArgs } from "../core/ini.js";
import type { WarningRecord } from "../core/protocol.js";
import { ConfigError, findRootdir, type IniConfig } from "./config-files.js";
import { isSkippedDir } from "./project.js";

/** What the config file and `-c`/`-o`/`--rootdir` decided. */
export interface ConfigSetup {
  rootdir: string;
  ini: IniConfig;
  /** The config's `addopts` (after `-o`), to put before the command line's arguments. */
  addopts: string[];
  /** fastest's own options from the config file, as long option -> value (paths made absolute); the command line wins over them. */
  defaults: Record<string, string | string[]>;
  /** pytest's `PytestConfigWarning`s (unknown options), for the warnings summary. */
  warnings: WarningRecord[];
  /** Lines for stderr before the run starts (`required_plugins`). */
  notices: string[];
}

/** Options a conftest.py declares with `parser.addini("name", ...)`: known to pytest once it loads them. */
function conftestOptions(rootdir: string): Set<string> {
  const names = new Set<string>();
  const walk = (dir: string) => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      if (entry.isDirectory() && !isSkippedDir(dir, entry.name)) walk(path.join(dir, entry.name));
      else if (entry.isFile() && entry.name === "conftest.py") {
        const text = readFileSync(path.join(dir, entry.name), "utf8");
        for (const match of text.matchAll(/\baddini\(\s*(?:name\s*=\s*)?(["'])([^"'\\\s]+)\1/g)) names.add(match[2]!);
      }
    }
  };
  walk(rootdir);
  return names;
}

/** The line of `name = ...` in a config file, for the warning's location (1 when not found). */
function lineOf(file: string, name: string): number {
  try {
    const lines = readFileSync(file, "utf8").split(/\r?\n/);
    const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    const index = lines.findIndex((line) => new RegExp(`^["']?${escaped}["']?\\s*[=:]`).test(line));
    return index + 1 || 1;
  } catch {
    return 1;
  }
}

/** Plugins that `required_plugins` may name and fastest stands in for, so that they count as present. */
const emulatedPlugins = new Set(["pytest-timeout", "pytest-asyncio", "pytest-xdist", "pytest-subtests"]);

/**
 * Find and check the configuration of one invocation. `commandLine` is
 * the command line alone: as in pytest 9, `-c`, `-o`, `--rootdir`,
 * `--strict-config` and `--strict` count only from there, not from `addopts`.
 */
export function resolveConfigSetup(commandLine: ParsedArgs, cwd: string, env: NodeJS.ProcessEnv): ConfigSetup {
  const option = (name: string) => {
    const value = commandLine.options[name];
    return typeof value === "string" ? value : undefined;
  };
  const overrides = [
    ...(commandLine.options["strict"] ? ["strict=true"] : []),
    ...(commandLine.options["strict-config"] ? ["strict_config=true"] : []),
    ...((commandLine.options["override-ini"] as string[] | undefined) ?? []),
  ];
  const { rootdir, ini } = findRootdir(commandLine.positionals, cwd, option("rootdir"), { configFile: option("config-file"), overrides, env });

  let defaults: Record<string, string | string[]> = {};
  if (ini.fastest) {
    try {
      defaults = fastestOptionValues(ini.fastest.table, ini.fastest.file);
      // Paths in a config file are relative to its folder, wherever fastest is started from.
      const base = path.dirname(ini.fastest.file);
      for (const name of pathOptions) {
        const value = defaults[name];
        if (typeof value === "string") defaults[name] = path.resolve(base, value);
        else if (value) defaults[name] = value.map((entry) => path.resolve(base, entry));
      }
    } catch (error) {
      throw error instanceof ConfigFileError ? new ConfigError(error.message) : error;
    }
  }

  const warnings: WarningRecord[] = [];
  let unknown = unknownOptions(ini.values);
  if (unknown.length > 0) {
    const registered = conftestOptions(rootdir);
    unknown = unknown.filter((name) => !registered.has(name));
  }
  if (unknown.length > 0 && isStrictConfig(ini.values)) {
    throw new ConfigError(`Unknown config option: ${unknown[0]}\n(--strict-config or the strict_config ini option makes unknown options errors; remove the option or register it with parser.addini in a conftest.py)`);
  }
  for (const name of unknown) {
    const lineno = ini.path && !(ini.overridden ?? []).includes(name) ? lineOf(ini.path, name) : 1;
    const filename = ini.path ?? "";
    const message = `Unknown config option: ${name}\n`;
    warnings.push({ nodeid: "", category: "PytestConfigWarning", message, filename, lineno, formatted: `${filename}:${lineno}: PytestConfigWarning: ${message}\n` });
  }

  const notices: string[] = [];
  const missing = requiredPlugins(ini.values).filter((requirement) => !emulatedPlugins.has(/^[A-Za-z0-9._-]+/.exec(requirement)?.[0].toLowerCase() ?? ""));
  if (missing.length > 0) {
    notices.push(
      `fastest: warning: required_plugins lists ${missing.join(", ")}: fastest runs tests without third-party pytest plugins, ` +
        `so what they add (fixtures, hooks, options) is missing here; the run goes on. ` +
        `Run this project with pytest itself if its tests need them.`,
    );
  }
  return { rootdir, ini, addopts: iniArgs(ini.values["addopts"]), defaults, warnings, notices };
}

/** pytest uses `testpaths` only when it runs from the rootdir. */
export function cwdIsRootdir(cwd: string, rootdir: string): boolean {
  return path.resolve(cwd) === path.resolve(rootdir);
}

/** pytest's warning when no `testpaths` entry matched anything. */
export function noTestpathsWarning(ini: IniConfig): WarningRecord {
  const message = "No files were found in testpaths; consider removing or adjusting your testpaths configuration. Searching recursively from the current directory instead.";
  const filename = ini.path ?? "";
  const lineno = ini.path ? lineOf(ini.path, "testpaths") : 1;
  return { nodeid: "", category: "PytestConfigWarning", message, filename, lineno, formatted: `${filename}:${lineno}: PytestConfigWarning: ${message}\n` };
}
