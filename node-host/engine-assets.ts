import { readFileSync, statSync } from "node:fs";
import path from "node:path";
import { UsageError } from "../core/cli-args.js";
import type { ProjectFile } from "../core/protocol.js";
import type { SnapshotMeta } from "../wasm-python/pyodide/snapshot-format.js";
import { compiledPyodideModule, currentSnapshotMeta, hashFiles, packageRoot, pyodideDir } from "./assets.js";

/** The interpreters fastest can run tests in (`--engine`). */
export type EngineName = "pyodide" | "wasi";

/** What the host needs to know of an engine's files: where they are, what stamps its snapshots. */
export interface EngineAssets {
  name: EngineName;
  /** The interpreter's WebAssembly file (compiled in the sandbox process from this path). */
  wasmPath: string;
  /** Folders the sandbox process may read besides fastest's own code. */
  readable: string[];
  /** What a snapshot made now would be stamped with. */
  meta(harnessFiles: ProjectFile[]): SnapshotMeta;
  /** The interpreter's module, compiled once per process. */
  module(): Promise<WebAssembly.Module>;
  /** The WASI engine's standard library archive, which its snapshot carries. */
  stdlib?: () => Uint8Array;
}

/** Where `npm run build:wasi` leaves the CPython-WASI engine's files. */
export const wasiBuildDir = process.env["FASTEST_WASI_DIR"] ? path.resolve(process.env["FASTEST_WASI_DIR"]) : path.join(packageRoot, "build", "wasi");

/** The engine's files, or a usage error saying how to get them. */
export function engineAssets(name: EngineName): EngineAssets {
  if (name === "pyodide") {
    return { name, wasmPath: path.join(pyodideDir, "pyodide.asm.wasm"), readable: [pyodideDir], meta: currentSnapshotMeta, module: compiledPyodideModule };
  }
  return wasiAssets();
}

interface WasiManifest {
  key: string;
  python: string;
}

let wasiCompiled: Promise<WebAssembly.Module> | undefined;

function wasiAssets(): EngineAssets {
  const wasmPath = path.join(wasiBuildDir, "python.wasm");
  const stdlibPath = path.join(wasiBuildDir, "python311.zip");
  let manifest: WasiManifest;
  try {
    manifest = JSON.parse(readFileSync(path.join(wasiBuildDir, "manifest.json"), "utf8")) as WasiManifest;
    statSync(wasmPath);
    statSync(stdlibPath);
  } catch {
    throw new UsageError(
      `the WASI engine is not built: ${wasiBuildDir} has no python.wasm, python311.zip and manifest.json. ` +
        "Build them once with `npm run build:wasi` (from fastest's folder; needs Debian's clang and wasi-libc, which it installs), or run without --engine wasi",
    );
  }
  return {
    name: "wasi",
    wasmPath,
    readable: [wasiBuildDir],
    stdlib: () => new Uint8Array(readFileSync(stdlibPath)),
    meta: (harnessFiles) => ({
      engine: "wasi",
      // The build's cache key names the exact python.wasm and standard library.
      pyodideVersion: `cpython-${manifest.python}-${manifest.key}`,
      wasmBytes: statSync(wasmPath).size,
      harnessHash: hashFiles(harnessFiles),
    }),
    module: () => (wasiCompiled ??= WebAssembly.compile(readFileSync(wasmPath))),
  };
}
