import { bootTimer } from "../boot-timings.js";
import { loadPyodide, version as pyodideVersion, type PyodideAPI } from "pyodide";
import type { EngineInfo, ProjectFile } from "../../core/protocol.js";
import { sandboxedModuleFactory } from "./module.js";
import { decodeSnapshot, encodeSnapshot, type SnapshotMeta } from "./snapshot-format.js";
import { lockDown } from "./lockdown.js";
import { PyodideEngine } from "./engine.js";

export { pyodideVersion };

// Shared with the WASI engine, which must not load Pyodide to read them.
import { harnessRoot, sandboxEnvironment } from "../sandbox-environment.js";
export { harnessRoot, sandboxEnvironment };

export interface PyodideBootOptions {
  /** `pyodide.asm.wasm`, compiled once per process (or page) and shared. */
  module: WebAssembly.Module;
  /** Where Pyodide finds `python_stdlib.zip` and its lock file; its own folder by default. */
  indexURL?: string;
  /** `python_stdlib.zip` somewhere else than `indexURL` (a browser passes a blob: URL fetched once). */
  stdLibURL?: string;
  /** `pyodide-lock.json` somewhere else than `indexURL`. */
  lockFileURL?: string;
}

export interface MakeSnapshotOptions extends PyodideBootOptions {
  harnessFiles: ProjectFile[];
  meta: SnapshotMeta;
  /** Files written after the harness is imported, for `warmup` to use (the file system itself is not in the snapshot). */
  files?: ProjectFile[];
  /** Python run after the harness is imported, before the memory is frozen (e.g. imports to bake in). */
  warmup?: string;
}

/** Boot a fresh interpreter, import the harness, and freeze it all. */
export async function makeSnapshot(options: MakeSnapshotOptions): Promise<Uint8Array> {
  const pyodide = await loadPyodide({
    _makeSnapshot: true,
    createPyodideModule: sandboxedModuleFactory({ module: options.module }) as never,
    jsglobals: Object.create(null) as object,
    env: { ...sandboxEnvironment },
    stdout: () => {},
    stderr: () => {},
    ...locations(options),
  });
  writeFiles(pyodide, options.harnessFiles.map((f) => ({ path: `${harnessRoot}/${f.path}`, data: f.data })));
  pyodide.runPython(
    // One throwaway collect-and-run so that lazy imports and caches are warm in the snapshot.
    `import sys\nsys.path.insert(0, ${JSON.stringify(harnessRoot)})\nimport fastest_harness.api\nimport fastest_harness.lockdown\nimport fastest_harness.warmup\nfastest_harness.warmup.run()`,
  );
  if (options.files) writeFiles(pyodide, options.files);
  if (options.warmup) pyodide.runPython(options.warmup);
  return encodeSnapshot(options.meta, pyodide.makeMemorySnapshot());
}

export interface RestoreOptions extends PyodideBootOptions {
  /** A snapshot made by `makeSnapshot`. */
  snapshot: Uint8Array;
  /** What the snapshot must have been made by. */
  expected: SnapshotMeta;
  /** Named in errors about a mismatched snapshot (a file path, a cache key). */
  snapshotOrigin: string;
  /** Shared flag for interrupting Python from another thread. */
  interruptBuffer?: Int32Array;
  /** Shared item progress (`core/item-progress.ts`): the host times items out and blames crashes with it. */
  progress?: Int32Array;
  /** Most bytes the interpreter's memory may grow to; past it allocations fail (Python sees MemoryError). */
  maxMemoryBytes?: number;
  /** Receives output that escaped the harness's capture. */
  onOutput: (stream: "stdout" | "stderr", text: string) => void;
}

/**
 * The boot pipeline: compile (done by the caller, once) -> instantiate ->
 * restore snapshot -> lock down -> ready. Project files are copied in
 * afterwards with `engine.writeFiles`.
 */
export async function restoreEngine(options: RestoreOptions): Promise<PyodideEngine> {
  const { timings, lap } = bootTimer();
  const { memory } = decodeSnapshot(options.snapshot, options.expected, options.snapshotOrigin);
  const pyodide = await loadPyodide({
    _loadSnapshot: memory,
    createPyodideModule: sandboxedModuleFactory({
      module: options.module,
      minimumMemoryBytes: memory.byteLength,
      ...(options.maxMemoryBytes ? { maxMemoryBytes: options.maxMemoryBytes } : {}),
      onInstantiated: (ms) => (timings["instantiate"] = Math.round(ms * 10) / 10),
    }) as never,
    jsglobals: Object.create(null) as object,
    env: { ...sandboxEnvironment },
    ...locations(options),
  });
  lap("restore");
  const decoder = new TextDecoder();
  const sink = (stream: "stdout" | "stderr") => ({
    write: (bytes: Uint8Array) => {
      options.onOutput(stream, decoder.decode(bytes));
      return bytes.length;
    },
  });
  pyodide.setStdout(sink("stdout"));
  pyodide.setStderr(sink("stderr"));
  if (options.interruptBuffer) pyodide.setInterruptBuffer(options.interruptBuffer);
  const bootImports = lockDown(pyodide, sandboxEnvironment);
  lap("lockdown");
  const info: EngineInfo = {
    engine: "pyodide",
    pythonVersion: pyodide.runPython("import sys; sys.version.split()[0]") as string,
    engineVersion: pyodideVersion,
    platform: "emscripten-wasm32",
    bootTimings: timings,
    bootImports,
  };
  return new PyodideEngine(pyodide, info, { progress: options.progress, interruptBuffer: options.interruptBuffer });
}

/** Where Pyodide loads its files from, for the options given. */
function locations(options: PyodideBootOptions): { indexURL?: string; stdLibURL?: string; lockFileURL?: string } {
  return {
    ...(options.indexURL ? { indexURL: options.indexURL } : {}),
    ...(options.stdLibURL ? { stdLibURL: options.stdLibURL } : {}),
    ...(options.lockFileURL ? { lockFileURL: options.lockFileURL } : {}),
  };
}

/** Copy files into the in-memory file system, creating folders as needed. */
export function writeFiles(pyodide: PyodideAPI, files: ProjectFile[]): void {
  const made = new Set<string>();
  for (const file of files) {
    const dir = file.path.slice(0, file.path.lastIndexOf("/"));
    if (dir && !made.has(dir)) {
      pyodide.FS.mkdirTree(dir);
      made.add(dir);
    }
    pyodide.FS.writeFile(file.path, file.data);
  }
}
