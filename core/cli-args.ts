/**
 * pytest-style command-line parsing: `-vv`, `-rA`, `-n2`, `-n 2`,
 * `--tb=short`, `--tb short`, grouped short flags (`-vs`), `--` ending
 * options. Unknown options are usage errors with a suggestion.
 */

/** `optional`: a value that may be left out (argparse's `nargs="?"`): the next argument when it is not an option, else `absent`. */
type Kind = "flag" | "count" | "value" | "list" | "optional";

/** One command-line option: fastest's own, or one a conftest declares with `parser.addoption`. */
export interface OptionSpec {
  long: string;
  short?: string;
  kind: Kind;
  /** Values this option accepts, when it is a closed set. */
  choices?: readonly string[];
  /** Shown by --help. */
  help: string;
  metavar?: string;
  /** For `optional` options: the value when none is given. */
  absent?: string;
  /** For `optional` options: a value only as `--name=VALUE`, never from the next argument (`--sandbox tests/` keeps `tests/` a path). */
  attachedOnly?: boolean;
  /** For `optional` options: keep every value given, as a list (`--cov=a --cov=b`). */
  repeatable?: boolean;
  /** Other long names for the same option (`--co` for `--collect-only`). */
  aliases?: readonly string[];
}

/** The engines `--engine` and `--sandbox=` name. */
const engineNames = ["pyodide", "wasi"] as const;

