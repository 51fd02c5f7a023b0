import { formatOptionsHelp, UsageError } from "../core/cli-args.js";
import { markersListing } from "../core/markers-listing.js";
import { ExitCode } from "../core/protocol.js";
import { iniArgs } from "../core/ini.js";
import { ConfigError } from "./project.js";
import type { HostIO } from "./run.js";
import { withProgress } from "./progress.js";
import { resolveRunConfig } from "./run-config.js";
import { pyodideVersion } from "./assets.js";
import { HostSharding } from "./sharding.js";

const usage = "usage: fastest [options] [file_or_dir] [file_or_dir] [...]";

export function helpText(): string {
  return [
    usage,
    "",
    "Run a pytest-style Python test suite inside a WebAssembly sandbox (Pyodide, or",
    "CPython built for WASI with --engine wasi).",
    "Test code cannot reach this machine's processes, network or files: the project",
    "folder (rootdir) is copied into the sandbox, and nothing a test writes comes back.",
    "Without --sandbox fastest runs in the sandbox too: no native engine exists yet.",
    "",
    "positional arguments:",
    "  file_or_dir                       test files or folders, or node ids such as",
    "                                    tests/test_x.py::TestY::test_z[1]",
    "",
    "options:",
    formatOptionsHelp(),
    "",
    "Exit codes are pytest's: 0 all passed, 1 some failed, 2 interrupted or",
    "collection errors, 3 internal error, 4 usage error, 5 no tests collected.",
    "",
    "Runs split with --shard K/N: `fastest merge-reports --help` merges their reports.",
    "",
  ].join("\n");
}

/** The `fastest` command; returns the process exit code. */
export async function main(commandLine: string[]): Promise<number> {
  const io: HostIO = {
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    columns: Number(process.env["COLUMNS"]) || process.stdout.columns || 80,
  };
  if (commandLine[0] === "merge-reports") {
    const { mergeReportsMain } = await import("./merge-reports.js");
    return mergeReportsMain(commandLine.slice(1), io);
  }
  // A reader that stops early (`fastest --co -q | head`): end quietly with exit 1, as pytest does.
  process.stdout.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code !== "EPIPE") throw error;
    process.exit(ExitCode.TESTS_FAILED);
  });
  // As in pytest, PYTEST_ADDOPTS comes before the command line (and after the config file's addopts).
  const argv = [...iniArgs(process.env["PYTEST_ADDOPTS"]), ...commandLine];
  try {
    const config = resolveRunConfig(argv, process.cwd(), process.env, Boolean(process.stdout.isTTY));
    // A bad --shard or durations file is a usage error before anything boots.
    HostSharding.create(config);
    if (config.args.options["help"]) {
      io.stdout(helpText());
      return ExitCode.OK;
    }
    if (config.args.options["version"]) {
      const { fastestVersion } = await import("./run.js");
      io.stdout(`fastest ${fastestVersion} (pyodide ${pyodideVersion})\n`);
      return ExitCode.OK;
    }
    for (const notice of config.configNotices) io.stderr(`${notice}\n`);
    if (config.args.options["cache-show"] !== undefined) {
      const { cacheShow } = await import("./cache-show.js");
      return cacheShow(config, io);
    }
    if (config.args.options["markers"]) {
      io.stdout(markersListing(config.harness.markers));
      return ExitCode.OK;
    }
    if (config.args.options["watch"]) {
      const isTTY = Boolean(process.stdout.isTTY);
      const reload = () => resolveRunConfig(argv, process.cwd(), process.env, isTTY);
      const { WatchSession } = await import("./watch.js");
      return await new WatchSession(config, { ...io, isTTY, stdin: process.stdin }, reload).execute();
    }
    if (config.control.collectOnly) {
      // Answered from static discovery when it can be, without booting Python; run.js and its pool load only otherwise.
      const { staticCollectOnly } = await import("./static-collect.js");
      const code = await staticCollectOnly(config, io);
      if (code !== null) return code;
    }
    const { Run } = await import("./run.js");
    const terminal = { stdoutIsTTY: Boolean(process.stdout.isTTY), stderrIsTTY: Boolean(process.stderr.isTTY), env: process.env };
    const progress = withProgress(io, config, terminal);
    const run = new Run(config, progress.io);
    let interrupts = 0;
    const onSigint = () => {
      interrupts += 1;
      if (interrupts > 1) process.exit(ExitCode.INTERRUPTED);
      run.interrupt();
    };
    process.on("SIGINT", onSigint);
    try {
      return await run.execute();
    } finally {
      progress.dispose();
      process.off("SIGINT", onSigint);
    }
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`ERROR: ${usage}\nfastest: error: ${error.message}\n`);
      return ExitCode.USAGE_ERROR;
    }
    if (error instanceof ConfigError) {
      io.stderr(`ERROR: ${error.message}\n`);
      return ExitCode.USAGE_ERROR;
    }
    throw error;
  }
}
