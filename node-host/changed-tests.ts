import type { CacheStore } from "../core/cache.js";
import { changedSince, loadImportMap, selectChanged, type ImportMap } from "./changed.js";
import { changedFunctions, type ChangedFunctions } from "./changed-diff.js";
import { FileVersions, loadTestMap, type RecordedFunctions, type TestMap } from "./changed-map.js";
import { ImportGraph } from "./watch-graph.js";
import { fileOfNodeid } from "../core/node-selectors.js";

/**
 * `--changed` down to single tests. A changed project module whose every
 * change lies inside function bodies (`changedFunctions`) affects only the
 * tests that ran one of those functions: during the test (its fixtures of
 * wider scope included), while its file was collected, while a module its
 * file imports (or a conftest above it) was imported, or outside all of
 * these (collection hooks). Everything else keeps the whole-file rules of
 * `selectChanged`. A test with no record, or whose record was made on code
 * that is neither the ref's nor the working tree's (stale), runs.
 */

/** What `--changed` runs. */
export interface ChangedTests {
  /** The test files to collect (rootdir-relative), or null for all of them. */
  files: string[] | null;
  /** What the header says about it. */
  line: string;
  /** Files of which only some tests run, and which: null when whole files run. */
  narrowed: { files: Set<string>; keep(nodeid: string): boolean } | null;
}

/** Everything the choice is made from. */
export interface ChangedInput {
  testFiles: string[];
  changed: string[];
  functions: ChangedFunctions;
  imports: ImportMap | null;
  map: TestMap | null;
  /** Is a file recorded as this blob the same as at the ref or as now? */
  current(file: string, blob: string | undefined): boolean;
  ref: string;
}

/** Ask git what changed since `ref` and choose the tests to run among `testFiles` (rootdir-relative). */
export async function changedTests(rootdir: string, ref: string, testFiles: string[], store: CacheStore): Promise<ChangedTests> {
  const changed = changedSince(rootdir, ref);
  const [imports, map] = [await loadImportMap(store), await loadTestMap(store)];
  const functions = imports && map ? await changedFunctions(rootdir, ref, changed) : new Map();
  const versions = map ? new FileVersions(rootdir, ref) : null;
  return selectChangedTests({
    testFiles, changed, functions, imports, map, ref,
    current: (file, blob) => versions?.current(file, blob) ?? false,
  });
}

const count = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

export function selectChangedTests(input: ChangedInput): ChangedTests {
  const { testFiles, changed, imports, map, ref } = input;
  const tests = new Set(testFiles);
  // Test files and conftests are judged whole; so are modules changed outside functions.
  const inFunctions = new Map<string, Set<string>>();
  for (const [file, names] of input.functions) {
    if (names && !tests.has(file) && file.split("/").at(-1) !== "conftest.py") inFunctions.set(file, names);
  }
  const plain = selectChanged(testFiles, changed, imports, ref);
  if (!imports || plain.files === null) return { ...plain, narrowed: null };
  if (!map) return { ...plain, line: inFunctions.size > 0 ? `${plain.line} (no per-test map in .fastest_cache yet: whole files run)` : plain.line, narrowed: null };
  // Modules changed as a whole: besides the files importing them, the files whose tests ran
  // their code (imported inside a test or a fixture, where the import map does not look).
  const wholeModules = new Set(changed.filter((file) => file.endsWith(".py") && !tests.has(file) && !inFunctions.has(file)));
  const ranWholeModule = new Set<string>();
  const entries: Array<[string, RecordedFunctions]> = [
    ...Object.entries(map.tests).map(([nodeid, entry]) => [fileOfNodeid(nodeid), entry] as [string, RecordedFunctions]),
    ...Object.entries(map.files),
  ];
  for (const [file, entry] of entries) {
    if (tests.has(file) && Object.keys(entry.functions).some((ran) => wholeModules.has(ran))) ranWholeModule.add(file);
  }
  const whole = new Set([...selectChanged(testFiles, changed.filter((file) => !inFunctions.has(file)), imports, ref).files!, ...ranWholeModule]);
  if (inFunctions.size === 0) {
    const files = testFiles.filter((file) => whole.has(file));
    if (files.length === plain.files.length) return { ...plain, narrowed: null };
    const more = files.length - plain.files.length;
    const line = `${plain.line.replace(/running \d+ of/, `running ${files.length} of`)} (${more} of them because their tests ran code of a changed module)`;
    return { files, line, narrowed: null };
  }
  const graph = new ImportGraph();
  graph.update(imports.imports);
  const reaching = graph.dependents(inFunctions.keys());

  /** Does a recorded entry (of `own`: the test file collected, the module imported) say its tests may be affected? */
  const hits = (entry: RecordedFunctions | undefined | null, own?: string): boolean => {
    if (!entry) return true;
    const run = map.runs[entry.run];
    if (!run) return true;
    // A test file or module that was other code when recorded may now collect other tests or run other code.
    if (own !== undefined && !input.current(own, run.blobs[own])) return true;
    if (run.unwatched.some((file) => inFunctions.has(file))) return true;
    for (const [file, names] of Object.entries(entry.functions)) {
      // Recorded on other code than the ref's or today's: it may not say what runs now.
      if (!input.current(file, run.blobs[file])) return true;
      const changedHere = inFunctions.get(file);
      if (changedHere && names.some((name) => changedHere.has(name))) return true;
    }
    return false;
  };
  const imported = (file: string): Set<string> => {
    const seen = new Set<string>();
    const queue = [file];
    while (queue.length > 0) {
      const next = queue.pop()!;
      if (seen.has(next)) continue;
      seen.add(next);
      queue.push(...(imports.imports[next] ?? []));
    }
    return seen;
  };
  // `tests/sub/test_x.py`: conftest.py, tests/conftest.py, tests/sub/conftest.py.
  const conftestsAbove = (file: string): string[] => {
    const parts = file.split("/");
    return parts.map((_, i) => [...parts.slice(0, i), "conftest.py"].join("/"));
  };

  const selected: string[] = [];
  const narrowedFiles = new Set<string>();
  for (const file of testFiles) {
    if (whole.has(file)) {
      selected.push(file);
      continue;
    }
    const collected = map.files[file];
    // Never collected with recording on: the import map alone decides.
    if (!collected) {
      if (reaching.has(file)) selected.push(file);
      continue;
    }
    const modules = new Set<string>();
    for (const start of [file, ...conftestsAbove(file).filter((conftest) => conftest in imports.imports)]) {
      for (const module of imported(start)) modules.add(module);
    }
    // What collecting the file ran, what importing its modules and conftests ran (whichever
    // file imported them first), and the session's hooks: all its tests depend on it.
    // A module with no record of its import counts as unknown, so as hit.
    const fileLevel = hits(collected, file) || hits(map.session) || [...modules].some((module) => hits(map.modules[module], module));
    if (fileLevel) {
      selected.push(file);
      continue;
    }
    const items = collected.items;
    if (items && items.every((nodeid) => !hits(map.tests[nodeid]))) continue;
    selected.push(file);
    narrowedFiles.add(file);
  }
  const functionFiles = inFunctions.size;
  const line = `changed since ${ref}: ${count(changed.length, "file")} (${functionFiles} only inside functions); running ${selected.length} of ${count(testFiles.length, "test file")}`
    + (narrowedFiles.size > 0 ? `, in ${narrowedFiles.size} of them only the tests that ran a changed function` : "");
  return {
    files: selected,
    line,
    narrowed: narrowedFiles.size > 0 ? { files: narrowedFiles, keep: (nodeid) => hits(map.tests[nodeid]) } : null,
  };
}
