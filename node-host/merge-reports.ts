/**
 * `fastest merge-reports REPORT_OR_DIR... [--junitxml PATH] [--json PATH] [--html PATH]`:
 * read the JSON reports of a split run's shards (`--shard K/N --json ...`)
 * and write one JUnit XML, JSON or HTML report as a single run would have.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs, UsageError, type ParsedArgs } from "../core/cli-args.js";
import { MergeError, mergeReports, parseJsonReport, type MergedRun, type NamedReport } from "../core/merge-reports.js";
import { summaryText } from "../core/outcome.js";
import { ExitCode } from "../core/protocol.js";
import { updateTestDurations } from "../core/shard.js";
import type { SessionOutcome } from "../core/session.js";
import { ConfigError } from "./project.js";
import { writeReports } from "./reports.js";
import { resolveRunConfig } from "./run-config.js";
import type { HostIO } from "./run.js";
import { readDurations, shardOptions, writeDurations } from "./sharding.js";

const usage = "usage: fastest merge-reports REPORT_OR_DIR [REPORT_OR_DIR ...] [--junitxml PATH] [--json PATH] [--html PATH]";

const help = `${usage}

Merge the JSON reports of a run split across machines (each written by
\`fastest --shard K/N --json PATH\`) into the reports of one run: the tests in
the full run's order, counts recomputed, what every shard reports alike
(collection errors, warnings while collecting) kept once. Folders are searched
for .json files (a downloaded CI artifact folder will do).

options:
  --junitxml PATH      write the merged JUnit XML report
  --json PATH          write the merged JSON report
  --html PATH          write the merged HTML report
  --store-durations    write the merged tests' durations into the durations file
                       (.fastest-durations.json in the rootdir, found from the
                       current folder as a run finds it, or --durations-path
                       PATH), which --shard balances by

The exit code is the merged run's, as pytest's (0 passed, 1 failed, 2
interrupted or collection errors, 5 nothing ran); 2 also when a shard's
report is missing; 4 for unusable input.
`;

/** Options merge-reports takes; anything else is a usage error. */
const allowed = new Set(["help", "junitxml", "junit-xml", "json", "html", "store-durations", "durations-path"]);

/** The `merge-reports` command; returns the exit code. */
export function mergeReportsMain(argv: string[], io: HostIO, cwd = process.cwd(), env: NodeJS.ProcessEnv = process.env): number {
  try {
    const args = parseArgs(argv);
    const unknown = Object.keys(args.options).find((name) => !allowed.has(name));
    if (unknown) throw new UsageError(`merge-reports does not take --${unknown}`);
    if (args.options["help"]) {
      io.stdout(help);
      return ExitCode.OK;
    }
    if (args.positionals.length === 0) throw new UsageError("name the shards' JSON reports (or folders holding them) to merge");
    const inputs = readReports(args.positionals, cwd, io);
    const merged = mergeReports(inputs);
    writeMerged(merged, args, cwd, env);
    return finish(merged, inputs, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`ERROR: ${usage}\nfastest merge-reports: error: ${error.message}\n`);
      return ExitCode.USAGE_ERROR;
    }
    if (error instanceof MergeError || error instanceof ConfigError) {
      io.stderr(`ERROR: ${error.message}\n`);
      return ExitCode.USAGE_ERROR;
    }
    throw error;
  }
}

/** Each named file, and every `.json` file under each named folder (sorted), that is a fastest report. */
function readReports(names: string[], cwd: string, io: HostIO): NamedReport[] {
  const reports: NamedReport[] = [];
  for (const name of names) {
    const full = path.resolve(cwd, name);
    let isFolder: boolean;
    try {
      isFolder = statSync(full).isDirectory();
    } catch {
      throw new MergeError(`${name} does not exist`);
    }
    if (!isFolder) {
      reports.push({ name, report: parseJsonReport(readFileSync(full, "utf8"), name) });
      continue;
    }
    const found = jsonFilesUnder(full);
    for (const file of found) {
      const shown = path.relative(cwd, file) || file;
      try {
        reports.push({ name: shown, report: parseJsonReport(readFileSync(file, "utf8"), shown) });
      } catch (error) {
        // A folder may hold other JSON files (coverage, artifacts' metadata): say so and go on.
        if (!(error instanceof MergeError)) throw error;
        io.stderr(`merge-reports: skipped ${shown}: ${error.message.replace(`${shown} `, "")}\n`);
      }
    }
    if (found.length === 0) throw new MergeError(`${name} holds no .json files`);
  }
  return reports;
}

