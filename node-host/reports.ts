import type { SessionOutcome } from "../core/session.js";
import type { RunConfig } from "./run-config.js";
import type { HostIO } from "./run.js";

/** Write the file reports the command line asked for (JUnit XML, JSON). */
export function writeReports(config: RunConfig, outcome: SessionOutcome, duration: number, exitCode: number, io: HostIO): void {
  void config;
  void outcome;
  void duration;
  void exitCode;
  void io;
}
