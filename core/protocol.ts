/**
 * Every payload that crosses between a host (Node CLI, browser page) and a
 * worker holding a Python engine. Plain, structured-cloneable data only: no
 * classes, no functions (callbacks are passed separately by the transport),
 * errors as data.
 */

/** One file handed to the sandbox: a POSIX path inside it and its bytes. */
export interface ProjectFile {
  path: string;
  data: Uint8Array;
}

/** How a failure's traceback is shown (pytest's `--tb`). */
export type TracebackStyle = "auto" | "long" | "short" | "line" | "native" | "no";

/** Output capture (pytest's `--capture` / `-s`). */
export type CaptureMode = "fd" | "sys" | "no";

/**
 * Settings the Python harness needs for one run. Derived from CLI flags and
 * config files by the host; identical for every worker of a run.
 */
export interface HarnessConfig {
  /** Absolute path of the rootdir inside the sandbox; node ids are relative to it. */
  rootdir: string;
  /** The folder fastest was started in (mirrored inside the sandbox): Python's cwd. */
  invocationDir: string;
  /** The config file's absolute path (`config.inipath`), when there is one. */
  inipath?: string;
  /** Seed for `random`, reapplied before every test. */
  seed: number;
  /** pytest's verbosity: -q is -1, -v is 1, -vv is 2. */
  verbosity: number;
  tbStyle: TracebackStyle;
  showLocals: boolean;
  capture: CaptureMode;
  /** Glob patterns for test file names (`python_files`). */
  pythonFiles: string[];
  /** Prefixes or globs for test classes (`python_classes`). */
  pythonClasses: string[];
  /** Prefixes or globs for test functions (`python_functions`). */
  pythonFunctions: string[];
  /** `xfail_strict` ini option. */
  xfailStrict: boolean;
  /** Marker lines registered in config (`markers`), "name: description". */
  markers: string[];
  /** Raw ini options the harness may consult (`pytestconfig.getini`). */
  ini: Record<string, string | string[]>;
  /** Extra CLI arguments as given, for `config.invocation_params`. */
  args: string[];
  /** The paths named on the command line (absolute): pytest collects these whatever their name. */
  initialPaths?: string[];
  /** Doctest collection and reporting (`--doctest-*`). */
  doctest?: DoctestOptions;
  /** `-W`/`--pythonwarnings` filters, applied after the ini's `filterwarnings`. */
  pythonWarnings?: string[];
  /** `--setup-show`: fixture SETUP/TEARDOWN lines and one line per test, as `output` events. */
  setupShow?: boolean;
  /** `--collect-only`: items then also carry their parent chain (`CollectedItem.nodes`). */
  collectOnly?: boolean;
  /** `--strict-markers` (or the `strict_markers`/`strict` ini option): an unregistered mark is an error. */
  strictMarkers?: boolean;
  /**
   * The run cache (`<rootdir>/.fastest_cache/v/`) as `config.cache` and the
   * `cache` fixture read it: JSON text by key (`cache/lastfailed`). The host
   * owns the disk; what tests set comes back in `RunFinish.cacheWrites`.
   */
  cacheValues?: Record<string, string>;
  /** `--fixtures` / `--fixtures-per-test`: `collect` also returns that listing (`CollectResult.listing`). */
  listing?: "fixtures" | "fixtures-per-test";
  /** Plugins turned off with `-p no:NAME` (`warnings`: warnings are neither caught nor summarised). */
  disabledPlugins?: string[];
  /** `--timeout` / the `timeout` ini option: seconds a test may run (0: no limit); `@pytest.mark.timeout(N)` overrides it. */
  timeout?: number;
  /** Watch mode: `collect` also returns which project files import which (`CollectResult.imports`). */
  recordImports?: boolean;
  /** Values of command-line options conftests declare (`parser.addoption`), by their first long name (`--flavor`). */
  conftestOptions?: Record<string, string | number | boolean | string[]>;
  /** A conftest defines `pytest_ignore_collect` or `pytest_collect_file`: `collect` gets every candidate file and checks `python_files` itself. */
  collectionHooks?: boolean;
  /** With `collectionHooks`: folders and files (absolute sandbox paths) fastest's ignore rules leave out unless `pytest_ignore_collect` keeps them. */
  defaultIgnored?: string[];
  /** `--cov`: measure line (and branch) coverage from `configure` on; `finish` returns it. */
  coverage?: CoverageOptions;
  /** For a later `--changed`: record which project functions each test ran; `finish` returns it (`RunFinish.execution`). */
  recordExecution?: boolean;
  /**
   * `junit_family` (the ini value, e.g. `xunit2`) when the run writes JUnit XML (`--junitxml`);
   * the `record_*` fixtures warn and record by it, as pytest's do. Absent: no JUnit XML.
   */
  junitFamily?: string;
  /** The sandbox folder holding the run's dependencies (`--site-packages`, `--wheels`): added to `sys.path` as a site folder. */
  sitePackages?: string;
  /** Modules that cannot load in the sandbox (compiled for another platform), each with the message its import fails with. */
  unavailableModules?: Record<string, string>;
  /**
   * `--pytest-from-env`: the environment's own pytest (in `sitePackages`)
   * collects and runs the tests, its plugins loaded, instead of the harness's
   * pytest; `args` are the command-line options meant for pytest (`-o`, `-p`,
   * plugins' options) that the harness adds to those it derives from this config.
   */
  pytestFromEnv?: { args: string[] };
  /** `--sandbox-skip-unsupported`: a test that fails because the sandbox lacks threads, processes... is reported skipped. */
  sandboxSkipUnsupported?: boolean;
  /** `--import-mode` (absent: `prepend`). */
  importMode?: ImportMode;
  /** Log capture and live logging (`--log-*` over the `log_*` ini options); absent: pytest's defaults. */
  logging?: LoggingOptions;
}

