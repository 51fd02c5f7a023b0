/**
 * Which item a worker is running, in shared memory, so that the host can
 * time items out and blame the right one when the worker dies: the array
 * outlives the thread that writes it, unlike events still in flight.
 *
 * Layout of the shared Int32Array (`PROGRESS_SLOTS` elements):
 * - `SEQ`: bumped whenever an item starts and when a run ends; the host
 *   starts an item's clock when it sees it change.
 * - `INDEX`: position of the running item in the node ids given to `run`
 *   (-1: between runs).
 * - `TIMEOUT_MS`: the running item's timeout (0: none).
 * - `TIMED_OUT`: the `SEQ` the host interrupted for a timeout, or
 *   `USER_INTERRUPT` (Ctrl-C); the harness reads it to tell the two apart.
 * - `DONE`: the `SEQ` of the last item whose result the worker has sent.
 */
export const PROGRESS_SLOTS = 5;
const SEQ = 0;
const INDEX = 1;
const TIMEOUT_MS = 2;
const TIMED_OUT = 3;
const DONE = 4;
const USER_INTERRUPT = -1;

export function newProgress(): Int32Array {
  const progress = new Int32Array(new SharedArrayBuffer(PROGRESS_SLOTS * 4));
  progress[INDEX] = -1;
  progress[TIMED_OUT] = USER_INTERRUPT;
  progress[DONE] = -1;
  return progress;
}

/** Worker side: item `index` of the run starts now (`index` -1 and timeout 0: the run is over). */
export function beginItem(progress: Int32Array, index: number, timeoutMs: number): void {
  // Index and timeout first: the host reads them once it sees SEQ move.
  Atomics.store(progress, INDEX, index);
  Atomics.store(progress, TIMEOUT_MS, Math.max(0, Math.min(0x7fffffff, Math.round(timeoutMs))));
  Atomics.add(progress, SEQ, 1);
}

/** Worker side: the running item's result has been sent. */
export function endItem(progress: Int32Array): void {
  Atomics.store(progress, DONE, Atomics.load(progress, SEQ));
}

/**
 * Worker side, when an interrupt arrives: is it a timeout that came too late,
 * for an item that has finished? (The watchdog reads the running item, then
 * interrupts it; the item may end in between.) Such an interrupt is dropped.
 */
export function interruptIsLate(progress: Int32Array): boolean {
  const timedOut = Atomics.load(progress, TIMED_OUT);
  if (timedOut === USER_INTERRUPT) return false;
  const seq = Atomics.load(progress, SEQ);
  return timedOut !== seq || Atomics.load(progress, DONE) === seq;
}

/** Worker side: did the host interrupt the running item because it ran out of time? */
export function itemTimedOut(progress: Int32Array): boolean {
  return Atomics.load(progress, TIMED_OUT) === Atomics.load(progress, SEQ);
}

/** Host side: what the worker is running now. */
export function readProgress(progress: Int32Array): { seq: number; index: number; timeoutMs: number } {
  const seq = Atomics.load(progress, SEQ);
  return { seq, index: Atomics.load(progress, INDEX), timeoutMs: Atomics.load(progress, TIMEOUT_MS) };
}

/** Host side: Ctrl-C, before interrupting: never taken for a late timeout. */
export function markUserInterrupt(progress: Int32Array): void {
  Atomics.store(progress, TIMED_OUT, USER_INTERRUPT);
}

/** Host side: mark item `seq` as timed out, before interrupting it. */
export function markTimedOut(progress: Int32Array, seq: number): void {
  Atomics.store(progress, TIMED_OUT, seq);
}
