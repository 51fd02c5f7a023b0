/**
 * `-x` / `--maxfail N`, made deterministic for parallel workers: the run
 * stops after the item holding the N-th failure *in collection order*.
 * Items before it always complete and are reported; items after it are not
 * reported, and workers are told not to start them (`RunControl`).
 */
import { STOP_NONE, type CollectedItem, type PhaseReport, type RunControl } from "./protocol.js";

/** Failing phase reports of one item, as pytest counts them for `--maxfail` (xfails do not count). */
export function failureCount(reports: readonly PhaseReport[]): number {
  return reports.filter((r) => r.outcome === "failed" && r.wasxfail === null).length;
}

/** pytest's message for the `!!! ... !!!` line. */
export function stopMessage(failures: number): string {
  return `stopping after ${failures} failures`;
}

/** Tracks failures as results arrive (in any order) and moves the stop point. */
export class StopTracker {
  /** First collection index that must not start or be reported; shared with workers when possible. */
  readonly stopAt: Int32Array;
  private readonly failures = new Map<number, number>();
  private stoppedWith: number | null = null;

  constructor(
    private readonly maxfail: number,
    /** Failures before any test ran: collection errors. */
    private readonly initial: number,
    /** Said in place of `stopping after N failures`. */
    private readonly message?: string,
  ) {
    // Without cross-origin isolation a browser has no SharedArrayBuffer: the
    // run then goes to the end and results past the stop are dropped.
    const shared = typeof SharedArrayBuffer === "function";
    this.stopAt = new Int32Array(shared ? new SharedArrayBuffer(4) : new ArrayBuffer(4));
    this.stopAt[0] = STOP_NONE;
    this.shared = shared;
  }

  readonly shared: boolean;

  /** The first index past the stop point, or `STOP_NONE`. */
  get limit(): number {
    return Atomics.load(this.stopAt, 0);
  }

  /** Set once the run has stopped: `stopping after N failures`. */
  get reason(): string | null {
    return this.stoppedWith === null ? null : (this.message ?? stopMessage(this.stoppedWith));
  }

  /** The control to hand a worker that runs the items at these collection indices. */
  control(indices: number[]): RunControl | undefined {
    return this.shared ? { stopAt: this.stopAt, indices } : undefined;
  }

  /** Record a finished item's reports. */
  record(index: number, reports: readonly PhaseReport[]): void {
    const count = failureCount(reports);
    if (count === 0 || index >= this.limit) return;
    this.failures.set(index, count);
    let total = this.initial;
    for (const at of [...this.failures.keys()].sort((a, b) => a - b)) {
      total += this.failures.get(at)!;
      if (total >= this.maxfail) {
        Atomics.store(this.stopAt, 0, at + 1);
        this.stoppedWith = total;
        for (const later of this.failures.keys()) if (later > at) this.failures.delete(later);
        return;
      }
    }
  }
}

interface TruncatableCollection {
  items: CollectedItem[];
  errors: Array<{ nodeid: string }>;
  skipped: Array<{ nodeid: string }>;
}

/**
 * Collection errors count as failures: when they reach `maxfail`, pytest
 * stops collecting at the file of the last one. Drops what pytest would not
 * have collected and returns the stop message, or null when the run goes on.
 */
export function stopAfterCollection(
  collection: TruncatableCollection,
  maxfail: number,
  rankOf: (nodeid: string) => number,
): string | null {
  if (maxfail <= 0 || collection.errors.length < maxfail) return null;
  const last = rankOf(collection.errors[maxfail - 1]!.nodeid);
  collection.errors = collection.errors.slice(0, maxfail);
  collection.items = collection.items.filter((item) => rankOf(item.nodeid) < last);
  collection.skipped = collection.skipped.filter((skip) => rankOf(skip.nodeid) < last);
  return stopMessage(maxfail);
}
