import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { JsonReporter, type JsonShard } from "../core/reporters/json.js";
import { githubAnnotations } from "../core/reporters/github.js";
import { htmlReport } from "../core/reporters/html.js";
import { JUnitReporter, type JUnitOptions } from "../core/reporters/junit.js";
import type { WarningRecord } from "../core/protocol.js";
import type { SessionOutcome } from "../core/session.js";
import type { RunConfig } from "./run-config.js";

export interface ReportTiming {
  started: Date;
  duration: number;
  exitCode: number;
  /** `--shard`: which part of the selection this run was. */
  shard?: JsonShard | null;
}

function writeOut(cwd: string, target: string, text: string): void {
  const file = path.resolve(cwd, target);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
}

function iniText(config: RunConfig, name: string): string | undefined {
  const value = config.ini.values[name];
  return typeof value === "string" ? value.trim() : undefined;
}

/** pytest's `junit_*` ini options and `--junit-prefix`. */
function junitOptions(config: RunConfig): JUnitOptions {
  const logging = iniText(config, "junit_logging");
  const prefix = config.args.options["junit-prefix"];
  return {
    suiteName: iniText(config, "junit_suite_name") ?? "pytest",
    family: iniText(config, "junit_family") === "xunit1" || iniText(config, "junit_family") === "legacy" ? "xunit1" : "xunit2",
    logging: (["log", "system-out", "system-err", "out-err", "all"] as const).find((choice) => choice === logging) ?? "no",
    logPassingTests: !/^(false|0|no|off)$/i.test(iniText(config, "junit_log_passing_tests") ?? "true"),
    durationReport: iniText(config, "junit_duration_report") === "call" ? "call" : "total",
    rootdir: config.rootdir.split(path.sep).join("/"),
    ...(typeof prefix === "string" ? { prefix } : {}),
  };
}

/** The `---- generated xml file: ... ----` lines of the terminal summary, as pytest and pytest-html print them. */
export function reportNotices(config: RunConfig): string[] {
  const notices: string[] = [];
  // pytest leaves its line out with -q; pytest-html prints its own always.
  if (config.junitXml && config.harness.verbosity >= 0) notices.push(`generated xml file: ${path.resolve(config.cwd, config.junitXml)}`);
  if (config.htmlReport) notices.push(`Generated html report: ${pathToFileURL(path.resolve(config.cwd, config.htmlReport)).href}`);
  return notices;
}

/** `::error` workflow commands for the run's failures and errors (GitHub Actions), one a line. */
export function githubAnnotationText(config: RunConfig, outcome: SessionOutcome): string {
  const workspace = config.githubAnnotations?.workspace ?? config.cwd;
  const lines = githubAnnotations(outcome.results, [...outcome.collection.errors, ...outcome.finish.errors], {
    file: (rootRelative) => path.relative(workspace, path.resolve(config.rootdir, rootRelative)).split(path.sep).join("/"),
  });
  return lines.map((line) => `${line}\n`).join("");
}

/** Write the file reports the command line asked for (JUnit XML, JSON, HTML). */
export function writeReports(config: RunConfig, outcome: SessionOutcome, runWarnings: WarningRecord[], timing: ReportTiming): void {
  const errors = [...outcome.collection.errors];
  if (config.junitXml) {
    const junit = new JUnitReporter(junitOptions(config));
    junit.collectionFinish(errors);
    junit.collectionSkipped(outcome.collection.skipped);
    for (const event of outcome.results) junit.itemEnd(event);
    for (const error of outcome.finish.errors) junit.sessionError(error);
    const suite = { duration: timing.duration, timestamp: timing.started, hostname: os.hostname(), properties: outcome.finish.suiteProperties ?? [] };
    writeOut(config.cwd, config.junitXml, junit.toXml(suite));
  }
  if (config.jsonReport || config.htmlReport) {
    const json = new JsonReporter();
    json.sessionStart({ root: config.rootdir, seed: config.harness.seed, created: timing.started });
    json.collectionFinish({
      collected: outcome.collection.items.length + outcome.collection.deselected,
      deselected: outcome.collection.deselected,
      errors,
      skipped: outcome.collection.skipped,
    });
    for (const warning of [...outcome.collection.warnings, ...runWarnings, ...outcome.finish.warnings]) json.warning(warning);
    for (const event of outcome.results) json.itemEnd(event);
    for (const error of outcome.finish.errors) json.sessionError(error);
    json.suiteProperty(...(outcome.finish.suiteProperties ?? []));
    const shard = timing.shard ? { index: timing.shard.index, count: timing.shard.count, tests: timing.shard.tests, selected: timing.shard.selected } : null;
    const end = { duration: timing.duration, exitCode: timing.exitCode, ...(shard ? { shard } : {}) };
    if (config.jsonReport) writeOut(config.cwd, config.jsonReport, json.toJson(end));
    if (config.htmlReport) writeOut(config.cwd, config.htmlReport, htmlReport(json.report(end), { title: `Test report: ${path.basename(config.rootdir)}` }));
  }
}
