import type { ProjectFile } from "../core/protocol.js";
import type { CodeCacheEntry } from "./engine.js";

/**
 * What a worker needs to put a fresh interpreter in place of its engine
 * (`EngineService.restore`): the files written since boot, by path, and the
 * rewritten code the host loaded or the earlier interpreters compiled, by
 * the source path each entry is for.
 */
export class RestoreState {
  private readonly files = new Map<string, ProjectFile>();
  /** Rewritten code by source path; entries whose path cannot be read are kept under a key of their own. */
  private code = new Map<string, Uint8Array>();

  /** Files written into the engine; a later write of a path replaces the earlier one. */
  wrote(files: ProjectFile[]): void {
    for (const file of files) this.files.set(file.path, file);
  }

  /** The host loaded this code cache: it replaces the last one loaded, as the host's handle keeps it for a respawn. */
  loaded(entries: Uint8Array[]): void {
    this.code = new Map(entries.map((data, i) => [codeCachePath(data) ?? `#${i}`, data]));
  }

  /** Code an interpreter compiled before it was replaced: the next ones reuse it. */
  compiled(entries: CodeCacheEntry[]): void {
    for (const entry of entries) this.code.set(entry.path, entry.data);
  }

  /** Every file written so far, to write into a fresh interpreter. */
  allFiles(): ProjectFile[] {
    return [...this.files.values()];
  }

  /**
   * The code to load into a fresh interpreter. With `next` (the files it
   * is about to collect), only theirs and the conftests': loading every test
   * file's code into every file's interpreter would cost each restore time
   * in proportion to the suite. Anything else it imports is rewritten again.
   */
  codeFor(next?: readonly string[]): Uint8Array[] {
    if (!next) return [...this.code.values()];
    const wanted = new Set(next);
    return [...this.code].filter(([path]) => path.startsWith("#") || wanted.has(path) || path.endsWith("/conftest.py")).map(([, data]) => data);
  }
}

/**
 * The source path a code cache entry is for, read from its first bytes
 * without unmarshalling it: the harness writes `marshal.dumps((path,
 * digest, code))` (fastest_harness/importhook.py), a 3-tuple whose first
 * item is a str. Null for anything else.
 */
export function codeCachePath(blob: Uint8Array): string | null {
  // Type bytes may carry marshal's FLAG_REF (0x80).
  if (blob.length < 4 || (blob[0]! & 0x7f) !== 0x29 /* ) small tuple */ || blob[1] !== 3) return null;
  const type = blob[2]! & 0x7f;
  let start: number;
  let length: number;
  if (type === 0x7a /* z */ || type === 0x5a /* Z */) {
    start = 4;
    length = blob[3]!;
  } else if (type === 0x61 /* a */ || type === 0x41 /* A */ || type === 0x75 /* u */ || type === 0x74 /* t */) {
    if (blob.length < 7) return null;
    start = 7;
    length = (blob[3]! | (blob[4]! << 8) | (blob[5]! << 16) | (blob[6]! << 24)) >>> 0;
  } else {
    return null;
  }
  if (start + length > blob.length) return null;
  return new TextDecoder().decode(blob.subarray(start, start + length));
}
