/**
 * The cost model per engine and `--isolate=file` in the scheduler: each
 * engine has its own boot and restore figures, the restore is added to every
 * file's estimate, and a worker that isolates files takes them one at a time,
 * ending the old interpreter's session and restoring a fresh one between them.
 */
import { describe, expect, it } from "vitest";
import { bootCostsFrom, chooseWorkers, defaultBootCostsByEngine, estimateWork, minimumExtraWorkerSeconds, predictedSeconds } from "./cost-model.js";
import type { CollectResult, CollectedItem, HarnessConfig, RunEvent, RunFinish, SummaryRequest } from "./protocol.js";
import { WorkerCrash, type WorkerHandle } from "./worker-handle.js";
import { WorkQueues } from "./work-queues.js";
import { runOnWorker, type FileIsolation } from "./worker-run.js";

describe("boot and restore costs per engine", () => {
  it("has defaults for each engine, WASI's below Pyodide's", () => {
    const { pyodide, wasi } = defaultBootCostsByEngine;
    expect(pyodide.engine).toBe("pyodide");
    expect(wasi.engine).toBe("wasi");
    expect(wasi.first).toBeLessThan(pyodide.first);
    expect(wasi.extra).toBeLessThan(pyodide.extra);
    expect(wasi.restore * 3).toBeLessThan(pyodide.restore);
  });

  it("fills what an engine has not measured with that engine's defaults", () => {
    expect(bootCostsFrom({}, "wasi")).toEqual(defaultBootCostsByEngine.wasi);
    expect(bootCostsFrom({ 1: 0.1, 2: 0.15 }, "wasi")).toEqual({ ...defaultBootCostsByEngine.wasi, first: 0.1, extra: 0.05, measured: true });
    // A pair measured as fast as one still costs the engine's least.
    expect(bootCostsFrom({ 1: 0.1, 2: 0.1 }, "wasi").extra).toBe(minimumExtraWorkerSeconds.wasi);
    expect(bootCostsFrom({ 1: 0.1, 2: 0.1 }, "pyodide").extra).toBe(minimumExtraWorkerSeconds.pyodide);
  });

  it("adds the restore to every file's estimate, measured or guessed", () => {
    const estimate = estimateWork([{ path: "a", size: 1000, seconds: 2 }, { path: "b", size: 500 }], undefined, 0.25);
    expect(estimate.files).toEqual([{ path: "a", weight: 2.25 }, { path: "b", weight: 1.25 }]);
    expect(estimate).toMatchObject({ total: 3.5, largest: 2.25, perFile: 0.25 });
  });

  it("names the engine's figures and the restore in the reason", () => {
    const files = Array.from({ length: 4 }, (_, i) => ({ path: `f${i}`, size: 1, seconds: 0.05 }));
    const reason = (engine: "pyodide" | "wasi", isolate: boolean) => {
      const boot = bootCostsFrom({}, engine);
      return chooseWorkers({ estimate: estimateWork(files, undefined, isolate ? boot.restore : 0), boot, cores: 1, asked: null }).reason;
    };
    expect(reason("pyodide", false)).toBe("~0.20s of tests (from cached durations); a worker boots in ~0.35s, +0.20s each more (Pyodide default figures)");
    expect(reason("wasi", false)).toBe("~0.20s of tests (from cached durations); a worker boots in ~0.18s, +0.09s each more (WASI default figures)");
    expect(reason("pyodide", true)).toBe(
      "~1.00s of tests and a fresh interpreter per file (~0.20s each) (from cached durations); a worker boots in ~0.35s, +0.20s each more (Pyodide default figures)",
    );
    expect(reason("wasi", true)).toMatch(/^~0\.44s of tests and a fresh interpreter per file \(~0\.06s each\) .*\(WASI default figures\)$/);
  });

  it("makes isolation cost visibly more on Pyodide than on WASI, and may take more workers for it", () => {
    const files = Array.from({ length: 10 }, (_, i) => ({ path: `f${i}`, size: 1, seconds: 0.02 }));
    const wall = (engine: "pyodide" | "wasi", isolate: boolean) => {
      const boot = bootCostsFrom({}, engine);
      const estimate = estimateWork(files, undefined, isolate ? boot.restore : 0);
      const { workers } = chooseWorkers({ estimate, boot, cores: 2, asked: null });
      return { workers, seconds: predictedSeconds(estimate, boot, workers) };
    };
    expect(wall("pyodide", false).workers).toBe(1);
    expect(wall("pyodide", true).workers).toBe(2);
    const pyodideExtra = wall("pyodide", true).seconds - wall("pyodide", false).seconds;
    const wasiExtra = wall("wasi", true).seconds - wall("wasi", false).seconds;
    expect(pyodideExtra).toBeGreaterThan(1);
    expect(pyodideExtra).toBeGreaterThan(3 * wasiExtra);
  });
});

// Items by collection index: file of each.
const fileOfItem = ["a", "a", "b", "a", "c", "c"];

