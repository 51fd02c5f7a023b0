import type {
  CollectResult,
  EngineInfo,
  HarnessConfig,
  ProjectFile,
  RunControl,
  RunFinish,
} from "../../core/protocol.js";
import { claimItem } from "../../core/item-claim.js";
import { beginItem, endItem, itemTimedOut } from "../../core/item-progress.js";
import type { CodeCacheEntry, Engine } from "../engine.js";

/**
 * What the engine needs of a restored CPython-WASI interpreter
 * (wasm-python/wasi/boot.ts adapts the low-level runtime to it).
 */
export interface WasiInterpreter {
  /** Run Python source at module level; throws when the interpreter died (a trap, `os._exit`). */
  run(code: string): void;
  /** Write a file into the sandbox's in-memory tree, creating its folders. */
  writeFile(path: string, data: Uint8Array): void;
  /** Receives each write Python makes to the channel descriptor, synchronously, during `run` (see fastest_harness/wasi_bridge.py). */
  onChannel: (message: Uint8Array) => void;
  /** Queue bytes for Python's next read of the channel descriptor. */
  reply(data: Uint8Array): void;
  dispose(): void;
}

/** A Python exception from a harness call: the interpreter is still usable. Its message is the traceback, as Pyodide's. */
export class PythonError extends Error {
  constructor(readonly pythonTraceback: string) {
    super(pythonTraceback.trimEnd() || "Python error");
    this.name = "PythonError";
  }
}

const decoder = new TextDecoder();
const YES = new Uint8Array([0x31]);
const NO = new Uint8Array([0x30]);
/** The tags of fastest_harness/wasi_bridge.py's messages. */
const Tag = { result: 0x52, event: 0x45, code: 0x43, raised: 0x58, proceed: 0x51, timedOut: 0x54 } as const;

/** A run event as the harness encodes it (a JSON object with a `type`), or undefined. */
function parseEvent(text: string): { type: string; nodeid?: unknown } | undefined {
  if (!text.startsWith('{"type": "')) return undefined;
  try {
    const parsed = JSON.parse(text) as unknown;
    const ok = typeof parsed === "object" && parsed !== null && typeof (parsed as { type?: unknown }).type === "string";
    return ok ? (parsed as { type: string; nodeid?: unknown }) : undefined;
  } catch {
    return undefined;
  }
}

/** `[index, timeout]` of a proceed question; [-1, 0] for anything else. */
function parseQuestion(text: string): [number, number] {
  try {
    const parsed = JSON.parse(text) as unknown;
    if (Array.isArray(parsed) && typeof parsed[0] === "number" && typeof parsed[1] === "number") return [parsed[0], parsed[1]];
  } catch {
    // Not the harness's question.
  }
  return [-1, 0];
}

const ignoredMessage = JSON.stringify({
  type: "output",
  stream: "stderr",
  text: "fastest: ignored a message a test wrote to the harness's channel (file descriptor 4)\n",
});

/** Where `loadCodeCache` puts the blobs for Python to read (it removes them). */
const codeCacheInbox = "/tmp/.fastest-code-cache";

/**
 * An `Engine` on CPython 3.11 compiled for WASI. There is no JavaScript FFI:
 * each harness call is a line of Python, and results come back through the
 * channel descriptor (`fastest_harness/wasi_bridge.py`). Ctrl-C and
 * timeouts reach running Python at its next system call (the runtime raises
 * KeyboardInterrupt there: wasi/system-calls.ts); a test that makes none
 * has its worker stopped and restored from the snapshot, which takes
 * milliseconds here.
 */
export class WasiEngine implements Engine {
  private result: string | undefined;
  private raised: string | undefined;
  private onEvent: ((event: string) => void) | undefined;
  private onCode: ((entry: CodeCacheEntry) => void) | undefined;
  private proceed: ((index: number, timeout: number) => boolean) | undefined;
  /** The position the harness asks about next (`run` goes through its items in order). */
  private nextIndex = 0;
  /** The item `run` let start last, and whether its end was sent. */
  private running: { nodeid: string | undefined; ended: boolean } = { nodeid: undefined, ended: false };

  constructor(
    private readonly interpreter: WasiInterpreter,
    readonly info: EngineInfo,
    private readonly watch: { progress?: Int32Array | undefined; interruptBuffer?: Int32Array | undefined } = {},
  ) {
    interpreter.onChannel = (message) => this.receive(message);
  }

