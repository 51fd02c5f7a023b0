/**
 * Version 1 of the share-link document: the JSON that is compressed into a
 * `#v1.` link. Made on 2026-11-21; links in this format must open for ever,
 * so this file changes only to fix a bug in reading it (the golden link in
 * test/fixtures/share-links/ checks that).
 *
 * ```json
 * {
 *   "files": [["test_app.py", "def test_x(): ..."]],
 *   "pyodide": "314.0.7", "seed": 0, "timeout": 10,
 *   "selectors": ["test_app.py::test_x"],
 *   "results": [["test_app.py::test_x", "failed", 0.012, "longrepr", "message", 1]],
 *   "errors": [["test_bad.py", "longrepr", "message"]],
 *   "summary": "1 failed in 0.03s", "exit": 1
 * }
 * ```
 *
 * Results are arrays, not objects, to keep links short; their trailing
 * longrepr, message and timed-out flag (1) are left out when empty.
 * `selectors`, `results`, `errors` are left out when empty, `summary` and
 * `exit` when the workspace had not been run. Unknown keys are ignored.
 *
 * Added later, optional: `"engine": "wasi"` when the run used the CPython-WASI
 * engine (then `pyodide` holds that engine's build, `cpython-3.11.2-<key>`).
 * Without it the run used Pyodide, as every link made before it did; pages
 * older than the key ignore it and run such a link on Pyodide.
 */
import { damaged, isOutcome, LIMITS, pathProblem, type SharedResult, type SharePayload } from "./payload.js";

type ResultTuple = [string, string, number, string?, string?, 1?];

/** The version 1 document for a (normalized, checked) payload. */
export function writeV1(payload: SharePayload): Record<string, unknown> {
  const doc: Record<string, unknown> = {
    files: payload.files.map((file) => [file.path, file.content]),
    pyodide: payload.pyodideVersion,
    seed: payload.seed,
    timeout: payload.timeout,
  };
  if (payload.engine === "wasi") doc.engine = payload.engine;
  if (payload.selectors.length > 0) doc.selectors = payload.selectors;
  if (payload.results.length > 0) doc.results = payload.results.map(resultTuple);
  if (payload.errors.length > 0) doc.errors = payload.errors.map((error) => [error.nodeid, error.longrepr, error.message]);
  if (payload.exitCode !== null) {
    doc.summary = payload.summaryLine;
    doc.exit = payload.exitCode;
  }
  return doc;
}

function resultTuple(result: SharedResult): ResultTuple {
  const tuple: ResultTuple = [result.nodeid, result.outcome, result.duration, result.longrepr, result.message];
  if (result.timedOut) tuple.push(1);
  // Drop empty trailing fields.
  while (tuple.length > 3 && tuple[tuple.length - 1] === "") tuple.pop();
  return tuple;
}

