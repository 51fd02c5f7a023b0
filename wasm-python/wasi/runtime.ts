import { type Fd, PreopenDirectory, WASI, WASIProcExit } from "@bjorn3/browser_wasi_shim";
import { captureMemory, linearMemory, type MemoryImage, restoreMemory } from "./memory-image.js";
import { CallbackFd, emptyStdin, SandboxTree } from "./sandbox-fs.js";
import { type InterruptSource, systemCalls } from "./system-calls.js";

export type { InterruptSource } from "./system-calls.js";
export { INITIAL_MEMORY_BYTES } from "./memory-image.js";

/** Where the standard library archive sits in the sandbox (build.sh compiles it for this path). */
export const STDLIB_PATH = "/lib/python311.zip";
/** The descriptor of the result channel: each `os.write(RESULT_FD, b)` reaches `onMessage(b)`. */
export const RESULT_FD = 4;
const SNAPSHOT_FORMAT = "fastest-wasi-1";
/** stdin, stdout, stderr, the preopened root, the result channel. */
const BASE_FDS = 5;

/** The build's artifacts, as bytes the host read (no file access here: this runs in browsers too). */
export interface WasiArtifacts {
  /** `build/wasi/python.wasm`, compiled. */
  module: WebAssembly.Module;
  /** `build/wasi/python311.zip`. */
  stdlib: Uint8Array;
  /**
   * Identity of the build (`manifest.json`'s python.wasm SHA-256): stored in
   * snapshots, and a snapshot of another build is refused.
   */
  buildId?: string;
}

/** Where the interpreter's output goes. Each callback gets the bytes of one `write()`. */
export interface WasiPythonIo {
  stdout?: (data: Uint8Array) => void;
  stderr?: (data: Uint8Array) => void;
  /** Writes to the result channel (`RESULT_FD`). */
  onMessage?: (data: Uint8Array) => void;
  /**
   * Interrupting running Python from another thread: raised at its next
   * system call (a write, a clock read; a `time.sleep` wakes at once). See
   * system-calls.ts.
   */
  interrupt?: InterruptSource;
  /**
   * Most bytes the linear memory may grow to; past it allocations fail and
   * Python raises MemoryError. Default: WebAssembly's 4 GiB.
   */
  maxMemoryBytes?: number;
}

/** Options of a fresh boot. */
export interface WasiBootOptions extends WasiPythonIo {
  /** Extra environment variables (on top of the defaults: see README). */
  env?: Record<string, string>;
  /** Files to put in the tree before the interpreter starts, as [absolute path, bytes]. */
  files?: Array<[string, Uint8Array]>;
}

/**
 * An initialised interpreter's state: its linear memory (as differences from
 * a fresh instance), stack pointer, descriptor table size and the files it had
 * besides the standard library. Plain data: it survives structured clone.
 */
export interface WasiSnapshot {
  format: typeof SNAPSHOT_FORMAT;
  buildId: string;
  memory: MemoryImage;
  stackPointer: number;
  fdCount: number;
  env: string[];
  files: Array<[string, Uint8Array]>;
}

/** Thrown when Python ends the process (`sys.exit`, `os._exit`): the instance is finished. */
export class WasiPythonExit extends Error {
  constructor(readonly code: number) {
    super(`Python exited with status ${code}; restore a new instance from the snapshot`);
  }
}

interface PythonExports {
  memory: WebAssembly.Memory;
  /** Only in builds since the runtime raises interrupts (build.sh EXPORTS). */
  PyErr_SetInterruptEx?: (signal: number) => number;
  __stack_pointer: WebAssembly.Global;
  _initialize(): void;
  Py_InitializeEx(initsigs: number): void;
  PyRun_SimpleString(code: number): number;
  malloc(size: number): number;
  free(pointer: number): void;
}

const DEFAULT_ENV: Record<string, string> = {
  PYTHONHOME: "/",
  PYTHONDONTWRITEBYTECODE: "1",
  // Every write reaches the callbacks at once: nothing waits in a buffer when a run ends.
  PYTHONUNBUFFERED: "1",
  PYTHONUTF8: "1",
  // The snapshot freezes the hash secret anyway; a fixed one makes snapshots reproducible.
  PYTHONHASHSEED: "0",
};

/**
 * CPython 3.11 compiled for WASI, in one WebAssembly instance on
 * `@bjorn3/browser_wasi_shim`, with an in-memory file tree preopened as `/`.
 * Calls are synchronous; run it on a worker thread.
 */
