import { createHash } from "node:crypto";
import { readFileSync, readdirSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { ProjectFile } from "../core/protocol.js";
import type { SnapshotMeta } from "../wasm-python/pyodide/snapshot-format.js";

/** The package's own root folder (where package.json is), from dist/ or source. */
export const packageRoot = findPackageRoot(path.dirname(fileURLToPath(import.meta.url)));

function findPackageRoot(start: string): string {
  let dir = start;
  for (;;) {
    try {
      statSync(path.join(dir, "package.json"));
      return dir;
    } catch {
      const parent = path.dirname(dir);
      if (parent === dir) throw new Error(`fastest: cannot find its package.json above ${start}`);
      dir = parent;
    }
  }
}

export const pyodideDir = path.dirname(createRequire(import.meta.url).resolve("pyodide/pyodide.asm.wasm"));

/**
 * The pinned Pyodide version, read from its package.json: importing Pyodide
 * itself here would parse its 1.2 MB runtime on the host thread, which only
 * the workers need.
 */
export const pyodideVersion = (JSON.parse(readFileSync(path.join(pyodideDir, "package.json"), "utf8")) as { version: string }).version;
export const harnessDir = path.join(packageRoot, "wasm-python", "python");

/** The Python harness as files relative to its root, skipping caches. */
export function loadHarnessFiles(): ProjectFile[] {
  const files: ProjectFile[] = [];
  const walk = (dir: string, rel: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (entry.name === "__pycache__" || entry.name.startsWith(".")) continue;
      const full = path.join(dir, entry.name);
      const relPath = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(full, relPath);
      else if (entry.name.endsWith(".py")) files.push({ path: relPath, data: new Uint8Array(readFileSync(full)) });
    }
  };
  walk(harnessDir, "");
  return files;
}

export function hashFiles(files: ProjectFile[]): string {
  const hash = createHash("sha256");
  for (const file of files) {
    hash.update(file.path).update("\0").update(file.data).update("\0");
  }
  return hash.digest("hex").slice(0, 16);
}

/** What a snapshot made now would be stamped with. */
export function currentSnapshotMeta(harnessFiles: ProjectFile[]): SnapshotMeta {
  return {
    pyodideVersion,
    wasmBytes: statSync(path.join(pyodideDir, "pyodide.asm.wasm")).size,
    harnessHash: hashFiles(harnessFiles),
  };
}

let compiled: Promise<WebAssembly.Module> | undefined;

/** `pyodide.asm.wasm`, compiled once per process and posted to every worker. */
export function compiledPyodideModule(): Promise<WebAssembly.Module> {
  compiled ??= WebAssembly.compile(readFileSync(path.join(pyodideDir, "pyodide.asm.wasm")));
  return compiled as Promise<WebAssembly.Module>;
}
