/**
 * Which worker runs which items, while the run goes on. Each worker starts
 * with the items of the files planned for it (longest-first across workers,
 * `core/schedule.ts`) and runs them in one go, in collection order. A
 * worker that runs out of work steals a whole file nobody has started from
 * the worker with the most estimated work not yet started: the last file of
 * that worker's queue, cut off its run through the run's claim word
 * (`core/item-claim.ts`), so that no item ever runs on two workers.
 */
import { cutClaim, newClaim, readClaim } from "./item-claim.js";

/** Items handed to one worker for one `run` call, by collection index, in run order. */
export interface Batch {
  indices: number[];
  /** Shared with the worker so the tail can be stolen; absent without shared memory. */
  claim: BigInt64Array | undefined;
  /** True when the batch was taken from another worker. */
  stolen: boolean;
}

interface Slot {
  /** Items assigned to this worker and not yet handed to it. */
  pending: number[];
  /** The batch the worker is running, if any. */
  active: Batch | null;
}

export interface WorkQueuesOptions {
  /** The file (rootdir-relative) of the item at a collection index. */
  fileOf(index: number): string;
  /** Estimated seconds the item at a collection index takes. */
  cost(index: number): number;
  /** Is the item at this collection index still allowed to start (`-x`, `pytest.exit`)? */
  runnable(index: number): boolean;
  /** Hand work to idle workers; off, each worker runs only its own items. */
  steal: boolean;
  /** Each batch holds the items of one file (`--isolate=file`: a fresh interpreter runs each file). */
  fileByFile?: boolean;
}

export class WorkQueues {
  private readonly slots: Slot[];

  /** `assigned[w]`: the collection indices worker `w` starts with, in run order. */
  constructor(
    assigned: number[][],
    private readonly options: WorkQueuesOptions,
  ) {
    this.slots = assigned.map((indices) => ({ pending: [...indices], active: null }));
  }

  /** The next batch for worker `w`: its own items, else a file stolen from another worker; null when nothing is left. */
  next(w: number): Batch | null {
    const slot = this.slots[w]!;
    slot.active = null;
    let own = slot.pending.filter((i) => this.options.runnable(i));
    slot.pending = [];
    if (this.options.fileByFile && own.length > 0) {
      // The first file's items, wherever a plugin's order put them; the other files wait.
      const file = this.options.fileOf(own[0]!);
      slot.pending = own.filter((i) => this.options.fileOf(i) !== file);
      own = own.filter((i) => this.options.fileOf(i) === file);
    }
    if (own.length > 0) return (slot.active = { indices: own, claim: newClaim(own.length), stolen: false });
    if (!this.options.steal) return null;
    const stolen = this.steal(w);
    if (stolen.length === 0) return null;
    return (slot.active = { indices: stolen, claim: newClaim(stolen.length), stolen: true });
  }

  /**
   * Worker `w` died running its batch: its items without a result, other
   * than the one it was running (`blamed`), go back to the front of its
   * queue, for the replacement to run. Returns how many were requeued.
   */
  requeue(w: number, hasResult: (index: number) => boolean, blamed: number | undefined): number {
    const slot = this.slots[w]!;
    const batch = slot.active;
    slot.active = null;
    if (!batch) return 0;
    const limit = batch.claim ? readClaim(batch.claim).limit : batch.indices.length;
    const lost = batch.indices.slice(0, limit).filter((i) => i !== blamed && !hasResult(i));
    slot.pending = [...lost, ...slot.pending];
    return lost.length;
  }

  /** Estimated seconds of work worker `w` has not started. */
  unstarted(w: number): number {
    return this.unstartedIndices(this.slots[w]!).reduce((sum, i) => sum + this.options.cost(i), 0);
  }

  private unstartedIndices(slot: Slot): number[] {
    const active = slot.active?.claim ? this.openTail(slot.active) : [];
    return [...active, ...slot.pending].filter((i) => this.options.runnable(i));
  }

  /** The positions of an active batch its worker has not started and may still start. */
  private openTail(batch: Batch): number[] {
    const { limit, claimed } = readClaim(batch.claim!);
    return batch.indices.slice(claimed, limit);
  }

  private steal(thief: number): number[] {
    const victims = this.slots
      .map((slot, w) => ({ slot, w, work: this.unstarted(w) }))
      .filter(({ w, work }) => w !== thief && work > 0)
      .sort((a, b) => b.work - a.work || a.w - b.w);
    for (const { slot } of victims) {
      for (;;) {
        const taken = this.takeLastFile(slot);
        // A file past the stop point was cut off for nothing: look at the one before it.
        if (taken === null || taken.length > 0) {
          if (taken) return taken;
          break;
        }
      }
    }
    return [];
  }

  /**
   * Take the last file of a worker's unstarted work; null when there is
   * none, or when taking it would only move the wait (its worker has started
   * nothing and it is all that worker has).
   */
  private takeLastFile(slot: Slot): number[] | null {
    const runnable = (i: number) => this.options.runnable(i);
    if (slot.pending.some(runnable)) {
      // Not handed to the worker yet: every item of that file moves.
      const file = this.options.fileOf(slot.pending.filter(runnable).at(-1)!);
      const taken = slot.pending.filter((i) => runnable(i) && this.options.fileOf(i) === file);
      slot.pending = slot.pending.filter((i) => !taken.includes(i));
      return taken;
    }
    const batch = slot.active;
    if (!batch?.claim) return null;
    const { limit, claimed } = readClaim(batch.claim);
    if (limit <= claimed) return null;
    const file = this.options.fileOf(batch.indices[limit - 1]!);
    let at = limit - 1;
    while (at > claimed && this.options.fileOf(batch.indices[at - 1]!) === file) at -= 1;
    // Only whole files move: none of this file's items may come earlier in the run (started or not).
    if (batch.indices.slice(0, at).some((i) => this.options.fileOf(i) === file)) return null;
    // A worker that has started nothing yet keeps its only file: taking it would just move the wait.
    if (claimed === 0 && at === 0) return null;
    if (!cutClaim(batch.claim, at)) return null;
    return batch.indices.slice(at, limit).filter(runnable);
  }
}