describe("WorkQueues, file by file", () => {
  const queuesFor = (assigned: number[][], steal = true) =>
    new WorkQueues(assigned, { fileOf: (i) => fileOfItem[i]!, cost: () => 1, runnable: () => true, steal, fileByFile: true });

  it("hands a worker one file's items per batch, wherever the order put them", () => {
    const queues = queuesFor([[0, 1, 2, 3, 4, 5]]);
    expect(queues.next(0)?.indices).toEqual([0, 1, 3]);
    expect(queues.next(0)?.indices).toEqual([2]);
    expect(queues.next(0)?.indices).toEqual([4, 5]);
    expect(queues.next(0)).toBeNull();
  });

  it("lets an idle worker take a whole file not handed out yet, never part of the running one", () => {
    const queues = queuesFor([[0, 1, 3, 2, 4, 5], []]);
    expect(queues.next(0)?.indices).toEqual([0, 1, 3]);
    expect(queues.next(1)).toMatchObject({ indices: [4, 5], stolen: true });
    expect(queues.next(1)).toMatchObject({ indices: [2], stolen: true });
    expect(queues.next(1)).toBeNull();
    expect(queues.next(0)).toBeNull();
  });
});

/** A worker that records what the scheduler asks of it; each item's result is a pass. */
class RecordingWorker implements WorkerHandle {
  readonly id = "gw0";
  readonly calls: string[] = [];
  crashOn: string | null = null;
  constructor(private readonly items: CollectedItem[], readonly canRestore = true) {
    if (!canRestore) Object.defineProperty(this, "restore", { value: undefined });
  }
  async writeFiles(): Promise<void> {}
  async configure(_config: HarnessConfig): Promise<void> {
    this.calls.push("configure");
  }
  async collect(paths: string[]): Promise<CollectResult> {
    this.calls.push(`collect ${paths.join(",")}`);
    return { items: [], errors: [], warnings: [] } as unknown as CollectResult;
  }
  async run(nodeids: string[], onEvents: (events: RunEvent[]) => void): Promise<void> {
    this.calls.push(`run ${nodeids.join(",")}`);
    for (const [at, nodeid] of nodeids.entries()) {
      if (nodeid === this.crashOn) {
        this.crashOn = null;
        throw new WorkerCrash("worker crashed: os._exit(1)", at);
      }
      const item = this.items.find((i) => i.nodeid === nodeid)!;
      onEvents([{ type: "itemEnd", nodeid, location: item.location, reports: [], properties: [] }]);
    }
  }
  async finish(summary?: SummaryRequest): Promise<RunFinish> {
    this.calls.push(`finish ${summary?.exitstatus}`);
    return { errors: [], warnings: [] };
  }
  async respawn(): Promise<void> {
    this.calls.push("respawn");
  }
  async restore(): Promise<void> {
    this.calls.push("restore");
  }
}

describe("runOnWorker with --isolate=file", () => {
  const items: CollectedItem[] = fileOfItem.map((file, i) => ({ nodeid: `${file}.py::t${i}`, location: [`${file}.py`, i, `t${i}`], markers: [], keywords: [] }));
  const run = async (worker: RecordingWorker, collected: string[]) => {
    const done = new Set<number>();
    const finished: RunFinish[] = [];
    const fresh: number[] = [];
    let clock = 0;
    const isolate: FileIsolation = {
      summary: () => ({ exitstatus: 0 }),
      onFinished: (part) => finished.push(part),
      // Each reading 25 ms after the last: a fresh interpreter measures as one start and one end.
      now: () => (clock += 25),
      onFresh: (seconds) => fresh.push(seconds),
    };
    await runOnWorker({
      worker,
      slot: 0,
      queues: new WorkQueues([[0, 1, 2, 3, 4, 5]], { fileOf: (i) => fileOfItem[i]!, cost: () => 1, runnable: () => true, steal: false, fileByFile: true }),
      config: {} as HarnessConfig,
      items,
      fileOf: (i) => fileOfItem[i]!,
      sandboxPath: (file) => `/p/${file}.py`,
      collected: new Set(collected),
      control: () => undefined,
      onEvents: (events) => events.forEach((e) => e.type === "itemEnd" && done.add(items.findIndex((i) => i.nodeid === e.nodeid))),
      done: (i) => done.has(i),
      isolate,
    });
    return { done, finished, fresh };
  };

  it("ends the old interpreter's session and restores a fresh one before each file", async () => {
    const worker = new RecordingWorker(items);
    const { done, finished, fresh } = await run(worker, ["a", "b", "c"]);
    expect(worker.calls).toEqual([
      "finish 0", "restore", "configure", "collect /p/a.py", "run a.py::t0,a.py::t1,a.py::t3",
      "finish 0", "restore", "configure", "collect /p/b.py", "run b.py::t2",
      "finish 0", "restore", "configure", "collect /p/c.py", "run c.py::t4,c.py::t5",
    ]);
    expect(done.size).toBe(6);
    // The last interpreter's session is the session's own to end.
    expect(finished).toHaveLength(3);
    // What each fresh interpreter cost, to plan the next run with.
    expect(fresh).toEqual([0.025, 0.025, 0.025]);
  });

  it("keeps an interpreter that has seen only the file it is about to run", async () => {
    const worker = new RecordingWorker(items);
    await run(worker, ["a"]);
    expect(worker.calls.slice(0, 2)).toEqual(["run a.py::t0,a.py::t1,a.py::t3", "finish 0"]);
  });

  it("respawns where the host cannot restore in place, and after a crash collects again without restoring", async () => {
    const worker = new RecordingWorker(items, false);
    worker.crashOn = "b.py::t2";
    const { done } = await run(worker, ["a"]);
    expect(worker.calls).toEqual([
      "run a.py::t0,a.py::t1,a.py::t3",
      "finish 0", "respawn", "configure", "collect /p/b.py", "run b.py::t2",
      // The crash: its worker is replaced and b's blamed item gets a result.
      "respawn", "configure",
      "collect /p/c.py", "run c.py::t4,c.py::t5",
    ]);
    expect(done.size).toBe(6);
  });
});