function jsonFilesUnder(folder: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) files.push(...jsonFilesUnder(full));
    else if (entry.isFile() && entry.name.endsWith(".json")) files.push(full);
  }
  return files.sort();
}

function text(args: ParsedArgs, name: string): string | null {
  const value = args.options[name];
  return typeof value === "string" ? value : null;
}

function writeMerged(merged: MergedRun, args: ParsedArgs, cwd: string, env: NodeJS.ProcessEnv): void {
  const junitXml = text(args, "junitxml") ?? text(args, "junit-xml");
  const html = text(args, "html");
  // JUnit and HTML go through the run's own writer, with the project's junit_* settings from its config file.
  if (junitXml !== null || html !== null) {
    const argv = [...(junitXml !== null ? ["--junitxml", junitXml] : []), ...(html !== null ? ["--html", html] : [])];
    if (merged.seed !== null) argv.push("--seed", String(merged.seed));
    const config = { ...resolveRunConfig(argv, cwd, env, false), jsonReport: null };
    const outcome: SessionOutcome = {
      collection: { items: [], errors: merged.collectErrors, skipped: merged.collectSkipped, deselected: merged.deselected, warnings: merged.warnings },
      results: merged.events,
      interrupted: null,
      finish: { errors: [], warnings: [], suiteProperties: merged.suiteProperties },
    };
    writeReports(config, outcome, [], { started: new Date(merged.created), duration: merged.duration, exitCode: merged.report.exitCode });
  }
  const json = text(args, "json");
  if (json !== null) {
    const file = path.resolve(cwd, json);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, `${JSON.stringify(merged.report, null, 2)}\n`);
  }
  if (args.options["store-durations"]) {
    const { rootdir } = resolveRunConfig([], cwd, env, false);
    const file = shardOptions(args, cwd, rootdir).durationsPath;
    // Node ids are relative to the rootdir: entries of deleted files go.
    const exists = (nodeid: string) => existsSync(path.join(rootdir, nodeid.split("::")[0]!));
    writeDurations(file, updateTestDurations(readDurations(file), merged.events, exists));
  }
}

/** What the merge says on the terminal; the exit code. */
function finish(merged: MergedRun, inputs: NamedReport[], io: HostIO): number {
  const shards = inputs.flatMap(({ report }) => (report.shard ? [report.shard] : []));
  const what = shards.length > 0 ? `shards ${shards.map((s) => s.index).sort((a, b) => a - b).join(", ")} of ${shards[0]!.count}` : `${inputs.length} report${inputs.length === 1 ? "" : "s"}`;
  io.stdout(`merged ${what}: ${merged.report.tests.length} tests\n`);
  for (const problem of merged.problems) io.stderr(`merge-reports: ${problem}\n`);
  for (const test of merged.report.tests) {
    if (test.outcome !== "failed" && test.outcome !== "error") continue;
    const phase = Object.values(test.phases).find((p) => p?.outcome === "failed");
    const message = phase?.message ? ` - ${phase.message.split("\n")[0]}` : "";
    io.stdout(`${test.outcome === "failed" ? "FAILED" : "ERROR"} ${test.nodeid}${message}\n`);
  }
  for (const error of merged.collectErrors) io.stdout(`ERROR ${error.nodeid}\n`);
  const { summary } = merged.report;
  io.stdout(`${summaryText(summary, merged.duration)}\n`);
  const code = merged.report.exitCode;
  const missingShard = merged.problems.some((problem) => problem.startsWith("no report for shard"));
  return missingShard && (code === ExitCode.OK || code === ExitCode.TESTS_FAILED || code === ExitCode.NO_TESTS_COLLECTED) ? ExitCode.INTERRUPTED : code;
}
