import { STOP_NONE, type CollectResult, type CollectedItem, type HarnessConfig, type PhaseReport, type RunControl, type RunEvent, type RunFinish, type SummaryRequest } from "./protocol.js";
import { collectSurvivingCrashes } from "./collect-recovery.js";
import type { StopTracker } from "./run-stop.js";
import { WorkerCrash, type WorkerHandle } from "./worker-handle.js";
import { WorkQueues, type Batch } from "./work-queues.js";

type ItemEndEvent = Extract<RunEvent, { type: "itemEnd" }>;

/** How the run phase finds, weighs and re-collects files. */
export interface RunPlan {
  /** A rootdir-relative file's sandbox path, to collect it. */
  sandboxPath: (file: string) => string;
  /** A file's estimated cost (see `PlannedFile.weight`). */
  weight: (file: string) => number;
  /** Let idle workers take over files others have not started. */
  steal: boolean;
  /** A worker collected a file it took over: the collection's timings. */
  onCollected: (result: CollectResult) => void;
  /** `--isolate=file`: each file runs in a freshly restored interpreter (see `FileIsolation`). */
  isolate?: FileIsolation;
}

/**
 * Running each test file in an interpreter of its own: before a worker runs
 * a file, the interpreter that ran (or collected) other files ends its
 * session (`finish`: session fixtures torn down, `pytest_sessionfinish`)
 * and a fresh one is restored from the snapshot, which collects the file
 * again. Nothing a file leaves in modules, `sys.modules` or `os.environ`
 * reaches the next one.
 */
export interface FileIsolation {
  /** What the `finish` of an interpreter done with its files is told (the exit status so far). */
  summary(): SummaryRequest;
  /** What that `finish` returned, for the session's own. */
  onFinished(part: RunFinish): void;
  /** A clock in milliseconds (`performance.now`): with it, each fresh interpreter's cost is reported to `onFresh`. */
  now?: () => number;
  /** Seconds one file's fresh interpreter took: the old one's finish, the restore, configuring, collecting the file again. */
  onFresh?: (seconds: number) => void;
}

export interface WorkersRun extends RunPlan {
  /** Each worker with the items planned for it (collection indices, run order) and the files it has collected. */
  workers: Array<{ worker: WorkerHandle; indices: number[]; collected: Set<string> }>;
  items: CollectedItem[];
  config: HarnessConfig;
  fileOf: (index: number) => string;
  /** May the item at this collection index still start? */
  runnable: (index: number) => boolean;
  stop: StopTracker | null;
  onEvents: (events: RunEvent[]) => void;
  done: (index: number) => boolean;
}

/**
 * Run every worker's planned items, idle workers taking over whole files
 * nobody has started (`WorkQueues`), until no work is left. Each result
 * names the worker that ran it (`worker`, for the JSON report).
 */
export async function runOnWorkers(run: WorkersRun): Promise<void> {
  const itemsPerFile = new Map<string, number>();
  for (let i = 0; i < run.items.length; i++) itemsPerFile.set(run.fileOf(i), (itemsPerFile.get(run.fileOf(i)) ?? 0) + 1);
  const queues = new WorkQueues(
    run.workers.map((w) => w.indices),
    {
      fileOf: run.fileOf,
      cost: (i) => run.weight(run.fileOf(i)) / itemsPerFile.get(run.fileOf(i))!,
      runnable: run.runnable,
      steal: run.steal,
      fileByFile: run.isolate !== undefined,
    },
  );
  const noStop = new Int32Array(typeof SharedArrayBuffer === "function" ? new SharedArrayBuffer(4) : new ArrayBuffer(4));
  noStop[0] = STOP_NONE;
  const control = (batch: Batch): RunControl | undefined => {
    const stopControl = run.stop?.control(batch.indices);
    if (!batch.claim) return stopControl;
    return { stopAt: stopControl?.stopAt ?? noStop, indices: batch.indices, claim: batch.claim };
  };
  await Promise.all(
    run.workers.map(({ worker, collected }, slot) =>
      runOnWorker({
        worker,
        slot,
        queues,
        config: run.config,
        items: run.items,
        fileOf: run.fileOf,
        sandboxPath: run.sandboxPath,
        collected,
        control,
        onEvents: (events) => run.onEvents(events.map((e) => (e.type === "itemEnd" ? { ...e, worker: worker.id } : e))),
        done: run.done,
        onCollected: run.onCollected,
        ...(run.isolate ? { isolate: run.isolate } : {}),
      }),
    ),
  );
}

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
  /** `--isolate=file`: batches hold one file each, and each file gets a fresh interpreter. */
  isolate?: FileIsolation;
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
    const freshSince = run.isolate?.now?.();
    const fresh = run.isolate ? await freshInterpreterFor(run, run.isolate, run.fileOf(batch.indices[0]!)) : false;
    const files = [...new Set(batch.indices.map(run.fileOf))].filter((file) => !run.collected.has(file));
    if (files.length > 0) {
      const paths = files.map(run.sandboxPath);
      const result = await collectSurvivingCrashes(run.worker, run.config, paths, (path) => files[paths.indexOf(path)]!);
      for (const file of files) run.collected.add(file);
      run.onCollected?.(result);
    }
    if (fresh && freshSince !== undefined) run.isolate!.onFresh?.((run.isolate!.now!() - freshSince) / 1000);
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

/**
 * Unless the worker's interpreter has seen only `file` (or nothing, after a
 * respawn), end its session and restore a fresh one in its place. A worker
 * that cannot restore in place is respawned. True when it put a fresh one.
 */
async function freshInterpreterFor(run: WorkerRun, isolate: FileIsolation, file: string): Promise<boolean> {
  if (run.collected.size === 0 || (run.collected.size === 1 && run.collected.has(file))) return false;
  isolate.onFinished(await run.worker.finish(isolate.summary()));
  run.collected.clear();
  const { restore, respawn } = run.worker;
  if (!restore && !respawn) throw new Error("--isolate=file needs workers that can be restored from the snapshot, which this host's cannot");
  try {
    if (restore) await restore.call(run.worker, [run.sandboxPath(file)]);
    else await respawn!.call(run.worker);
  } catch (error) {
    // A restore that failed (the thread died meanwhile) is retried once in a new thread.
    if (!restore || !respawn) throw error;
    await respawn.call(run.worker);
  }
  await run.worker.configure(run.config);
  return true;
}

/** The result of the item a worker died running. */
export function crashResult(item: CollectedItem, crash: WorkerCrash): ItemEndEvent {
  const report = (when: PhaseReport["when"], outcome: PhaseReport["outcome"], longrepr: string | null, message: string | null, duration = 0): PhaseReport => ({
    when, outcome, duration, longrepr, message, skip: null, wasxfail: null, sections: [],
  });
  let reports: PhaseReport[];
  if (crash.timeout > 0) {
    const message = `Failed: Timeout (>${pythonFloat(crash.timeout)}s) from pytest-timeout.`;
    const note = crash.timeoutNote ?? "the test did not stop when interrupted, so its worker was stopped and replaced: no traceback";
    reports = [report("setup", "passed", null, null), report("call", "failed", `E       ${message}\n(${note})`, message, crash.timeout)];
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
