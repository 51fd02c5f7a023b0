/**
 * `--cov`, `--cov-branch`, `--cov-report`, `--cov-fail-under`, `--no-cov`:
 * pytest-cov's options, turned into what the workers measure
 * (`CoverageOptions`) and what the host reports afterwards.
 */
import { existsSync, statSync } from "node:fs";
import path from "node:path";
import { UsageError, type ParsedArgs } from "../core/cli-args.js";
import type { CoverageOptions } from "../core/protocol.js";
import { readCoverageConfig, type CoverageConfig } from "./coverage-config.js";

/** One `--cov-report` entry. */
export type CoverageReportSpec =
  | { kind: "term"; missing: boolean; skipCovered: boolean }
  | { kind: "lcov" | "xml"; path: string };

/** Coverage as the run asked for it. */
export interface CoverageSettings {
  /** Handed to every worker in `HarnessConfig.coverage`. */
  measure: CoverageOptions;
  reports: CoverageReportSpec[];
  /** `--cov-fail-under`: the lowest total percentage that passes; null: none. */
  failUnder: number | null;
  /** Warnings about `--cov` values that name nothing the sandbox holds, as coverage.py words them. */
  warnings: string[];
}

const defaultPaths = { lcov: "coverage.lcov", xml: "coverage.xml" } as const;
/** coverage.py's default `exclude_lines` (a Python regex). */
const pragmaNoCover = "#\\s*(pragma|PRAGMA)[:\\s]?\\s*(no|NO)\\s*(cover|COVER)";
const unsupported = ["html", "annotate", "json", "markdown", "markdown-append"];

/** The run's coverage settings, or null without `--cov` (or with `--no-cov`). */
export function resolveCoverage(args: ParsedArgs, cwd: string, rootdir: string): CoverageSettings | null {
  const given = args.options["cov"] as string[] | undefined;
  if (!given || given.length === 0 || args.options["no-cov"]) return null;
  const config = readCoverageConfig(cwd, args.options["cov-config"] as string | undefined);
  const toSandbox = (file: string) => file.split(path.sep).join("/");
  // As in pytest-cov, a bare --cov among named sources measures the config's `source`, else everything.
  const named = given.includes("") ? (config?.source ?? []) : given;
  const sources: string[] = [];
  const warnings: string[] = [];
  if (named.length === 0) sources.push(toSandbox(rootdir));
  for (const name of named) {
    const found = resolveSource(name, cwd, rootdir);
    if (found) sources.push(toSandbox(found));
    else if (existsSync(path.resolve(cwd, name))) warnings.push(`${name} is outside the rootdir (${rootdir}), which is all the sandbox holds: not measured`);
    else warnings.push(`Module ${name} was never imported. (module-not-imported)`);
  }
  const measure: CoverageOptions = { sources, branch: Boolean(args.options["cov-branch"]) || Boolean(config?.branch), reportUnexecuted: named.length > 0 };
  // coverage.py: an omit pattern that does not start with a wildcard is relative to the current folder.
  if (config?.omit) measure.omit = config.omit.map((pattern) => (/^[*?]/.test(pattern) ? pattern : toSandbox(path.resolve(cwd, pattern))));
  if (config?.excludeLines || config?.excludeAlso) measure.excludeLines = [...(config.excludeLines ?? [pragmaNoCover]), ...(config.excludeAlso ?? [])];
  const failUnder = parseFailUnder(args.options["cov-fail-under"]);
  return {
    measure,
    reports: parseReports((args.options["cov-report"] as string[] | undefined) ?? [], config),
    failUnder: failUnder ?? config?.failUnder ?? null,
    warnings,
  };
}

/**
 * A `--cov` value as coverage.py reads `source`: a folder or file (relative
 * to where fastest runs), else an importable package or module name looked
 * up in the rootdir and its `src/`. Only what lies in the rootdir reaches
 * the sandbox.
 */
function resolveSource(name: string, cwd: string, rootdir: string): string | null {
  const inRoot = (file: string) => file === rootdir || file.startsWith(rootdir + path.sep);
  const direct = path.resolve(cwd, name);
  if (existsSync(direct) && inRoot(direct)) return direct;
  if (!/^[A-Za-z_][\w.]*$/.test(name)) return null;
  const relative = name.split(".").join(path.sep);
  for (const base of [rootdir, path.join(rootdir, "src")]) {
    const folder = path.join(base, relative);
    if (existsSync(path.join(folder, "__init__.py")) || (existsSync(folder) && statSync(folder).isDirectory())) return folder;
    if (existsSync(`${folder}.py`)) return `${folder}.py`;
  }
  return null;
}

function parseReports(values: string[], config: CoverageConfig | null): CoverageReportSpec[] {
  // pytest-cov: no --cov-report means term; `--cov-report=` alone means none.
  // What the flags leave open, coverage.py's `show_missing` and `skip_covered` decide.
  if (values.length === 0) return [{ kind: "term", missing: Boolean(config?.showMissing), skipCovered: Boolean(config?.skipCovered) }];
  const reports: CoverageReportSpec[] = [];
  for (const value of values) {
    if (value === "") continue;
    const colon = value.indexOf(":");
    const type = colon < 0 ? value : value.slice(0, colon);
    const rest = colon < 0 ? null : value.slice(colon + 1);
    if (type === "term" || type === "term-missing") {
      if (rest !== null && rest !== "skip-covered") {
        throw new UsageError(`argument --cov-report: output specifier not supported for: "${value}" (term and term-missing only take ":skip-covered")`);
      }
      reports.push({ kind: "term", missing: type === "term-missing" || Boolean(config?.showMissing), skipCovered: rest === "skip-covered" || Boolean(config?.skipCovered) });
    } else if (type === "lcov" || type === "xml") {
      reports.push({ kind: type, path: rest || defaultPaths[type] });
    } else if (unsupported.includes(type)) {
      throw new UsageError(`argument --cov-report: "${type}" reports are not available in fastest; choose term, term-missing, lcov or xml`);
    } else {
      throw new UsageError(`argument --cov-report: invalid choice: "${value}" (choose from "term", "term-missing", "lcov", "xml")`);
    }
  }
  return reports;
}

function parseFailUnder(value: unknown): number | null {
  if (value === undefined) return null;
  const min = Number(value);
  if (typeof value !== "string" || value.trim() === "" || !Number.isFinite(min) || min < 0 || min > 100) {
    throw new UsageError(`argument --cov-fail-under: invalid value: '${String(value)}' (a percentage from 0 to 100)`);
  }
  return min;
}
