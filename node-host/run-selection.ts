import path from "node:path";
import { UsageError, type ParsedArgs } from "../core/cli-args.js";
import type { CacheOptions } from "../core/cache-plugins.js";
import type { SelectionOptions } from "../core/selection.js";
import { globToRegExp } from "../core/globs.js";

/** What to run and when to stop: selection, ignores, -x, cache plugins, durations, --co. */
export interface RunSelection {
  /** `-k`, `-m`, `--deselect`. */
  selection: SelectionOptions;
  /** `--ignore` and `--ignore-glob`, for paths found while walking folders. */
  ignore: (absolutePath: string) => boolean;
  /** `--maxfail N`, `-x` (1); 0 when the run never stops early. */
  maxfail: number;
  /** `--collect-only` / `--co`. */
  collectOnly: boolean;
  /** `--durations N` (0: all), or null when not asked. */
  durations: number | null;
  /** `--durations-min`, seconds; null when not given. */
  durationsMin: number | null;
  /** Cache plugin options; null with `-p no:cacheprovider`. */
  cache: CacheOptions | null;
  /** `--strict-markers` or `--strict` on the command line, or the `strict_markers` / `strict` ini options. */
  strictMarkers: boolean;
}

function list(args: ParsedArgs, name: string): string[] {
  const value = args.options[name];
  return Array.isArray(value) ? value : [];
}

function text(args: ParsedArgs, name: string): string | undefined {
  const value = args.options[name];
  return typeof value === "string" ? value : undefined;
}

function wholeNumber(args: ParsedArgs, name: string): number | undefined {
  const value = text(args, name);
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\s*-?\d+\s*$/.test(value)) throw new UsageError(`argument --${name}: invalid int value: '${value}'`);
  return n;
}

const truthy = (value: string | string[] | undefined) => /^(true|1|yes|on)$/i.test(String(value ?? ""));

/**
 * Whether an unregistered mark is an error. `--strict-markers` and `--strict`
 * stand for the `strict_markers` and `strict` ini options, but pytest 9 drops
 * them when they come from the ini file's own `addopts`, so only the command
 * line counts; `strict_markers`, when set at all, wins over `strict`.
 */
function strictMarkers(commandLine: ParsedArgs, ini: Record<string, string | string[]>): boolean {
  const markers = commandLine.options["strict-markers"] ? "true" : ini["strict_markers"];
  const strict = commandLine.options["strict"] ? "true" : ini["strict"];
  return markers !== undefined ? truthy(markers) : truthy(strict);
}

/**
 * Read the selection and run-control options of one invocation. `args` holds
 * the ini file's `addopts` and the command line; `commandLine` the latter alone.
 */
export function resolveRunSelection(args: ParsedArgs, cwd: string, ini: Record<string, string | string[]>, commandLine: ParsedArgs = args): RunSelection {
  // pytest resolves --ignore and --ignore-glob against the invocation folder.
  const ignored = new Set(list(args, "ignore").map((p) => path.resolve(cwd, p)));
  const globs = list(args, "ignore-glob").map((g) => globToRegExp(path.resolve(cwd, g)));
  const minText = text(args, "durations-min");
  const durationsMin = minText === undefined ? null : Number(minText);
  if (durationsMin !== null && !Number.isFinite(durationsMin)) throw new UsageError(`argument --durations-min: invalid float value: '${minText}'`);
  const plugins = list(args, "plugin");
  const stepwiseSkip = Boolean(args.options["stepwise-skip"]);
  const stepwiseReset = Boolean(args.options["stepwise-reset"]);
  return {
    selection: {
      keyword: text(args, "keyword"),
      markexpr: text(args, "markexpr"),
      deselect: list(args, "deselect"),
    },
    ignore: (file) => ignored.has(file) || globs.some((glob) => glob.test(file)),
    maxfail: args.options["exitfirst"] ? 1 : Math.max(0, wholeNumber(args, "maxfail") ?? 0),
    collectOnly: Boolean(args.options["collect-only"]),
    durations: wholeNumber(args, "durations") ?? null,
    durationsMin,
    cache: plugins.includes("no:cacheprovider")
      ? null
      : {
          lastFailed: Boolean(args.options["last-failed"]),
          failedFirst: Boolean(args.options["failed-first"]),
          newFirst: Boolean(args.options["new-first"]),
          lastFailedNoFailures: text(args, "last-failed-no-failures") === "none" ? "none" : "all",
          stepwise: Boolean(args.options["stepwise"]) || stepwiseSkip || stepwiseReset,
          stepwiseSkip,
          stepwiseReset,
          clear: Boolean(args.options["cache-clear"]),
        },
    strictMarkers: strictMarkers(commandLine, ini),
  };
}