/** pytest's `--import-mode`: how test files and conftests are imported. */
export type ImportMode = "prepend" | "append" | "importlib";

/** pytest's logging options, each resolved as pytest does (command line, then ini). */
export interface LoggingOptions {
  /** Level name or number for captured records (`log_level`); absent: the root logger's own (WARNING). */
  level?: string;
  /** `logging.Formatter` format and date format of the "Captured log" sections. */
  format: string;
  dateFormat: string;
  /** Live logging (`log_cli`, or `--log-cli-level` given): each phase's records are shown as the test runs. */
  cli?: { level?: string; format: string; dateFormat: string };
}

/** pytest's `--doctest-*` options; `doctest_optionflags` comes from `ini`. */
export interface DoctestOptions {
  /** `--doctest-modules`: collect the docstrings of every Python module. */
  modules: boolean;
  /** `--doctest-glob`: text files to run as doctests (pytest's default: `test*.txt`). */
  globs: string[];
  /** `--doctest-report`: none, udiff (default), cdiff, ndiff, only_first_failure. */
  report: string;
  /** `--doctest-continue-on-failure`: report every failing example, not only the first. */
  continueOnFailure: boolean;
  /** `--doctest-ignore-import-errors`: skip modules that fail to import. */
  ignoreImportErrors: boolean;
}

/** A collected test, as the harness reports it after importing its file. */
export interface CollectedItem {
  /** pytest node id, e.g. `tests/test_a.py::TestX::test_y[1-2]`. */
  nodeid: string;
  /** [file relative to rootdir, 0-based line, domain] like pytest's `location`. */
  location: [string, number | null, string];
  /** Mark names on the item (own and inherited), for `-m` and reports. */
  markers: string[];
  /** Names that `-k` matches against (item, parents, marks, extra keywords). */
  keywords: string[];
  /**
   * Each mark with its keyword arguments, for `-m "name(key=value)"`. Only
   * plain values (str, int, float, bool, None) are kept; others cannot match.
   */
  marks?: Array<{ name: string; kwargs: Record<string, string | number | boolean | null> }>;
  /**
   * The collectors above the item and the item itself, outermost first, for
   * `--collect-only`: pytest's node type (`Dir`, `Package`, `Module`,
   * `Class`, `UnitTestCase`, `Function`, `TestCaseFunction`...), its name,
   * and its docstring (`inspect.getdoc`) when it has one, shown by `--co -v`.
   */
  nodes?: CollectorNode[];
}