export class WasiPython {
  /** Usable, exited through Python, trapped, or disposed: only "ready" takes calls. */
  state: "ready" | "exited" | "crashed" | "disposed" = "ready";

  private constructor(
    private readonly module: WebAssembly.Module,
    private readonly stdlib: Uint8Array,
    private readonly buildId: string,
    private readonly wasi: WASI,
    private readonly exports: PythonExports,
    private readonly channel: CallbackFd,
    private readonly env: string[],
    /** The sandbox's files; write project files here. */
    readonly tree: SandboxTree,
  ) {}

  /** Start an interpreter from scratch: instantiate, run the C constructors, `Py_InitializeEx(0)`. */
  static boot(artifacts: WasiArtifacts, options: WasiBootOptions = {}): WasiPython {
    const tree = new SandboxTree();
    // (an empty archive: the caller puts the standard library in the tree through `files`)
    if (artifacts.stdlib.byteLength > 0) tree.writeFile(STDLIB_PATH, artifacts.stdlib, { readonly: true });
    tree.mkdir("/tmp"); // tempfile's folder (it would fall back to the cwd)
    for (const [path, data] of options.files ?? []) tree.writeFile(path, data.slice());
    const env = Object.entries({ ...DEFAULT_ENV, ...options.env }).map(([k, v]) => `${k}=${v}`);
    const python = WasiPython.instantiate(artifacts, tree, env, BASE_FDS, options);
    python.guard(() => {
      python.exports._initialize();
      python.exports.Py_InitializeEx(0);
    });
    // Importing _signal gives SIGINT Python's default handler (KeyboardInterrupt), which the
    // interrupts the runtime raises need: without one, CPython reports them as an OSError.
    python.run("import _signal");
    return python;
  }

  /**
   * Boot, put `files` in the tree, run `warmup` (e.g. importing the harness)
   * and copy the result. Throws with Python's traceback when the warm-up raises.
   */
  static makeSnapshot(artifacts: WasiArtifacts, options: { warmup: string; files?: Array<[string, Uint8Array]>; env?: Record<string, string> }): WasiSnapshot {
    let errors = "";
    const decoder = new TextDecoder();
    const python = WasiPython.boot(artifacts, {
      env: options.env,
      files: options.files,
      stderr: (data) => (errors += decoder.decode(data, { stream: true })),
    });
    if (python.run(options.warmup) !== 0) throw new Error(`the snapshot's warm-up code raised:\n${errors}`);
    const snapshot = python.snapshot();
    python.dispose();
    return snapshot;
  }

  /**
   * A new instance in the snapshot's state: its memory written in,
   * `_initialize` skipped, the same descriptor table rebuilt, and `random`
   * reseeded (the hash secret stays the snapshot's).
   */
  static restore(artifacts: WasiArtifacts, snapshot: WasiSnapshot, io: WasiPythonIo = {}): WasiPython {
    if (snapshot.format !== SNAPSHOT_FORMAT) {
      throw new Error(`WASI snapshot format ${String(snapshot.format)} is not ${SNAPSHOT_FORMAT}: make a new snapshot`);
    }
    const buildId = artifacts.buildId ?? "";
    if (snapshot.buildId !== buildId) {
      throw new Error(
        `WASI snapshot was made by python.wasm ${snapshot.buildId || "(unknown)"}, this is ${buildId || "(unknown)"}: make a new snapshot`,
      );
    }
    const tree = new SandboxTree();
    if (artifacts.stdlib.byteLength > 0) tree.writeFile(STDLIB_PATH, artifacts.stdlib, { readonly: true });
    tree.mkdir("/tmp");
    // Copies: Python may write into these files in place, and the snapshot serves other instances.
    for (const [path, data] of snapshot.files) tree.writeFile(path, data.slice());
    const python = WasiPython.instantiate(artifacts, tree, snapshot.env, snapshot.fdCount, io, snapshot.memory.byteLength);
    restoreMemory(python.exports.memory, snapshot.memory);
    python.exports.__stack_pointer.value = snapshot.stackPointer;
    python.run("(lambda r: r and r.seed())(__import__('sys').modules.get('random'))");
    return python;
  }

