/**
 * Run settings: the seed `random` is reset to before each test, and how long
 * one test may run. A share link brings its own; invalid input is refused
 * with a message next to the field and the last good value stays in force.
 */
import { byId } from "./dom.js";
import { LIMITS } from "../share/index.js";

export interface RunSettings {
  seed: number;
  /** Seconds; 0: no limit. */
  timeout: number;
}

export class SettingsUi {
  private readonly seedField = byId<HTMLInputElement>("seed");
  private readonly timeoutField = byId<HTMLInputElement>("timeout");
  private readonly error = byId("settings-error");
  private current: RunSettings;

  constructor(initial: RunSettings) {
    this.current = { ...initial };
    this.show(initial);
    this.seedField.addEventListener("change", () => this.read());
    this.timeoutField.addEventListener("change", () => this.read());
  }

  /** The settings in force. */
  get value(): RunSettings {
    this.read();
    return { ...this.current };
  }

  /** Show (and use) these settings, e.g. a share link's. */
  show(settings: RunSettings): void {
    this.current = { ...settings };
    this.seedField.value = String(settings.seed);
    this.timeoutField.value = String(settings.timeout);
    this.setError(null);
  }

  private read(): void {
    const seed = Number(this.seedField.value);
    const timeout = Number(this.timeoutField.value);
    // Python's random.seed takes any int; a share link holds one JavaScript represents exactly.
    if (this.seedField.value.trim() === "" || !Number.isSafeInteger(seed)) {
      this.setError(`The seed must be a whole number, such as 0 or 1234; runs use ${this.current.seed}.`, this.seedField);
      return;
    }
    if (this.timeoutField.value.trim() === "" || !Number.isFinite(timeout) || timeout < 0 || timeout > LIMITS.timeout) {
      this.setError(`The timeout must be a number of seconds from 0 (no limit) to ${LIMITS.timeout}; runs use ${this.current.timeout}.`, this.timeoutField);
      return;
    }
    this.current = { seed, timeout };
    this.setError(null);
  }

  private setError(message: string | null, field?: HTMLInputElement): void {
    this.error.textContent = message ?? "";
    this.error.hidden = !message;
    this.seedField.setAttribute("aria-invalid", String(field === this.seedField));
    this.timeoutField.setAttribute("aria-invalid", String(field === this.timeoutField));
  }
}
