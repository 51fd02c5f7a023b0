/**
 * `--durations=N` and `--durations-min=S`: pytest's `slowest N durations`
 * section, built from the phase reports of the run.
 */
import type { PhaseReport } from "../protocol.js";

/** A titled block of lines printed among the end-of-run summary sections. */
export interface SummarySection {
  title: string;
  lines: string[];
}

export interface DurationsOptions {
  /** How many to list; 0 lists all. */
  count: number;
  /** `--durations-min` in seconds, or null when not given (0.005 s, or 0 with `-vv`). */
  min: number | null;
  verbosity: number;
}

/** The durations section, or null when there is no phase report to list. */
export function durationsSection(
  results: ReadonlyArray<{ nodeid: string; reports: readonly PhaseReport[] }>,
  options: DurationsOptions,
): SummarySection | null {
  let entries = results.flatMap(({ nodeid, reports }) => reports.map((report) => ({ nodeid, when: report.when, duration: report.duration })));
  if (entries.length === 0) return null;
  const min = options.min ?? (options.verbosity < 2 ? 0.005 : 0);
  // A stable sort keeps equal durations in run order, as pytest's does.
  entries = entries.map((entry, i) => ({ entry, i })).sort((a, b) => b.entry.duration - a.entry.duration || a.i - b.i).map(({ entry }) => entry);
  if (options.count > 0) entries = entries.slice(0, options.count);
  const lines: string[] = [];
  for (const [i, entry] of entries.entries()) {
    if (entry.duration < min) {
      let message = `(${entries.length - i} durations < ${formatG(min)}s hidden.`;
      if (options.min === null) message += "  Use -vv to show these durations.";
      lines.push("", `${message})`);
      break;
    }
    lines.push(`${entry.duration.toFixed(2)}s ${entry.when.padEnd(8)} ${entry.nodeid}`);
  }
  return { title: options.count > 0 ? `slowest ${options.count} durations` : "slowest durations", lines };
}

/** Python's `format(x, "g")` for the small positive numbers used here. */
function formatG(value: number): string {
  if (value === 0) return "0";
  const exponent = Math.floor(Math.log10(Math.abs(value)));
  if (exponent < -4 || exponent >= 6) {
    const [mantissa, exp] = value.toExponential(5).split("e");
    const trimmed = mantissa!.replace(/\.?0+$/, "");
    const power = Number(exp);
    return `${trimmed}e${power < 0 ? "-" : "+"}${String(Math.abs(power)).padStart(2, "0")}`;
  }
  return String(Number(value.toPrecision(6)));
}
