/**
 * What a share link holds: the workspace, the settings that make a run
 * repeatable (Pyodide version, seed, timeout, selection) and the last run's
 * results, so the page can show the failure before Python has booted.
 *
 * Everything in a payload that came from a link is untrusted text. Show it
 * with `textContent` (or `escapeHtml` where HTML is built), never `innerHTML`.
 */
import type { CollectError, EngineName, ItemOutcome, RunOptions, RunSummary } from "../runtime/api.js";

/** One test of the shared run: what the page shows before it re-runs. */
export interface SharedResult {
  nodeid: string;
  outcome: ItemOutcome;
  /** Seconds, rounded to milliseconds. */
  duration: number;
  /** pytest-style failure text, cut in the middle when long (see `LIMITS.longrepr`); "" when the test did not fail. */
  longrepr: string;
  /** One-line reason, as in pytest's short summary; "" when none. */
  message: string;
  /** The test was stopped because it ran past the timeout. */
  timedOut: boolean;
}

/** The current payload. Links of older format versions are read into this shape too. */
export interface SharePayload {
  /** The workspace: relative paths (`test_app.py`, `pkg/util.py`) and their text, in tab order. */
  files: Array<{ path: string; content: string }>;
  /** The version of the engine the shared run used: Pyodide's, e.g. `314.0.7`, or the WASI build's (`cpython-3.11.2-<build key>`). */
  pyodideVersion: string;
  /** The engine the shared run used; absent: Pyodide (links made before there were two engines). */
  engine?: EngineName;
  /** Seed for `random`, as in `RunOptions.seed`. */
  seed: number;
  /** Seconds one test could run, as in `RunOptions.timeout` (0: no limit). */
  timeout: number;
  /** Node ids or files the run was limited to (one test run on its own); empty: every test. */
  selectors: string[];
  /** The last run's tests in collection order; empty when the workspace was shared before it ran. */
  results: SharedResult[];
  /** Files that could not be collected in the last run (longrepr cut like the tests'). */
  errors: CollectError[];
  /** pytest's last line of the shared run, e.g. `1 failed, 2 passed in 0.12s`; "" when it has not run. */
  summaryLine: string;
  /** pytest's exit code of the shared run; null when the workspace was shared before it ran. */
  exitCode: number | null;
}

/**
 * Size limits of a payload. The encoder cuts long failure texts to fit and
 * refuses anything else over a limit; the decoder refuses any link over one.
 */
export const LIMITS = {
  /** Characters of the link's fragment (after `#`): about 1.1 MB of compressed data. */
  fragment: 1_500_000,
  /** Bytes the compressed data may unpack to. Decompression stops here, so a "deflate bomb" costs nothing. */
  decoded: 4 * 1024 * 1024,
  files: 200,
  /** Characters of a file path (as the playground allows). */
  path: 200,
  /** Folders deep a file may sit. */
  pathDepth: 16,
  /** Characters of one file. */
  fileContent: 1024 * 1024,
  results: 10_000,
  errors: 200,
  selectors: 50,
  /** Characters of a node id or a selector. */
  nodeid: 2000,
  /** Characters of one failure text; longer ones keep their start and end. */
  longrepr: 6000,
  /** Characters of a one-line message or the summary line. */
  line: 500,
  /** Characters of the Pyodide version. */
  version: 40,
  /** Largest per-test timeout, in seconds (a day). */
  timeout: 86_400,
} as const;

/** What kind of problem a `ShareLinkError` is about, for pages that react differently. */
export type ShareLinkProblem =
  /** The link cannot be read: cut off, altered, not a share link. */
  | "damaged"
  /** The link was made by a newer version of the page. */
  | "newer-version"
  /** The link, or the workspace being shared, is over a size limit. */
  | "too-large"
  /** The workspace holds something a link may not (a file name, a too-long test id). */
  | "unshareable";

/** A share link could not be read, or a workspace could not be turned into one. `message` is written for the person who opened or made the link. */
export class ShareLinkError extends Error {
  override readonly name = "ShareLinkError";
  constructor(
    message: string,
    readonly problem: ShareLinkProblem = "damaged",
    /** What exactly is wrong, without the sentence around it (`the seed is not a whole number`). */
    readonly detail = message,
  ) {
    super(message);
  }
}

/** The error for a link that cannot be read because of `detail`. */
export function damaged(detail: string): ShareLinkError {
  return new ShareLinkError(`This share link is damaged or incomplete: ${detail}. Ask whoever sent it for a new link, or check that it was copied whole.`, "damaged", detail);
}

const OUTCOMES: readonly ItemOutcome[] = ["passed", "failed", "skipped", "xfailed", "xpassed", "error"];

/** The test outcomes a payload may hold. */
export function isOutcome(value: unknown): value is ItemOutcome {
  return typeof value === "string" && (OUTCOMES as readonly string[]).includes(value);
}

