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
  /** Called with the milliseconds instantiation took. */
  onInstantiated?: (ms: number) => void;
}

const wasmPageSize = 65_536;

/**
 * Wrap Pyodide's module factory so that it instantiates a module compiled
 * once (instead of reading and compiling `pyodide.asm.wasm` again), cannot run
 * host shell commands, and has memory enough for the snapshot it restores.
 */
export function sandboxedModuleFactory(options: ModuleOptions): CreateModule {
  const create = createPyodideModuleDefault as unknown as CreateModule;
  return (settings) => {
    settings.instantiateWasm = (imports, done) => {
      // Emscripten implements os.system() with child_process.spawnSync.
      imports.env["_emscripten_system"] = () => -1;
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

/** Snapshots past the module's initial memory fail to restore (pyodide issue 6254). */
function growMemory(instance: WebAssembly.Instance, minimumBytes: number): void {
  const memory = instance.exports["memory"];
  if (!(memory instanceof WebAssembly.Memory)) return;
  const missing = minimumBytes - memory.buffer.byteLength;
  if (missing > 0) memory.grow(Math.ceil(missing / wasmPageSize));
}
