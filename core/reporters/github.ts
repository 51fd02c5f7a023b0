/**
 * GitHub Actions annotations: one `::error file=...,line=...,title=...::message`
 * workflow command per failed test, error and collection error, which the
 * Actions runner turns into a red note on that line of the pull request's
 * diff. Values are escaped as `@actions/core` escapes them, so a message
 * cannot end the command or start another one.
 */
import type { CollectError, PhaseReport } from "../protocol.js";
import type { ItemEndEvent } from "./terminal.js";

/** How annotations name files and how much of a failure they carry. */
export interface GithubAnnotationOptions {
  /** A rootdir-relative path (as in node ids) as the path from the repository root. */
  file(rootRelative: string): string;
  /** Longest message, in characters, before it is cut (default 4,000: the runner truncates long ones anyway). */
  maxMessage?: number;
}

/** A workflow command's message: `%`, CR and LF are percent-encoded. */
export function escapeData(text: string): string {
  return text.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

/** A workflow command's property value: as {@link escapeData}, and `:` and `,` too. */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

/** One `::error` line. */
export function errorCommand(properties: { file: string; line: number; title: string }, message: string): string {
  const props = `file=${escapeProperty(properties.file)},line=${properties.line},title=${escapeProperty(properties.title)}`;
  return `::error ${props}::${escapeData(message)}`;
}

/** Is `shown` (a path as a traceback prints it, relative to where the run started) the file `rootRelative`? */
function sameFile(shown: string, rootRelative: string): boolean {
  const a = shown.replace(/\\/g, "/").replace(/^\.\//, "");
  return a === rootRelative || a.endsWith(`/${rootRelative}`) || rootRelative.endsWith(`/${a}`);
}

/**
 * The line in `file` where the failure happened, from the traceback text:
 * the last `path:line:` entry (long and short styles) or `File "path", line N`
 * (native style) that is in that file; null when none is.
 */
export function failureLine(longrepr: string, file: string): number | null {
  let found: number | null = null;
  for (const text of longrepr.split("\n")) {
    const entry = /^(\S.*?):(\d+): /.exec(text) ?? /^ {2}File "(.+)", line (\d+)/.exec(text);
    if (entry && sameFile(entry[1]!, file)) found = Number(entry[2]);
  }
  return found;
}

function cut(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}\n[... cut: ${text.length - max} more characters; see the job's log]`;
}

/** The title pytest's failure sections use: `test_x` for a call, `ERROR at setup of test_x` otherwise. */
function title(nodeid: string, report: PhaseReport): string {
  if (report.when === "call") return `FAILED ${nodeid}${report.subtest ?? ""}`;
  return `ERROR at ${report.when} of ${nodeid}`;
}

/** The annotations of a finished run, in report order. */
export function githubAnnotations(
  results: readonly ItemEndEvent[],
  errors: readonly CollectError[],
  options: GithubAnnotationOptions,
): string[] {
  const max = options.maxMessage ?? 4000;
  const lines: string[] = [];
  for (const error of errors) {
    const file = error.nodeid.split("::")[0] ?? error.nodeid;
    lines.push(errorCommand({ file: options.file(file), line: failureLine(error.longrepr, file) ?? 1, title: `ERROR collecting ${error.nodeid}` }, cut(error.longrepr, max)));
  }
  for (const event of results) {
    const [file, definitionLine] = event.location;
    for (const report of event.reports) {
      if (report.outcome !== "failed") continue;
      const longrepr = report.longrepr ?? report.message ?? "";
      // The test's own frame when the traceback shows it, else where the test is defined.
      const line = failureLine(longrepr, file) ?? (definitionLine === null ? 1 : definitionLine + 1);
      // The one-line crash message first: GitHub previews an annotation's first lines.
      const trace = longrepr.replace(/^\n+/, "").trimEnd();
      const message = report.message && report.message !== trace ? `${report.message}\n\n${trace}` : trace;
      lines.push(errorCommand({ file: options.file(file), line, title: title(event.nodeid, report) }, cut(message, max)));
    }
  }
  return lines;
}
