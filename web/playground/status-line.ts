/**
 * The status line (`#status`, `role="status"`): how Python's boot went (the
 * engine, the boot time in ms, or "Booting Python…", or why it failed) and, on a line of
 * its own, what the run is doing or pytest's summary line of the last run.
 */
import type { BootInfo } from "../runtime/api.js";
import { engineName } from "../runtime/engines.js";
import { byId, h, replaceChildren } from "./dom.js";

export interface StatusState {
  boot: BootInfo | null;
  /** Python is starting (on its own or for a run). */
  starting: boolean;
  /** Why Python could not start, when it could not. */
  bootProblem: string | null;
  /** The run's progress or last summary line; "" for none. */
  runText: string;
}

/** The sentence about Python's boot. */
export function bootSentence(state: StatusState): string {
  if (state.bootProblem) return state.bootProblem;
  if (state.boot) {
    const source = state.boot.snapshot === "cache" ? "snapshot from this browser's cache" : "first visit: snapshot made now";
    return `Python ${state.boot.pythonVersion} (${engineName(state.boot.engine)}) ready in ${Math.round(state.boot.ms)} ms (${source}).`;
  }
  return state.starting ? "Booting Python…" : "";
}

export function renderStatus(state: StatusState): void {
  const bootText = bootSentence(state);
  // Two lines, one text: screen readers read "… ready in 812 ms (…). 1 failed, 3 passed in 0.05s".
  replaceChildren(
    byId("status"),
    bootText ? h("span", { class: "status-boot" }, bootText) : null,
    bootText && state.runText ? " " : null,
    state.runText ? h("span", { class: "status-run" }, state.runText) : null,
  );
}

/** An error's message, for sentences shown in the page. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