/** One node of an item's parent chain (see `CollectedItem.nodes`). */
export interface CollectorNode {
  type: string;
  name: string;
  doc?: string;
}

/** `RunControl.stopAt` when nothing has asked the run to stop. */
export const STOP_NONE = 0x7fffffff;

/**
 * How the host stops a run early (`-x`, `--maxfail`) while keeping the
 * result deterministic. The host owns `stopAt`, a shared one-element
 * Int32Array holding the first collection index that must not start; it
 * only ever lowers it (`STOP_NONE` means no limit). Before starting each
 * item, the worker reads it with `Atomics.load` and ends its run when the
 * item's collection index, from `indices`, is not below it; fixtures still
 * set up are torn down by `finish`, as pytest tears them down at session end.
 * Without shared memory the host leaves the control out; the run then goes
 * to the end and the host drops the results past the stop point.
 */
export interface RunControl {
  stopAt: Int32Array;
  /** Collection index of each node id given to `run`, in the same order. */
  indices: number[];
  /**
   * Work stealing (`core/item-claim.ts`): the worker claims each position
   * before starting it and stops at the limit the host may lower, so that
   * the host can hand items not yet started to another worker.
   */
  claim?: BigInt64Array;
}

/** A file (or conftest) that could not be collected. */
export interface CollectError {
  /** Node id of the collector that failed (usually the file path). */
  nodeid: string;
  /** The error as pytest would print it in the ERRORS section. */
  longrepr: string;
  /** One-line summary for `short test summary info`. */
  message: string;
}

/** A module skipped while importing (`pytest.skip(allow_module_level=True)`). */
export interface CollectSkip {
  /** Node id of the skipped module (its path relative to rootdir). */
  nodeid: string;
  /** File and 1-based line of the skip, as `-rs` shows them. */
  path: string;
  lineno: number;
  /** pytest's raw text: `Skipped: <reason>`, or `Skipped` for an empty reason. */
  reason: string;
}

export interface CollectResult {
  items: CollectedItem[];
  errors: CollectError[];
  /** Modules that skipped themselves while being collected. */
  skipped: CollectSkip[];
  /** Warnings raised while collecting, already formatted. */
  warnings: WarningRecord[];
  /** The listing asked for by `HarnessConfig.listing`, line by line. */
  listing?: ListingLine[];
  /** Seconds spent collecting each path given to `collect` (importing it included), by that path. */
  durations?: Record<string, number>;
  /**
   * With `HarnessConfig.recordImports`: for each project file whose code ran
   * during this collect (rootdir-relative, `/`-separated), the project files
   * its import statements reached; `[]` when it imports none.
   */
  imports?: Record<string, string[]>;
  /** Items a conftest's `pytest_collection_modifyitems` gave to `pytest_deselected`: counted as deselected. */
  deselected?: CollectedItem[];
  /** Lines `pytest_report_header` hooks returned (from the first collect after `configure`). */
  reportHeader?: string[];
  /** A conftest implements `pytest_terminal_summary`: `finish` wants the run's results (`SummaryRequest`). */
  terminalSummary?: boolean;
  /** Lines for the user beside the report (stderr): hooks conftests define that fastest does not call. */
  notices?: string[];
}

