/**
 * One run of a workspace on a booted engine: the session of `core/session.ts`
 * with pytest's defaults, its events turned into the page's `RunUpdate`s and
 * `ItemResult`s, and pytest's terminal report written into a string, as
 * `node-host/run.ts` writes it to the terminal.
 */
import { ExitCode, type EngineInfo, type HarnessConfig, type PhaseReport } from "../../core/protocol.js";
import { itemOutcome, summaryText } from "../../core/outcome.js";
import { TerminalReporter } from "../../core/reporters/terminal.js";
import { runSession, type ItemEndEvent, type SessionOutcome } from "../../core/session.js";
import type { BootInfo, ItemResult, RunOptions, RunSummary, RunUpdate } from "./api.js";
import { RunStopped, type BrowserWorkerHandle } from "./browser-worker.js";
import { defaultPythonFiles, planWorkspace, projectRoot, SelectorError } from "./workspace.js";

/** Seconds a test may run by default (`RunOptions.timeout`). */
export const defaultTimeout = 10;

/** Width of the terminal text, in columns. */
const columns = 80;

/** pytest's settings for a run of the workspace, as `fastest` would use them without a config file. */
export function harnessConfig(options: RunOptions, initialPaths: string[]): HarnessConfig {
  return {
    rootdir: projectRoot,
    invocationDir: projectRoot,
    seed: options.seed ?? 0,
    verbosity: options.verbosity ?? 0,
    tbStyle: "auto",
    showLocals: false,
    capture: "fd",
    pythonFiles: defaultPythonFiles,
    pythonClasses: ["Test"],
    pythonFunctions: ["test"],
    xfailStrict: false,
    markers: [],
    ini: {},
    args: options.selectors ?? [],
    initialPaths,
    doctest: { modules: false, globs: [], report: "udiff", continueOnFailure: false, ignoreImportErrors: false },
    pythonWarnings: [],
    setupShow: false,
    disabledPlugins: [],
    timeout: options.timeout ?? defaultTimeout,
  };
}

/** One item's result, ready for the page. */
export function itemResult(event: ItemEndEvent, timedOut: boolean): ItemResult {
  const reports = event.reports;
  const failing = reports.filter((r) => r.outcome === "failed" && r.longrepr);
  const outcome = itemOutcome(reports);
  return {
    nodeid: event.nodeid,
    location: event.location,
    outcome,
    duration: reports.reduce((sum, r) => sum + r.duration, 0),
    longrepr: failing.map((r) => r.longrepr).join("\n\n"),
    message: reasonOf(reports),
    sections: capturedSections(reports),
    reports,
    timedOut: timedOut && (outcome === "failed" || outcome === "error"),
  };
}

/**
 * Captured output by section title. A phase report repeats the sections of
 * the phases before it (as pytest's do), so each title is kept once, with
 * its latest text.
 */
function capturedSections(reports: PhaseReport[]): Array<[string, string]> {
  const byTitle = new Map<string, string>();
  for (const report of reports) for (const [title, text] of report.sections) byTitle.set(title, text);
  return [...byTitle];
}

/** The one-line reason pytest's short summary shows: failure message, skip reason or xfail reason. */
function reasonOf(reports: PhaseReport[]): string {
  const failed = reports.find((r) => r.outcome === "failed" && r.message);
  if (failed) return failed.message!;
  const xfail = reports.find((r) => r.wasxfail !== null && r.wasxfail !== "");
  if (xfail) return xfail.wasxfail!;
  const skipped = reports.find((r) => r.outcome === "skipped" && r.skip);
  return skipped ? skipped.skip!.reason.replace(/^Skipped: /, "") : "";
}

