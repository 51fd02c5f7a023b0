/**
 * The Python engines the widgets of a page share: one runner per engine
 * (normally just one, the default; a page that pins some blocks to another
 * engine gets a second). Nothing is loaded before a widget is on screen: the
 * runtime module (and with it the worker and the engine's files) is imported
 * when the first widget of an engine scrolls into view, and booting starts
 * right away so that a click finds Python ready. Runs go through one queue,
 * one at a time, in the order they were asked for.
 */
import type { BootInfo, EngineName, RunOptions, RunSummary, RunUpdate, Runner } from "../runtime/api.js";

export interface SharedRunnerOptions {
  /** Passed to `createRunner`: where the engines' files and worker script live (default: next to the widget script). */
  assetsBase?: string;
}

/** Which stage an engine is in, for widgets that show it. */
export type EngineState = "not-started" | "booting" | "ready" | "failed";

/** One engine's runner and boot. */
interface SharedEngine {
  runner: Promise<Runner> | null;
  boot: Promise<BootInfo> | null;
  state: EngineState;
}

let options: SharedRunnerOptions = {};
const engines = new Map<EngineName, SharedEngine>();
let queue: Promise<unknown> = Promise.resolve();
let observer: IntersectionObserver | null = null;
/** The engine each observed widget runs on. */
const observed = new Map<Element, EngineName>();
const stateListeners = new Set<(state: EngineState, engine: EngineName) => void>();

/** Set the runners' options; only the first call before an engine starts counts. */
export function configureSharedRunner(next: SharedRunnerOptions): void {
  const started = [...engines.values()].some((entry) => entry.runner !== null);
  if (!started && next.assetsBase && !options.assetsBase) options = { ...options, assetsBase: next.assetsBase };
}

function shared(engine: EngineName): SharedEngine {
  let entry = engines.get(engine);
  if (!entry) {
    entry = { runner: null, boot: null, state: "not-started" };
    engines.set(engine, entry);
  }
  return entry;
}

/** The state of `engine`. */
export function sharedEngineState(engine: EngineName): EngineState {
  return engines.get(engine)?.state ?? "not-started";
}

/** Call `listener` on every engine state change; returns the unsubscribe function. */
export function onEngineState(listener: (state: EngineState, engine: EngineName) => void): () => void {
  stateListeners.add(listener);
  return () => stateListeners.delete(listener);
}

function setState(engine: EngineName, state: EngineState): void {
  shared(engine).state = state;
  // The page-wide attribute follows the engine that changed last (on most pages, the only one).
  document.documentElement.dataset["fastestEngine"] = state;
  for (const listener of stateListeners) listener(state, engine);
}

function runner(engine: EngineName): Promise<Runner> {
  const entry = shared(engine);
  if (!entry.runner) {
    const loading = import("../runtime/runner.js").then(({ createRunner }) => createRunner({ ...options, engine }));
    // A failed download is tried again by the next run.
    loading.catch(() => {
      if (entry.runner === loading) entry.runner = null;
    });
    entry.runner = loading;
  }
  return entry.runner;
}

/** Start booting `engine` (once); resolves when Python is ready. */
export function bootSharedRunner(engine: EngineName): Promise<BootInfo> {
  const entry = shared(engine);
  if (!entry.boot) {
    setState(engine, "booting");
    const booting = runner(engine).then((r) => r.boot());
    entry.boot = booting;
    booting.then(
      () => setState(engine, "ready"),
      () => {
        // The next run tries again (a network hiccup on the first visit).
        if (entry.boot === booting) entry.boot = null;
        setState(engine, "failed");
      },
    );
  }
  return entry.boot;
}

/**
 * Boot `engine` when `element` (a widget running on it) first comes into
 * view, or right away where IntersectionObserver is missing. Every widget
 * registers itself; the first one seen of each engine starts its boot.
 */
export function bootWhenVisible(element: Element, engine: EngineName): void {
  if (shared(engine).boot) return;
  if (typeof IntersectionObserver === "undefined") {
    void bootSharedRunner(engine).catch(() => undefined);
    return;
  }
  observer ??= new IntersectionObserver((entries) => {
    for (const entry of entries) {
      const seen = observed.get(entry.target);
      if (!entry.isIntersecting || !seen) continue;
      // A failed boot is reported by the run that needs it.
      void bootSharedRunner(seen).catch(() => undefined);
      // Widgets of an engine that is booting need no watching.
      for (const [other, otherEngine] of observed) {
        if (otherEngine !== seen) continue;
        observer?.unobserve(other);
        observed.delete(other);
      }
    }
    if (observed.size === 0) {
      observer?.disconnect();
      observer = null;
    }
  });
  observed.set(element, engine);
  observer.observe(element);
}

/**
 * Queue a run on `engine`: it starts (`onStart`) when the runs queued before
 * it have ended, boots the engine if needed, and resolves with the run's
 * summary and the engine's boot info.
 */
export function runShared(engine: EngineName, run: RunOptions, onUpdate?: (update: RunUpdate) => void, onStart?: () => void): Promise<{ summary: RunSummary; boot: BootInfo }> {
  const result = queue.then(async () => {
    onStart?.();
    const boot = await bootSharedRunner(engine);
    const summary = await (await runner(engine)).run(run, onUpdate);
    return { summary, boot };
  });
  queue = result.catch(() => undefined);
  return result;
}