  private receive(message: Uint8Array): void {
    const body = message.subarray(1);
    switch (message[0]) {
      case Tag.result:
        this.result = decoder.decode(body);
        this.raised = undefined;
        return;
      case Tag.event: {
        // The channel is a file descriptor test code can write to as well: what is
        // not an event, or a start or end of an item other than the running one, does not reach the host.
        const event = decoder.decode(body);
        const parsed = parseEvent(event);
        const item = parsed?.type === "itemStart" || parsed?.type === "itemEnd";
        if (!parsed || (item && (parsed.nodeid !== this.running.nodeid || this.running.ended))) {
          this.onEvent?.(ignoredMessage);
          return;
        }
        if (parsed.type === "itemEnd") this.running.ended = true;
        this.onEvent?.(event);
        return;
      }
      case Tag.raised:
        this.raised = decoder.decode(body);
        this.result = undefined;
        return;
      case Tag.code: {
        const first = body.indexOf(0);
        const second = body.indexOf(0, first + 1);
        this.onCode?.({ path: decoder.decode(body.subarray(0, first)), digest: decoder.decode(body.subarray(first + 1, second)), data: body.slice(second + 1) });
        return;
      }
      case Tag.proceed: {
        // The harness asks for each item in order; a question out of turn was written by a test, and is not answered.
        const [index, timeout] = parseQuestion(decoder.decode(body));
        if (index !== this.nextIndex) return;
        this.nextIndex += 1;
        this.interpreter.reply(this.proceed?.(index, timeout) ? YES : NO);
        return;
      }
      case Tag.timedOut:
        this.interpreter.reply(this.watch.progress && itemTimedOut(this.watch.progress) ? YES : NO);
        return;
    }
  }

  /** Call `wasi_bridge.call(name, *args)`; its JSON result, if it returned one. */
  private call(name: string, ...args: Array<string | boolean>): string | undefined {
    this.result = undefined;
    this.raised = undefined;
    // JSON string literals are valid Python string literals; booleans are spelled as Python's.
    const literals = args.map((arg) => (typeof arg === "boolean" ? (arg ? "True" : "False") : JSON.stringify(arg)));
    this.interpreter.run(`_fastest_bridge.call(${[JSON.stringify(name), ...literals].join(", ")})`);
    // The bridge writes the call's outcome last (an R, or an X with the traceback).
    if (this.raised !== undefined) throw new PythonError(this.raised);
    return this.result === "" ? undefined : this.result;
  }

  private json<T>(name: string, ...args: string[]): T {
    const result = this.call(name, ...args);
    if (result === undefined) throw new Error(`the harness returned nothing from ${name}()`);
    return JSON.parse(result) as T;
  }

  /** Right after a restore: lock the interpreter down (fastest_harness/lockdown.py) with exactly `environment`; its Python version and the modules that took. */
  boot(environment: Readonly<Record<string, string>>): { python: string; imports: string[] } {
    return this.json<{ python: string; imports: string[] }>("boot", JSON.stringify(environment));
  }

  writeFiles(files: ProjectFile[]): void {
    for (const file of files) this.interpreter.writeFile(file.path, file.data);
  }

  configure(config: HarnessConfig): void {
    this.call("configure", JSON.stringify(config));
  }

  collect(paths: string[]): CollectResult {
    return this.json<CollectResult>("collect", JSON.stringify(paths));
  }

  run(nodeids: string[], emit: (event: string) => void, control?: RunControl): void {
    const { progress, interruptBuffer } = this.watch;
    const allowed = (i: number) =>
      !control || (control.indices[i]! < Atomics.load(control.stopAt, 0) && (!control.claim || claimItem(control.claim, i)));
    // Ctrl-C (the host writes 2 into the interrupt buffer) not yet raised in Python: the run stops before its next item.
    const interrupted = () => interruptBuffer !== undefined && Atomics.load(interruptBuffer, 0) === 2 && !(progress && itemTimedOut(progress));
    // A timeout interrupt that came too late for the item it was meant for must not hit the next one.
    const dropLateTimeout = () => {
      if (interruptBuffer && progress && itemTimedOut(progress)) Atomics.store(interruptBuffer, 0, 0);
    };
    this.nextIndex = 0;
    this.proceed = (i, timeout) => {
      dropLateTimeout();
      if (interrupted() || !allowed(i)) return false;
      if (progress) beginItem(progress, i, timeout * 1000);
      this.running = { nodeid: nodeids[i], ended: false };
      return true;
    };
    this.onEvent = progress
      ? (event) => {
          if (event.startsWith('{"type": "itemEnd"')) endItem(progress);
          emit(event);
        }
      : emit;
    try {
      this.call("run", JSON.stringify(nodeids), true);
    } finally {
      dropLateTimeout();
      this.onEvent = undefined;
      this.proceed = undefined;
      this.running = { nodeid: undefined, ended: false };
    }
    if (progress) beginItem(progress, -1, 0);
  }

  loadCodeCache(entries: Uint8Array[]): void {
    if (entries.length === 0) return;
    entries.forEach((data, i) => this.interpreter.writeFile(`${codeCacheInbox}/${String(i).padStart(6, "0")}`, data));
    this.call("load_code_cache", codeCacheInbox);
  }

  takeCodeCache(): CodeCacheEntry[] {
    const entries: CodeCacheEntry[] = [];
    this.onCode = (entry) => entries.push(entry);
    try {
      this.call("export_code_cache");
    } finally {
      this.onCode = undefined;
    }
    return entries;
  }

  /** `summary` (a `SummaryRequest`, when the host has one) goes to the harness's `finish` as JSON. */
  finish(summary?: object): RunFinish {
    return summary ? this.json<RunFinish>("finish", JSON.stringify(summary)) : this.json<RunFinish>("finish");
  }

  dispose(): void {
    this.interpreter.dispose();
  }
}
