import { Directory, Fd, File, type Inode, OpenFile, wasi } from "@bjorn3/browser_wasi_shim";

/**
 * The WASI interpreter's file system: one in-memory tree preopened as `/`.
 * Python sees exactly what was written into it (the standard library
 * archive, the harness, the project's files) and nothing of the host.
 */
export class SandboxTree {
  readonly root: Directory;

  constructor() {
    this.root = new Directory(new Map());
  }

  /**
   * Write a file at an absolute sandbox path, creating its folders; replaces
   * an existing file. The tree keeps `data` itself, not a copy; `readonly`
   * files refuse Python's writes (so one array can back several trees).
   */
  writeFile(path: string, data: Uint8Array | string, options: { readonly?: boolean } = {}): void {
    const parts = splitPath(path);
    const name = parts.pop();
    if (name === undefined) throw new Error(`cannot write a file at ${JSON.stringify(path)}: it names the root folder`);
    const dir = this.folder(parts, true, path);
    const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
    const existing = dir.contents.get(name);
    if (existing instanceof File) {
      existing.data = bytes;
      existing.readonly = options.readonly ?? false;
      return;
    }
    if (existing instanceof Directory) throw new Error(`cannot write ${path}: a folder of that name exists`);
    const file = new File(new Uint8Array(), { readonly: options.readonly ?? false });
    file.data = bytes; // the shim's constructor would copy
    dir.contents.set(name, file);
  }

  /** Create a folder (and its parents) at an absolute sandbox path. */
  mkdir(path: string): void {
    this.folder(splitPath(path), true, path);
  }

  /** The bytes of the file at `path`, or undefined when there is none. */
  readFile(path: string): Uint8Array | undefined {
    const entry = this.lookup(path);
    return entry instanceof File ? entry.data : undefined;
  }

  /** Remove a file or a folder (with its contents); returns whether there was one. */
  remove(path: string): boolean {
    const parts = splitPath(path);
    const name = parts.pop();
    if (name === undefined) return false;
    const dir = this.folder(parts, false, path);
    return dir?.contents.delete(name) ?? false;
  }

  /** Every file under the root as [absolute path, bytes], depth first in name order. */
  files(): Array<[string, Uint8Array]> {
    const out: Array<[string, Uint8Array]> = [];
    const walk = (dir: Directory, prefix: string): void => {
      for (const name of [...dir.contents.keys()].sort()) {
        const entry = dir.contents.get(name);
        if (entry instanceof Directory) walk(entry, `${prefix}/${name}`);
        else if (entry instanceof File) out.push([`${prefix}/${name}`, entry.data]);
      }
    };
    walk(this.root, "");
    return out;
  }

  private lookup(path: string): Inode | undefined {
    let entry: Inode | undefined = this.root;
    for (const part of splitPath(path)) {
      if (!(entry instanceof Directory)) return undefined;
      entry = entry.contents.get(part);
    }
    return entry;
  }

  private folder(parts: string[], create: true, path: string): Directory;
  private folder(parts: string[], create: false, path: string): Directory | undefined;
  private folder(parts: string[], create: boolean, path: string): Directory | undefined {
    let dir = this.root;
    for (const part of parts) {
      let next = dir.contents.get(part);
      if (next === undefined) {
        if (!create) return undefined;
        next = new Directory(new Map());
        // The shim links a folder to its parent only through its constructor.
        (next as unknown as { parent: Directory }).parent = dir;
        dir.contents.set(part, next);
      }
      if (!(next instanceof Directory)) {
        if (!create) return undefined;
        throw new Error(`cannot use ${path}: ${part} is a file, not a folder`);
      }
      dir = next;
    }
    return dir;
  }
}

function splitPath(path: string): string[] {
  if (!path.startsWith("/")) throw new Error(`sandbox paths are absolute, got ${JSON.stringify(path)}`);
  const parts: string[] = [];
  for (const part of path.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") throw new Error(`sandbox paths may not contain '..', got ${JSON.stringify(path)}`);
    parts.push(part);
  }
  return parts;
}

/**
 * A write-only character device whose every `write()` reaches a callback as
 * one chunk: stdout, stderr, and the result channel (Python has no other way
 * to call JavaScript under WASI).
 */
export class CallbackFd extends Fd {
  /** Bytes queued for Python to read (the result channel's other direction). */
  private readonly inbox: Uint8Array[] = [];

  constructor(private readonly onWrite: (data: Uint8Array) => void) {
    super();
  }

  /** Queue bytes that Python's next reads of this descriptor return. */
  push(data: Uint8Array): void {
    if (data.byteLength > 0) this.inbox.push(data);
  }

  override fd_write(data: Uint8Array): { ret: number; nwritten: number } {
    this.onWrite(data);
    return { ret: wasi.ERRNO_SUCCESS, nwritten: data.byteLength };
  }

  override fd_read(size: number): { ret: number; data: Uint8Array } {
    const head = this.inbox[0];
    if (head === undefined) return { ret: wasi.ERRNO_SUCCESS, data: new Uint8Array() };
    if (head.byteLength <= size) {
      this.inbox.shift();
      return { ret: wasi.ERRNO_SUCCESS, data: head };
    }
    this.inbox[0] = head.subarray(size);
    return { ret: wasi.ERRNO_SUCCESS, data: head.subarray(0, size) };
  }

  override fd_fdstat_get(): { ret: number; fdstat: wasi.Fdstat | null } {
    const fdstat = new wasi.Fdstat(wasi.FILETYPE_CHARACTER_DEVICE, 0);
    fdstat.fs_rights_base = BigInt(wasi.RIGHTS_FD_WRITE | wasi.RIGHTS_FD_READ);
    return { ret: wasi.ERRNO_SUCCESS, fdstat };
  }

  override fd_filestat_get(): { ret: number; filestat: wasi.Filestat | null } {
    return { ret: wasi.ERRNO_SUCCESS, filestat: new wasi.Filestat(0n, wasi.FILETYPE_CHARACTER_DEVICE, 0n) };
  }

  // wasi-libc scans descriptors from 3 upwards for preopened folders and
  // stops at the first EBADF; anything else there aborts the process.
  override fd_prestat_get(): { ret: number; prestat: wasi.Prestat | null } {
    return { ret: wasi.ERRNO_BADF, prestat: null };
  }
}

/** An empty standard input: `input()` and `sys.stdin.read()` see end of file. */
export function emptyStdin(): Fd {
  return new OpenFile(new File(new Uint8Array(), { readonly: true }));
}
