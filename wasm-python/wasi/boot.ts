import { bootTimer } from "../boot-timings.js";
import { interruptIsLate } from "../../core/item-progress.js";
import type { EngineInfo } from "../../core/protocol.js";
import type { BootRequest, SnapshotRequest } from "../serve.js";
import { harnessRoot, sandboxEnvironment } from "../sandbox-environment.js";
import { decodeSnapshot, encodeSnapshot } from "../pyodide/snapshot-format.js";
import { WasiEngine, type WasiInterpreter } from "./engine.js";
import { RESULT_FD, WasiPython, WasiPythonExit, type WasiArtifacts } from "./runtime.js";
import { packWasiSnapshot, unpackWasiSnapshot } from "./snapshot-pack.js";

/**
 * The WASI engine's boot pipeline: compile (done by the caller, once) ->
 * instantiate and restore the snapshot (memory, stack pointer, files) ->
 * lock down -> ready. The snapshot file carries the standard library archive
 * too, so a worker needs nothing but the module and the snapshot.
 */

/** The exit status of fastest_harness/wasi_bridge.py when a test closed its channel (`CHANNEL_LOST`). */
const channelLost = 70;

/** Bound in `__main__` when the snapshot is made: every harness call goes through it. */
const bridgeImport = "import fastest_harness.wasi_bridge as _fastest_bridge";

/** Boot CPython from scratch, import and warm the harness, and freeze it all. */
export async function makeWasiSnapshot(request: SnapshotRequest): Promise<Uint8Array> {
  if (!request.stdlib) throw new Error("the WASI engine's snapshot needs its standard library archive (python311.zip)");
  const artifacts: WasiArtifacts = { module: request.module, stdlib: request.stdlib };
  const errors: string[] = [];
  const decoder = new TextDecoder();
  const python = WasiPython.boot(artifacts, { env: { ...sandboxEnvironment }, stderr: (bytes) => errors.push(decoder.decode(bytes, { stream: true })) });
  const runOrThrow = (code: string, what: string) => {
    if (python.run(code) === 0) return;
    python.dispose();
    throw new Error(`the WASI engine could not ${what}:\n${errors.join("")}`);
  };
  for (const file of request.harnessFiles) python.tree.writeFile(`${harnessRoot}/${file.path}`, file.data);
  runOrThrow(
    // One throwaway collect-and-run so that lazy imports and caches are warm in the snapshot.
    [
      "import sys",
      `sys.path.insert(0, ${JSON.stringify(harnessRoot)})`,
      "import fastest_harness.api, fastest_harness.lockdown, fastest_harness.warmup",
      bridgeImport,
      `_fastest_bridge.FD = ${RESULT_FD}`,
      "fastest_harness.warmup.run()",
    ].join("\n"),
    "import the test harness",
  );
  if (request.files) for (const file of request.files) python.tree.writeFile(file.path, file.data);
  if (request.warmup) runOrThrow(`import importlib\nimportlib.invalidate_caches()\n${request.warmup}`, "import the project's dependencies");
  const payload = packWasiSnapshot(request.stdlib, python.snapshot());
  python.dispose();
  return encodeSnapshot(request.meta, payload);
}

/** What restoring needs (`BootRequest` plus where escaped output goes). */
export type WasiRestoreOptions = Omit<BootRequest, "snapshot"> & {
  snapshot: Uint8Array;
  onOutput: (stream: "stdout" | "stderr", text: string) => void;
};

/** Restore a WASI interpreter from the snapshot, lock it down, and wrap it as an `Engine`. */
export async function restoreWasiEngine(options: WasiRestoreOptions): Promise<WasiEngine> {
  const { timings, lap } = bootTimer();
  const { memory: payload } = decodeSnapshot(options.snapshot, options.expected, options.snapshotOrigin);
  const { stdlib, snapshot } = unpackWasiSnapshot(payload);
  lap("decode");
  const streams = { stdout: new TextDecoder(), stderr: new TextDecoder() };
  const output = (stream: "stdout" | "stderr") => (bytes: Uint8Array) => {
    const text = streams[stream].decode(bytes, { stream: true });
    if (text) options.onOutput(stream, text);
  };
  let deliver: (message: Uint8Array) => void = () => {};
  const { interruptBuffer, progress } = options;
  const python = WasiPython.restore({ module: options.module, stdlib }, snapshot, {
    stdout: output("stdout"),
    stderr: output("stderr"),
    onMessage: (message) => deliver(message),
    // Ctrl-C and timeouts raise KeyboardInterrupt at Python's next system call; a timeout that comes
    // after its test ended is dropped (the Pyodide engine's sigint handler asks the same question).
    ...(interruptBuffer ? { interrupt: { buffer: interruptBuffer, accept: () => !(progress && interruptIsLate(progress)) } } : {}),
    ...(options.maxMemoryBytes ? { maxMemoryBytes: options.maxMemoryBytes } : {}),
  });
  // The snapshot keeps files, not empty folders: the home folder and /tmp exist from the start, as under Pyodide.
  python.tree.mkdir(sandboxEnvironment["HOME"]!);
  python.tree.mkdir(sandboxEnvironment["TMPDIR"]!);
  lap("restore");
  const interpreter: WasiInterpreter = {
    run(code) {
      let status: number;
      try {
        status = python.run(code);
      } catch (error) {
        if (error instanceof WasiPythonExit && error.code === channelLost) {
          throw new Error("the test closed the harness's channel to the engine (file descriptor 4), so nothing more could be reported", { cause: error });
        }
        // Worded as Pyodide words it (os._exit, or sys.exit outside the harness).
        if (error instanceof WasiPythonExit) throw new Error(`Program terminated with exit(${error.code})`, { cause: error });
        throw error;
      }
      // A Python exception inside a harness call comes back as data (wasi_bridge); -1 here is the bridge itself failing.
      if (status !== 0) throw new Error("the WASI interpreter could not finish a harness call; its traceback is printed above");
    },
    writeFile: (path, data) => python.tree.writeFile(path, data),
    set onChannel(handler: (message: Uint8Array) => void) {
      deliver = handler;
    },
    get onChannel() {
      return deliver;
    },
    reply: (data) => python.send(data),
    dispose: () => python.dispose(),
  };
  const info: EngineInfo = {
    engine: "wasi",
    pythonVersion: "",
    engineVersion: options.expected.pyodideVersion,
    platform: "wasi-wasm32",
    bootTimings: timings,
  };
  const engine = new WasiEngine(interpreter, info, { progress: options.progress, interruptBuffer: options.interruptBuffer });
  const booted = engine.boot(sandboxEnvironment);
  lap("lockdown");
  info.pythonVersion = booted.python;
  info.bootImports = booted.imports;
  return engine;
}
