/**
 * Static test discovery: the items pytest would collect from each test file,
 * found by parsing it (tree-sitter) instead of importing it. A file whose
 * collection depends on running code (non-literal parametrize, collection
 * hooks, unknown decorators or imports...) is left to the interpreter,
 * with the reason. Results are cached by file content hash.
 *
 * Planning and selection use `discover()`'s `StaticDiscovery`: `itemCounts`
 * gives per-file test counts where they are known.
 */
import type { CacheStore } from "../cache.js";
import { Assembler, type DiscoveryConfig, type ProjectView, type StaticFile } from "./assemble.js";
import { FactsCache } from "./cache.js";
import type { ModuleFacts } from "./facts.js";
import type { PythonParser } from "./parser.js";

export type { DiscoveryConfig, StaticFile } from "./assemble.js";
export type { ModuleFacts } from "./facts.js";
export { createPythonParser, type ParserWasm, type PythonParser } from "./parser.js";
export { DISCOVERY_FORMAT } from "./cache.js";

/** How discovery reads the project (rootdir-relative POSIX paths). */
export interface DiscoverySource {
  /** A file's text and a hash of its bytes, or null when it is not a readable file. */
  read(path: string): { text: string; hash: string } | null;
  isFile(path: string): boolean;
}

export interface DiscoverOptions {
  config: DiscoveryConfig;
  /** Test files, rootdir-relative, in collection order. */
  files: readonly string[];
  source: DiscoverySource;
  /** Called once, and only when some file is not in the cache. */
  parser: () => Promise<PythonParser>;
  cache?: CacheStore;
}

/** What static discovery found. */
export interface StaticDiscovery {
  files: StaticFile[];
  /** Every file is complete: the items are exactly pytest's collection. */
  complete: boolean;
  /** Files parsed now, and files whose facts came from the cache. */
  parsed: number;
  cached: number;
}

class NeedFacts extends Error {
  constructor(readonly path: string) {
    super(path);
  }
}

/** Statically collect `files`; complete files carry pytest's items, the others a reason. */
export async function discover(options: DiscoverOptions): Promise<StaticDiscovery> {
  const { config, source } = options;
  const analyzeOptions = { pythonClasses: config.pythonClasses, pythonFunctions: config.pythonFunctions };
  const cache = options.cache ? new FactsCache(options.cache, analyzeOptions) : null;
  const known = new Map<string, ModuleFacts | null>();
  let parser: PythonParser | undefined;
  const stats = { parsed: 0, cached: 0 };
  const load = async (path: string): Promise<void> => {
    const file = source.read(path);
    if (!file) {
      known.set(path, null);
      return;
    }
    let facts = cache ? await cache.get(file.hash) : undefined;
    if (facts) stats.cached += 1;
    else {
      // The analysis code loads only when something has to be parsed.
      const { analyzeModule, emptyFacts } = await import("./analyze.js");
      parser ??= await options.parser();
      // Python reads sources with universal newlines: a docstring never holds "\r".
      const text = file.text.includes("\r") ? file.text.replace(/\r\n?/g, "\n") : file.text;
      const tree = parser.parse(text);
      try {
        facts = analyzeModule(tree, text, analyzeOptions);
      } catch (error) {
        facts = emptyFacts([`static analysis failed: ${(error as Error).message}`]);
      } finally {
        tree.delete();
      }
      stats.parsed += 1;
      await cache?.set(file.hash, facts);
    }
    known.set(path, facts);
  };
  // Test files and the conftests and package inits above them, before assembling.
  const wanted = new Set<string>();
  for (const file of options.files) {
    if (file.endsWith(".py")) wanted.add(file);
    const parts = file.split("/").slice(0, -1);
    for (let i = 0; i <= parts.length; i++) {
      const dir = parts.slice(0, i).join("/");
      for (const name of ["conftest.py", "__init__.py"]) {
        const path = dir ? `${dir}/${name}` : name;
        if (source.isFile(path)) wanted.add(path);
      }
    }
  }
  for (const path of wanted) await load(path);
  const view: ProjectView = {
    facts(path) {
      if (!known.has(path)) throw new NeedFacts(path);
      return known.get(path)!;
    },
    isFile: (path) => source.isFile(path),
  };
  for (;;) {
    try {
      const files = new Assembler(config, view).assemble(options.files);
      return { files, complete: files.every((f) => f.complete), ...stats };
    } catch (error) {
      if (!(error instanceof NeedFacts)) throw error;
      await load(error.path);
    }
  }
}

/** Per-file item counts for planning: null for files resolved at run time. */
export function itemCounts(discovery: StaticDiscovery): Map<string, number | null> {
  return new Map(discovery.files.map((f) => [f.path, f.complete ? f.items.length : null]));
}
