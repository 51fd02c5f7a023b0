import path from "node:path";
import { parseArgs, UsageError, type OptionSpec, type ParsedArgs } from "../core/cli-args.js";
import { conftestOptionSpecs, conftestOptionValues, parseWithConftestOptions } from "./conftest-options.js";
import { checkDisabledPluginOptions, disabledPlugins } from "../core/disabled-plugins.js";
import { pytestFromEnv, pytestPassThrough } from "./pytest-from-env.js";
import { iniArgs, iniLines, iniList } from "../core/ini.js";
import type { CaptureMode, HarnessConfig, ImportMode, LoggingOptions, TracebackStyle, WarningRecord } from "../core/protocol.js";
import { isStrictXfail } from "../core/config-options.js";
import { cwdIsRootdir, noTestpathsWarning, resolveConfigSetup } from "./config-setup.js";
import { expandTestpaths } from "./testpaths.js";
import type { IniConfig } from "./project.js";
import { resolveRunSelection, type RunSelection } from "./run-selection.js";
import { useColor } from "./color.js";
import { LogLevelError, resolveLoggingOptions } from "../core/logging-options.js";
import { ConfigError } from "./config-files.js";
import { resolveCoverage, type CoverageSettings } from "./coverage-options.js";

/** Everything one `fastest` invocation decided before running anything. */
export interface RunConfig {
  args: ParsedArgs;
  cwd: string;
  rootdir: string;
  ini: IniConfig;
  /** Paths to collect from (absolute), with `::` selectors split off. */
  paths: string[];
  /** Node id selectors relative to rootdir (`tests/test_a.py::test_x`). */
  selectors: string[];
  /** `testpaths` when they, not the command line, chose what ran. */
  testpaths: string[] | null;
  /** Worker threads asked for with `-n N`; null for `-n auto` or no `-n` (the run picks). */
  workers: number | null;
  harness: HarnessConfig;
  /** Selection and run control: -k, -m, --deselect, --ignore, -x, --lf, --durations, --co... */
  control: RunSelection;
  /** `--cov`: what the workers measure and which reports the run writes; null without `--cov`. */
  coverage?: CoverageSettings | null;
  junitXml: string | null;
  jsonReport: string | null;
  /** `--html PATH`: the self-contained HTML report. */
  htmlReport: string | null;
  reportChars: string;
  color: boolean;
  /** How long (ms) a timed-out test may ignore the interrupt before its worker is killed (`FASTEST_TIMEOUT_GRACE`, seconds). */
  timeoutGraceMs: number;
  /**
   * With a timeout: how long (ms) a worker may stay busy outside any test before it is killed
   * (`FASTEST_BUSY_LIMIT` seconds, else ten times the timeout, at least 30 s); 0 without one.
   */
  busyLimitMs: number;
  /** `--max-memory`: bytes each worker's interpreter may use; null: WebAssembly's own limit (4 GiB). */
  maxMemoryBytes: number | null;
  /** `--changed [REF]`: the git ref to compare with, or null to run every test file. */
  changed: string | null;
  /** Workers run in a child process under Node's permission model (off with `--no-permission-model`). */
  permissionModel: boolean;
  /** The interpreter the workers run (`--engine`, `--sandbox=ENGINE`): Pyodide unless told. */
  engine: "pyodide" | "wasi";
  /** `--isolate` (`[tool.fastest] isolate`): `file` runs each test file in a freshly restored interpreter. */
  isolate: "none" | "file";
  /** Running on CI (`CI` or `BUILD_NUMBER` set), which changes pytest's output a little. */
  onCi: boolean;
  /**
   * On GitHub Actions (`GITHUB_ACTIONS=true`, unless `FASTEST_GITHUB_ANNOTATIONS=0`): print an `::error`
   * annotation per failure, with paths relative to `workspace` (`GITHUB_WORKSPACE`, else the cwd).
   */
  githubAnnotations: { workspace: string } | null;
  /** The `norecursedirs` option's patterns, or null for pytest's default folders. */
  norecursedirs: string[] | null;
  /** Warnings about the config file (unknown options), for the warnings summary. */
  configWarnings: WarningRecord[];
  /** Lines to print on stderr before the run (about `required_plugins`). */
  configNotices: string[];
}

/** `--engine` or `--sandbox=ENGINE` (the same choice twice must agree). */
function engineOption(args: ParsedArgs): "pyodide" | "wasi" {
  const engine = stringOption(args, "engine");
  // A bare --sandbox ("") names no engine.
  const sandbox = stringOption(args, "sandbox") || undefined;
  if (engine && sandbox && engine !== sandbox) throw new UsageError(`--engine ${engine} and --sandbox=${sandbox} name different engines: give one of them`);
  const chosen = engine === "wasi" || sandbox === "wasi" ? "wasi" : "pyodide";
  return chosen;
}

