/**
 * The engine choice in Run settings: Pyodide or CPython WASI, each with its
 * Python version. The user's choice is remembered in localStorage (as the
 * theme is); a share link's engine is shown and used while its files are
 * open, without replacing the remembered choice. Where the site was built
 * without the WASI engine, its option is disabled and a note says how to
 * add it.
 */
import type { EngineName } from "../runtime/api.js";
import type { SharePayload } from "../share/index.js";
import { engineChoice, engineChoices, isEngineName } from "../runtime/engines.js";
import { byId, h } from "./dom.js";

const ENGINE_KEY = "fastest-playground:engine";

/** The engine the user chose last (default Pyodide); one this build lacks falls back to Pyodide. */
export function storedEngine(): EngineName {
  let value: string | null = null;
  try {
    value = localStorage.getItem(ENGINE_KEY);
  } catch {
    // storage refused: the default
  }
  return isEngineName(value) && engineChoice(value).available ? value : "pyodide";
}

/** The engine a shared run used, when this build has it; Pyodide otherwise (older links name none). */
export function linkEngine(payload: SharePayload): EngineName {
  const engine = payload.engine ?? "pyodide";
  return engineChoice(engine).available ? engine : "pyodide";
}

function rememberEngine(engine: EngineName): void {
  try {
    localStorage.setItem(ENGINE_KEY, engine);
  } catch {
    // storage refused: the choice lasts for this visit only
  }
}

export class EngineUi {
  private readonly select = byId<HTMLSelectElement>("engine");
  private readonly note = byId("engine-note");
  private current: EngineName;

  /** @param onChange called when the user picks another engine (not when `show` changes it). */
  constructor(
    initial: EngineName,
    private readonly onChange: (engine: EngineName) => void,
  ) {
    this.select.replaceChildren(
      ...engineChoices().map((choice) => h("option", { attrs: { value: choice.name, disabled: !choice.available } }, choice.available ? choice.label : `${choice.label}: not in this build`)),
    );
    const missing = engineChoices().filter((choice) => !choice.available);
    this.note.textContent = missing.map((choice) => choice.reason).join(" ");
    this.note.hidden = missing.length === 0;
    this.current = initial;
    this.select.value = initial;
    this.select.addEventListener("change", () => {
      const picked = this.select.value;
      if (!isEngineName(picked) || picked === this.current) return;
      this.current = picked;
      rememberEngine(picked);
      this.onChange(picked);
    });
  }

  /** The engine in force. */
  get value(): EngineName {
    return this.current;
  }

  /** Show (and use) `engine`, e.g. a share link's, without remembering it as the user's choice. */
  show(engine: EngineName): void {
    this.current = engine;
    this.select.value = engine;
  }
}
