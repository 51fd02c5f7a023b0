import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { JsonReporter, type JsonShard } from "../core/reporters/json.js";
import { JUnitReporter } from "../core/reporters/junit.js";
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

/** Write the file reports the command line asked for (JUnit XML, JSON). */
export function writeReports(config: RunConfig, outcome: SessionOutcome, runWarnings: WarningRecord[], timing: ReportTiming): void {
  const errors = [...outcome.collection.errors];
  if (config.junitXml) {
    const junit = new JUnitReporter({
      suiteName: String(config.ini.values["junit_suite_name"] ?? "pytest"),
      family: config.ini.values["junit_family"] === "xunit1" ? "xunit1" : "xunit2",
    });
    junit.collectionFinish(errors);
    junit.collectionSkipped(outcome.collection.skipped);
    for (const event of outcome.results) junit.itemEnd(event);
    for (const error of outcome.finish.errors) junit.sessionError(error);
    writeOut(config.cwd, config.junitXml, junit.toXml({ duration: timing.duration, timestamp: timing.started, hostname: os.hostname() }));
  }
  if (config.jsonReport) {
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
    const shard = timing.shard ? { index: timing.shard.index, count: timing.shard.count, tests: timing.shard.tests, selected: timing.shard.selected } : null;
    writeOut(config.cwd, config.jsonReport, json.toJson({ duration: timing.duration, exitCode: timing.exitCode, ...(shard ? { shard } : {}) }));
  }
}