export const optionSpecs: readonly OptionSpec[] = [
  { long: "help", short: "h", kind: "flag", help: "show this help and exit" },
  { long: "version", short: "V", kind: "flag", help: "show fastest's and its Python's versions and exit" },
  { long: "sandbox", kind: "optional", attachedOnly: true, choices: engineNames, metavar: "[ENGINE]", help: "run the tests inside the WebAssembly sandbox (runs without it are sandboxed too); --sandbox=wasi picks the engine, as --engine does" },
  { long: "engine", kind: "value", metavar: "ENGINE", choices: engineNames, help: "the Python interpreter the tests run in: pyodide (the default: Python 3.14) or wasi (CPython 3.11 built for WASI, which starts faster; build it once with `npm run build:wasi`)" },
  { long: "isolate", kind: "value", metavar: "SCOPE", choices: ["none", "file"], help: "file: run each test file in a fresh interpreter restored from the snapshot, so that nothing one file changes (module globals, sys.modules, os.environ) reaches the next; session-scoped fixtures then run once per file. none (the default, as in pytest): each worker runs all its files in one interpreter. Costs a restore and a second import per file: ~0.06 s with --engine wasi, ~0.2 s with Pyodide" },
  { long: "numprocesses", short: "n", kind: "value", metavar: "N", help: "number of worker threads, or 'auto' (the default): up to one per CPU core, as many as the suite's size pays for (a small suite runs on one)" },
  { long: "verbose", short: "v", kind: "count", help: "more detail: one line per test; twice for fuller diffs" },
  { long: "quiet", short: "q", kind: "count", help: "less detail: no header, dots only" },
  { long: "tb", kind: "value", metavar: "STYLE", choices: ["auto", "long", "short", "line", "native", "no"], help: "traceback style for failures: auto, long, short, line, native, no" },
  { long: "showlocals", short: "l", kind: "flag", help: "show local variables in tracebacks" },
  { long: "report-chars", short: "r", kind: "value", metavar: "CHARS", help: "extra summary lines: (f)ailed, (E)rror, (s)kipped, (x)failed, (X)passed, (p)assed, (a)ll but passed, (A)ll, (N)one; default fE" },
  { long: "capture", kind: "value", metavar: "METHOD", choices: ["fd", "sys", "no", "tee-sys"], help: "capture test output: fd, sys, no (default: fd; inside the sandbox fd capture works like sys)" },
  { long: "no-capture", short: "s", kind: "flag", help: "shortcut for --capture=no" },
  { long: "seed", kind: "value", metavar: "N", help: "seed for `random` (reapplied before each test); printed in the header so a run can be repeated" },
  { long: "junitxml", kind: "value", metavar: "PATH", help: "write a JUnit XML report (same ids as pytest's)" },
  { long: "junit-xml", kind: "value", metavar: "PATH", help: "same as --junitxml" },
  { long: "junit-prefix", aliases: ["junitprefix"], kind: "value", metavar: "STR", help: "prepend STR to every classname in the JUnit XML report" },
  { long: "html", kind: "value", metavar: "PATH", help: "write an HTML report: one self-contained file with counts, filters, each test's duration, failure and captured output" },
  { long: "self-contained-html", kind: "flag", help: "accepted for pytest-html compatibility: the --html report is always one self-contained file" },
  { long: "json", kind: "value", metavar: "PATH", help: "write a JSON report (schema in docs/JSON_REPORT.md)" },
  { long: "cov", kind: "optional", repeatable: true, metavar: "[PATH]", help: "measure coverage of the code under PATH (a folder, file or package name, relative to where fastest runs; repeatable); a bare --cov measures every Python file of the rootdir that runs, test files included. Write --cov=PATH: a separate word after --cov is taken as its PATH" },
  { long: "cov-branch", kind: "flag", help: "with --cov, measure branch coverage as well as lines" },
  { long: "cov-report", kind: "list", metavar: "TYPE", help: "coverage report (repeatable): term (the default), term-missing, term:skip-covered, term-missing:skip-covered, lcov[:PATH] (default coverage.lcov), xml[:PATH] (Cobertura, default coverage.xml); --cov-report= writes none" },
  { long: "cov-config", kind: "value", metavar: "PATH", help: "coverage.py's config file to read (default: .coveragerc, else the [coverage:*] sections of setup.cfg or tox.ini, else [tool.coverage.*] in pyproject.toml): source, branch, omit, exclude_lines, exclude_also, fail_under, show_missing, skip_covered are used" },
  { long: "cov-fail-under", kind: "value", metavar: "MIN", help: "fail the run (exit code 1) when the total coverage is below MIN percent" },
  { long: "no-cov", kind: "flag", help: "measure no coverage, whatever --cov says" },
  { long: "rootdir", kind: "value", metavar: "DIR", help: "the directory node ids are relative to (default: found like pytest does)" },
  { long: "config-file", short: "c", kind: "value", metavar: "FILE", help: "read pytest's options from this file (any of pytest.ini, pyproject.toml, tox.ini, setup.cfg, pytest.toml, or another name in one of their formats) instead of searching for one; its folder becomes the rootdir" },
  { long: "override-ini", short: "o", kind: "list", metavar: "NAME=VALUE", help: "set a config option, overriding the config file's value (repeatable), e.g. -o xfail_strict=true -o addopts=''" },
  { long: "strict-config", kind: "flag", help: "make an unknown option in the config file an error (exit code 4) instead of a warning" },
  { long: "continue-on-collection-errors", kind: "flag", help: "run the tests even when some files failed to collect" },
  { long: "color", kind: "value", metavar: "WHEN", choices: ["yes", "no", "auto"], help: "color terminal output: yes, no, auto (default)" },
  { long: "plugin", short: "p", kind: "list", metavar: "NAME", help: "load (or with no:NAME, block) a pytest plugin; plugins load only with --pytest-from-env, otherwise the option is accepted for pytest compatibility" },
  { long: "rebuild-snapshot", kind: "flag", help: "rebuild the cached interpreter snapshot before running" },
  { long: "site-packages", kind: "value", metavar: "PATH", help: "make the packages of this virtualenv (or site-packages folder) importable in the sandbox; by default those of the rootdir's .venv, when there is one. Compiled extensions not built for Pyodide cannot load (see --wheels)" },
  { long: "wheels", kind: "list", metavar: "DIR", help: "make the wheels in this folder importable in the sandbox (repeatable): pure-Python ones (py3-none-any) and Pyodide builds (pyodide_*_wasm32); they take precedence over --site-packages" },
  { long: "sandbox-skip-unsupported", kind: "flag", help: "report tests that need what the sandbox cannot provide (threads, subprocesses, signal timers, the network, compiled modules it lacks) as skipped, with the reason, instead of failed" },
  { long: "pytest-from-env", kind: "flag", help: "run the tests with the pytest installed in the environment (--site-packages, the rootdir's .venv or --wheels) and its plugins, inside the sandbox, instead of fastest's own pytest; options fastest does not know are handed to that pytest (write them as --name=VALUE)" },
  { long: "no-permission-model", kind: "flag", help: "run the Python workers inside this process instead of a child process under Node's permission model (the sandbox's second wall, which costs a few tens of milliseconds at start)" },
  { long: "keyword", short: "k", kind: "value", metavar: "EXPR", help: "run only tests whose names match EXPR: a word matches any test, class, file or mark name containing it (ignoring case); combine words with and, or, not and parentheses, e.g. -k 'parse and not slow'" },
  { long: "markexpr", short: "m", kind: "value", metavar: "EXPR", help: "run only tests whose marks (@pytest.mark.NAME) match EXPR, e.g. -m 'slow and not network'; NAME(key=value) also checks a mark's keyword argument" },
  { long: "deselect", kind: "list", metavar: "NODEID_PREFIX", help: "leave out tests whose id starts with this (repeatable), e.g. --deselect tests/test_a.py::test_slow" },
  { long: "ignore", kind: "list", metavar: "PATH", help: "do not collect this file or folder (repeatable)" },
  { long: "ignore-glob", kind: "list", metavar: "GLOB", help: "do not collect files or folders whose path matches this glob, e.g. '*_slow.py' (repeatable)" },
  { long: "exitfirst", short: "x", kind: "flag", help: "stop after the first failure or error (the first in collection order, however many workers run)" },
  { long: "maxfail", kind: "value", metavar: "N", help: "stop after N failures or errors" },
  { long: "max-memory", kind: "value", metavar: "MiB", help: "memory each worker's Python may use, in MiB (at least 128; default: WebAssembly's 4096); past it allocations fail with MemoryError" },
  { long: "timeout", kind: "value", metavar: "SECONDS", help: "fail a test that runs longer than this, as pytest-timeout does (0: no limit, the default; @pytest.mark.timeout(N) sets one test's limit)" },
  { long: "collect-only", aliases: ["co"], kind: "flag", help: "list the tests that would run, as a tree (with -q: one id per line; -qq: a count per file), and run nothing" },
  { long: "last-failed", aliases: ["lf"], kind: "flag", help: "rerun only the tests that failed last time (all tests when none failed); results are kept in .fastest_cache/ under the rootdir" },
  { long: "failed-first", aliases: ["ff"], kind: "flag", help: "run all tests, last time's failures first" },
  { long: "new-first", aliases: ["nf"], kind: "flag", help: "run tests from new files first, then the rest, each group most recently modified file first" },
  { long: "last-failed-no-failures", aliases: ["lfnf"], kind: "value", metavar: "WHAT", choices: ["all", "none"], help: "with --lf, what to run when nothing failed last time: all (default) or none" },
  { long: "stepwise", aliases: ["sw"], kind: "flag", help: "stop at the first failure, and next time start from that test (fix tests one at a time)" },
  { long: "stepwise-skip", aliases: ["sw-skip"], kind: "flag", help: "like --stepwise, but let the first failure pass and stop at the second" },
  { long: "stepwise-reset", aliases: ["sw-reset"], kind: "flag", help: "like --stepwise, but forget where the last run stopped and start from the first test" },
  { long: "cache-clear", kind: "flag", help: "empty .fastest_cache/ (last failures, stepwise position) before the run" },
  { long: "changed", kind: "optional", metavar: "[REF]", absent: "HEAD", help: "run only the test files that changes since the git ref REF (default HEAD: uncommitted changes) can affect, by the imports the previous run recorded; write --changed=REF (a separate word after --changed is taken as REF)" },
  { long: "cache-show", kind: "optional", metavar: "[GLOB]", absent: "*", help: "show the values in .fastest_cache/ (those whose key matches GLOB, e.g. 'cache/*') and run nothing" },
  { long: "shard", kind: "value", metavar: "K/N", help: "run only the K-th of N parts of the selected tests (e.g. --shard 2/4 on the second of four CI machines); parts are balanced by the durations --store-durations keeps" },
  { long: "store-durations", kind: "flag", help: "after the run, write each test's duration into the durations file, which --shard balances by (commit it)" },
  { long: "durations-path", kind: "value", metavar: "PATH", help: "the durations file for --shard and --store-durations (default: .fastest-durations.json in the rootdir)" },
  { long: "durations", kind: "value", metavar: "N", help: "list the N slowest test phases after the run (0: all of them)" },
  { long: "durations-min", kind: "value", metavar: "SECONDS", help: "with --durations, leave out phases faster than this (default 0.005)" },
  { long: "strict-markers", kind: "flag", help: "make a mark not registered in the config's `markers` (nor built in) a collection error" },
  { long: "strict", kind: "flag", help: "strict mode, pytest 9's strict option: --strict-markers and --strict-config together, and an xfail test that passes fails (strict_xfail)" },
  { long: "doctest-modules", kind: "flag", help: "run doctests in all .py modules" },
  { long: "doctest-glob", kind: "list", metavar: "PAT", help: "doctests file matching pattern, default: test*.txt" },
  { long: "doctest-report", kind: "value", metavar: "STYLE", choices: ["none", "cdiff", "ndiff", "udiff", "only_first_failure"], help: "output format for doctest failures: none, cdiff, ndiff, udiff (default), only_first_failure" },
  { long: "doctest-continue-on-failure", kind: "flag", help: "for a given doctest, continue to run after the first failure" },
  { long: "doctest-ignore-import-errors", kind: "flag", help: "skip modules that fail to import instead of reporting them as errors" },
  { long: "import-mode", kind: "value", metavar: "MODE", choices: ["prepend", "append", "importlib"], help: "how test files and conftests are imported: prepend (the default: their root folder goes first on sys.path), append (last on sys.path), importlib (sys.path untouched; test files of the same name in different folders may coexist)" },
  { long: "log-level", kind: "value", metavar: "LEVEL", help: "lowest level of the log records captured for failure reports (and caplog), e.g. DEBUG or INFO (ini: log_level)" },
  { long: "log-format", kind: "value", metavar: "FORMAT", help: "logging format of captured log records (ini: log_format)" },
  { long: "log-date-format", kind: "value", metavar: "FORMAT", help: "date format of captured log records (ini: log_date_format)" },
  { long: "log-cli-level", kind: "value", metavar: "LEVEL", help: "show log records of this level and above while tests run (live logging; turns it on, as the log_cli ini option does)" },
  { long: "log-cli-format", kind: "value", metavar: "FORMAT", help: "logging format of live log records (ini: log_cli_format; default: the log format)" },
  { long: "log-cli-date-format", kind: "value", metavar: "FORMAT", help: "date format of live log records (ini: log_cli_date_format)" },
  { long: "pythonwarnings", short: "W", kind: "list", metavar: "FILTER", help: "set which warnings to report, see -W option of Python itself" },
  { long: "disable-warnings", kind: "flag", help: "disable the warnings summary" },
  { long: "no-header", kind: "flag", help: "leave out the header lines under 'test session starts' (platform, rootdir...)" },
  { long: "no-summary", kind: "flag", help: "leave out the summary sections after the run (failures, warnings, short summary)" },
  { long: "disable-pytest-warnings", kind: "flag", help: "same as --disable-warnings" },
  { long: "setup-show", kind: "flag", help: "show setup of fixtures while executing tests" },
  { long: "fixtures", aliases: ["funcargs"], kind: "flag", help: "list the available fixtures (built-in ones too; with -v those starting with _ and whole docstrings) and run nothing" },
  { long: "fixtures-per-test", kind: "flag", help: "list the fixtures each test uses and run nothing" },
  { long: "markers", kind: "flag", help: "list the registered markers (the ini's `markers` and the built-in ones) and exit" },
  { long: "watch", kind: "flag", help: "run the tests, then watch the project and rerun on every save: first the test files the change affects (a changed test file, or those importing a changed module), then all of them if you press a; f reruns failures, Enter the last selection, q quits" },
];

