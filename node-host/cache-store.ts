import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { CacheStore } from "../core/cache.js";

const readme = `# fastest cache directory #

This directory contains data from fastest's cache, which provides the
\`--lf\`, \`--ff\`, \`--nf\` and \`--sw\` options. Its layout is pytest's
\`.pytest_cache\`.

**Do not** commit this to version control.
`;

const cachedirTag = `Signature: 8a477f597d28d172789f06886806bc55
# This file is a cache directory tag created by fastest.
# For information about cache directory tags, see:
#\thttps://bford.info/cachedir/spec.html
`;

/** The cache on disk: `<rootdir>/.fastest_cache/v/<key>`, one JSON file per key, as pytest lays out `.pytest_cache`. */
export class FileCacheStore implements CacheStore {
  readonly dir: string;

  constructor(rootdir: string) {
    this.dir = path.join(rootdir, ".fastest_cache");
  }

  private file(key: string): string {
    return path.join(this.dir, "v", ...key.split("/"));
  }

  async get(key: string): Promise<unknown> {
    try {
      return JSON.parse(readFileSync(this.file(key), "utf8")) as unknown;
    } catch {
      return undefined;
    }
  }

  async set(key: string, value: unknown): Promise<void> {
    await this.setText(key, JSON.stringify(value, null, 2));
  }

  /** Store JSON text as given (the harness writes it as pytest does: sorted keys, two-space indent). */
  async setText(key: string, text: string): Promise<void> {
    const file = this.file(key);
    try {
      if (!existsSync(this.dir)) {
        mkdirSync(this.dir, { recursive: true });
        writeFileSync(path.join(this.dir, "README.md"), readme);
        writeFileSync(path.join(this.dir, ".gitignore"), "# Created by fastest automatically.\n*\n");
        writeFileSync(path.join(this.dir, "CACHEDIR.TAG"), cachedirTag);
      }
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, text);
    } catch {
      // pytest warns and goes on when its cache is not writable; so does fastest, quietly.
    }
  }

  /** Every stored value as JSON text by key, for `config.cache` inside the sandbox. */
  entries(): Record<string, string> {
    const values: Record<string, string> = {};
    const walk = (dir: string, prefix: string) => {
      let names: string[];
      try {
        names = readdirSync(dir);
      } catch {
        return;
      }
      for (const name of names) {
        const full = path.join(dir, name);
        try {
          values[prefix + name] = readFileSync(full, "utf8");
        } catch {
          walk(full, `${prefix}${name}/`);
        }
      }
    };
    walk(path.join(this.dir, "v"), "");
    return values;
  }

  async clear(): Promise<void> {
    rmSync(path.join(this.dir, "v"), { recursive: true, force: true });
  }
}
