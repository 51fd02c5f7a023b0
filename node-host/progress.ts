/**
 * The live progress bar on a terminal (core/reporters/progress-bar.ts):
 * when it is shown, and the timer that refreshes it.
 */
import { ProgressBar } from "../core/reporters/progress-bar.js";
import type { HostIO } from "./run.js";
import type { RunConfig } from "./run-config.js";

/** Where the run's output goes: stdout and stderr, and whether each is a terminal. */
export interface Terminal {
  stdoutIsTTY: boolean;
  stderrIsTTY: boolean;
  env: Readonly<Record<string, string | undefined>>;
}

/**
 * Whether a run shows the bar: only when stdout is a terminal that can move
 * its cursor (not `TERM=dumb`), and not with `-q` (less output asked for),
 * `-s` (test output goes straight to the terminal), `--collect-only`,
 * `--fixtures` or `--setup-show`. `FASTEST_PROGRESS=0` turns it off.
 */
export function showsProgress(config: RunConfig, terminal: Terminal): boolean {
  const options = config.args.options;
  return (
    terminal.stdoutIsTTY &&
    terminal.env["TERM"] !== "dumb" &&
    terminal.env["FASTEST_PROGRESS"] !== "0" &&
    config.harness.verbosity >= 0 &&
    config.harness.capture !== "no" &&
    !config.control.collectOnly &&
    !config.harness.setupShow &&
    !options["fixtures"] &&
    !options["fixtures-per-test"]
  );
}

/**
 * `io` with a progress bar in front of it (unchanged when the run shows
 * none). Call `dispose` when the run is over: it removes the bar and stops
 * the timer.
 */
export function withProgress(io: HostIO, config: RunConfig, terminal: Terminal): { io: HostIO; dispose(): void } {
  if (!showsProgress(config, terminal)) return { io, dispose: () => {} };
  const bar = new ProgressBar({ write: io.stdout, columns: io.columns, color: config.color, now: () => performance.now() });
  const timer = setInterval(() => bar.tick(), 200);
  timer.unref();
  return {
    io: {
      ...io,
      stdout: (text) => bar.output(text),
      // Both streams reach the same screen: stderr's text moves the cursor as stdout's does.
      stderr: terminal.stderrIsTTY ? (text) => bar.output(text, io.stderr) : io.stderr,
      progress: bar,
    },
    dispose: () => {
      clearInterval(timer);
      bar.stop();
    },
  };
}
