/**
 * What the runtime changes in `@bjorn3/browser_wasi_shim`'s system calls:
 * sleeping blocks the thread instead of spinning, and a pending interrupt
 * (Ctrl-C, a timeout) is raised in the interpreter at its next system call.
 *
 * WASI has no signals, but each system call is a call out of the
 * interpreter into JavaScript, which may call back in: `PyErr_SetInterruptEx`
 * (exported by build.sh) only marks the signal pending, as a C signal
 * handler would, and CPython's eval loop raises KeyboardInterrupt (or runs
 * the handler `signal.signal` installed) at its next bytecode boundary, so
 * the traceback shows the line that was running. Python code that makes no
 * system call at all (`while True: pass`) cannot be reached this way.
 */

/** How the host asks for an interrupt, as Pyodide's `setInterruptBuffer`. */
export interface InterruptSource {
  /**
   * Element 0 is set by another thread to a signal number (2: SIGINT) to
   * interrupt Python; the runtime sets it back to 0 when it takes it. When
   * its buffer is a SharedArrayBuffer, `Atomics.notify` on it wakes a
   * sleeping `time.sleep` at once (otherwise within 50 ms).
   */
  buffer: Int32Array;
  /** Asked before raising a pending signal; false drops it (e.g. a timeout meant for a test that has just ended). */
  accept?: ((signal: number) => boolean) | undefined;
}

type Imports = Record<string, (...args: never[]) => unknown>;

const SUBSCRIPTION_BYTES = 48;
const EVENT_BYTES = 32;
const EVENTTYPE_CLOCK = 0;
const CLOCKID_REALTIME = 0;
const CLOCKID_MONOTONIC = 1;
const SUBSCRIPTION_CLOCK_ABSTIME = 1;
const ERRNO_SUCCESS = 0;
const ERRNO_BADF = 8;
const ERRNO_INVAL = 28;
/** Longest single wait: an interrupt set without `Atomics.notify` is still seen this soon. */
const WAIT_SLICE_MS = 50;

/**
 * The shim's imports with `poll_oneoff` replaced (see `pollOneoff`) and,
 * when `interrupt` is given, every call followed by a look at it.
 * `memory` and `hasFd` are read at call time (the instance is made after).
 */
export function systemCalls(
  shim: Imports,
  options: {
    memory: () => WebAssembly.Memory;
    hasFd: (fd: number) => boolean;
    interrupt?: InterruptSource | undefined;
    /** Mark `signal` pending in the interpreter (`PyErr_SetInterruptEx`); undefined on builds without it. */
    raise: (() => ((signal: number) => void) | undefined);
  },
): Imports {
  const { interrupt } = options;
  // An interrupt raised at the last system call, which Python has not acted on yet (it does at its
  // next bytecode boundary). time.sleep reads the clock, then sleeps, within one bytecode: an
  // interrupt raised at that clock read must cut the sleep short, or it would wait for the whole sleep.
  let unseen = false;
  /** Take a pending interrupt and raise it in Python; true when one was raised. */
  const takeInterrupt = (): boolean => {
    if (!interrupt || Atomics.load(interrupt.buffer, 0) === 0) return false;
    const raise = options.raise();
    if (!raise) return false; // (a build without the export: the host stops the run between tests instead)
    const signal = Atomics.exchange(interrupt.buffer, 0, 0);
    if (signal === 0 || (interrupt.accept && !interrupt.accept(signal))) return false;
    raise(signal);
    unseen = true;
    return true;
  };
  const wait = sleeper(interrupt?.buffer);
  const imports: Imports = { ...shim };
  const poll = (inPtr: number, outPtr: number, count: number, neventsPtr: number): number => {
    try {
      return pollOneoff(options.memory(), options.hasFd, inPtr, outPtr, count, neventsPtr, (deadline) => wait(deadline, () => unseen || takeInterrupt()));
    } finally {
      unseen = false;
    }
  };
  imports["poll_oneoff"] = poll as never;
  if (!interrupt) return imports;
  for (const [name, call] of Object.entries(imports)) {
    imports[name] = ((...args: never[]) => {
      // (another call between the raise and a sleep: Python may have handled the interrupt meanwhile, so that sleep runs in full)
      if (call !== poll) unseen = false;
      const result = call(...args);
      if (Atomics.load(interrupt.buffer, 0) !== 0) takeInterrupt();
      return result;
    }) as never;
  }
  return imports;
}

/**
 * `poll_oneoff` as WASI defines it (the shim's reads the subscription's
 * flags at the wrong offset, accepts one subscription only and spins):
 * clock subscriptions wait until the earliest deadline, blocking the
 * thread; descriptor subscriptions are ready at once (every file here is in
 * memory), and then nothing waits.
 */