/** What `finish` hands to `pytest_sessionfinish` and `pytest_terminal_summary`. */
export interface SummaryRequest {
  /** The exit code the run is heading for (pytest's `exitstatus`). */
  exitstatus: number;
  /** Terminal width for `write_sep`. */
  width?: number;
  /** Only for the worker that calls `pytest_terminal_summary`: `terminalreporter.stats`, reports by category. */
  stats?: Record<string, Array<{ nodeid: string; when: string; outcome: string; longrepr: string | null }>>;
}

/** A line of a listing: text, or a `{ sep }` title the host centres in a `-` separator. */
export type ListingLine = string | { sep: string };

export type PhaseName = "setup" | "call" | "teardown";
export type PhaseOutcome = "passed" | "failed" | "skipped";

/** pytest's TestReport for one phase of one item. */
export interface PhaseReport {
  when: PhaseName;
  outcome: PhaseOutcome;
  /** Seconds. */
  duration: number;
  /** Formatted failure (per `--tb`), or null. */
  longrepr: string | null;
  /** One-line failure message for the short summary (`FAILED id - msg`). */
  message: string | null;
  /** Where a skip came from: printed by `-rs` as `path:line: reason`; `reason` keeps pytest's `Skipped: ` prefix. */
  skip: { path: string; lineno: number; reason: string } | null;
  /** Set when the item was an expected failure: the xfail reason. */
  wasxfail: string | null;
  /** Captured output sections, e.g. ["Captured stdout call", "..."]. */
  sections: Array<[string, string]>;
  /**
   * Set on the report of one subtest (unittest's `self.subTest`, the
   * `subtests` fixture): its description as pytest 9 shows it, `[msg] (k=v)`
   * or `(<subtest>)`. Subtest reports are call reports; they come in the
   * item's `reports` before its own call report.
   */
  subtest?: string;
  /** Live logging (`LoggingOptions.cli`): the records this phase logged, formatted, one per line. */
  liveLog?: string;
}

/** Final outcome of an item as pytest's terminal reporter counts it. */
export type ItemOutcome = "passed" | "failed" | "skipped" | "xfailed" | "xpassed" | "error";

export interface WarningRecord {
  /** Node id the warning is attributed to, or "" for collection. */
  nodeid: string;
  category: string;
  message: string;
  filename: string;
  lineno: number;
  /** `warnings.formatwarning()` text (with the source line), as pytest prints it. */
  formatted?: string;
}

/** Events a worker streams while running. */
export type RunEvent =
  | { type: "itemStart"; nodeid: string; location: CollectedItem["location"] }
  | {
      type: "itemEnd";
      nodeid: string;
      location: CollectedItem["location"];
      reports: PhaseReport[];
      /** `record_property` pairs, for JUnit. */
      properties: Array<[string, string]>;
      /** `record_xml_attribute` pairs (only with `junitFamily` set), in the order they were recorded. */
      xmlAttributes?: Array<[string, string]>;
      /** Set by the host: the id of the worker that ran the item (`gw0`, `gw1`...). */
      worker?: string;
    }
  | { type: "warning"; warning: WarningRecord }
  /** Output that escaped capture (`-s`), in the order it was written. */
  | { type: "output"; stream: "stdout" | "stderr"; text: string }
  /** `pytest.exit()` during `nodeid` (after its `itemEnd` with the phases that finished): the worker ran nothing after it. */
  | { type: "exit"; nodeid: string; message: string; returncode: number | null };

/** What the worker answers at the end of `run`: session-level teardown. */
export interface RunFinish {
  /** Reports from session/package teardown failures not tied to a later item. */
  errors: CollectError[];
  warnings: WarningRecord[];
  /** Terminal text written while tearing down (`--setup-show`'s last TEARDOWN lines). */
  output?: string;
  /** Values tests stored with `cache.set` (JSON text by key), for the host to write. */
  cacheWrites?: Record<string, string>;
  /** `--cov`: what each interpreter measured (one entry per worker after a session merged them). */
  coverage?: CoverageData[];
  /** `record_testsuite_property` pairs (only with `junitFamily` set), for the JUnit `<testsuite>`. */
  suiteProperties?: Array<[string, string]>;
  /** What `pytest_terminal_summary` hooks wrote, printed after the other summary sections. */
  terminalSummary?: string;
  /** With `recordExecution`: what each interpreter recorded (one entry per worker after a session merged them). */
  execution?: ExecutionRecord[];
}

