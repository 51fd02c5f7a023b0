/**
 * The run cache behind `--lf`, `--ff`, `--nf` and `--sw`: JSON values under
 * slash-separated keys (`cache/lastfailed`), as pytest's `config.cache`.
 * The Node host keeps them in `<rootdir>/.fastest_cache/v/<key>`; a browser
 * host can keep them in IndexedDB. Asynchronous so that either fits.
 */
export interface CacheStore {
  /** The value stored under `key`, or undefined when missing or unreadable. */
  get(key: string): Promise<unknown>;
  set(key: string, value: unknown): Promise<void>;
  /** Forget everything (`--cache-clear`). */
  clear(): Promise<void>;
}

/** A store in memory, for tests and for hosts without persistence. */
export class MemoryCacheStore implements CacheStore {
  readonly values = new Map<string, string>();

  async get(key: string): Promise<unknown> {
    const text = this.values.get(key);
    return text === undefined ? undefined : (JSON.parse(text) as unknown);
  }

  async set(key: string, value: unknown): Promise<void> {
    this.values.set(key, JSON.stringify(value));
  }

  async clear(): Promise<void> {
    this.values.clear();
  }
}
