/**
 * Did re-running a shared workspace give the shared results? The page shows
 * the shared run first, runs the files again, then says "reproduced" or
 * lists what changed.
 */
import type { RunSummary } from "../runtime/api.js";
import type { SharePayload } from "./payload.js";

/** One test (or file that failed to collect) whose result is not the shared one. */
export interface RunDifference {
  nodeid: string;
  /** Its result in the link: an outcome (`failed`, `failed (timed out)`), `collection error`, or `not run`. */
  shared: string;
  /** Its result now, in the same words. */
  now: string;
}

export interface Reproduction {
  /** Every test has the outcome it had in the shared run (a timeout counts as its own outcome), and the same files failed to collect. */
  reproduced: boolean;
  /** What differs, shared run's order first. Durations and failure texts are not compared: they vary between machines. */
  differences: RunDifference[];
}

/** Compare the run `now` with the run stored in `shared`. A payload shared before any run (exitCode null) reproduces only an empty run. */
export function compareWithSharedRun(shared: SharePayload, now: RunSummary): Reproduction {
  const label = (result: { outcome: string; timedOut: boolean }) => (result.timedOut ? `${result.outcome} (timed out)` : result.outcome);
  const before = new Map<string, string>();
  for (const result of shared.results) before.set(result.nodeid, label(result));
  for (const error of shared.errors) before.set(error.nodeid, "collection error");
  const after = new Map<string, string>();
  for (const result of now.results) after.set(result.nodeid, label(result));
  for (const error of now.errors) after.set(error.nodeid, "collection error");

  const differences: RunDifference[] = [];
  for (const [nodeid, outcome] of before) {
    const current = after.get(nodeid) ?? "not run";
    if (current !== outcome) differences.push({ nodeid, shared: outcome, now: current });
  }
  for (const [nodeid, outcome] of after) {
    if (!before.has(nodeid)) differences.push({ nodeid, shared: "not run", now: outcome });
  }
  return { reproduced: differences.length === 0, differences };
}
