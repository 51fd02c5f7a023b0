/**
 * coverage.py's configuration, as pytest-cov hands it over: `.coveragerc`
 * (or `--cov-config`), else the `[coverage:*]` sections of `setup.cfg` or
 * `tox.ini`, else `[tool.coverage.*]` in `pyproject.toml`, the first of them
 * in the invocation folder that has any. Only the settings fastest acts on
 * are read.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { parse as parseToml } from "smol-toml";
import { UsageError } from "../core/cli-args.js";
import { parseIni } from "../core/ini.js";

/** The coverage.py settings fastest uses; absent means not set. */
export interface CoverageConfig {
  /** The file they came from (for messages). */
  file: string;
  source?: string[];
  branch?: boolean;
  omit?: string[];
  excludeLines?: string[];
  excludeAlso?: string[];
  failUnder?: number;
  showMissing?: boolean;
  skipCovered?: boolean;
}

type Section = Record<string, unknown>;

/** Read the coverage config for a run started in `cwd`; null when there is none. */
export function readCoverageConfig(cwd: string, explicit: string | undefined): CoverageConfig | null {
  if (explicit !== undefined && explicit !== ".coveragerc") {
    const file = path.resolve(cwd, explicit);
    if (!existsSync(file)) throw new UsageError(`--cov-config: ${explicit} does not exist`);
    return fromFile(file, file.endsWith(".toml") ? "tool.coverage." : "") ?? { file };
  }
  // coverage.py's order, each tried only when the file exists and has coverage sections.
  for (const [name, prefix] of [[".coveragerc", ""], ["setup.cfg", "coverage:"], ["tox.ini", "coverage:"], ["pyproject.toml", "tool.coverage."]] as const) {
    const file = path.join(cwd, name);
    if (!existsSync(file)) continue;
    const config = fromFile(file, prefix);
    if (config) return config;
  }
  return null;
}

function fromFile(file: string, prefix: string): CoverageConfig | null {
  const text = readFileSync(file, "utf8");
  let run: Section | undefined;
  let report: Section | undefined;
  try {
    if (prefix === "tool.coverage.") {
      const coverage = (parseToml(text)["tool"] as Section | undefined)?.["coverage"] as Section | undefined;
      run = coverage?.["run"] as Section | undefined;
      report = coverage?.["report"] as Section | undefined;
      if (!coverage) return null;
    } else {
      const sections = parseIni(text);
      run = sections.get(`${prefix}run`);
      report = sections.get(`${prefix}report`);
      if (![...sections.keys()].some((name) => name.startsWith(prefix))) return null;
    }
  } catch (error) {
    throw new UsageError(`could not read the coverage settings in ${file}: ${(error as Error).message}`);
  }
  const where = (section: string, key: string) => `${path.basename(file)} [${prefix}${section}] ${key}`;
  const config: CoverageConfig = { file };
  const set = <K extends keyof CoverageConfig>(key: K, value: CoverageConfig[K] | undefined) => {
    if (value !== undefined) config[key] = value;
  };
  set("source", list(run?.["source"], where("run", "source"), false));
  set("branch", bool(run?.["branch"], where("run", "branch")));
  set("omit", list(run?.["omit"], where("run", "omit"), false));
  set("excludeLines", list(report?.["exclude_lines"], where("report", "exclude_lines"), true));
  set("excludeAlso", list(report?.["exclude_also"], where("report", "exclude_also"), true));
  set("failUnder", number(report?.["fail_under"], where("report", "fail_under")));
  set("showMissing", bool(report?.["show_missing"], where("report", "show_missing")));
  set("skipCovered", bool(report?.["skip_covered"], where("report", "skip_covered")));
  return config;
}

/** A list setting: a TOML array, or INI text split on newlines (regexes) or on commas and newlines. */
function list(value: unknown, where: string, regexes: boolean): string[] | undefined {
  if (value === undefined) return undefined;
  if (Array.isArray(value)) return value.map(String);
  if (typeof value !== "string") throw new UsageError(`${where}: expected a list, got ${JSON.stringify(value)}`);
  return value.split(regexes ? /\n/ : /[,\n]/).map((item) => item.trim()).filter(Boolean);
}

function bool(value: unknown, where: string): boolean | undefined {
  if (value === undefined || typeof value === "boolean") return value;
  const text = String(value).trim().toLowerCase();
  if (["1", "yes", "true", "on"].includes(text)) return true;
  if (["0", "no", "false", "off"].includes(text)) return false;
  throw new UsageError(`${where}: expected a boolean, got ${JSON.stringify(value)}`);
}

function number(value: unknown, where: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n)) throw new UsageError(`${where}: expected a number, got ${JSON.stringify(value)}`);
  return n;
}
