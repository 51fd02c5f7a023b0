/**
 * A live progress bar under the terminal report, for runs that last more
 * than a couple of seconds on a terminal. pytest's own output stays exactly
 * as it is: the bar lives on the line below the cursor, is erased before
 * every write and drawn again after it, and is gone when the run's items
 * are done, so nothing of it is left on the screen or in a scrollback copy.
 *
 * Pure logic: the host injects the sink, the clock and the timer (it calls
 * {@link ProgressBar.tick} a few times a second). Colors change only the
 * escapes around the bar, never its text.
 */
import { itemOutcome } from "../outcome.js";
import type { PhaseReport } from "../protocol.js";
import { displayWidth } from "./terminal-writer.js";

/** What the bar needs from its host. */
export interface ProgressBarOptions {
  /** The terminal: receives the report's text and the bar's escapes. */
  write(text: string): void;
  /** Terminal width in columns. */
  columns: number;
  /** Color the bar (green, red once something failed). */
  color: boolean;
  /** Milliseconds, monotonic. */
  now(): number;
  /** Show the bar only once the run has lasted this long (ms). Default 2,000. */
  delayMs?: number;
}

/** Clear from the cursor to the end of the screen: the rest of the report's line and the bar below it. */
const ERASE = "\x1b[J";
const ANSI = /\x1b\[[0-9;?]*[A-Za-z]/g;

/** `1.2 s`, `45 s`, `3 min 20 s`. */
function seconds(ms: number): string {
  const s = ms / 1000;
  if (s < 10) return `${s.toFixed(1)} s`;
  if (s < 60) return `${Math.round(s)} s`;
  return `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
}

/** The live bar; feed it the run's events and pass the report's output through {@link ProgressBar.output}. */
export class ProgressBar {
  private readonly startedAt: number;
  /** When collection ended: the rate of the items so far (and the time left) counts from there. */
  private collectedAt = 0;
  private total: number | null = null;
  private done = 0;
  private failed = 0;
  private shown = false;
  private stopped = false;
  /** Display width of the report's current (unfinished) line: where the cursor returns to. */
  private column = 0;

  constructor(private readonly options: ProgressBarOptions) {
    this.startedAt = options.now();
  }

  /** Collection is over: `total` items will run. */
  collected(total: number): void {
    this.total = total;
    this.collectedAt = this.options.now();
    this.tick();
  }

  /** One item finished, with these phase reports. */
  itemDone(reports: readonly PhaseReport[]): void {
    this.done += 1;
    const outcome = itemOutcome(reports);
    if (outcome === "failed" || outcome === "error") this.failed += 1;
    if (this.total !== null && this.done >= this.total) this.stop();
  }

  /**
   * Write the report's text: the bar is erased first and drawn again after
   * it. `write` sends the text elsewhere (stderr) when that is the same screen.
   */
  output(text: string, write: (text: string) => void = this.options.write): void {
    const plain = text.replace(ANSI, "");
    const newline = Math.max(plain.lastIndexOf("\n"), plain.lastIndexOf("\r"));
    const tail = newline >= 0 ? plain.slice(newline + 1) : plain;
    const column = (newline >= 0 ? 0 : this.column) + Math.max(0, displayWidth(tail));
    // Text that stays on the current line (progress dots) leaves the bar below alone: no redraw per dot.
    const sameLine = newline < 0 && column < this.options.columns;
    if (this.shown && !sameLine) this.options.write(ERASE);
    write(text);
    this.column = column;
    if (this.shown && !sameLine) this.draw();
  }

  /** Called by the host's timer: shows the bar once the delay has passed, and refreshes it. */
  tick(): void {
    if (this.stopped || this.total === null || this.total === 0) return;
    if (!this.shown && this.options.now() - this.startedAt < (this.options.delayMs ?? 2000)) return;
    if (this.shown) this.options.write(ERASE);
    this.shown = true;
    this.draw();
  }

  /** Remove the bar for good (the run's items are done, or it was interrupted). */
  stop(): void {
    if (this.shown) this.options.write(ERASE);
    this.shown = false;
    this.stopped = true;
  }

  /** The bar's text (no escapes), fitted to `width` columns. */
  render(width = this.options.columns - 1): string {
    const total = this.total ?? 0;
    const elapsed = this.options.now() - this.startedAt;
    const parts = [`${this.done}/${total} tests`];
    if (this.failed > 0) parts.push(`${this.failed} failed`);
    parts.push(seconds(elapsed));
    const running = this.options.now() - this.collectedAt;
    if (this.done > 0 && this.done < total) parts.push(`~${seconds((running / this.done) * (total - this.done))} left`);
    const label = ` ${parts.join(" · ")}`;
    const barWidth = Math.min(30, width - label.length - 2);
    if (barWidth < 5) return label.trim().slice(0, Math.max(0, width));
    const filled = total === 0 ? 0 : Math.floor((this.done / total) * barWidth);
    return `[${"█".repeat(filled)}${"░".repeat(barWidth - filled)}]${label}`;
  }

  private draw(): void {
    const text = this.render();
    const colored = this.options.color ? `\x1b[${this.failed > 0 ? 31 : 32}m${text}\x1b[0m` : text;
    const column = this.column % Math.max(1, this.options.columns);
    // Down to a new line for the bar, then back up to where the report's text ends.
    this.options.write(`\n${colored}\x1b[1A\r${column > 0 ? `\x1b[${column}C` : ""}`);
  }
}
