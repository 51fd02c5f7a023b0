import { existsSync, readdirSync, statSync, watch, type Dirent, type FSWatcher } from "node:fs";
import path from "node:path";
import { isSkippedDir } from "./project.js";

/** A running file watcher; `close` stops it. */
export interface ProjectWatcher {
  close(): void;
}

export interface ProjectWatchOptions {
  rootdir: string;
  /** Called once per burst of events with the absolute paths that changed (created, written, renamed or deleted). */
  onChange(paths: string[]): void;
  /** The watcher failed (for example the system's limit of watched folders was reached). */
  onError(error: Error): void;
  /**
   * How long the project must stay quiet before a burst is reported, in ms (default 10).
   * Editors that save by writing a temporary file and renaming it produce
   * several events within a millisecond or two.
   */
  quietMs?: number;
}

/**
 * Watch every file under the rootdir that is copied into the sandbox.
 * Folders fastest skips (hidden ones such as `.git` and `.fastest_cache`,
 * `__pycache__`, `node_modules`, virtualenvs...) are not watched at all:
 * one `fs.watch` per other folder, added as folders appear. (Node 20's
 * `recursive` option on Linux walks and watches every folder, skipped ones
 * included, before it returns: most of a second for a project holding a
 * `node_modules`.) A folder that appears is reported itself, so the files
 * written into it before its watcher started are not missed.
 */
export function watchProject(options: ProjectWatchOptions): ProjectWatcher {
  const quietMs = options.quietMs ?? 10;
  const watchers = new Map<string, FSWatcher>();
  let pending = new Set<string>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let closed = false;
  const flush = () => {
    timer = undefined;
    const paths = [...pending];
    pending = new Set();
    if (paths.length > 0 && !closed) options.onChange(paths);
  };
  const forget = (dir: string) => {
    for (const [watched, watcher] of watchers) {
      if (watched === dir || watched.startsWith(dir + path.sep)) {
        watcher.close();
        watchers.delete(watched);
      }
    }
  };
  const onEvent = (dir: string, filename: string | Buffer | null) => {
    if (!filename || closed) return;
    const name = filename.toString();
    const full = path.join(dir, name);
    if (isSkippedDir(dir, name) && !isConfigName(name)) return;
    let isDir = false;
    try {
      isDir = statSync(full).isDirectory();
    } catch {
      forget(full);
    }
    if (isDir) add(full);
    pending.add(full);
    if (timer) clearTimeout(timer);
    timer = setTimeout(flush, quietMs);
  };
  const add = (dir: string) => {
    if (watchers.has(dir)) return;
    let watcher: FSWatcher;
    let entries: Dirent[];
    try {
      watcher = watch(dir, (_event, filename) => onEvent(dir, filename));
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (error) {
      // The root must be watchable; a subfolder may be gone already.
      if (dir === options.rootdir) throw new Error(`cannot watch ${dir} for changes: ${(error as Error).message}`, { cause: error });
      return;
    }
    watcher.on("error", (error) => {
      if (existsSync(dir)) options.onError(error);
      else forget(dir);
    });
    watchers.set(dir, watcher);
    for (const entry of entries) if (entry.isDirectory() && !isSkippedDir(dir, entry.name)) add(path.join(dir, entry.name));
  };
  add(options.rootdir);
  return {
    close() {
      closed = true;
      if (timer) clearTimeout(timer);
      forget(options.rootdir);
    },
  };
}

const configNames = new Set(["pytest.toml", ".pytest.toml", "pytest.ini", ".pytest.ini", "pyproject.toml", "tox.ini", "setup.cfg"]);

/** Is this the name of a file pytest reads its configuration from? */
export function isConfigName(name: string): boolean {
  return configNames.has(name);
}