/**
 * Why `path` cannot be a shared file path, or null when it can: relative,
 * `/`-separated, no `.`/`..`/empty parts, letters, digits, `_`, `-`, `.` only
 * (the playground's own rule), at most `LIMITS.path` characters.
 */
export function pathProblem(path: string): string | null {
  if (path.length === 0) return "it is empty";
  if (path.length > LIMITS.path) return `it is longer than ${LIMITS.path} characters`;
  if (path.startsWith("/") || /^[A-Za-z]:/.test(path)) return "it is an absolute path";
  const parts = path.split("/");
  if (parts.includes("..")) return "it contains '..'";
  if (parts.length > LIMITS.pathDepth) return `it is more than ${LIMITS.pathDepth} folders deep`;
  if (parts.some((part) => part === "" || part === ".")) return "it has an empty or '.' part";
  if (!parts.every((part) => /^[A-Za-z0-9_.-]+$/.test(part))) return "it has characters other than letters, digits, '_', '-', '.' and '/'";
  return null;
}

/** Cut `text` to at most `limit` characters, keeping its start and (the larger part) its end, where a traceback's error lines are. */
export function trimMiddle(text: string, limit: number): string {
  if (text.length <= limit) return text;
  const note = (cut: number) => `\n[... ${cut} characters cut to keep the share link short ...]\n`;
  const room = limit - note(text.length).length;
  let head = Math.floor(room / 3);
  let tail = text.length - (room - head);
  // Never split a surrogate pair: the halves would become U+FFFD in the link.
  if (isHighSurrogate(text.charCodeAt(head - 1))) head -= 1;
  if (isLowSurrogate(text.charCodeAt(tail))) tail += 1;
  return text.slice(0, head) + note(tail - head) + text.slice(tail);
}

/** Cut a one-line text to `limit` characters, ending it with `...`. */
export function trimLine(text: string, limit: number): string {
  if (text.length <= limit) return text;
  let end = limit - 3;
  if (isHighSurrogate(text.charCodeAt(end - 1))) end -= 1;
  return text.slice(0, end) + "...";
}

/** `text` with lone surrogate halves replaced by U+FFFD, as UTF-8 encoding would do. */
export function wellFormed(text: string): string {
  // With the u flag a surrogate class matches only unpaired halves.
  return text.replace(/[\uD800-\uDFFF]/gu, "\uFFFD");
}

const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;
const isLowSurrogate = (code: number) => code >= 0xdc00 && code <= 0xdfff;

/**
 * The payload in its canonical form, as a link made from it opens again:
 * durations rounded to milliseconds, failure texts and lines cut to the
 * limits, strings well-formed Unicode. Does not check paths or counts;
 * `encodeShareLink` does.
 */
export function normalizePayload(payload: SharePayload): SharePayload {
  const text = wellFormed;
  return {
    files: payload.files.map((file) => ({ path: text(file.path), content: text(file.content) })),
    pyodideVersion: payload.pyodideVersion,
    ...(payload.engine === "wasi" ? { engine: payload.engine } : {}),
    seed: payload.seed,
    timeout: payload.timeout,
    selectors: payload.selectors.map(text),
    results: payload.results.map((result) => ({
      nodeid: text(result.nodeid),
      outcome: result.outcome,
      duration: Math.round(Math.max(0, result.duration) * 1000) / 1000,
      longrepr: trimMiddle(text(result.longrepr), LIMITS.longrepr),
      message: trimLine(text(result.message), LIMITS.line),
      timedOut: result.timedOut,
    })),
    errors: payload.errors.map((error) => ({
      nodeid: text(error.nodeid),
      longrepr: trimMiddle(text(error.longrepr), LIMITS.longrepr),
      message: trimLine(text(error.message), LIMITS.line),
    })),
    summaryLine: trimLine(text(payload.summaryLine), LIMITS.line),
    exitCode: payload.exitCode,
  };
}

/**
 * The payload for sharing a workspace, with the run that just ended (or
 * null before any run). `options` are the ones the run was started with;
 * `pyodideVersion` and `engine` come from the runner's `BootInfo`.
 */
export function sharePayloadFromRun(options: RunOptions, pyodideVersion: string, summary: RunSummary | null, engine: EngineName = "pyodide"): SharePayload {
  return normalizePayload({
    files: options.files.map((file) => ({ path: file.path, content: file.content })),
    pyodideVersion,
    engine,
    seed: options.seed ?? 0,
    timeout: options.timeout ?? 10,
    selectors: [...(options.selectors ?? [])],
    results: (summary?.results ?? []).map((result) => ({
      nodeid: result.nodeid,
      outcome: result.outcome,
      duration: result.duration,
      longrepr: result.longrepr,
      message: result.message,
      timedOut: result.timedOut,
    })),
    errors: (summary?.errors ?? []).map((error) => ({ nodeid: error.nodeid, longrepr: error.longrepr, message: error.message })),
    summaryLine: summary?.summaryLine ?? "",
    exitCode: summary ? summary.exitCode : null,
  });
}
