/**
 * `--collect-only` without Python: when static discovery resolves every
 * selected file completely and no option needs the interpreter, print what
 * the runtime path would print (pytest's output) from the static items,
 * without booting an engine or spawning workers. Anything else returns
 * null and the caller runs the usual path.
 *
 * `FASTEST_STATIC_DISCOVERY=0` turns the fast path off (tests use it to
 * compare both paths); `FASTEST_DEBUG_DISCOVERY=1` prints to stderr whether
 * it answered, and if not, why.
 */
import { matchesNodeSelector, notFoundMessages } from "../core/node-selectors.js";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import type { CollectedItem, EngineInfo } from "../core/protocol.js";
import { SelectionError, selectItems } from "../core/selection.js";
import { pyodideVersion, packageRoot } from "./assets.js";
import { configfileLabel } from "./config-files.js";
import { engineAssets } from "./engine-assets.js";
import { findTestFiles } from "./project.js";
import type { RunConfig } from "./run-config.js";
import { cacheRoot, discoverStatically } from "./static-discovery.js";
import { writeFileAtomic } from "./write-atomic.js";

/**
 * Where the runtime path leaves an engine's facts for the header (next to
 * the snapshots): per Pyodide version, or per WASI build (its stamp, which
 * the WASI engine reports as its version).
 */
function engineInfoFile(engine: EngineInfo["engine"], wasiStamp = ""): string {
  return path.join(cacheRoot(), engine === "wasi" ? `engine-wasi-${wasiStamp}.json` : `engine-pyodide-${pyodideVersion}.json`);
}

/** Remember the booted engine's versions, so that a static `--collect-only` can print the same header. */
export function rememberEngineInfo(info: EngineInfo): void {
  const file = engineInfoFile(info.engine, info.engineVersion);
  const text = JSON.stringify({ pythonVersion: info.pythonVersion, engineVersion: info.engineVersion });
  try {
    if (existsSync(file) && readFileSync(file, "utf8") === text) return;
    writeFileAtomic(file, text);
  } catch {
    // Without it, --collect-only takes the runtime path.
  }
}

function knownEngineInfo(engine: EngineInfo["engine"]): { pythonVersion: string; engineVersion: string } | null {
  try {
    // The WASI build's stamp, from its manifest (a missing build throws: the runtime path says how to build it).
    const file = engine === "wasi" ? engineInfoFile("wasi", engineAssets("wasi").meta([]).pyodideVersion) : engineInfoFile("pyodide");
    const info = JSON.parse(readFileSync(file, "utf8")) as { pythonVersion?: unknown; engineVersion?: unknown };
    return typeof info.pythonVersion === "string" && typeof info.engineVersion === "string" ? { pythonVersion: info.pythonVersion, engineVersion: info.engineVersion } : null;
  } catch {
    return null;
  }
}

/** Options whose effect on `--collect-only` the static path reproduces; any other one needs the runtime path. */
const STATIC_OPTIONS = new Set([
  "sandbox", "engine", "numprocesses", "verbose", "quiet", "tb", "showlocals", "report-chars", "capture", "no-capture", "seed", "rootdir",
  "continue-on-collection-errors", "color", "plugin", "keyword", "markexpr", "deselect", "ignore", "ignore-glob", "exitfirst",
  "maxfail", "timeout", "collect-only", "strict-markers", "strict", "config-file", "override-ini", "strict-config", "pythonwarnings", "disable-warnings", "disable-pytest-warnings",
]);

/** Why the static path cannot answer this invocation, or null when it may try. */
function needsInterpreter(config: RunConfig): string | null {
  if (process.env["FASTEST_STATIC_DISCOVERY"] === "0") return "turned off by FASTEST_STATIC_DISCOVERY=0";
  if (!config.control.collectOnly) return "not --collect-only";
  const option = Object.keys(config.args.options).find((name) => config.args.options[name] !== undefined && !STATIC_OPTIONS.has(name));
  if (option) return `--${option}`;
  // A lastfailed record may be rewritten by a collection: the runtime path owns that.
  if (config.control.cache && existsSync(path.join(config.rootdir, ".fastest_cache", "v", "cache", "lastfailed"))) return "a lastfailed record exists";
  return null;
}