/** Run the workspace on `handle` (booted, nothing written yet) and report it. */
export async function runWorkspace(
  handle: BrowserWorkerHandle,
  options: RunOptions,
  boot: BootInfo,
  info: EngineInfo,
  onUpdate: (update: RunUpdate) => void,
): Promise<RunSummary> {
  const started = performance.now();
  let terminalText = "";
  const write = (text: string) => (terminalText += text);
  const verbosity = options.verbosity ?? 0;
  const reporter = new TerminalReporter({ write, width: columns, color: false, verbosity });
  const results: ItemResult[] = [];
  const finishWith = (outcome: SessionOutcome | undefined, exit: { interrupted?: string; usageError?: string; stopped?: boolean; internal?: boolean }): RunSummary => {
    const duration = (performance.now() - started) / 1000;
    let exitCode: number = reporter.sessionFinish({
      duration,
      interrupted: exit.interrupted ? { message: exit.interrupted } : null,
      errors: outcome?.finish.errors ?? [],
      stopReason: outcome?.stopReason ?? null,
      exit: outcome?.exit ?? null,
    });
    if (exit.internal) exitCode = ExitCode.INTERNAL_ERROR;
    if (exit.usageError) {
      write(`ERROR: ${exit.usageError}\n`);
      exitCode = ExitCode.USAGE_ERROR;
    }
    const tally = reporter.tally;
    const counts: Record<string, number> = {};
    for (const [key, value] of Object.entries(tally)) if (value > 0) counts[key] = value;
    return {
      results,
      errors: outcome?.collection.errors ?? [],
      counts,
      exitCode,
      summaryLine: summaryText(tally, duration),
      terminalText,
      durationMs: performance.now() - started,
      stopped: Boolean(exit.stopped),
    };
  };

  // As the CLI's header: the WASI engine's platform line says "wasi" and names no Pyodide version.
  const wasi = info.engine === "wasi";
  reporter.sessionStart({
    platform: wasi ? "wasi" : "emscripten",
    pythonVersion: info.pythonVersion,
    ...(wasi ? {} : { engineVersion: info.engineVersion }),
    rootdir: projectRoot,
    seed: options.seed ?? 0,
    workers: `1 sandboxed worker (${info.engine}, in the browser${boot.crossOriginIsolated ? "" : ", not cross-origin isolated"})`,
  });
  let plan;
  try {
    plan = planWorkspace(options.files, options.selectors ?? []);
  } catch (error) {
    if (!(error instanceof SelectorError)) throw error;
    return finishWith(undefined, { usageError: error.message });
  }
  const config = harnessConfig(options, plan.initialPaths);
  handle.timeoutSeconds = config.timeout ?? 0;
  const output = (stream: "stdout" | "stderr", text: string) => {
    write(text);
    onUpdate({ type: "output", stream, text });
  };
  handle.onOutput = output;
  let outcome: SessionOutcome | undefined;
  try {
    await handle.writeFiles(plan.files);
    outcome = await runSession({
      config,
      files: plan.testFiles,
      workers: [handle],
      selectors: plan.selectors,
      continueOnCollectionErrors: false,
      steal: false,
      listener: {
        onCollected: (collection) => {
          for (const warning of collection.warnings) reporter.warning(warning);
          reporter.collectionFinish({
            collected: collection.items.length + collection.deselected,
            deselected: collection.deselected,
            errors: collection.errors,
            skipped: collection.skipped,
            items: collection.items,
          });
          onUpdate({ type: "collected", items: collection.items, errors: collection.errors });
        },
        onItemStart: (nodeid, location) => {
          reporter.itemStart(nodeid, location);
          onUpdate({ type: "itemStart", nodeid });
        },
        onItemEnd: (event) => {
          reporter.itemEnd(event);
          const result = itemResult(event, handle.timedOut.has(event.nodeid));
          results.push(result);
          onUpdate({ type: "itemEnd", result });
        },
        onOutput: output,
        onWarning: (warning) => reporter.warning(warning),
      },
    });
  } catch (error) {
    if (error instanceof RunStopped) return finishWith(outcome, { interrupted: "KeyboardInterrupt", stopped: true });
    return finishWith(outcome, { interrupted: `internal error: ${error instanceof Error ? error.message : String(error)}`, internal: true });
  }
  for (const warning of outcome.finish.warnings) reporter.warning(warning);
  if (outcome.finish.output) write(outcome.finish.output);
  return finishWith(outcome, {
    ...(outcome.interrupted ? { interrupted: `Interrupted: ${outcome.interrupted}` } : {}),
    ...(outcome.usageError ? { usageError: outcome.usageError } : {}),
  });
}
