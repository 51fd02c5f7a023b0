/**
 * The engines a page can run tests on, as this build knows them before any
 * of their files load: Pyodide (always there) and CPython compiled for WASI
 * (there when the site was built after `npm run build:wasi`). Small and
 * cheap to import: pages read it to offer a choice or pick a default.
 */
import engines from "virtual:fastest/engines";
import pyodideMeta from "virtual:fastest/snapshot-meta";
import type { EngineName } from "./api.js";

export type { EngineName };

/** One engine as a page offers it. */
export interface EngineChoice {
  name: EngineName;
  /** What to call it, with its Python version: `Pyodide (Python 3.14.2)`. */
  label: string;
  /** The Python version it runs, e.g. `3.11.2` (`3.11` when the build does not say). */
  python: string;
  /** This build holds its files. */
  available: boolean;
  /** Why it is not available, in words for the page (with how to get it); "" when it is. */
  reason: string;
}

/** The engine's short name for sentences: `Pyodide`, `CPython WASI`. */
export function engineName(engine: EngineName): string {
  return engine === "wasi" ? "CPython WASI" : "Pyodide";
}

/** The engine's version as a share link records it: Pyodide's (`314.0.7`), or the WASI build's (`cpython-3.11.2-<key>`; `unknown` when this build lacks it). */
export function engineVersion(engine: EngineName): string {
  if (engine === "pyodide") return pyodideMeta.pyodideVersion;
  return engines.wasi.available ? engines.wasi.meta.pyodideVersion : "unknown";
}

/** Every engine, Pyodide first. */
export function engineChoices(): EngineChoice[] {
  const wasi = engines.wasi;
  return [
    { name: "pyodide", label: `${engineName("pyodide")} (Python ${engines.pyodide.python})`, python: engines.pyodide.python, available: true, reason: "" },
    { name: "wasi", label: `${engineName("wasi")} (Python ${wasi.python})`, python: wasi.python, available: wasi.available, reason: wasi.available ? "" : wasi.reason },
  ];
}

/** The engine called `name`. */
export function engineChoice(name: EngineName): EngineChoice {
  return engineChoices().find((choice) => choice.name === name)!;
}

/** `value` names an engine (from storage, a link or a page's attribute: untrusted). */
export function isEngineName(value: unknown): value is EngineName {
  return value === "pyodide" || value === "wasi";
}

/**
 * The engine that gets a page to its first result soonest: the WASI engine
 * when this build has it (its snapshot restores in about 10 ms against
 * Pyodide's 150 ms and more; docs/PERFORMANCE.md), else Pyodide.
 */
export function fastestBootingEngine(): EngineName {
  return engines.wasi.available ? "wasi" : "pyodide";
}