export interface StaticCollectIO {
  stdout(text: string): void;
  stderr(text: string): void;
  columns: number;
}

/**
 * Print `--collect-only` from static discovery and return the exit code, or
 * return null (having printed nothing) when the runtime path must answer.
 */
export async function staticCollectOnly(config: RunConfig, io: StaticCollectIO, started = performance.now()): Promise<number | null> {
  const debug = process.env["FASTEST_DEBUG_DISCOVERY"] ? (line: string) => io.stderr(`fastest: static discovery: ${line}\n`) : () => undefined;
  const fallback = (why: string) => {
    debug(`not used (${why})`);
    return null;
  };
  const why = needsInterpreter(config);
  if (why) return fallback(why);
  const engine = knownEngineInfo(config.engine);
  if (!engine) return fallback("the engine's version is not known before its first run");
  const testFiles = findTestFiles(config.paths, config.harness.pythonFiles, config.harness.doctest, config.control.ignore, config.norecursedirs);
  const discovery = await discoverStatically(config, testFiles);
  const dynamic = discovery.files.find((f) => !f.complete);
  if (dynamic) return fallback(`${dynamic.path}: ${dynamic.reason}`);
  if (config.harness.verbosity >= 1 && discovery.files.some((f) => !f.docsExact)) return fallback("docstrings may be inherited");
  const all = discovery.files.flatMap((f) => f.items);
  // A node id that names nothing is pytest's usage error, which the interpreter's collection reports.
  if (notFoundMessages(all, [], config.selectors, config.rootdir).length > 0) return fallback("a node id on the command line matches no test");
  const collected: CollectedItem[] = all.filter((item) => matchesNodeSelector(item.nodeid, config.selectors));
  let selected: CollectedItem[];
  let deselected: CollectedItem[];
  try {
    ({ selected, deselected } = selectItems(collected, config.control.selection));
  } catch (error) {
    if (error instanceof SelectionError) return fallback(error.message);
    throw error;
  }
  debug(`used (${discovery.files.length} files, ${discovery.parsed} parsed, ${discovery.cached} from the cache)`);
  // The header's worker line comes from the same plan the runtime path makes.
  const [{ planRun }, { TerminalReporter }, { terminalOptions }] = await Promise.all([
    import("./planning.js"),
    import("../core/reporters/terminal.js"),
    import("./terminal-options.js"),
  ]);
  const plan = await planRun(config, testFiles);
  // One write at the end: ten thousand small synchronous writes cost more than the whole collection.
  let output = "";
  const reporter = new TerminalReporter(
    terminalOptions(config, (text) => {
      output += text;
    }, io.columns),
  );
  const size = plan.workers;
  const wasi = config.engine === "wasi";
  // As the runtime path prints it (node-host/run.ts): the WASI engine's platform line names no engine version.
  reporter.sessionStart({
    platform: wasi ? "wasi" : "emscripten",
    pythonVersion: engine.pythonVersion,
    ...(wasi ? {} : { engineVersion: engine.engineVersion }),
    runnerVersion: runnerVersion(),
    rootdir: config.rootdir,
    invocationDir: config.cwd,
    configfile: configfileLabel(config.rootdir, config.ini),
    testpaths: config.testpaths ?? undefined,
    seed: config.harness.seed,
    workers: `${size} sandboxed worker${size === 1 ? "" : "s"} (${config.engine})${config.harness.verbosity >= 1 ? `: ${plan.reason}` : ""}`,
  });
  for (const file of discovery.files) for (const warning of file.warnings) reporter.warning(warning);
  for (const warning of config.configWarnings) reporter.warning(warning);
  reporter.collectionFinish({ collected: collected.length, deselected: deselected.length, errors: [], skipped: [], reportLines: [], items: selected });
  const code = reporter.sessionFinish({
    duration: (performance.now() - started) / 1000,
    interrupted: null,
    errors: [],
    notices: [],
    sections: [],
    stopReason: null,
    exit: null,
  });
  io.stdout(output);
  return code;
}

function runnerVersion(): string {
  return (JSON.parse(readFileSync(path.join(packageRoot, "package.json"), "utf8")) as { version: string }).version;
}
