/**
 * The one Python engine every widget on a page shares. Nothing is loaded
 * before a widget is on screen: the runtime module (and with it the worker
 * and Pyodide's files) is imported when the first widget scrolls into view,
 * and booting starts right away so that a click finds Python ready. Runs go
 * through one queue, one at a time, in the order they were asked for.
 */
import type { BootInfo, RunOptions, RunSummary, RunUpdate, Runner } from "../runtime/api.js";

export interface SharedRunnerOptions {
  /** Passed to `createRunner`: where the Pyodide files and worker script live (default: next to the widget script). */
  assetsBase?: string;
}

/** Which stage the page's engine is in, for widgets that show it. */
export type EngineState = "not-started" | "booting" | "ready" | "failed";

let options: SharedRunnerOptions = {};
let runnerPromise: Promise<Runner> | null = null;
let bootPromise: Promise<BootInfo> | null = null;
let engineState: EngineState = "not-started";
let queue: Promise<unknown> = Promise.resolve();
let observer: IntersectionObserver | null = null;
const stateListeners = new Set<(state: EngineState) => void>();

/** Set the runner's options; only the first call before the engine starts counts. */
export function configureSharedRunner(next: SharedRunnerOptions): void {
  if (!runnerPromise && next.assetsBase && !options.assetsBase) options = { ...options, assetsBase: next.assetsBase };
}

/** The current engine state. */
export function sharedEngineState(): EngineState {
  return engineState;
}

/** Call `listener` on every engine state change; returns the unsubscribe function. */
export function onEngineState(listener: (state: EngineState) => void): () => void {
  stateListeners.add(listener);
  return () => stateListeners.delete(listener);
}

function setState(state: EngineState): void {
  engineState = state;
  document.documentElement.dataset["fastestEngine"] = state;
  for (const listener of stateListeners) listener(state);
}

function runner(): Promise<Runner> {
  if (!runnerPromise) {
    const loading = import("../runtime/runner.js").then(({ createRunner }) => createRunner(options.assetsBase ? { assetsBase: options.assetsBase } : undefined));
    // A failed download is tried again by the next run.
    loading.catch(() => {
      if (runnerPromise === loading) runnerPromise = null;
    });
    runnerPromise = loading;
  }
  return runnerPromise;
}

/** Start booting the shared engine (once); resolves when Python is ready. */
export function bootSharedRunner(): Promise<BootInfo> {
  if (!bootPromise) {
    setState("booting");
    bootPromise = runner().then((r) => r.boot());
    bootPromise.then(
      () => setState("ready"),
      () => {
        // The next run tries again (a network hiccup on the first visit).
        bootPromise = null;
        setState("failed");
      },
    );
  }
  return bootPromise;
}

/**
 * Boot the engine when `element` first comes into view (or right away
 * where IntersectionObserver is missing). Every widget registers itself;
 * the first one seen starts the boot and the observer is dropped.
 */
export function bootWhenVisible(element: Element): void {
  if (bootPromise) return;
  if (typeof IntersectionObserver === "undefined") {
    void bootSharedRunner().catch(() => undefined);
    return;
  }
  observer ??= new IntersectionObserver((entries) => {
    if (!entries.some((entry) => entry.isIntersecting)) return;
    observer?.disconnect();
    observer = null;
    // A failed boot is reported by the run that needs it.
    void bootSharedRunner().catch(() => undefined);
  });
  observer.observe(element);
}

/**
 * Queue a run on the shared engine: it starts (`onStart`) when the runs
 * queued before it have ended, boots the engine if needed, and resolves
 * with the run's summary and the engine's boot info.
 */
export function runShared(run: RunOptions, onUpdate?: (update: RunUpdate) => void, onStart?: () => void): Promise<{ summary: RunSummary; boot: BootInfo }> {
  const result = queue.then(async () => {
    onStart?.();
    const boot = await bootSharedRunner();
    const summary = await (await runner()).run(run, onUpdate);
    return { summary, boot };
  });
  queue = result.catch(() => undefined);
  return result;
}
