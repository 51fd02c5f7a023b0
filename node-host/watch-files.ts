import { watch, type FSWatcher } from "node:fs";
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
   * How long the project must stay quiet before a burst is reported, in ms.
   * Editors that save by writing a temporary file and renaming it produce
   * several events within a millisecond or two.
   */
  quietMs?: number;
}

/**
 * Watch every file under the rootdir that is copied into the sandbox:
 * folders fastest skips (hidden ones such as `.git` and `.fastest_cache`,
 * `__pycache__`, `node_modules`, virtualenvs...) are ignored. Uses
 * `fs.watch` with `recursive`, which Node supports on Linux since 20.
 */
export function watchProject(options: ProjectWatchOptions): ProjectWatcher {
  const quietMs = options.quietMs ?? 10;
  let pending = new Set<string>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const flush = () => {
    timer = undefined;
    const paths = [...pending];
    pending = new Set();
    if (paths.length > 0) options.onChange(paths);
  };
  let watcher: FSWatcher;
  try {
    watcher = watch(options.rootdir, { recursive: true }, (_event, filename) => {
      if (!filename) return;
      const relative = filename.toString();
      if (isIgnored(options.rootdir, relative)) return;
      pending.add(path.join(options.rootdir, relative));
      if (timer) clearTimeout(timer);
      timer = setTimeout(flush, quietMs);
    });
  } catch (error) {
    throw new Error(`cannot watch ${options.rootdir} for changes: ${(error as Error).message}`, { cause: error });
  }
  watcher.on("error", (error) => options.onError(error));
  return {
    close() {
      if (timer) clearTimeout(timer);
      watcher.close();
    },
  };
}

/** Is a path (relative to the rootdir) inside a folder that is not copied into the sandbox? */
function isIgnored(rootdir: string, relative: string): boolean {
  const parts = relative.split(path.sep);
  let dir = rootdir;
  // The last part is the file itself (or a folder that was created or removed).
  for (const part of parts) {
    if (isSkippedDir(dir, part)) return !(part === parts.at(-1) && isConfigName(part));
    dir = path.join(dir, part);
  }
  return false;
}

const configNames = new Set(["pytest.ini", ".pytest.ini", "pyproject.toml", "tox.ini", "setup.cfg"]);

/** Is this the name of a file pytest reads its configuration from? */
export function isConfigName(name: string): boolean {
  return configNames.has(name);
}
