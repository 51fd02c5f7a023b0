import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { globToRegExp } from "../core/globs.js";
import { isSkippedDir, readProjectFiles } from "./project.js";
import { isConfigName } from "./watch-files.js";

/** What one burst of file system events changed (sandbox paths). */
export interface ProjectChange {
  /** Files written, created or deleted. */
  touched: string[];
  /** The deleted ones among them. */
  deleted: string[];
  /** Was any file created? */
  added: boolean;
}

/**
 * The project's files as watch mode last read them, by sandbox path (the
 * absolute host path with `/`): what a fresh worker gets written.
 */
export class ProjectFiles {
  readonly files = new Map<string, Uint8Array>();

  constructor(rootdir: string) {
    for (const file of readProjectFiles(rootdir).files) this.files.set(file.path, file.data);
  }

  /** Read the reported paths again. A file whose bytes did not change keeps its old entry. */
  update(paths: string[]): ProjectChange {
    const change: ProjectChange = { touched: [], deleted: [], added: false };
    for (const file of paths) {
      const key = posix(file);
      let stat;
      try {
        stat = statSync(file);
      } catch {
        stat = undefined;
      }
      if (stat?.isFile()) {
        this.put(key, readFileSync(file), change);
      } else if (stat?.isDirectory()) {
        for (const found of filesUnder(file)) this.put(posix(found), readFileSync(found), change);
      } else {
        // Gone: a file, or a folder with everything in it.
        for (const gone of [...this.files.keys()].filter((known) => known === key || known.startsWith(`${key}/`))) {
          this.files.delete(gone);
          change.touched.push(gone);
          change.deleted.push(gone);
        }
      }
    }
    return change;
  }

  private put(key: string, data: Buffer, change: ProjectChange): void {
    const known = this.files.get(key);
    if (!known) change.added = true;
    if (!known || !Buffer.from(known.buffer, known.byteOffset, known.byteLength).equals(data)) {
      this.files.set(key, new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    }
    change.touched.push(key);
  }
}

/**
 * Does a change to this file start a run? Python files, config files and
 * doctest text files (`--doctest-glob`, default `test*.txt`) do; other files
 * are only copied into the next run's sandbox.
 */
export function triggersRun(file: string, doctestGlobs: string[] = []): boolean {
  const name = path.posix.basename(file);
  if (name.endsWith(".py") || isConfigName(name)) return true;
  return (doctestGlobs.length > 0 ? doctestGlobs : ["test*.txt"]).some((glob) => globToRegExp(glob).test(name));
}

export function posix(file: string): string {
  return file.split(path.sep).join("/");
}

/** Files under a folder that appeared (skipping the folders fastest never copies). */
function filesUnder(dir: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory() && !isSkippedDir(dir, entry.name)) found.push(...filesUnder(full));
    else if (entry.isFile()) found.push(full);
  }
  return found;
}
