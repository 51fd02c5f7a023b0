import createPyodideModuleDefault from "pyodide/pyodide.asm.mjs";

/** The subset of Emscripten's module settings that we touch. */
interface ModuleSettings {
  instantiateWasm?: (
    imports: { env: Record<string, unknown> } & Record<string, unknown>,
    done: (instance: WebAssembly.Instance, module: WebAssembly.Module) => void,
  ) => Record<string, never>;
  [key: string]: unknown;
}

export type CreateModule = (settings: ModuleSettings) => Promise<unknown>;

export interface ModuleOptions {
  /** The compiled `pyodide.asm.wasm`, shared by every interpreter of the process. */
  module: WebAssembly.Module;
  /** Grow linear memory to at least this many bytes before a snapshot is restored. */
  minimumMemoryBytes?: number;
  /** Refuse to grow memory past this many bytes: malloc fails, Python raises MemoryError. */
  maxMemoryBytes?: number;
  /** Called with the milliseconds instantiation took. */
  onInstantiated?: (ms: number) => void;
}

const wasmPageSize = 65_536;

/** Emscripten's errno for "permission denied" (its numbering, not Linux's). */
const EACCES = 2;

/**
 * Emscripten runtime functions that reach the host, each replaced by a stub
 * that fails. The interpreter calls them through its import table, and so do
 * `ctypes` (`ctypes.CDLL(None).emscripten_async_wget(...)`) and any side
 * module loaded with `dlopen`: all of them resolve symbols through that same
 * table, so swapping the entries closes every route at once.
 */
const deniedImports: Record<string, (...args: unknown[]) => number | undefined> = {
  // os.system(): Emscripten runs it with child_process.spawnSync.
  _emscripten_system: () => -1,
  // socket(): Emscripten's sockets open real WebSocket/TCP connections from Node
  // (through the `ws` package) and can listen on host ports.
  __syscall_socket: () => -EACCES,
  emscripten_websocket_new: () => -1,
  // Fetching a URL or file: in Node these read any host file (fs.readFileSync) into the sandbox.
  emscripten_async_wget: () => undefined,
  emscripten_async_wget_data: () => undefined,
  emscripten_async_wget2: () => -1,
  emscripten_async_wget2_data: () => -1,
  emscripten_async_load_script: () => undefined,
  // eval() of a string: refused anyway by --disallow-code-generation-from-strings, but
  // that refusal is a fatal error that takes the worker down; this fails quietly.
  emscripten_run_script: () => undefined,
  emscripten_run_script_int: () => 0,
  emscripten_run_script_string: () => 0,
  emscripten_async_run_script: () => undefined,
  // Web Workers (a browser host has them; the sandbox must not start its own).
  emscripten_create_worker: () => -1,
  emscripten_call_worker: () => undefined,
};

/**
 * Wrap Pyodide's module factory so that it instantiates a module compiled
 * once (instead of reading and compiling `pyodide.asm.wasm` again), cannot run
 * host shell commands, and has memory enough for the snapshot it restores.
 */
export function sandboxedModuleFactory(options: ModuleOptions): CreateModule {
  const create = createPyodideModuleDefault as unknown as CreateModule;
  return (settings) => {
    settings.instantiateWasm = (imports, done) => {
      for (const [name, stub] of Object.entries(deniedImports)) {
        // dlsym() (ctypes) wraps imports in wasm using their signature.
        const { sig } = imports.env[name] as { sig?: string };
        imports.env[name] = Object.assign((...args: unknown[]) => stub(...args), { sig });
      }
      if (options.maxMemoryBytes) capMemory(imports.env, options.maxMemoryBytes);
      // Pyodide's error-marker glue; the default placeholders are no-ops.
      const errorMarker = Symbol("python error");
      imports.env["Jsv_GetError_import"] = () => errorMarker;
      imports.env["JsvError_Check"] = (value: unknown) => value === errorMarker;
      const started = performance.now();
      WebAssembly.instantiate(options.module, imports as WebAssembly.Imports).then(
        (instance) => {
          growMemory(instance, options.minimumMemoryBytes ?? 0);
          options.onInstantiated?.(performance.now() - started);
          done(instance, options.module);
        },
        (error: unknown) => {
          // Emscripten offers no failure callback: surface it on the next tick.
          setTimeout(() => {
            throw error;
          });
        },
      );
      return {};
    };
    return create(settings);
  };
}

/**
 * sbrk asks the runtime to grow memory through `emscripten_resize_heap`;
 * refusing makes that allocation fail, which CPython turns into MemoryError.
 */
function capMemory(env: Record<string, unknown>, maxBytes: number): void {
  const resize = env["emscripten_resize_heap"] as ((size: number) => boolean) & { sig?: string };
  env["emscripten_resize_heap"] = Object.assign((size: number) => (size >>> 0 > maxBytes ? false : resize(size)), { sig: resize.sig });
}

/** Snapshots past the module's initial memory fail to restore (pyodide issue 6254). */
function growMemory(instance: WebAssembly.Instance, minimumBytes: number): void {
  const memory = instance.exports["memory"];
  if (!(memory instanceof WebAssembly.Memory)) return;
  const missing = minimumBytes - memory.buffer.byteLength;
  if (missing > 0) memory.grow(Math.ceil(missing / wasmPageSize));
}
