/**
 * Static discovery on the Node host: reads the project's files, hashes them,
 * keeps the per-file facts on disk (one JSON file per project under the
 * cache folder) and hands everything to core/discovery. Imports nothing
 * heavy: the parser loads only when a file is not cached.
 */
import { createHash } from "node:crypto";
import { readFileSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { createRequire } from "node:module";
import type { CacheStore } from "../core/cache.js";
import { createPythonParser, discover, type DiscoveryConfig, type StaticDiscovery } from "../core/discovery/index.js";
import type { RunConfig } from "./run-config.js";
import { writeFileAtomic } from "./write-atomic.js";

/** fastest's cache folder, as snapshot-cache.ts finds it (kept here so this module stays light). */
export function cacheRoot(): string {
  if (process.env["FASTEST_CACHE_DIR"]) return path.resolve(process.env["FASTEST_CACHE_DIR"]);
  const base = process.env["XDG_CACHE_HOME"] || path.join(os.homedir(), ".cache");
  return path.join(base, "fastest");
}

/**
 * Facts of one project's files in one JSON file (`<cache>/discovery/<hash of
 * rootdir>.json`): a warm lookup of 500 files is one read and one parse.
 * Entries not used by a run are dropped when it saves.
 */
export class DiscoveryStore implements CacheStore {
  readonly file: string;
  private entries: Record<string, unknown> | undefined;
  private readonly used = new Set<string>();
  private dirty = false;

  constructor(rootdir: string) {
    const id = createHash("sha1").update(rootdir).digest("hex").slice(0, 16);
    this.file = path.join(cacheRoot(), "discovery", `${id}.json`);
  }

  private load(): Record<string, unknown> {
    if (!this.entries) {
      try {
        this.entries = JSON.parse(readFileSync(this.file, "utf8")) as Record<string, unknown>;
      } catch {
        this.entries = {};
      }
    }
    return this.entries;
  }

  async get(key: string): Promise<unknown> {
    const value = this.load()[key];
    if (value !== undefined) this.used.add(key);
    return value;
  }

  async set(key: string, value: unknown): Promise<void> {
    this.load()[key] = value;
    this.used.add(key);
    this.dirty = true;
  }

  async clear(): Promise<void> {
    this.entries = {};
    this.dirty = true;
  }

  /** Write the entries this run used, if anything changed. */
  save(): void {
    const entries = this.load();
    if (!this.dirty && Object.keys(entries).length === this.used.size) return;
    const kept: Record<string, unknown> = {};
    for (const key of this.used) kept[key] = entries[key];
    try {
      writeFileAtomic(this.file, JSON.stringify(kept));
    } catch {
      // A read-only cache folder: discovery still works, uncached.
    }
  }
}

const require = createRequire(import.meta.url);

/** The wasm binaries of web-tree-sitter and tree-sitter-python. */
export function parserWasm(): { runtime: Uint8Array; language: Uint8Array } {
  const runtime = readFileSync(require.resolve("web-tree-sitter/web-tree-sitter.wasm"));
  const language = readFileSync(path.join(path.dirname(require.resolve("tree-sitter-python/package.json")), "tree-sitter-python.wasm"));
  return { runtime: new Uint8Array(runtime), language: new Uint8Array(language) };
}

/** The settings of a run that static discovery depends on. */
export function discoveryConfig(config: RunConfig): DiscoveryConfig {
  const { harness, ini } = config;
  const filters = ini.values["filterwarnings"];
  return {
    rootdir: harness.rootdir,
    pythonFiles: harness.pythonFiles,
    pythonClasses: harness.pythonClasses,
    pythonFunctions: harness.pythonFunctions,
    markers: harness.markers,
    strictMarkers: Boolean(harness.strictMarkers),
    warningsEnabled: !(harness.disabledPlugins ?? []).includes("warnings"),
    warningFilters: (harness.pythonWarnings ?? []).length > 0 || (Array.isArray(filters) ? filters.length > 0 : Boolean(filters && filters.trim())),
    idOptions: ["strict_parametrization_ids", "strict", "disable_test_id_escaping_and_forfeit_all_rights_to_community_support", "empty_parameter_set_mark"].some((key) => key in ini.values),
  };
}

/** Statically discover `testFiles` (absolute host paths, in collection order). */
export async function discoverStatically(config: RunConfig, testFiles: readonly string[], options: { cache?: boolean } = {}): Promise<StaticDiscovery> {
  const rootdir = config.rootdir;
  const store = options.cache === false ? undefined : new DiscoveryStore(rootdir);
  const toRoot = (file: string) => path.relative(rootdir, file).split(path.sep).join("/");
  const isFile = (relative: string) => {
    try {
      return statSync(path.join(rootdir, relative)).isFile();
    } catch {
      return false;
    }
  };
  const fileCache = new Map<string, boolean>();
  const result = await discover({
    config: discoveryConfig(config),
    files: testFiles.map(toRoot),
    source: {
      read(relative) {
        try {
          const bytes = readFileSync(path.join(rootdir, relative));
          return { text: new TextDecoder("utf-8", { fatal: true }).decode(bytes), hash: createHash("sha1").update(bytes).digest("hex") };
        } catch {
          return null;
        }
      },
      isFile(relative) {
        let known = fileCache.get(relative);
        if (known === undefined) fileCache.set(relative, (known = isFile(relative)));
        return known;
      },
    },
    parser: () => createPythonParser(parserWasm()),
    ...(store ? { cache: store } : {}),
  });
  store?.save();
  return result;
}