function stringOption(args: ParsedArgs, name: string): string | undefined {
  const value = args.options[name];
  return typeof value === "string" ? value : undefined;
}

/** `--timeout` (else the `timeout` ini option) in seconds; 0: none. */
function parseTimeout(value: string | undefined, source: string): number {
  if (value === undefined || value.trim() === "") return 0;
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds < 0) throw new UsageError(`${source}: invalid value: '${value}' (a number of seconds)`);
  return seconds;
}

/** Below this the restored interpreter itself does not fit. */
const minimumMaxMemoryMiB = 128;

function parseMaxMemory(value: string | undefined): number | null {
  if (value === undefined) return null;
  const mib = Number(value);
  if (!Number.isInteger(mib) || mib < minimumMaxMemoryMiB || mib > 4096) {
    throw new UsageError(`argument --max-memory: invalid value: '${value}' (a whole number of MiB from ${minimumMaxMemoryMiB} to 4096)`);
  }
  return mib * 1024 * 1024;
}

function busyLimit(timeoutSeconds: number, fromEnv: string | undefined): number {
  if (timeoutSeconds === 0) return 0;
  if (fromEnv !== undefined) return parseTimeout(fromEnv, "FASTEST_BUSY_LIMIT") * 1000;
  return Math.max(30, 10 * timeoutSeconds) * 1000;
}

function parseWorkers(value: string | undefined): number | null {
  if (value === undefined || value === "auto" || value === "logical") return null;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`argument -n/--numprocesses: invalid value: '${value}' (a whole number or 'auto')`);
  return Math.max(1, n);
}

/**
 * Combine the command line, the ini-file (whose `addopts` come first, as in
 * pytest) and the environment into one `RunConfig`.
 */
