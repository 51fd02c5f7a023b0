/**
 * `-p no:NAME`: pytest's built-in plugins that fastest emulates can be
 * turned off as in pytest. A disabled plugin's command-line options no
 * longer exist (pytest's argparse then rejects them); other names, and
 * `-p NAME` without `no:`, are accepted and do nothing.
 */
import { UsageError, type ParsedArgs } from "./cli-args.js";

/** The options (long names as `parseArgs` stores them) each emulated plugin adds. */
const PLUGIN_OPTIONS: Readonly<Record<string, readonly string[]>> = {
  cacheprovider: ["last-failed", "failed-first", "new-first", "last-failed-no-failures", "cache-clear", "cache-show", "changed"],
  stepwise: ["stepwise", "stepwise-skip", "stepwise-reset"],
  doctest: ["doctest-modules", "doctest-glob", "doctest-report", "doctest-continue-on-failure", "doctest-ignore-import-errors"],
  junitxml: ["junitxml", "junit-xml", "junit-prefix"],
  setuponly: ["setup-show"],
  terminal: ["verbose", "quiet", "report-chars", "disable-warnings", "disable-pytest-warnings", "tb", "showlocals", "color", "durations", "durations-min", "no-header", "no-summary"],
  capture: ["capture", "no-capture"],
};

/** Names given as `-p no:NAME`, in order. */
export function disabledPlugins(args: ParsedArgs): string[] {
  const given = args.options["plugin"];
  const names = Array.isArray(given) ? given : [];
  return names.filter((name) => name.startsWith("no:")).map((name) => name.slice(3));
}

/**
 * Throw pytest's usage error when an option of a disabled plugin was given
 * (`-p no:doctest --doctest-modules` is `unrecognized arguments: --doctest-modules`).
 */
export function checkDisabledPluginOptions(args: ParsedArgs, argv: readonly string[]): void {
  const owned = new Set(disabledPlugins(args).flatMap((name) => PLUGIN_OPTIONS[name] ?? []));
  const used = [...owned].filter((name) => args.options[name] !== undefined);
  if (used.length === 0) return;
  // Quote the arguments as typed, as argparse does.
  const typed = argv.filter((arg) => arg.startsWith("-") && used.some((name) => matchesOption(arg, name)));
  throw new UsageError(`unrecognized arguments: ${(typed.length > 0 ? typed : used.map((name) => `--${name}`)).join(" ")}`);
}

const SHORT: Readonly<Record<string, string>> = { verbose: "v", quiet: "q", "report-chars": "r", showlocals: "l", "no-capture": "s" };
const ALIASES: Readonly<Record<string, readonly string[]>> = {
  "last-failed": ["lf"], "failed-first": ["ff"], "new-first": ["nf"], "last-failed-no-failures": ["lfnf"],
  stepwise: ["sw"], "stepwise-skip": ["sw-skip"], "stepwise-reset": ["sw-reset"],
};

function matchesOption(arg: string, name: string): boolean {
  const long = arg.startsWith("--") ? arg.slice(2).split("=")[0]! : null;
  if (long !== null) return long === name || (ALIASES[name] ?? []).includes(long);
  const short = SHORT[name];
  return short !== undefined && arg.slice(1).includes(short);
}
