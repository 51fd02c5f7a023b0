import { readFileSync } from "node:fs";
import path from "node:path";
import type { ProjectFile } from "../core/protocol.js";
import { hashFiles, pyodideDir } from "./assets.js";
import { projectImports } from "./project-imports.js";
import { environmentPytestSnapshot, pytestFromEnv, withEnvironmentPytest } from "./pytest-from-env.js";
import type { RunConfig } from "./run-config.js";
import type { SnapshotMeta } from "../wasm-python/pyodide/snapshot-format.js";
import {
  defaultVirtualenv,
  findSitePackages,
  readSitePackages,
  type DependencyFile,
  type ForeignExtension,
} from "./site-packages.js";
import { readWheelFolder, type SandboxTarget } from "./wheels.js";

/**
 * Where wheels' files live inside the sandbox when no site-packages folder
 * is used; with one, the sandbox holds it (and the wheels) at its host path,
 * as it holds the project, so tracebacks name the files users know.
 */
export const sandboxSitePackages = "/site-packages";

/** Most bytes of dependencies copied into each worker (they are held in its memory). */
export const maxDependencyBytes = 512 * 1024 * 1024;

/**
 * A run's third-party packages (`--site-packages`, the project's `.venv`,
 * `--wheels`), read on the host and written into every worker's sandbox.
 * Plain data only: it crosses to workers (and processes) by structured clone.
 */
export interface DependencySet {
  /** Files to write, with sandbox paths under `sitePackages`. */
  files: ProjectFile[];
  /** The sandbox folder to add to `sys.path` (`HarnessConfig.sitePackages`). */
  sitePackages: string;
  /** Modules that cannot load here, with the message their import fails with (`HarnessConfig.unavailableModules`). */
  unavailable: Record<string, string>;
  /** Lines for the report header: where the packages came from and what was left out. */
  headerLines: string[];
  /** Content hash of the files, the unavailable modules and `preimport`: the key of the warm snapshot holding them. */
  key: string;
  /** Importable top-level modules and packages, sorted. */
  topLevel: string[];
  /** Those the project's Python files import (and has no module of its own by that name): the snapshot holds them imported. */
  preimport: string[];
  bytes: number;
  /** `--pytest-from-env`: the environment's pytest runs the tests; its snapshot holds that pytest imported. */
  pytestFromEnv?: boolean;
}

let target: SandboxTarget | undefined;

/** The sandbox's Python version and wheel platform tags, from the pinned Pyodide's lock file. */
export function sandboxTarget(): SandboxTarget {
  if (!target) {
    const lock = JSON.parse(readFileSync(path.join(pyodideDir, "pyodide-lock.json"), "utf8")) as {
      info: { abi_version: string; platform: string; python: string };
    };
    target = {
      pythonVersion: lock.info.python.split(".").slice(0, 2).join("."),
      platforms: [`pyodide_${lock.info.abi_version}_wasm32`, `${lock.info.platform}_wasm32`],
    };
  }
  return target;
}

/**
 * The wheels the engine's Python can load: the WASI engine's CPython 3.11
 * (wasm-python/wasi/build.sh) loads no compiled modules at all, so only
 * pure-Python wheels; Pyodide also loads its own builds.
 */
function engineTarget(engine: RunConfig["engine"]): SandboxTarget {
  return engine === "wasi" ? { pythonVersion: "3.11", platforms: [] } : sandboxTarget();
}

/** How to name a wheel the sandbox can load, for messages. */
function wantedWheel(distribution: string): string {
  const { pythonVersion, platforms } = sandboxTarget();
  const cp = `cp${pythonVersion.replace(".", "")}`;
  return `${distribution}-VERSION-${cp}-${cp}-${platforms[0]}.whl or a pure-Python ${distribution}-VERSION-py3-none-any.whl`;
}

/** The way out for a compiled module the WASI engine cannot load: the default engine with a Pyodide build, or a pure-Python wheel. */
function wasiWayOut(distribution: string): string {
  return `The WASI engine loads no compiled modules: run on the default engine (leave out --engine wasi) with a Pyodide build of ${distribution} ` +
    `(put ${wantedWheel(distribution)} in a folder and pass --wheels FOLDER), or give a pure-Python ${distribution}-VERSION-py3-none-any.whl with --wheels`;
}

/** `path` as the user would type it from where fastest was started. */
function shown(location: string, cwd: string): string {
  const relative = path.relative(cwd, location);
  return relative && !relative.startsWith("..") && !path.isAbsolute(relative) ? relative : location;
}