export function resolveRunConfig(argv: string[], cwd: string, env: NodeJS.ProcessEnv, isTTY: boolean): RunConfig {
  // Options fastest does not know may be declared by the conftests (`parser.addoption`): read them only then.
  let specs: OptionSpec[] | undefined;
  const first = parseWithConftestOptions(argv, () => (specs ??= conftestOptionSpecs(resolveConfigSetup(parseArgs(argv, [], true), cwd, env).rootdir, cwd, argv)));
  const setup = resolveConfigSetup(first, cwd, env);
  const { rootdir, ini, addopts } = setup;
  const args = addopts.length > 0 ? parseWithConftestOptions([...addopts, ...argv], () => (specs ??= conftestOptionSpecs(rootdir, cwd, [...addopts, ...argv]))) : first;
  const conftestOptions = specs ? conftestOptionValues(args, specs) : undefined;
  // [tool.fastest] options give way to the command line and addopts.
  for (const [name, value] of Object.entries(setup.defaults)) args.options[name] ??= value;
  checkDisabledPluginOptions(args, [...addopts, ...argv]);

  let testpaths: string[] | null = null;
  let positionals = args.positionals;
  if (positionals.length === 0) {
    const configured = cwdIsRootdir(cwd, rootdir) ? iniList(ini.values["testpaths"]) : [];
    const matched = expandTestpaths(cwd, configured);
    if (matched.length > 0) {
      testpaths = configured;
      positionals = matched;
    } else positionals = [cwd];
    if (configured.length > 0 && matched.length === 0) setup.warnings.push(noTestpathsWarning(ini));
  }
  const paths: string[] = [];
  const selectors: string[] = [];
  let wholeFiles = false;
  for (const arg of positionals) {
    const [file, ...rest] = arg.split("::");
    const absolute = path.resolve(cwd, file!);
    paths.push(absolute);
    if (rest.length > 0) selectors.push([path.relative(rootdir, absolute).split(path.sep).join("/"), ...rest].join("::"));
    else wholeFiles = true;
  }
  // An argument without `::` selects everything under it.
  if (wholeFiles && selectors.length > 0) {
    for (const arg of positionals) if (!arg.includes("::")) selectors.push(path.relative(rootdir, path.resolve(cwd, arg)).split(path.sep).join("/"));
  }

  const verbosity = ((args.options["verbose"] as number | undefined) ?? 0) - ((args.options["quiet"] as number | undefined) ?? 0);
  const seedText = stringOption(args, "seed");
  const seed = seedText === undefined ? Math.floor(Math.random() * 2 ** 31) : Number(seedText);
  if (!Number.isInteger(seed) || seed < 0) throw new UsageError(`argument --seed: invalid value: '${seedText}' (a whole number)`);
  const capture: CaptureMode = args.options["no-capture"] ? "no" : ((stringOption(args, "capture") ?? "fd").replace("tee-sys", "sys") as CaptureMode);
  const colorOption = stringOption(args, "color") ?? "auto";
  const color = useColor(colorOption, env, isTTY);

  const control = resolveRunSelection(args, cwd, ini.values, first);
  const junitXml = stringOption(args, "junitxml") ?? stringOption(args, "junit-xml") ?? null;
  const coverage = resolveCoverage(args, cwd, rootdir);
  const harness: HarnessConfig = {
    rootdir: rootdir.split(path.sep).join("/"),
    invocationDir: cwd.split(path.sep).join("/"),
    ...(ini.path ? { inipath: ini.path.split(path.sep).join("/") } : {}),
    seed,
    verbosity,
    tbStyle: (stringOption(args, "tb") ?? "auto") as TracebackStyle,
    showLocals: Boolean(args.options["showlocals"]),
    capture,
    pythonFiles: iniList(ini.values["python_files"]).length > 0 ? iniList(ini.values["python_files"]) : ["test_*.py", "*_test.py"],
    pythonClasses: iniList(ini.values["python_classes"]).length > 0 ? iniList(ini.values["python_classes"]) : ["Test"],
    pythonFunctions: iniList(ini.values["python_functions"]).length > 0 ? iniList(ini.values["python_functions"]) : ["test"],
    xfailStrict: isStrictXfail(ini.values, new Set(ini.overridden)),
    markers: iniLines(ini.values["markers"]),
    ini: ini.values,
    args: argv,
    ...(coverage ? { coverage: coverage.measure } : {}),
    collectOnly: control.collectOnly,
    strictMarkers: control.strictMarkers,
    initialPaths: paths.map((p) => p.split(path.sep).join("/")),
    doctest: {
      modules: Boolean(args.options["doctest-modules"]),
      globs: (args.options["doctest-glob"] as string[] | undefined) ?? [],
      report: stringOption(args, "doctest-report") ?? "udiff",
      continueOnFailure: Boolean(args.options["doctest-continue-on-failure"]),
      ignoreImportErrors: Boolean(args.options["doctest-ignore-import-errors"]),
    },
    pythonWarnings: (args.options["pythonwarnings"] as string[] | undefined) ?? [],
    setupShow: Boolean(args.options["setup-show"]),
    ...(args.options["sandbox-skip-unsupported"] ? { sandboxSkipUnsupported: true } : {}),
    ...(stringOption(args, "import-mode") ? { importMode: stringOption(args, "import-mode") as ImportMode } : {}),
    ...withLogging(() => resolveLoggingOptions(args.options, ini.values)),
    disabledPlugins: disabledPlugins(args),
    ...(conftestOptions ? { conftestOptions } : {}),
    ...(pytestFromEnv(args) ? { pytestFromEnv: { args: pytestPassThrough(args) } } : {}),
    timeout: stringOption(args, "timeout") !== undefined
      ? parseTimeout(stringOption(args, "timeout"), "argument --timeout")
      : parseTimeout(typeof ini.values["timeout"] === "string" ? ini.values["timeout"] : undefined, "ini option timeout"),
    ...(junitXml !== null ? { junitFamily: String(ini.values["junit_family"] ?? "xunit2").trim() } : {}),
  };
  return {
    args,
    cwd,
    rootdir,
    ini,
    paths,
    selectors,
    testpaths,
    workers: parseWorkers(stringOption(args, "numprocesses")),
    harness,
    junitXml,
    jsonReport: stringOption(args, "json") ?? null,
    htmlReport: stringOption(args, "html") ?? null,
    reportChars: stringOption(args, "report-chars") ?? "fE",
    color,
    timeoutGraceMs: parseTimeout(env["FASTEST_TIMEOUT_GRACE"] ?? "2", "FASTEST_TIMEOUT_GRACE") * 1000,
    busyLimitMs: busyLimit(harness.timeout ?? 0, env["FASTEST_BUSY_LIMIT"]),
    maxMemoryBytes: parseMaxMemory(stringOption(args, "max-memory")),
    permissionModel: !args.options["no-permission-model"],
    engine: engineOption(args),
    isolate: stringOption(args, "isolate") === "file" ? "file" : "none",
    changed: stringOption(args, "changed") ?? null,
    onCi: env["CI"] !== undefined || env["BUILD_NUMBER"] !== undefined,
    githubAnnotations:
      env["GITHUB_ACTIONS"] === "true" && env["FASTEST_GITHUB_ANNOTATIONS"] !== "0" ? { workspace: path.resolve(cwd, env["GITHUB_WORKSPACE"] || ".") } : null,
    norecursedirs: ini.values["norecursedirs"] === undefined ? null : iniArgs(ini.values["norecursedirs"]),
    configWarnings: setup.warnings,
    configNotices: setup.notices,
    control,
    coverage,
  };
}

/** The harness's `logging` field, left out when every logging option is pytest's default; a bad level stops the run as in pytest. */
function withLogging(resolve: () => LoggingOptions | undefined): { logging?: LoggingOptions } {
  try {
    const logging = resolve();
    return logging ? { logging } : {};
  } catch (error) {
    throw error instanceof LogLevelError ? new ConfigError(error.message) : error;
  }
}