/** Read a version 1 document. Throws `ShareLinkError` naming the first thing that is wrong. */
export function readV1(doc: unknown): SharePayload {
  const root = record(doc, "the link's data");
  const files = list(root.files, "the file list", LIMITS.files, true).map((entry, i) => {
    const where = `file ${i + 1}`;
    const [path, content] = tuple(entry, where, 2, 2);
    const name = text(path, `the name of ${where}`, LIMITS.path);
    const problem = pathProblem(name);
    if (problem) throw damaged(`the name of ${where} (${JSON.stringify(name)}) is not allowed: ${problem}`);
    return { path: name, content: text(content, `the text of ${name}`, LIMITS.fileContent) };
  });
  const seen = new Set<string>();
  for (const file of files) {
    if (seen.has(file.path)) throw damaged(`the file ${file.path} appears twice`);
    seen.add(file.path);
  }
  const pyodideVersion = text(root.pyodide, "the Pyodide version", LIMITS.version);
  if (!/^[0-9A-Za-z.+-]+$/.test(pyodideVersion)) throw damaged(`the Pyodide version ${JSON.stringify(pyodideVersion)} is not a version number`);
  const engine = root.engine;
  if (engine !== undefined && engine !== "pyodide" && engine !== "wasi") throw damaged(`the engine ${JSON.stringify(String(engine).slice(0, 40))} is not one this page knows (pyodide, wasi)`);
  const seed = root.seed;
  if (typeof seed !== "number" || !Number.isSafeInteger(seed)) throw damaged("the seed is not a whole number");
  const timeout = root.timeout;
  if (typeof timeout !== "number" || !(timeout >= 0 && timeout <= LIMITS.timeout)) throw damaged(`the timeout is not a number of seconds between 0 and ${LIMITS.timeout}`);
  const selectors = list(root.selectors ?? [], "the selected tests", LIMITS.selectors).map((selector, i) => text(selector, `selected test ${i + 1}`, LIMITS.nodeid));
  const results = list(root.results ?? [], "the results", LIMITS.results).map(readResult);
  const errors = list(root.errors ?? [], "the collection errors", LIMITS.errors).map((entry, i) => {
    const where = `collection error ${i + 1}`;
    const [nodeid, longrepr, message] = tuple(entry, where, 3, 3);
    return {
      nodeid: text(nodeid, `the file of ${where}`, LIMITS.nodeid),
      longrepr: text(longrepr, `the text of ${where}`, LIMITS.longrepr),
      message: text(message, `the message of ${where}`, LIMITS.line),
    };
  });
  let exitCode: number | null = null;
  let summaryLine = "";
  if (root.exit !== undefined) {
    if (typeof root.exit !== "number" || !Number.isInteger(root.exit) || root.exit < 0 || root.exit > 255) throw damaged("the exit code is not a number from 0 to 255");
    exitCode = root.exit;
    summaryLine = text(root.summary, "the summary line", LIMITS.line);
  } else if (results.length > 0 || errors.length > 0) {
    throw damaged("it has results but no exit code");
  }
  return { files, pyodideVersion, ...(engine === "wasi" ? { engine } : {}), seed, timeout, selectors, results, errors, summaryLine, exitCode };
}

function readResult(entry: unknown, index: number): SharedResult {
  const where = `test result ${index + 1}`;
  const [nodeid, outcome, duration, longrepr = "", message = "", timedOut] = tuple(entry, where, 3, 6);
  if (!isOutcome(outcome)) throw damaged(`${where} has an unknown outcome ${JSON.stringify(String(outcome).slice(0, 40))}`);
  if (typeof duration !== "number" || !(duration >= 0 && duration < 1e9)) throw damaged(`the duration of ${where} is not a number of seconds`);
  if (timedOut !== undefined && timedOut !== 1) throw damaged(`the timed-out flag of ${where} is not 1`);
  return {
    nodeid: text(nodeid, `the id of ${where}`, LIMITS.nodeid),
    outcome,
    duration,
    longrepr: text(longrepr, `the failure text of ${where}`, LIMITS.longrepr),
    message: text(message, `the message of ${where}`, LIMITS.line),
    timedOut: timedOut === 1,
  };
}

function record(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw damaged(`${what} is not a JSON object`);
  return value as Record<string, unknown>;
}

function list(value: unknown, what: string, max: number, nonEmpty = false): unknown[] {
  if (!Array.isArray(value)) throw damaged(`${what} is not a list`);
  if (value.length > max) throw damaged(`${what} has ${value.length} entries, more than the ${max} a link may hold`);
  if (nonEmpty && value.length === 0) throw damaged(`${what} is empty`);
  return value;
}

function tuple(value: unknown, what: string, min: number, max: number): unknown[] {
  if (!Array.isArray(value) || value.length < min || value.length > max) throw damaged(`${what} is not a list of ${min === max ? min : `${min} to ${max}`} values`);
  return value;
}

function text(value: unknown, what: string, max: number): string {
  if (typeof value !== "string") throw damaged(`${what} is not text`);
  if (value.length > max) throw damaged(`${what} is longer than ${max} characters`);
  return value;
}
