/**
 * A page's workspace as the session sees a project: files under one
 * rootdir in the sandbox, the test files a run collects, and the node ids
 * it narrows collection to, decided as `fastest` (and pytest) decide them
 * from a command line.
 */
import { globToRegExp, isSkippedDirName } from "../../core/globs.js";
import type { ProjectFile } from "../../core/protocol.js";
import type { PlannedFile } from "../../core/schedule.js";
import type { WorkspaceFile } from "./api.js";

/** Where the workspace lives inside the sandbox; node ids are relative to it. */
export const projectRoot = "/project";

/** pytest's default `python_files`. */
export const defaultPythonFiles = ["test_*.py", "*_test.py"];

/** Text files run as doctests when no `--doctest-glob` is given (pytest's default). */
const doctestTextFiles = ["test*.txt"];

/** A selector that names nothing in the workspace, as pytest's "file or directory not found". */
export class SelectorError extends Error {}

export interface WorkspacePlan {
  files: ProjectFile[];
  /** Test files to collect, in pytest's order. */
  testFiles: PlannedFile[];
  /** Node ids (or file paths, when mixed with node ids) collection is narrowed to; empty: everything. */
  selectors: string[];
  /** Paths named by the selectors (absolute): collected whatever their name, as pytest does. */
  initialPaths: string[];
}

/** Clean a workspace path: forward slashes, no leading `./` or `/`, no `..`. */
export function normalizePath(path: string): string {
  const parts: string[] = [];
  for (const part of path.replace(/\\/g, "/").split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") throw new SelectorError(`a path may not leave the project: ${path}`);
    parts.push(part);
  }
  return parts.join("/");
}

/** Folder by folder, names in code-point order: the order pytest walks a directory tree in. */
function compareTreeOrder(a: string, b: string): number {
  const left = a.split("/");
  const right = b.split("/");
  for (let i = 0; i < Math.min(left.length, right.length); i++) {
    if (left[i] !== right[i]) return left[i]! < right[i]! ? -1 : 1;
  }
  return left.length - right.length;
}

/**
 * Decide what a run collects. Without selectors: every file matching
 * `pythonFiles` (and `test*.txt` doctest files). A selector is a file path,
 * a folder, or a node id (`test_app.py::TestX::test_y[1]`), relative to the
 * workspace root.
 */
export function planWorkspace(workspace: WorkspaceFile[], selectorArgs: string[] = [], pythonFiles = defaultPythonFiles): WorkspacePlan {
  const encoder = new TextEncoder();
  const paths = new Map<string, string>();
  for (const file of workspace) paths.set(normalizePath(file.path), file.content);
  const sorted = [...paths.keys()].sort(compareTreeOrder);
  const matchers = pythonFiles.map(globToRegExp);
  const textMatchers = doctestTextFiles.map(globToRegExp);
  // Below `base` (a folder the selector named, "" for the root), folders pytest skips are not searched.
  const inSkippedDir = (path: string, base: string) =>
    path.slice(base ? base.length + 1 : 0).split("/").slice(0, -1).some(isSkippedDirName);
  const isTestFile = (path: string) => {
    const name = path.slice(path.lastIndexOf("/") + 1);
    return name.endsWith(".py") ? matchers.some((m) => m.test(name)) : textMatchers.some((m) => m.test(name));
  };

  const chosen: string[] = [];
  const selectors: string[] = [];
  const initialPaths: string[] = [];
  let wholeFiles = false;
  const add = (path: string) => {
    if (!chosen.includes(path)) chosen.push(path);
  };
  for (const arg of selectorArgs) {
    const [rawFile, ...rest] = arg.split("::");
    const target = normalizePath(rawFile!.startsWith(`${projectRoot}/`) ? rawFile!.slice(projectRoot.length + 1) : rawFile!);
    if (paths.has(target)) add(target);
    else {
      const inFolder = sorted.filter((path) => (target === "" || path.startsWith(`${target}/`)) && isTestFile(path) && !inSkippedDir(path, target));
      if (inFolder.length === 0 && !sorted.some((path) => target === "" || path.startsWith(`${target}/`))) {
        throw new SelectorError(`file or directory not found: ${rawFile}`);
      }
      inFolder.forEach(add);
    }
    initialPaths.push(target ? `${projectRoot}/${target}` : projectRoot);
    if (rest.length > 0) selectors.push([target, ...rest].join("::"));
    else wholeFiles = true;
  }
  // An argument without `::` selects everything under it, beside node ids of other files.
  if (wholeFiles && selectors.length > 0) {
    for (const arg of selectorArgs) if (!arg.includes("::")) selectors.push(normalizePath(arg));
  }
  if (selectorArgs.length === 0) {
    sorted.filter((path) => isTestFile(path) && !inSkippedDir(path, "")).forEach(add);
    initialPaths.push(projectRoot);
  }

  return {
    files: sorted.map((path) => ({ path: `${projectRoot}/${path}`, data: encoder.encode(paths.get(path)!) })),
    // Weights only order files across workers; the page runs on one.
    testFiles: chosen.map((path) => ({ path: `${projectRoot}/${path}`, weight: paths.get(path)?.length ?? 1 })),
    selectors,
    initialPaths,
  };
}