function topLevelOf(filePath: string): string {
  const first = filePath.split("/")[0]!;
  return filePath.includes("/") ? first : first.split(".")[0]!;
}

/**
 * Read the run's dependencies on the host: `--site-packages PATH` (a
 * virtualenv or a site-packages folder), else the rootdir's `.venv` when it
 * has one, plus every `--wheels DIR`. Wheels win over site-packages for the
 * packages they provide. Returns null when there are none. With
 * `--pytest-from-env` they must hold pytest (`withEnvironmentPytest`).
 */
export function loadDependencies(config: RunConfig): DependencySet | null {
  const dependencies = readDependencies(config);
  return pytestFromEnv(config.args) ? withEnvironmentPytest(config, dependencies) : dependencies;
}

function readDependencies(config: RunConfig): DependencySet | null {
  const option = config.args.options["site-packages"];
  const explicit = typeof option === "string" ? path.resolve(config.cwd, option) : null;
  const siteDir = explicit === null ? defaultVirtualenv(config.rootdir) : findSitePackages(explicit, option as string);
  const wheelDirs = ((config.args.options["wheels"] as string[] | undefined) ?? []).map((dir) => path.resolve(config.cwd, dir));
  if (siteDir === null && wheelDirs.length === 0) return null;

  const headerLines: string[] = [];
  const unavailable: Record<string, string> = {};
  const byPath = new Map<string, Uint8Array>();
  const fromWheels = new Set<string>();
  let budget = maxDependencyBytes;
  const unfitWheels: Array<{ dir: string; file: string; distribution: string; platforms: string; modules: string[] }> = [];
  for (const dir of wheelDirs) {
    const folder = readWheelFolder(dir, engineTarget(config.engine), budget);
    budget -= folder.bytes;
    for (const file of folder.files) {
      byPath.set(file.path, file.data);
      fromWheels.add(topLevelOf(file.path));
    }
    for (const unfit of folder.unfit) {
      unfitWheels.push({ dir, file: unfit.file, distribution: unfit.wheel.distribution, platforms: unfit.wheel.platformTags.join("."), modules: unfit.modules });
    }
    const left = folder.unfit.length > 0 ? `; ${folder.unfit.length} built for another platform: ${folder.unfit.map((u) => u.file).join(", ")}` : "";
    headerLines.push(`wheels: ${shown(dir, config.cwd)} (${folder.used.length} used${left})`);
  }

  let foreign: ForeignExtension[] = [];
  if (siteDir !== null) {
    const content = readSitePackages(siteDir, budget);
    const distributions = content.distributions.length;
    headerLines.unshift(`site-packages: ${shown(siteDir, config.cwd)} (${distributions} package${distributions === 1 ? "" : "s"})`);
    // A wheel's package replaces the environment's copy whole, metadata included.
    const wheelDistributions = new Set([...byPath.keys()].filter((p) => /^[^/]+\.dist-info\//.test(p)).map((p) => normalizedDistribution(p.split("/")[0]!)));
    const replaced = (file: DependencyFile) =>
      fromWheels.has(topLevelOf(file.path)) || (/^[^/]+\.(dist|egg)-info\//.test(file.path) && wheelDistributions.has(normalizedDistribution(file.path.split("/")[0]!)));
    for (const file of content.files) if (!replaced(file)) byPath.set(file.path, file.data);
    foreign = content.foreign.filter((extension) => !fromWheels.has(extension.module?.split(".")[0] ?? extension.distribution));
    for (const extension of foreign) {
      if (!extension.module) continue;
      const name = extension.distribution.split(" ")[0]!;
      unavailable[extension.module] =
        `${extension.module} is a compiled extension of ${extension.distribution}` +
        `${extension.builtFor ? ` built for ${extension.builtFor}` : ""} (in ${shown(siteDir, config.cwd)}), ` +
        `which cannot load in fastest's WebAssembly sandbox. ` +
        (config.engine === "wasi" ? wasiWayOut(name) : `Provide a Pyodide build of ${name}: put ${wantedWheel(name)} in a folder and pass --wheels FOLDER`);
    }
  }

  const provided = new Set([...byPath.keys()].map(topLevelOf));
  for (const unfit of unfitWheels) {
    for (const module of unfit.modules.filter((name) => !provided.has(name))) {
      unavailable[module] = config.engine === "wasi"
        ? `${unfit.file} (in ${shown(unfit.dir, config.cwd)}) is built for ${unfit.platforms}, not for the WASI engine's Python ` +
          `(${engineTarget("wasi").pythonVersion}, pure-Python wheels only), so ${module} cannot be imported. ${wasiWayOut(unfit.distribution)}`
        : `${unfit.file} (in ${shown(unfit.dir, config.cwd)}) is built for ${unfit.platforms}, not for fastest's WebAssembly sandbox ` +
          `(Python ${sandboxTarget().pythonVersion}, ${sandboxTarget().platforms[0]}), so ${module} cannot be imported. ` +
          `Put ${wantedWheel(unfit.distribution)} in that folder instead`;
    }
  }
  const leftOut = [...new Set(foreign.map((extension) => extension.distribution))];
  if (leftOut.length > 0) {
    headerLines.push(`compiled for another platform, not loadable (see --wheels): ${leftOut.join(", ")}`);
  }

  const sandboxDir = siteDir === null ? sandboxSitePackages : siteDir.split(path.sep).join("/");
  const files = packed(
    [...byPath].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([filePath, data]) => ({ path: `${sandboxDir}/${filePath}`, data })),
  );
  const bytes = files.reduce((sum, file) => sum + file.data.byteLength, 0);
  const topLevel = [...new Set([...byPath.keys()].map((p) => /^([A-Za-z_][A-Za-z0-9_]*)(\/__init__)?\.py$/.exec(p)?.[1]).filter((name) => name !== undefined))].sort();
  // A module the project has itself must stay unimported: the project's copy may shadow the installed one.
  const { imported, own } = projectImports(config.rootdir);
  const preimport = topLevel.filter((name) => imported.has(name) && !own.has(name));
  const keyed = [...files, { path: "\0settings", data: new TextEncoder().encode(JSON.stringify({ unavailable, preimport })) }];
  return { files, sitePackages: sandboxDir, unavailable, headerLines, key: hashFiles(keyed), topLevel, preimport, bytes };
}

/**
 * The same files with their bytes moved into one buffer. Structured clone
 * (to the sandbox process, to each worker) copies a buffer once however many
 * views share it, instead of one small buffer per file: for an environment of
 * 25,000 files that is most of the cost of handing it over.
 */
function packed(files: ProjectFile[]): ProjectFile[] {
  const buffer = new Uint8Array(files.reduce((sum, file) => sum + file.data.byteLength, 0));
  let offset = 0;
  return files.map((file) => {
    buffer.set(file.data, offset);
    const data = buffer.subarray(offset, offset + file.data.byteLength);
    offset += file.data.byteLength;
    return { path: file.path, data };
  });
}

/** `Foo.Bar-1.0.dist-info` -> `foo_bar`: distribution names compare this way (PEP 503). */
function normalizedDistribution(folder: string): string {
  return folder.replace(/\.(dist|egg)-info$/, "").split("-")[0]!.toLowerCase().replace(/[-_.]+/g, "_");
}

/** The harness settings that make a dependency set importable (none without one). */
export function dependencyHarnessConfig(dependencies: DependencySet | null): { sitePackages?: string; unavailableModules?: Record<string, string> } {
  if (!dependencies) return {};
  return {
    sitePackages: dependencies.sitePackages,
    ...(Object.keys(dependencies.unavailable).length > 0 ? { unavailableModules: dependencies.unavailable } : {}),
  };
}

/** What to bake into a snapshot: files to write, then Python to run, before the memory is frozen. */
export interface SnapshotBake {
  files: ProjectFile[];
  warmup: string;
}

/**
 * The snapshot a run with these dependencies starts from: one per
 * dependency set, keyed by its content (`DependencySet.key`), with the
 * packages the project imports already imported (see `preimport` in
 * fastest_harness/dependencies.py), so that the next run finds them
 * imported. Without any to import, or with `FASTEST_PREIMPORT=0`, the
 * shared snapshot and nothing to bake.
 */
export function dependencySnapshot(meta: SnapshotMeta, dependencies: DependencySet | null, env: NodeJS.ProcessEnv = process.env): { meta: SnapshotMeta; bake?: SnapshotBake } {
  if (dependencies?.pytestFromEnv && env["FASTEST_PREIMPORT"] !== "0") return environmentPytestSnapshot(meta, dependencies);
  if (!dependencies || dependencies.preimport.length === 0 || env["FASTEST_PREIMPORT"] === "0") return { meta };
  const args = [dependencies.sitePackages, dependencies.unavailable, dependencies.preimport].map((value) => JSON.stringify(value)).join(", ");
  return {
    meta: { ...meta, harnessHash: `${meta.harnessHash}-deps-${dependencies.key}` },
    bake: { files: dependencies.files, warmup: `import fastest_harness.dependencies\nfastest_harness.dependencies.preimport(${args})` },
  };
}
