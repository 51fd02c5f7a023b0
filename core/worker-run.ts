import type { CollectedItem, HarnessConfig, PhaseReport, RunControl, RunEvent } from "./protocol.js";
import { WorkerCrash, type WorkerHandle } from "./worker-handle.js";

type ItemEndEvent = Extract<RunEvent, { type: "itemEnd" }>;

export interface WorkerRun {
  worker: WorkerHandle;
  config: HarnessConfig;
  /** The worker's items, in the order it runs them. */
  items: CollectedItem[];
  /** Node id (rootdir-relative) file part to the sandbox path to collect it from again. */
  fileOf: (nodeid: string) => string;
  control: (nodeids: string[]) => RunControl | undefined;
  onEvents: (events: RunEvent[]) => void;
  /** Has this item's result arrived (from any run of it)? */
  done: (nodeid: string) => boolean;
}

/**
 * Run one worker's items to the end, whatever happens to the worker. A
 * worker that dies goes through the same path as one that finishes: the
 * item it was running gets a result that names the cause (an error, or
 * pytest-timeout's failure when it was killed for a timeout), and a fresh
 * worker collects the remaining files again and runs the items that have
 * no result yet. Module and session fixtures are set up again there.
 */
export async function runOnWorker(run: WorkerRun): Promise<void> {
  let pending = run.items;
  while (pending.length > 0) {
    const nodeids = pending.map((item) => item.nodeid);
    try {
      await run.worker.run(nodeids, run.onEvents, run.control(nodeids));
      return;
    } catch (error) {
      if (!(error instanceof WorkerCrash) || !run.worker.respawn) throw error;
      const blamed = pending[error.running];
      if (blamed && !run.done(blamed.nodeid)) run.onEvents([crashResult(blamed, error)]);
      // Items whose results were lost with the worker run again; none runs twice to completion.
      const rest = pending.filter((item) => item !== blamed && !run.done(item.nodeid));
      // A worker that dies again and again without getting anywhere ends the run.
      if (rest.length === pending.length) throw error;
      pending = rest;
      await run.worker.respawn();
      await run.worker.configure(run.config);
      if (pending.length > 0) await run.worker.collect([...new Set(pending.map((item) => run.fileOf(item.nodeid)))]);
    }
  }
}

/** The result of the item a worker died running. */
export function crashResult(item: CollectedItem, crash: WorkerCrash): ItemEndEvent {
  const report = (when: PhaseReport["when"], outcome: PhaseReport["outcome"], longrepr: string | null, message: string | null): PhaseReport => ({
    when, outcome, duration: 0, longrepr, message, skip: null, wasxfail: null, sections: [],
  });
  let reports: PhaseReport[];
  if (crash.timeout > 0) {
    const message = `Failed: Timeout (>${pythonFloat(crash.timeout)}s) from pytest-timeout.`;
    const note = "the test did not stop when interrupted, so its worker was stopped and replaced: no traceback";
    reports = [report("setup", "passed", null, null), report("call", "failed", `E       ${message}\n(${note})`, message)];
  } else {
    const message = crash.message;
    reports = [report("setup", "failed", `${message}\n(the worker running this test died; it was replaced and the run went on)`, message)];
  }
  return { type: "itemEnd", nodeid: item.nodeid, location: item.location, reports, properties: [] };
}

/** Seconds as Python prints a float: `1.0`, `0.5`. */
function pythonFloat(seconds: number): string {
  return Number.isInteger(seconds) ? seconds.toFixed(1) : String(seconds);
}
