import type { TerminalReporterOptions } from "../core/reporters/terminal-state.js";
import type { RunConfig } from "./run-config.js";

/** The terminal reporter's settings for a run, the same for the runtime and the static `--collect-only` path. */
export function terminalOptions(config: RunConfig, write: (text: string) => void, columns: number): TerminalReporterOptions {
  const options = config.args.options;
  return {
    write,
    width: columns,
    color: config.color,
    verbosity: config.harness.verbosity,
    reportChars: config.reportChars,
    tbStyle: config.harness.tbStyle,
    disableWarnings:
      Boolean(options["disable-warnings"] || options["disable-pytest-warnings"]) || (config.harness.disabledPlugins ?? []).includes("warnings"),
    // pytest leaves out the [NN%] column with -s and with --setup-show.
    showProgress: config.harness.capture !== "no" && !config.harness.setupShow,
    continueOnCollectionErrors: Boolean(options["continue-on-collection-errors"]),
    collectOnly: config.control.collectOnly,
    noHeader: Boolean(options["no-header"]),
    noSummary: Boolean(options["no-summary"]),
    subtestVerbosity: subtestVerbosity(config),
    liveLog: config.harness.logging?.cli !== undefined,
    // pytest does not shorten `FAILED id - message` lines on CI.
    fullSummaryMessages: config.onCi,
  };
}

/** pytest's `verbosity_subtests` ini: a number, or `auto` (the default) for the run's verbosity. */
function subtestVerbosity(config: RunConfig): number {
  const raw = config.ini.values["verbosity_subtests"];
  return typeof raw === "string" && /^\s*-?\d+\s*$/.test(raw) ? Number(raw) : config.harness.verbosity;
}
