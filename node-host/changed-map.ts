import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import type { CacheStore } from "../core/cache.js";
import type { ExecutionRecord, FunctionsRan, ProjectFile } from "../core/protocol.js";

/**
 * The per-test map `--changed` narrows with: which project functions each
 * test ran, each test file's collection ran, and each project module's
 * import ran, as the harness recorded them (`ExecutionRecord`). Every entry
 * names the run that recorded it; each run keeps the git blob ids of the
 * files its entries name, as they were when it ran, so a later `--changed`
 * can tell an entry recorded on other code (stale) from one it can trust.
 */

/** Where the map lives in `.fastest_cache/v/`. */
export const TEST_MAP_KEY = "fastest/testmap";

/** One bucket as stored: the run that recorded it and what it ran. */
export interface RecordedFunctions {
  run: string;
  functions: FunctionsRan;
}

/** A test file's collection, with the node ids it collected when the run saw them all. */
export interface RecordedFile extends RecordedFunctions {
  items?: string[];
}

/** What a recording run knew about the files its entries name. */
export interface RecordingRun {
  /** Git blob ids of those files, and of the test files and modules it recorded, as the workers got them. */
  blobs: Record<string, string>;
  /** Project modules whose functions were not watched in that run. */
  unwatched: string[];
}

export interface TestMap {
  version: 1;
  runs: Record<string, RecordingRun>;
  tests: Record<string, RecordedFunctions>;
  files: Record<string, RecordedFile>;
  modules: Record<string, RecordedFunctions>;
  /** What ran outside tests, collections and imports in the latest run: counts for every test. */
  session: RecordedFunctions | null;
}

/** Read the stored map; null when there is none (or it is not one). */
export async function loadTestMap(store: CacheStore): Promise<TestMap | null> {
  const value = (await store.get(TEST_MAP_KEY)) as TestMap | undefined;
  if (!value || typeof value !== "object" || value.version !== 1 || typeof value.tests !== "object" || typeof value.runs !== "object") return null;
  return value;
}

/** What a run recorded, with what it needs to store it. */
export interface Recording {
  records: ExecutionRecord[];
  /** The project files the workers got (absolute paths), to stamp the entries with. */
  projectFiles: ProjectFile[];
  rootdir: string;
  /** Each collected test file's node ids, when the run collected every item of those files. */
  items?: Record<string, string[]>;
}

/** Store what this run recorded over the earlier map: entries recorded now replace their old ones. */
export async function saveTestMap(store: CacheStore, recording: Recording): Promise<void> {
  const earlier = await loadTestMap(store);
  const run = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
  const map: TestMap = earlier ?? { version: 1, runs: {}, tests: {}, files: {}, modules: {}, session: null };
  // Several workers may record the same bucket (a module each imported, a file both collected): their union.
  const merged = { tests: new Map<string, FunctionsRan>(), files: new Map<string, FunctionsRan>(), modules: new Map<string, FunctionsRan>() };
  let session: FunctionsRan = {};
  const unwatched = new Set<string>();
  for (const record of recording.records) {
    for (const kind of ["tests", "files", "modules"] as const) {
      for (const [key, functions] of Object.entries(record[kind])) merged[kind].set(key, union(merged[kind].get(key), functions));
    }
    session = union(session, record.session);
    for (const file of record.unwatched) unwatched.add(file);
  }
  const named = new Set<string>();
  const note = (functions: FunctionsRan) => Object.keys(functions).forEach((file) => named.add(file));
  for (const kind of ["tests", "files", "modules"] as const) {
    for (const [key, functions] of merged[kind]) {
      note(functions);
      map[kind][key] = { run, functions };
    }
  }
  // A collected file's and an imported module's own text matter too (its tests, its module-level code).
  for (const file of [...merged.files.keys(), ...merged.modules.keys()]) named.add(file);
  for (const [file, items] of Object.entries(recording.items ?? {})) {
    if (map.files[file]?.run === run) map.files[file]!.items = items;
  }
  note(session);
  map.session = { run, functions: session };
  const blobs: Record<string, string> = {};
  const prefix = recording.rootdir.endsWith("/") ? recording.rootdir : `${recording.rootdir}/`;
  for (const file of recording.projectFiles) {
    const relative = file.path.startsWith(prefix) ? file.path.slice(prefix.length) : null;
    if (relative !== null && named.has(relative)) blobs[relative] = blobId(file.data);
  }
  map.runs[run] = { blobs, unwatched: [...unwatched].sort() };
  // Runs no entry names any more are dropped.
  const used = new Set([...Object.values(map.tests), ...Object.values(map.files), ...Object.values(map.modules), map.session].map((entry) => entry.run));
  for (const id of Object.keys(map.runs)) if (!used.has(id)) delete map.runs[id];
  await store.set(TEST_MAP_KEY, map);
}

function union(a: FunctionsRan | undefined, b: FunctionsRan): FunctionsRan {
  if (!a) return b;
  const out: FunctionsRan = { ...a };
  for (const [file, names] of Object.entries(b)) out[file] = [...new Set([...(out[file] ?? []), ...names])].sort();
  return out;
}

/** Git's id of a file's content (`git hash-object`). */
export function blobId(data: Uint8Array): string {
  return createHash("sha1").update(`blob ${data.byteLength}\0`).update(data).digest("hex");
}

/** Blob ids of files at `ref` and in the working tree, looked up as needed. */
export class FileVersions {
  private readonly atRef = new Map<string, string>();
  private readonly now = new Map<string, string | null>();

  constructor(private readonly rootdir: string, ref: string) {
    const listed = spawnSync("git", ["-c", "core.quotePath=false", "ls-tree", "-r", ref, "--", "."], { cwd: rootdir, encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
    for (const line of listed.status === 0 ? listed.stdout.split("\n") : []) {
      const match = /^\d+ blob ([0-9a-f]+)\t(.*)$/.exec(line);
      if (match) this.atRef.set(match[2]!, match[1]!);
    }
  }

  /** Was the file, when a run recorded it as `blob`, the same as at the ref or as now? */
  current(file: string, blob: string | undefined): boolean {
    if (blob === undefined) return false;
    return this.atRef.get(file) === blob || this.working(file) === blob;
  }

  private working(file: string): string | null {
    if (!this.now.has(file)) {
      let id: string | null = null;
      try {
        id = blobId(readFileSync(path.join(this.rootdir, file)));
      } catch {
        id = null;
      }
      this.now.set(file, id);
    }
    return this.now.get(file)!;
  }
}
