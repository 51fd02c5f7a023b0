/**
 * A copy of an initialised linear memory, stored as the runs of bytes that
 * differ from a freshly instantiated module's memory: restoring writes only
 * those, so the untouched part of the stack, the free heap and the pages no
 * one wrote cost nothing to store or restore.
 */
export interface MemoryImage {
  /** Size of the memory when it was copied, in bytes (a multiple of 64 KiB). */
  byteLength: number;
  /** [offset, length] of each run, in `data` order. */
  runs: number[];
  /** The runs' bytes, back to back. */
  data: Uint8Array;
}

const PAGE = 65536;
/** The linear memory's initial size, as build.sh links it (INITIAL_MEMORY; the module imports its memory). */
export const INITIAL_MEMORY_BYTES = 16 * 1024 * 1024;
// Granularity of the comparison: small enough to skip zeroed holes, large
// enough to keep the run list short.
const CHUNK = 4096;

/** Copy `memory`, keeping only the chunks that differ from `pristine`. */
export function captureMemory(memory: Uint8Array, pristine: Uint8Array): MemoryImage {
  const runs: number[] = [];
  let total = 0;
  let runStart = -1;
  for (let offset = 0; offset < memory.byteLength; offset += CHUNK) {
    const end = Math.min(offset + CHUNK, memory.byteLength);
    const differs = !chunkEquals(memory, pristine, offset, end);
    if (differs && runStart < 0) runStart = offset;
    if (!differs && runStart >= 0) {
      runs.push(runStart, offset - runStart);
      total += offset - runStart;
      runStart = -1;
    }
  }
  if (runStart >= 0) {
    runs.push(runStart, memory.byteLength - runStart);
    total += memory.byteLength - runStart;
  }
  const data = new Uint8Array(total);
  let at = 0;
  for (let i = 0; i < runs.length; i += 2) {
    const start = runs[i]!;
    const length = runs[i + 1]!;
    data.set(memory.subarray(start, start + length), at);
    at += length;
  }
  return { byteLength: memory.byteLength, runs, data };
}

/** Grow a fresh instance's memory to the image's size and write the image in. */
export function restoreMemory(memory: WebAssembly.Memory, image: MemoryImage): void {
  const missing = image.byteLength - memory.buffer.byteLength;
  if (missing > 0) memory.grow(Math.ceil(missing / PAGE));
  const bytes = new Uint8Array(memory.buffer);
  let at = 0;
  for (let i = 0; i < image.runs.length; i += 2) {
    const start = image.runs[i]!;
    const length = image.runs[i + 1]!;
    bytes.set(image.data.subarray(at, at + length), start);
    at += length;
  }
}

function chunkEquals(memory: Uint8Array, pristine: Uint8Array, start: number, end: number): boolean {
  // Compare 32-bit words where both views allow it (offsets are 4 KiB aligned).
  if (end <= pristine.byteLength && (end - start) % 4 === 0) {
    const a = new Uint32Array(memory.buffer, memory.byteOffset + start, (end - start) / 4);
    const b = new Uint32Array(pristine.buffer, pristine.byteOffset + start, (end - start) / 4);
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
    return true;
  }
  for (let i = start; i < end; i++) {
    const before = i < pristine.byteLength ? pristine[i]! : 0;
    if (memory[i] !== before) return false;
  }
  return true;
}

/**
 * A new linear memory for a module that imports its memory (builds since
 * --max-memory): at least `minimumBytes` (a snapshot's size), at most
 * `maxBytes`. Undefined for a module with a memory of its own (an older build).
 */
export function linearMemory(module: WebAssembly.Module, maxBytes: number | undefined, minimumBytes: number): WebAssembly.Memory | undefined {
  if (!WebAssembly.Module.imports(module).some((entry) => entry.kind === "memory")) {
    if (maxBytes) throw new Error("this python.wasm cannot limit its memory: rebuild it with `npm run build:wasi`");
    return undefined;
  }
  const initial = Math.ceil(Math.max(INITIAL_MEMORY_BYTES, minimumBytes) / PAGE);
  if (!maxBytes) return new WebAssembly.Memory({ initial });
  const maximum = Math.floor(maxBytes / PAGE);
  if (maximum < initial) {
    const mib = (bytes: number) => Math.ceil(bytes / 2 ** 20);
    throw new Error(`the interpreter needs ${mib(initial * PAGE)} MiB to start, more than the ${mib(maxBytes)} MiB it may use (--max-memory)`);
  }
  return new WebAssembly.Memory({ initial, maximum });
}
