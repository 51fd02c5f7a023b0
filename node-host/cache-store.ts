import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync, type Dirent } from "node:fs";
import path from "node:path";
import type { CacheStore } from "../core/cache.js";

const readme = `# fastest cache directory #

This directory contains data from fastest's cache, which provides the
\`--lf\`, \`--ff\`, \`--nf\` and \`--sw\` options, the \`cache\` fixture, and
how long each test file took (\`v/fastest/durations\`, for planning workers).
Its layout is pytest's \`.pytest_cache\`; \`fastest --cache-show\` prints it and
\`fastest --cache-clear\` empties it.

**Do not** commit this to version control. (The durations file that
\`--shard\` balances by, \`.fastest-durations.json\`, is a separate file meant
to be committed.)
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

  /**
   * The file of a key, or null for a key that would leave `v/`. Keys come
   * from test code (`cache.set`), so they are checked here, on the host.
   */
  private file(key: string): string | null {
    const parts = key.split("/");
    if (parts.some((part) => part === "" || part === "." || part === ".." || /[\\\0]/.test(part))) return null;
    return path.join(this.dir, "v", ...parts);
  }

  async get(key: string): Promise<unknown> {
    const file = this.file(key);
    if (file === null || !this.unlinked(file)) return undefined;
    try {
      return JSON.parse(readFileSync(file, "utf8")) as unknown;
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
    // pytest would write `../x` next to its cache folder; from the sandbox that would be a write anywhere on the host.
    if (file === null || !this.unlinked(file)) return;
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

  /**
   * Is there no symbolic link on the way from the cache folder to `target`
   * (the folder included)? The cache lives in the project, which may come
   * with links out of it: a value written or read through one would touch a
   * host file outside the project.
   */
  private unlinked(target: string): boolean {
    let current = this.dir;
    for (const part of ["", ...path.relative(this.dir, target).split(path.sep)]) {
      current = path.join(current, part);
      try {
        if (lstatSync(current).isSymbolicLink()) return false;
      } catch {
        return true; // Missing from here on: mkdir creates real folders.
      }
    }
    return true;
  }

  /** Every stored value as JSON text by key, for `config.cache` inside the sandbox. */
  entries(): Record<string, string> {
    const values: Record<string, string> = {};
    const walk = (dir: string, prefix: string) => {
      let entries: Dirent[];
      try {
        entries = readdirSync(dir, { withFileTypes: true });
      } catch {
        return;
      }
      // Regular files and folders only: links could point out of the project (see `unlinked`).
      for (const entry of entries) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(full, `${prefix}${entry.name}/`);
        else if (entry.isFile()) {
          try {
            values[prefix + entry.name] = readFileSync(full, "utf8");
          } catch {
            // Unreadable: as if absent.
          }
        }
      }
    };
    const root = path.join(this.dir, "v");
    if (this.unlinked(root)) walk(root, "");
    return values;
  }

  async clear(): Promise<void> {
    rmSync(path.join(this.dir, "v"), { recursive: true, force: true });
  }
}
