/**
 * Static discovery's cache: one `ModuleFacts` per file content, kept in the
 * host's `CacheStore` (on disk in Node, IndexedDB in a browser). The key
 * holds the format version and the settings that change what a file's facts
 * are, so a changed file, setting or fastest version misses.
 */
import type { CacheStore } from "../cache.js";
import type { ModuleFacts } from "./facts.js";
import type { AnalyzeOptions } from "./analyze.js";

/** Bump when `ModuleFacts` or the analysis changes: old entries are then never read. */
export const DISCOVERY_FORMAT = 2;

/** FNV-1a, 32 bits, hex: enough to tell settings apart inside a key. */
export function shortHash(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, "0");
}

/** The cache key of a file's facts: format, settings, content hash. */
export function factsKey(contentHash: string, options: AnalyzeOptions): string {
  const settings = shortHash(JSON.stringify([options.pythonClasses, options.pythonFunctions]));
  return `discovery/v${DISCOVERY_FORMAT}-${settings}/${contentHash}`;
}

/** Facts by content hash over a `CacheStore`. */
export class FactsCache {
  constructor(
    private readonly store: CacheStore,
    private readonly options: AnalyzeOptions,
  ) {}

  async get(contentHash: string): Promise<ModuleFacts | undefined> {
    const value = await this.store.get(factsKey(contentHash, this.options));
    return value && typeof value === "object" ? (value as ModuleFacts) : undefined;
  }

  async set(contentHash: string, facts: ModuleFacts): Promise<void> {
    await this.store.set(factsKey(contentHash, this.options), facts);
  }
}