export type ParsedOptions = Record<string, string | number | boolean | string[] | undefined>;

export interface ParsedArgs {
  options: ParsedOptions;
  positionals: string[];
}

export class UsageError extends Error {}

const byLong = new Map(optionSpecs.flatMap((spec) => [spec.long, ...(spec.aliases ?? [])].map((name) => [name, spec] as const)));
const byShort = new Map(optionSpecs.filter((spec) => spec.short).map((spec) => [spec.short!, spec]));

/**
 * Parse `argv`. `extra`: options conftests declare (`parser.addoption`), known
 * from their text; `lenient`: unknown long options are skipped as flags
 * instead of being usage errors (to find the paths before the conftests are read).
 */
export function parseArgs(argv: readonly string[], extra: readonly OptionSpec[] = [], lenient = false): ParsedArgs {
  const extraByLong = new Map(extra.flatMap((spec) => [spec.long, ...(spec.aliases ?? [])].map((name) => [name, spec] as const)));
  const options: ParsedOptions = {};
  const positionals: string[] = [];
  // --pytest-from-env: long options fastest does not know are the environment pytest's (its plugins' options).
  const forPytest = argv.includes("--pytest-from-env");
  const store = (spec: OptionSpec, value: string | undefined, shown: string) => {
    if (spec.kind === "flag") options[spec.long] = true;
    else if (spec.kind === "optional") {
      const given = value ?? spec.absent ?? "";
      // Choices bind a value given; a bare option (no `absent`) stands for "no choice made".
      if (spec.choices && value !== undefined && !spec.choices.includes(given)) {
        throw new UsageError(`argument ${shown}: invalid choice: '${given}' (choose from ${spec.choices.map((c) => `'${c}'`).join(", ")})`);
      }
      options[spec.long] = spec.repeatable ? [...((options[spec.long] as string[] | undefined) ?? []), given] : given;
    }
    else if (spec.kind === "count") options[spec.long] = ((options[spec.long] as number | undefined) ?? 0) + 1;
    else {
      if (value === undefined) throw new UsageError(`argument ${shown}: expected one argument`);
      if (spec.choices && !spec.choices.includes(value)) {
        throw new UsageError(`argument ${shown}: invalid choice: '${value}' (choose from ${spec.choices.map((c) => `'${c}'`).join(", ")})`);
      }
      if (spec.kind === "list") options[spec.long] = [...((options[spec.long] as string[] | undefined) ?? []), value];
      else options[spec.long] = value;
    }
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--") {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (arg.startsWith("--")) {
      const eq = arg.indexOf("=");
      const name = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
      const spec = byLong.get(name) ?? extraByLong.get(name);
      if (!spec && lenient) continue;
      if (!spec && forPytest) {
        options["pytest-option"] = [...((options["pytest-option"] as string[] | undefined) ?? []), arg];
        continue;
      }
      if (!spec) throw new UsageError(unknownOption(arg.slice(0, eq < 0 ? undefined : eq)));
      let value = eq < 0 ? undefined : arg.slice(eq + 1);
      if (eq >= 0 && (spec.kind === "flag" || spec.kind === "count")) {
        throw new UsageError(`argument --${name}: ignored explicit argument '${value}'`);
      }
      if (value === undefined && (spec.kind === "value" || spec.kind === "list")) value = argv[++i];
      if (value === undefined && spec.kind === "optional") value = !spec.attachedOnly && argv[i + 1] !== undefined && !argv[i + 1]!.startsWith("-") ? argv[++i] : spec.absent;
      store(spec, value, `--${name}`);
    } else if (arg.startsWith("-") && arg.length > 1) {
      // A group of short options; one that takes a value ends the group.
      for (let j = 1; j < arg.length; j++) {
        const spec = byShort.get(arg[j]!);
        if (!spec) throw new UsageError(unknownOption(`-${arg[j]}`));
        if (spec.kind === "value" || spec.kind === "list") {
          const rest = arg.slice(j + 1);
          store(spec, rest !== "" ? rest.replace(/^=/, "") : argv[++i], `-${spec.short}/--${spec.long}`);
          break;
        }
        store(spec, undefined, `-${spec.short}`);
      }
    } else {
      positionals.push(arg);
    }
  }
  return { options, positionals };
}

