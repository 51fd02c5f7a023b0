import type { CollectResult, CollectedItem, HarnessConfig, PhaseReport, RunControl, RunEvent } from "./protocol.js";
import { collectSurvivingCrashes } from "./collect-recovery.js";
import { WorkerCrash, type WorkerHandle } from "./worker-handle.js";
import type { Batch, WorkQueues } from "./work-queues.js";

type ItemEndEvent = Extract<RunEvent, { type: "itemEnd" }>;

export interface WorkerRun {
  worker: WorkerHandle;
  /** The worker's position in `queues`. */
  slot: number;
  queues: WorkQueues;
  config: HarnessConfig;
  /** Every item of the run, in collection order; batches name them by index. */
  items: CollectedItem[];
  /** The rootdir-relative file of the item at a collection index. */
  fileOf: (index: number) => string;
  /** A rootdir-relative file's sandbox path, to collect it. */
  sandboxPath: (file: string) => string;
  /** Files the worker's interpreter has collected (kept up to date here). */
  collected: Set<string>;
  control: (batch: Batch) => RunControl | undefined;
  onEvents: (events: RunEvent[]) => void;
  /** Has the item at this collection index a result (from any run of it)? */
  done: (index: number) => boolean;
  /** A batch taken from another worker, after collecting its file: what that collection took. */
  onCollected?: (result: CollectResult) => void;
}

/**
 * Run batches on one worker until no work is left for it, whatever happens
 * to the worker. A file it has not collected (stolen from another worker,
 * or after a respawn) is collected first. A worker that dies goes through
 * the same path as one that finishes: the item it was running gets a
 * result that names the cause (an error, or pytest-timeout's failure when
 * it was killed for a timeout), and a fresh worker collects the files again
 * and runs the items that have no result yet. Module and session fixtures
 * are set up again there.
 */
export async function runOnWorker(run: WorkerRun): Promise<void> {
  for (let batch = run.queues.next(run.slot); batch; batch = run.queues.next(run.slot)) {
    const files = [...new Set(batch.indices.map(run.fileOf))].filter((file) => !run.collected.has(file));
    if (files.length > 0) {
      const paths = files.map(run.sandboxPath);
      const result = await collectSurvivingCrashes(run.worker, run.config, paths, (path) => files[paths.indexOf(path)]!);
      for (const file of files) run.collected.add(file);
      run.onCollected?.(result);
    }
    const before = batch.indices.filter(run.done).length;
    try {
      await run.worker.run(batch.indices.map((i) => run.items[i]!.nodeid), run.onEvents, run.control(batch));
    } catch (error) {
      if (!(error instanceof WorkerCrash) || !run.worker.respawn) throw error;
      const blamed = error.running >= 0 ? batch.indices[error.running] : undefined;
      if (blamed !== undefined && !run.done(blamed)) run.onEvents([crashResult(run.items[blamed]!, error)]);
      // A worker that dies again and again without getting anywhere ends the run.
      if (blamed === undefined && batch.indices.filter(run.done).length === before) throw error;
      // Items whose results were lost with the worker run again; none runs twice to completion.
      run.queues.requeue(run.slot, run.done, blamed);
      run.collected.clear();
      await run.worker.respawn();
      await run.worker.configure(run.config);
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
