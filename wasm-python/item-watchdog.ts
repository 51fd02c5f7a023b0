import { markTimedOut, readProgress } from "../core/item-progress.js";

export interface WatchdogOptions {
  /** The worker's shared item progress (`core/item-progress.ts`). */
  progress: Int32Array;
  /** Raise KeyboardInterrupt in the worker's Python. */
  interrupt(): void;
  /** The item ignored the interrupt for `graceMs` (or, index -1, no item ran for `busyLimitMs`): stop its worker. */
  kill(index: number, timeoutSeconds: number): void;
  graceMs: number;
  /** How long the worker may run no item before it is stopped (0: no limit). */
  busyLimitMs?: number;
}

/** How often the host looks at the running item; timeouts are this coarse. */
const TICK_MS = 25;

/**
 * Time the items a worker runs: at an item's timeout, mark it timed out and
 * interrupt Python (the harness reports pytest-timeout's failure and goes
 * on); if the item is still running `graceMs` later (stuck in C code, or it
 * swallowed the KeyboardInterrupt), kill the worker. With `busyLimitMs`, a
 * worker that runs no item that long (something a test left running after
 * it returned) is killed too. Returns `stop`.
 */
export function watchItems(options: WatchdogOptions): () => void {
  let seen = Number.NaN;
  let startedAt = 0;
  let interruptedAt: number | null = null;
  const timer = setInterval(() => {
    const { seq, index, timeoutMs } = readProgress(options.progress);
    const now = performance.now();
    if (seq !== seen) {
      seen = seq;
      startedAt = now;
      interruptedAt = null;
      return;
    }
    if (index < 0) {
      // Busy with no item started: teardown between items, or code a test left behind that never returns.
      if (options.busyLimitMs && now - startedAt >= options.busyLimitMs) {
        clearInterval(timer);
        options.kill(-1, 0);
      }
      return;
    }
    if (timeoutMs === 0) return;
    if (interruptedAt === null) {
      if (now - startedAt < timeoutMs) return;
      markTimedOut(options.progress, seq);
      options.interrupt();
      interruptedAt = now;
    } else if (now - interruptedAt >= options.graceMs) {
      clearInterval(timer);
      options.kill(index, timeoutMs / 1000);
    }
  }, TICK_MS);
  return () => clearInterval(timer);
}