function unknownOption(option: string): string {
  const name = option.replace(/^-+/, "");
  const suggestion = optionSpecs
    .map((spec) => ({ spec, distance: editDistance(name, spec.long) }))
    .filter(({ distance }) => distance <= Math.max(2, Math.floor(name.length / 3)))
    .sort((a, b) => a.distance - b.distance)[0];
  const hint = suggestion ? ` (did you mean --${suggestion.spec.long}?)` : "";
  return `unrecognized arguments: ${option}${hint}`;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length]!;
}

/** The options part of `--help`. */
export function formatOptionsHelp(width = 80): string {
  const lines: string[] = [];
  for (const spec of optionSpecs) {
    const metavar = spec.metavar ? `=${spec.metavar}` : "";
    const names = [spec.short ? `-${spec.short}` : "", `--${spec.long}${metavar}`, ...(spec.aliases ?? []).map((alias) => `--${alias}${metavar}`)]
      .filter(Boolean)
      .join(", ");
    const left = `  ${names}`;
    const pad = 34;
    const help = wrap(spec.help, width - pad);
    lines.push(left.length < pad ? left.padEnd(pad) + help[0] : `${left}\n${" ".repeat(pad)}${help[0]}`);
    for (const line of help.slice(1)) lines.push(" ".repeat(pad) + line);
  }
  return lines.join("\n");
}

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(" ")) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  lines.push(line);
  return lines;
}