/**
 * Project functions that ran, by rootdir-relative file: qualified names of
 * the `def`s (`Class.method`, `outer.<locals>.inner`; a lambda or
 * generator expression counts as the function around it).
 */
export type FunctionsRan = Record<string, string[]>;

/** What one interpreter recorded for `--changed` (`HarnessConfig.recordExecution`). */
export interface ExecutionRecord {
  /** Each test that ran (setup, call, teardown, and the wider-scoped fixtures it used). */
  tests: Record<string, FunctionsRan>;
  /** Each test file's collection, by rootdir-relative path. */
  files: Record<string, FunctionsRan>;
  /** Each project module's import: its module-level code, whoever imported it first. */
  modules: Record<string, FunctionsRan>;
  /** Outside all of those (collection hooks, session teardown): counts for every test. */
  session: FunctionsRan;
  /** Project modules imported without their functions being watched: a change to them is never narrowed to functions. */
  unwatched: string[];
}

/** What `--cov` measures (`HarnessConfig.coverage`). */
export interface CoverageOptions {
  /** Absolute sandbox paths of the folders or files to measure (`--cov=PATH`; bare `--cov`: the rootdir). */
  sources: string[];
  /** `--cov-branch`: measure branches (arcs) as well as lines. */
  branch: boolean;
  /** List files under `sources` that never ran (coverage.py does when sources are named). */
  reportUnexecuted: boolean;
  /** coverage.py's `omit`: fnmatch patterns over absolute sandbox paths (`*` also crosses `/`); matching files are not measured. */
  omit?: string[];
  /** coverage.py's `exclude_lines` (plus `exclude_also`): Python regexes of lines to leave out; absent: `# pragma: no cover`. */
  excludeLines?: string[];
}

/** One interpreter's coverage: every measured file, as coverage.py's analysis sees it. */
export interface CoverageData {
  files: FileCoverage[];
  /** Files that could not be analysed (not Python, not UTF-8), one message each. */
  warnings: string[];
}

/** A measured file's lines (1-based, each multi-line statement by its first line). */
export interface FileCoverage {
  /** Relative to the rootdir with `/` (absolute when outside it). */
  path: string;
  statements: number[];
  /** Lines `# pragma: no cover` left out (not counted as statements). */
  excluded: number[];
  /** Statements that ran. */
  executed: number[];
  /** With branches: every possible arc `[from, to]` of the branch lines; `to < 0` leaves the code object that starts on line `-to`. */
  arcs?: Array<[number, number]>;
  /** With branches: the arcs of `arcs` that ran. */
  executedArcs?: Array<[number, number]>;
}

/** Facts about the engine, for the report header. */
export interface EngineInfo {
  /** Pyodide (Python 3.14, the default) or CPython 3.11 built for WASI (`--engine wasi`). */
  engine: "pyodide" | "wasi";
  pythonVersion: string;
  engineVersion: string;
  platform: string;
  /** Milliseconds the boot took, stage by stage. */
  bootTimings: Record<string, number>;
  /** Modules imported while booting, after the snapshot was restored: each costs every boot, so none should be. */
  bootImports?: string[];
}

/** An error crossing the boundary. */
export interface WireError {
  message: string;
  stack?: string;
  pythonTraceback?: string;
}

/** pytest's exit codes. */
export const ExitCode = {
  OK: 0,
  TESTS_FAILED: 1,
  INTERRUPTED: 2,
  INTERNAL_ERROR: 3,
  USAGE_ERROR: 4,
  NO_TESTS_COLLECTED: 5,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];
