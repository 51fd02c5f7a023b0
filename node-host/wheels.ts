import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { ConfigError } from "./project.js";
import type { DependencyFile } from "./site-packages.js";
import { readZip, ZipError } from "./zip-archive.js";

/** What the sandbox's interpreter is, in wheel-tag terms (from Pyodide's lock file). */
export interface SandboxTarget {
  /** `3.14`. */
  pythonVersion: string;
  /** Platform tags a Pyodide-built wheel may carry: `pyodide_2026_0_wasm32`, `emscripten_5_0_3_wasm32`. */
  platforms: string[];
}

/** A wheel file's name, split into its parts (PEP 427). */
export interface WheelName {
  distribution: string;
  version: string;
  pythonTags: string[];
  abiTags: string[];
  platformTags: string[];
}

export function parseWheelName(file: string): WheelName | null {
  const parts = file.replace(/\.whl$/, "").split("-");
  if (parts.length !== 5 && parts.length !== 6) return null;
  const [distribution, version] = parts as [string, string];
  const [python, abi, platform] = parts.slice(-3) as [string, string, string];
  return { distribution, version, pythonTags: python.split("."), abiTags: abi.split("."), platformTags: platform.split(".") };
}

/**
 * Can the sandbox use this wheel? Pure-Python wheels (`py3-none-any`) and
 * Pyodide builds for this interpreter (`cp314-cp314-pyodide_2026_0_wasm32`,
 * `abi3` builds for an older 3.x) can; anything built for another platform
 * cannot.
 */
export function wheelFits(wheel: WheelName, target: SandboxTarget): boolean {
  const minor = Number(target.pythonVersion.split(".")[1]);
  const cpython = `cp3${minor}`;
  const pythonOk = (tag: string, allowOlderCp: boolean) => {
    const match = /^(py|cp)3(\d*)$/.exec(tag);
    if (!match) return false;
    if (match[2] === "") return match[1] === "py";
    const tagMinor = Number(match[2]);
    return match[1] === "py" ? tagMinor <= minor : tagMinor === minor || (allowOlderCp && tagMinor <= minor);
  };
  for (const platform of wheel.platformTags) {
    for (const abi of wheel.abiTags) {
      for (const py of wheel.pythonTags) {
        if (platform === "any" && abi === "none" && pythonOk(py, false)) return true;
        if (!target.platforms.includes(platform)) continue;
        if (abi === cpython && py === cpython) return true;
        if ((abi === "abi3" || abi === "none") && pythonOk(py, true)) return true;
      }
    }
  }
  return false;
}

/** A folder of wheels, sorted into what the sandbox can use and what it cannot. */
export interface WheelFolder {
  /** Files to put into site-packages, from the wheels that fit. */
  files: DependencyFile[];
  /** File names of the wheels used. */
  used: string[];
  /** Wheels that do not fit, with the top-level modules they would have provided. */
  unfit: Array<{ file: string; wheel: WheelName; modules: string[] }>;
  bytes: number;
}

/** The top-level module names a wheel provides (`top_level.txt`, else its entries). */
function topLevelModules(entries: Array<{ name: string; data: Uint8Array }>): string[] {
  const listed = entries.find((entry) => /^[^/]+\.dist-info\/top_level\.txt$/.test(entry.name));
  if (listed) return new TextDecoder().decode(listed.data).split(/\r?\n/).map((line) => line.trim()).filter(Boolean);
  const names = new Set<string>();
  for (const { name } of entries) {
    const first = name.split("/")[0]!;
    if (/\.(dist-info|data)$/.test(first)) continue;
    const module = name.includes("/") ? first : first.split(".")[0]!;
    if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(module)) names.add(module);
  }
  return [...names].sort();
}

/**
 * Read every `.whl` in `dir`. A fitting wheel's files go to site-packages as
 * an installer would put them (`NAME.data/purelib` and `platlib` merged in;
 * scripts, headers and data left out). When two fitting wheels hold the
 * same distribution, the later version wins.
 */
export function readWheelFolder(dir: string, target: SandboxTarget, limitBytes: number): WheelFolder {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new ConfigError(`--wheels: ${dir} is not a folder of .whl files`);
  // Numbers compare as numbers, so that of two versions of a distribution the later (1.10 after 1.9) wins.
  const names = readdirSync(dir).filter((name) => name.endsWith(".whl")).sort((a, b) => a.localeCompare(b, "en", { numeric: true }));
  const chosen = new Map<string, { file: string; wheel: WheelName }>();
  const folder: WheelFolder = { files: [], used: [], unfit: [], bytes: 0 };
  for (const file of names) {
    const wheel = parseWheelName(file);
    if (!wheel) throw new ConfigError(`--wheels: ${path.join(dir, file)} is not named like a wheel (NAME-VERSION-PYTHON-ABI-PLATFORM.whl)`);
    const key = wheel.distribution.toLowerCase().replace(/[-_.]+/g, "_");
    if (wheelFits(wheel, target)) chosen.set(key, { file, wheel });
    else folder.unfit.push({ file, wheel, modules: topLevelModules(unzip(path.join(dir, file))) });
  }
  for (const { file } of chosen.values()) {
    folder.used.push(file);
    for (const entry of unzip(path.join(dir, file))) {
      const data = /^[^/]+\.data\/(purelib|platlib)\//.exec(entry.name);
      if (/^[^/]+\.data\//.test(entry.name) && !data) continue;
      const target = data ? entry.name.slice(data[0].length) : entry.name;
      folder.bytes += entry.data.byteLength;
      if (folder.bytes > limitBytes) throw new ConfigError(`--wheels: the wheels in ${dir} unpack to more than ${limitBytes / 1024 / 1024} MiB`);
      folder.files.push({ path: target, data: entry.data });
    }
  }
  return folder;
}

function unzip(file: string): Array<{ name: string; data: Uint8Array }> {
  const bytes = readFileSync(file);
  try {
    return readZip(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), file);
  } catch (error) {
    if (error instanceof ZipError) throw new ConfigError(`--wheels: ${error.message}`);
    throw error;
  }
}