function pollOneoff(
  memory: WebAssembly.Memory,
  hasFd: (fd: number) => boolean,
  inPtr: number,
  outPtr: number,
  count: number,
  neventsPtr: number,
  waitUntil: (deadlineMs: number) => void,
): number {
  if (count === 0) return ERRNO_INVAL;
  let view = new DataView(memory.buffer);
  const subscriptions: Array<{ userdata: bigint; type: number; fd: number; deadlineMs: number }> = [];
  for (let i = 0; i < count; i++) {
    const at = inPtr + i * SUBSCRIPTION_BYTES;
    const userdata = view.getBigUint64(at, true);
    const type = view.getUint8(at + 8);
    if (type !== EVENTTYPE_CLOCK) {
      subscriptions.push({ userdata, type, fd: view.getUint32(at + 16, true), deadlineMs: 0 });
      continue;
    }
    const clock = view.getUint32(at + 16, true);
    const timeoutMs = Number(view.getBigUint64(at + 24, true)) / 1e6;
    const absolute = (view.getUint16(at + 40, true) & SUBSCRIPTION_CLOCK_ABSTIME) !== 0;
    let deadlineMs: number;
    // The shim's clock_time_get reads these same clocks (monotonic: performance.now()).
    if (clock === CLOCKID_MONOTONIC) deadlineMs = absolute ? timeoutMs : performance.now() + timeoutMs;
    else if (clock === CLOCKID_REALTIME) deadlineMs = performance.now() + (absolute ? timeoutMs - Date.now() : timeoutMs);
    else return ERRNO_INVAL;
    subscriptions.push({ userdata, type, fd: -1, deadlineMs });
  }
  const descriptors = subscriptions.filter((s) => s.type !== EVENTTYPE_CLOCK);
  let ready = descriptors;
  if (descriptors.length === 0) {
    const earliest = Math.min(...subscriptions.map((s) => s.deadlineMs));
    waitUntil(earliest);
    // (an interrupt may have cut the wait short: the sleep then ends early, and Python raises after it)
    ready = subscriptions.filter((s) => s.deadlineMs <= Math.max(earliest, performance.now()));
  }
  view = new DataView(memory.buffer); // (Python code cannot have grown it meanwhile, but a raised interrupt ran in it)
  ready.forEach((s, i) => {
    const at = outPtr + i * EVENT_BYTES;
    for (let b = 0; b < EVENT_BYTES; b += 4) view.setUint32(at + b, 0, true);
    view.setBigUint64(at, s.userdata, true);
    view.setUint16(at + 8, s.type === EVENTTYPE_CLOCK || hasFd(s.fd) ? ERRNO_SUCCESS : ERRNO_BADF, true);
    view.setUint8(at + 10, s.type);
  });
  view.setUint32(neventsPtr, ready.length, true);
  return ERRNO_SUCCESS;
}

/**
 * Block the thread until `deadlineMs` (on `performance.now()`'s clock) or
 * until `interrupted()` says an interrupt was raised. With Atomics.wait
 * (any Node thread; a browser worker on a cross-origin isolated page) the
 * thread sleeps, woken early by `Atomics.notify` on `cell`; without it
 * (a page that is not isolated) it spins, as the shim did.
 */
function sleeper(cell: Int32Array | undefined): (deadlineMs: number, interrupted: () => boolean) => void {
  const shared = typeof SharedArrayBuffer !== "undefined";
  const own = shared ? new Int32Array(new SharedArrayBuffer(4)) : undefined;
  const hostCell = cell && shared && cell.buffer instanceof SharedArrayBuffer ? cell : undefined;
  let canWait = own !== undefined;
  return (deadlineMs, interrupted) => {
    for (;;) {
      if (interrupted()) return;
      const left = deadlineMs - performance.now();
      if (left <= 0) return;
      if (canWait) {
        try {
          // Sleeps while the host's cell holds 0: its interrupt (non-zero) and notify wake it. An
          // interrupt left pending (a build that cannot raise it) would not let it sleep: then on a cell of its own.
          const slice = Math.min(left, WAIT_SLICE_MS);
          if (hostCell && Atomics.load(hostCell, 0) === 0) Atomics.wait(hostCell, 0, 0, slice);
          else Atomics.wait(own!, 0, 0, slice);
          continue;
        } catch {
          canWait = false; // (a thread that may not block, such as a page's main thread)
        }
      }
      const until = performance.now() + Math.min(left, WAIT_SLICE_MS);
      while (performance.now() < until) {
        // Spin: nothing else can make this thread wait.
      }
    }
  };
}
