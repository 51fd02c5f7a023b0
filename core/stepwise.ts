/**
 * pytest's stepwise plugin (`--sw`, `--sw-skip`, `--sw-reset`): stop at the
 * first failure and, next time, start from that test. Kept under
 * `cache/stepwise` as `{ last_failed, last_test_count, last_cache_date_str }`.
 */
import type { CollectedItem, PhaseReport } from "./protocol.js";

export interface StepwiseInfo {
  last_failed: string | null;
  last_test_count: number | null;
  last_cache_date_str: string;
}

/** pytest's reason for stopping; printed as `Interrupted: ...`. */
export const stepwiseStopMessage = "Test failed, continuing from this test next run.";

/** Python's `datetime.now().isoformat()` (local time, microseconds). */
export function isoLocal(date: Date): string {
  const pad = (n: number, width = 2) => String(n).padStart(width, "0");
  return (
    `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T` +
    `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}000`
  );
}

/** Python's `str(timedelta(seconds=n))`: `0:00:05`, `1 day, 2:03:04`. */
export function formatAge(seconds: number): string {
  const days = Math.floor(seconds / 86400);
  const rest = seconds - days * 86400;
  const clock = `${Math.floor(rest / 3600)}:${String(Math.floor((rest % 3600) / 60)).padStart(2, "0")}:${String(rest % 60).padStart(2, "0")}`;
  return days > 0 ? `${days} day${days === 1 ? "" : "s"}, ${clock}` : clock;
}

function parseIsoLocal(text: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?/.exec(text);
  if (!m) return null;
  const [, y, mo, d, h, mi, s, frac] = m;
  return new Date(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), Math.floor(Number((frac ?? "0").padEnd(6, "0")) / 1000));
}

/** Read the cached record; a malformed one is discarded with pytest's note. */
export function readStepwise(raw: unknown, now: Date): { info: StepwiseInfo; status: string[] } {
  const empty: StepwiseInfo = { last_failed: null, last_test_count: null, last_cache_date_str: isoLocal(now) };
  if (!raw || typeof raw !== "object") return { info: empty, status: [] };
  const record = raw as Record<string, unknown>;
  for (const key of ["last_failed", "last_test_count", "last_cache_date_str"]) {
    if (!(key in record)) return { info: empty, status: [`error reading cache, discarding (KeyError: '${key}')`] };
  }
  return { info: record as unknown as StepwiseInfo, status: [] };
}

/** Deselect the tests before last time's failure, as pytest's stepwise does. */
export function applyStepwise(
  items: CollectedItem[],
  info: StepwiseInfo,
  options: { reset: boolean; now: Date },
): { items: CollectedItem[]; deselected: CollectedItem[]; status: string[] } {
  const lastCount = info.last_test_count;
  info.last_test_count = items.length;
  const keep = (status: string) => ({ items, deselected: [] as CollectedItem[], status: [status] });
  if (options.reset) {
    info.last_failed = null;
    return keep("resetting state, not skipping.");
  }
  if (!info.last_failed) return keep("no previously failed tests, not skipping.");
  if (lastCount !== null && lastCount !== items.length) {
    info.last_failed = null;
    return keep(`test count changed, not skipping (now ${items.length} tests, previously ${lastCount}).`);
  }
  const index = items.findIndex((item) => item.nodeid === info.last_failed);
  if (index < 0) return keep("previously failed test not found, not skipping.");
  const cachedAt = parseIsoLocal(info.last_cache_date_str);
  const age = cachedAt ? Math.max(0, Math.floor((options.now.getTime() - cachedAt.getTime()) / 1000)) : 0;
  return {
    items: items.slice(index),
    deselected: items.slice(0, index),
    status: [`skipping ${index} already passed items (cache from ${formatAge(age)} ago, use --sw-reset to discard).`],
  };
}

/** The record after a run, from its phase reports in collection order. */
export function updateStepwise(
  info: StepwiseInfo,
  results: ReadonlyArray<{ nodeid: string; reports: readonly PhaseReport[] }>,
  skip: boolean,
  now: Date,
): StepwiseInfo {
  const next = { ...info };
  let skipping = skip;
  for (const { nodeid, reports } of results) {
    for (const report of reports) {
      if (report.outcome === "failed") {
        if (skipping) {
          if (nodeid === next.last_failed) next.last_failed = null;
          skipping = false;
        } else {
          next.last_failed = nodeid;
          return { ...next, last_cache_date_str: isoLocal(now) };
        }
      } else if (report.when === "call" && nodeid === next.last_failed) {
        next.last_failed = null;
      }
    }
  }
  return { ...next, last_cache_date_str: isoLocal(now) };
}
