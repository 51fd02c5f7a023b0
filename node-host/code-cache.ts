import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, utimesSync } from "node:fs";
import path from "node:path";
import type { ProjectFile } from "../core/protocol.js";
import type { CodeCacheEntry } from "../wasm-python/engine.js";
import { writeFileAtomic } from "./write-atomic.js";

/**
 * Rewritten test code kept between runs, one file per (path, source SHA-1),
 * under a folder keyed by the Pyodide build and harness version: an entry is
 * only ever read back by the interpreter and rewriter that made it.
 */
export class CodeCacheStore {
  /** The (path, source SHA-1) pairs `lookup` was asked about: the only entries `save` accepts. */
  private readonly expected = new Map<string, string>();

  constructor(private readonly dir: string) {}

  private fileFor(sourcePath: string, digest: string): string {
    const key = createHash("sha256").update(sourcePath).update("\0").update(digest).digest("hex").slice(0, 40);
    return path.join(this.dir, `${key}.bin`);
  }

  /** Entries for the files the harness will rewrite (test files and conftests). */
  lookup(files: ProjectFile[], rewritten: (file: ProjectFile) => boolean): Uint8Array[] {
    const found: Uint8Array[] = [];
    try {
      // In use: keeps the folder from being pruned as stale (see snapshot-cache).
      const now = new Date();
      utimesSync(this.dir, now, now);
    } catch {
      // Not made yet.
    }
    for (const file of files) {
      if (!rewritten(file)) continue;
      const digest = createHash("sha1").update(file.data).digest("hex");
      this.expected.set(file.path, digest);
      try {
        found.push(new Uint8Array(readFileSync(this.fileFor(file.path, digest))));
      } catch {
        // Not cached yet: the harness rewrites it and the entry is saved after the run.
      }
    }
    return found;
  }

  /**
   * Store what the workers rewrote. Entries come from the sandbox, so only
   * those for this run's files as the host read them are kept: test code
   * cannot plant cached code for other files or other projects.
   */
  save(entries: CodeCacheEntry[]): void {
    const wanted = entries.filter((entry) => this.expected.get(entry.path) === entry.digest);
    if (wanted.length === 0) return;
    mkdirSync(this.dir, { recursive: true });
    for (const entry of wanted) {
      writeFileAtomic(this.fileFor(entry.path, entry.digest), entry.data);
    }
  }
}