  private static instantiate(
    artifacts: WasiArtifacts,
    tree: SandboxTree,
    env: string[],
    fdCount: number,
    io: WasiPythonIo,
    minimumMemoryBytes = 0,
  ): WasiPython {
    const ignore = (): void => {};
    const channel = new CallbackFd(io.onMessage ?? ignore);
    const fds: Array<Fd | undefined> = [
      emptyStdin(),
      new CallbackFd(io.stdout ?? ignore),
      new CallbackFd(io.stderr ?? ignore),
      new RootFd(tree),
      channel,
    ];
    // Descriptors the snapshot's process opened and closed stay closed slots.
    while (fds.length < fdCount) fds.push(undefined);
    const wasi = new WASI(["python"], env, fds as Fd[], { debug: false });
    // (the system calls need the instance's exports, which exist once it is made with them)
    const bound: { exports?: PythonExports } = {};
    const imports = systemCalls(wasi.wasiImport as never, {
      memory: () => bound.exports!.memory,
      hasFd: (fd) => wasi.fds[fd] !== undefined,
      interrupt: io.interrupt,
      raise: () => {
        const raise = bound.exports?.PyErr_SetInterruptEx;
        return raise && ((signal: number) => void raise(signal));
      },
    });
    const memory = linearMemory(artifacts.module, io.maxMemoryBytes, minimumMemoryBytes);
    const instance = new WebAssembly.Instance(artifacts.module, { wasi_snapshot_preview1: imports as WebAssembly.ModuleImports, ...(memory ? { env: { memory } } : {}) });
    const exports = (bound.exports = instance.exports as unknown as PythonExports);
    wasi.inst = instance as unknown as WASI["inst"];
    return new WasiPython(artifacts.module, artifacts.stdlib, artifacts.buildId ?? "", wasi, exports, channel, env, tree);
  }

  /**
   * Run Python source in `__main__`. Returns 0, or -1 when it raised (the
   * traceback went to stderr). Throws `WasiPythonExit` when Python ended the
   * process and rethrows a WebAssembly trap; either way the instance is done.
   */
  run(code: string): number {
    const source = new TextEncoder().encode(code);
    return this.guard(() => {
      const pointer = this.exports.malloc(source.byteLength + 1);
      if (pointer === 0) throw new Error("the interpreter is out of memory");
      const memory = new Uint8Array(this.exports.memory.buffer);
      memory.set(source, pointer);
      memory[pointer + source.byteLength] = 0;
      try {
        return this.exports.PyRun_SimpleString(pointer);
      } finally {
        this.exports.free(pointer);
      }
    });
  }

  /** Queue bytes for Python to read from the result channel (`os.read(RESULT_FD, n)`). */
  send(data: Uint8Array): void {
    this.channel.push(data);
  }

  /** Copy this interpreter's state; call between runs, with no file left open by Python. */
  snapshot(): WasiSnapshot {
    this.assertReady();
    const open = this.wasi.fds.slice(BASE_FDS).filter((fd) => fd !== undefined).length;
    if (open > 0) throw new Error(`cannot snapshot: Python holds ${open} open file(s); close them first`);
    const fresh = new WASI(["python"], [], [], { debug: false });
    const memory = linearMemory(this.module, undefined, 0);
    const pristine = new WebAssembly.Instance(this.module, { wasi_snapshot_preview1: fresh.wasiImport, ...(memory ? { env: { memory } } : {}) });
    const pristineMemory = (pristine.exports as unknown as PythonExports).memory;
    return {
      format: SNAPSHOT_FORMAT,
      buildId: this.buildId,
      memory: captureMemory(new Uint8Array(this.exports.memory.buffer), new Uint8Array(pristineMemory.buffer)),
      stackPointer: this.exports.__stack_pointer.value as number,
      fdCount: this.wasi.fds.length,
      env: [...this.env],
      files: this.tree.files().filter(([path, data]) => !(path === STDLIB_PATH && data === this.stdlib)),
    };
  }

  /** Current size of the linear memory in bytes. */
  get memoryBytes(): number {
    return this.exports.memory.buffer.byteLength;
  }

  /** Drop the instance (its memory goes with the last reference). */
  dispose(): void {
    this.state = "disposed";
    this.wasi.fds = [];
  }

  private guard<T>(call: () => T): T {
    this.assertReady();
    try {
      return call();
    } catch (error) {
      if (error instanceof WASIProcExit) {
        this.state = "exited";
        throw new WasiPythonExit(error.code);
      }
      this.state = "crashed";
      throw error;
    }
  }

  private assertReady(): void {
    if (this.state !== "ready") throw new Error(`this interpreter has ${this.state}: restore a new instance from the snapshot`);
  }
}

/** The root folder preopened as `/`, sharing the tree's live contents. */
class RootFd extends PreopenDirectory {
  constructor(tree: SandboxTree) {
    super("/", new Map());
    this.dir = tree.root;
  }
}
